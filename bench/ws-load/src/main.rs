//! `ws-load`: a WebSocket load generator that speaks the djust protocol.
//!
//! It loads a page over HTTP to read each view container's target, name and signed token, opens
//! connections to `/ws/live/`, mounts the view on each, and then:
//! - `--mode latency` (default): every connection runs a closed loop (send one event, wait for its
//!   answer) for `--secs`; prints HDR percentiles of the round trip and the event rate;
//! - `--mode hold`: keeps the mounted connections open for `--secs` and prints the server's RSS
//!   before and after (`--pid`), i.e. the memory one mounted connection costs.
//!
//! ```text
//! ws-load --page http://127.0.0.1:8000/counter/ --conns 1 --secs 3 --event increment
//! ws-load --page http://127.0.0.1:8000/counter/ --mode hold --conns 1000 --pid 1234
//! ```

mod args;
mod page;
mod session;

use std::time::{Duration, Instant};

use hdrhistogram::Histogram;

use crate::{args::Args, session::Session};

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let args = match Args::parse(std::env::args().skip(1)) {
        Ok(args) => args,
        Err(message) => {
            eprintln!("{message}\n\n{}", args::USAGE);
            std::process::exit(2);
        }
    };
    if let Err(message) = run(&args).await {
        eprintln!("ws-load: {message}");
        std::process::exit(1);
    }
}

async fn run(args: &Args) -> Result<(), String> {
    let view = page::load(&args.page).await?;
    let rss_before = args.pid.map(page::rss_kib).transpose()?;
    let started = Instant::now();
    let mut sessions = Vec::with_capacity(args.conns);
    for _ in 0..args.conns {
        let mut session = Session::open(&args.page, &view).await?;
        if let Some(setup) = &args.setup {
            session.round_trip(setup, 0).await?;
        }
        sessions.push(session);
    }
    let connect_ms = started.elapsed().as_secs_f64() * 1e3;
    match args.mode.as_str() {
        "hold" => hold(args, sessions, rss_before, connect_ms).await,
        _ => latency(args, sessions, connect_ms).await,
    }
}

async fn hold(
    args: &Args,
    sessions: Vec<Session>,
    rss_before: Option<u64>,
    connect_ms: f64,
) -> Result<(), String> {
    tokio::time::sleep(Duration::from_secs(args.secs.max(1))).await;
    let rss_after = args.pid.map(page::rss_kib).transpose()?;
    let per_conn = match (rss_before, rss_after) {
        (Some(before), Some(after)) => format!(
            " rss_before_kib {before} rss_after_kib {after} per_conn_kib {:.1}",
            (after.saturating_sub(before)) as f64 / sessions.len().max(1) as f64
        ),
        _ => String::new(),
    };
    println!(
        "mode hold conns {} connect_all_ms {connect_ms:.1}{per_conn}",
        sessions.len()
    );
    Ok(())
}

async fn latency(args: &Args, sessions: Vec<Session>, connect_ms: f64) -> Result<(), String> {
    let deadline = Instant::now() + Duration::from_secs(args.secs);
    let mut tasks = Vec::new();
    for session in sessions {
        let event = args.event.clone();
        tasks.push(tokio::spawn(async move {
            session.closed_loop(&event, deadline).await
        }));
    }
    let mut total = Histogram::<u64>::new(3).map_err(|error| error.to_string())?;
    let mut frames = std::collections::BTreeMap::<String, u64>::new();
    for task in tasks {
        let (histogram, kinds) = task.await.map_err(|error| error.to_string())??;
        total.add(&histogram).map_err(|error| error.to_string())?;
        for (kind, count) in kinds {
            *frames.entry(kind).or_default() += count;
        }
    }
    let rate = total.len() as f64 / args.secs as f64;
    println!(
        "mode latency conns {} connect_all_ms {connect_ms:.1} events {} rate {rate:.0}/s \
         p50 {}us p90 {}us p99 {}us p999 {}us max {}us answers {frames:?}",
        args.conns,
        total.len(),
        total.value_at_quantile(0.5),
        total.value_at_quantile(0.9),
        total.value_at_quantile(0.99),
        total.value_at_quantile(0.999),
        total.max(),
    );
    Ok(())
}
