//! Clients that misbehave: `slow` (stops reading), `halfopen` (goes silent without closing)
//! and `malformed` (sends garbage). Each checks the server stays up and serves others.

use std::time::{Duration, Instant};

use hdrhistogram::Histogram;
use serde_json::json;
use tokio_tungstenite::tungstenite::Message;

use crate::{
    args::Args,
    modes::open_all,
    session::{Session, Target},
};

/// A closed loop of `increment` on the counter page of the same server, for `window`; p99 µs.
pub(crate) async fn victim_p99(to: &Target, window: Duration) -> Result<u64, String> {
    let mut counter = to.clone();
    counter.page = format!("{}/counter/", origin(&to.page));
    counter.view = crate::page::load(&counter.page).await?;
    let session = Session::open(&counter).await?;
    let stats = session
        .closed_loop("increment", &json!({}), 2, window)
        .await?;
    Ok(stats.histogram.value_at_quantile(0.99))
}

fn origin(page: &str) -> String {
    let (host, _) = crate::page::split_url(page).unwrap_or_default();
    format!("http://{host}")
}

/// What the server counts when it closes a client that reads too slowly
/// (`djust_actix::metric::SLOW_CLIENTS`, served at `/metrics`).
const SLOW_CLIENTS_CLOSED: &str = "djust_slow_clients_closed_total";

/// `--mode slow`: one connection sends `--events` events (after `--setup`) and reads none of
/// the answers until the server reports that it closed a slow client (its counter at
/// `/metrics`), or for `--secs`; then it reads what its socket holds, to the server's close
/// frame. The server must cap what it holds for it and close it with 1008, while a counter
/// connection next to it keeps its latency.
pub(crate) async fn slow(args: &Args, to: &Target) -> Result<(), String> {
    let before = victim_p99(to, Duration::from_secs(1)).await?;
    let origin = origin(&to.page);
    let closed_before = crate::page::counter(&origin, SLOW_CLIENTS_CLOSED).await?;
    let rss0 = crate::rss(args);
    let mut one = args.clone();
    one.conns = 1;
    let (mut sessions, _) = open_all(&one, to).await?;
    let mut slow = sessions.pop().ok_or("no session")?;
    let victim = tokio::spawn({
        let to = to.clone();
        async move { victim_p99(&to, Duration::from_secs(2)).await }
    });
    let mut peak = rss0;
    let mut sent = 0;
    for i in 0..args.events {
        let frame = slow.event_frame(&args.event, &args.params, i + 1);
        if slow.send(Message::text(frame)).await.is_err() {
            break;
        }
        sent += 1;
        if i % 100 == 0 {
            peak = peak.max(crate::rss(args));
            tokio::task::yield_now().await;
        }
    }
    // Read nothing until the server has given up on the connection, sampling its memory:
    // reading earlier would drain its queue and hide the overflow.
    let deadline = Instant::now() + Duration::from_secs(args.secs);
    let mut server_closed = false;
    while Instant::now() < deadline {
        peak = peak.max(crate::rss(args));
        if crate::page::counter(&origin, SLOW_CLIENTS_CLOSED).await? > closed_before {
            server_closed = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    // Read what the socket holds, to the close frame; the connection counts as open when
    // nothing arrives for 2 s.
    let (mut answers, mut close) = (0, String::from("open"));
    while let Ok(next) = tokio::time::timeout(Duration::from_secs(2), slow.next_frame()).await {
        match next {
            Ok(_) => answers += 1,
            Err(reason) => {
                close = reason;
                break;
            }
        }
    }
    // -1 when the victim could not be served at all.
    let during = victim
        .await
        .map_err(|error| error.to_string())?
        .map_or(-1, |p99| p99 as i64);
    // -1: still open; 0: closed without a close frame; else the close code.
    let code: i64 = match close.strip_prefix("closed ") {
        Some(code) => code.parse().unwrap_or(0),
        None if close == "open" => -1,
        None => 0,
    };
    println!(
        "mode slow sent {sent} server_closed {} answers_read {answers} close_code {code} \
         rss_before_kib {rss0} rss_peak_kib {peak} rss_after_kib {} victim_p99_before_us {before} \
         victim_p99_during_us {during}",
        u8::from(server_closed),
        crate::rss(args)
    );
    Ok(())
}

/// `--mode halfopen`: `--conns` mounted connections go silent (no reads, no pongs, no close);
/// the server must drop them by its heartbeat timeout. Waits up to `--secs`.
pub(crate) async fn halfopen(args: &Args, to: &Target) -> Result<(), String> {
    let (fds0, rss0) = (crate::fds(args), crate::rss(args));
    let (silent, _) = open_all(args, to).await?;
    let fds_open = crate::fds(args);
    let started = Instant::now();
    let mut reaped = None;
    while started.elapsed() < Duration::from_secs(args.secs) {
        tokio::time::sleep(Duration::from_millis(500)).await;
        if crate::fds(args) <= fds0 + 2 {
            reaped = Some(started.elapsed().as_secs_f64());
            break;
        }
    }
    let alive = victim_p99(to, Duration::from_millis(200)).await.is_ok();
    println!(
        "mode halfopen conns {} fds_before {fds0} fds_open {fds_open} fds_end {} \
         reaped_after_s {} rss_before_kib {rss0} rss_end_kib {} server_serves {}",
        silent.len(),
        crate::fds(args),
        reaped.map_or_else(|| "never".into(), |s| format!("{s:.1}")),
        crate::rss(args),
        u8::from(alive),
    );
    drop(silent);
    Ok(())
}

/// `--mode malformed`: known-bad frames one by one, then 500 fuzzed ones; prints what each
/// got back and whether the server still serves a fresh connection.
pub(crate) async fn malformed(args: &Args, to: &Target) -> Result<(), String> {
    let mut cases: Vec<(&str, Message)> = vec![
        ("not_json", Message::text("not json")),
        ("array", Message::text("[1,2,3]")),
        ("no_type", Message::text("{}")),
        ("unknown_type", Message::text(r#"{"type":"nope"}"#)),
        ("event_without_fields", Message::text(r#"{"type":"event"}"#)),
        ("binary", Message::binary(vec![0xff, 0x00, 0x13, 0x37])),
    ];
    let mut session = Session::open(to).await?;
    cases.push((
        "unknown_event",
        Message::text(session.event_frame("no_such_event", &json!({}), 7)),
    ));
    cases.push(("oversize_100k", Message::text("x".repeat(100 * 1024))));
    let (mut outcome, mut unanswered) = (Vec::new(), 0);
    for (name, message) in cases {
        let _ = session.send(message).await;
        let got = match tokio::time::timeout(Duration::from_secs(2), session.next_frame()).await {
            Ok(Ok(frame)) => format!("{}:{}", frame["type"], frame["code"]).replace('"', ""),
            Ok(Err(reason)) => reason.replace(' ', "_"),
            Err(_) => "no_answer".into(),
        };
        // Answered: an `error` frame, or a close frame with a code.
        if !(got.starts_with("error:") || (got.starts_with("closed_") && got != "closed_0")) {
            unanswered += 1;
        }
        if got.starts_with("closed") {
            session = Session::open(to).await?;
        }
        outcome.push(format!("{name}={got}"));
    }
    let fuzzed = fuzz(to, 500).await?;
    let alive = victim_p99(to, Duration::from_millis(200)).await.is_ok();
    println!("{}", outcome.join(" "));
    println!(
        "mode malformed cases {} unanswered {unanswered} fuzzed 500 fuzz_closes {fuzzed} \
         server_serves {} rss_kib {}",
        outcome.len(),
        u8::from(alive),
        crate::rss(args)
    );
    Ok(())
}

/// Sends `count` byte-mutated event frames; returns how many closed the connection.
async fn fuzz(to: &Target, count: u64) -> Result<u64, String> {
    let mut session = Session::open(to).await?;
    let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
    let mut closes = 0;
    let mut latency = Histogram::<u64>::new(3).map_err(|error| error.to_string())?;
    for i in 0..count {
        let mut bytes = session.event_frame("increment", &json!({}), i).into_bytes();
        for _ in 0..1 + i % 4 {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            let at = (seed % bytes.len() as u64) as usize;
            bytes[at] = (seed >> 32) as u8 % 95 + 32; // printable ASCII keeps it valid UTF-8
        }
        let text = String::from_utf8_lossy(&bytes).into_owned();
        let started = Instant::now();
        let _ = session.send(Message::text(text)).await;
        // Most mutations answer with an error, a patch or a noop; some are ignored.
        match tokio::time::timeout(Duration::from_millis(50), session.next_frame()).await {
            Ok(Err(_)) => {
                closes += 1;
                session = Session::open(to).await?;
            }
            Ok(Ok(_)) => {
                let _ = latency.record(started.elapsed().as_micros() as u64);
            }
            Err(_) => {}
        }
    }
    Ok(closes)
}
