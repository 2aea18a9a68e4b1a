//! `--mode amplify` (R8): how many bytes the server answers per byte it is sent, for the two
//! floods of issue 13. On the chat page (`--page …/chat/`): the room is filled with 50
//! messages of 2,000 `&` (each escapes to `&amp;`), then
//! - one `mount_batch` of `--conns` chat views (the server's cap is 32), and one over the cap;
//! - `--events` `request_html` frames sent at once on one connection (coalesced by the server).
//!
//! Prints the bytes each way, their ratio, and one mount's answer for scale. A batch whose
//! answer is over the connection's outbound budget (8 MiB) is not sent: the server closes the
//! connection (`batch_close_code` 1008, else 0).

use serde_json::json;
use tokio_tungstenite::tungstenite::Message;

use crate::{args::Args, session::Session, session::Target};

/// Messages the example's room keeps, and the longest body it takes.
const HISTORY: u64 = 50;
const BODY_CHARS: usize = 2_000;

pub(crate) async fn amplify(args: &Args, to: &Target) -> Result<(), String> {
    let mut poster = Session::open(to).await?;
    let body = "&".repeat(BODY_CHARS);
    for n in 0..HISTORY {
        poster
            .round_trip("send", &json!({ "body": body }), n + 1)
            .await?;
    }
    let single_mount = Session::open(to).await?.mount_bytes;

    let entries = args.conns;
    let (batch_request, batch_answer, batch_close) = batch(to, entries).await?;
    let (over_request, over_answer, _) = batch(to, entries + 1).await?;

    let (html_request, html_answer, html_answers) = recoveries(&mut poster, args.events).await?;
    println!(
        "mode amplify single_mount_bytes {single_mount} batch_entries {entries} \
         batch_request_bytes {batch_request} batch_answer_bytes {batch_answer} \
         batch_close_code {batch_close} batch_ratio {:.1} over_cap_request_bytes {over_request} over_cap_answer_bytes \
         {over_answer} html_requests {} html_request_bytes {html_request} html_answer_bytes \
         {html_answer} html_answers {html_answers} html_ratio {:.1}",
        batch_answer as f64 / batch_request as f64,
        args.events,
        html_answer as f64 / html_request as f64,
    );
    Ok(())
}

/// One `mount_batch` of `entries` views of the page on a fresh connection: the bytes of the
/// request and of its answer (a close instead counts as an answer of 0 bytes: the server
/// refused to queue it).
async fn batch(to: &Target, entries: usize) -> Result<(u64, u64, u16), String> {
    let (_, path) = crate::page::split_url(&to.page)?;
    let mut session = Session::open(to).await?;
    let views: Vec<_> = (0..entries)
        .map(|n| {
            json!({"target": format!("{}-{n}", to.view.target), "view": to.view.view,
                "token": to.view.token, "url": path})
        })
        .collect();
    let frame = json!({"type": "mount_batch", "views": views}).to_string();
    session.send(Message::text(frame.clone())).await?;
    let before = session.received_bytes;
    loop {
        match session.next_frame().await {
            Ok(answer) if answer["type"] == "mount_batch" || answer["type"] == "error" => break,
            Ok(_) => {}
            Err(closed) if closed.starts_with("closed") => {
                let code = closed.trim_start_matches("closed ").parse().unwrap_or(0);
                return Ok((frame.len() as u64, session.received_bytes - before, code));
            }
            Err(error) => return Err(error),
        }
    }
    Ok((frame.len() as u64, session.received_bytes - before, 0))
}

/// `count` `request_html` frames at once, then a ping: the bytes sent, the bytes answered
/// before the `pong`, and how many `html_recovery` frames they were.
async fn recoveries(session: &mut Session, count: u64) -> Result<(u64, u64, u64), String> {
    let ask = json!({"type": "request_html", "target": session.target()}).to_string();
    for _ in 0..count {
        session.send(Message::text(ask.clone())).await?;
    }
    session
        .send(Message::text(r#"{"type":"ping"}"#.to_owned()))
        .await?;
    let before = session.received_bytes;
    let mut answers = 0;
    loop {
        let frame = session.next_frame().await?;
        match frame["type"].as_str() {
            Some("pong") => break,
            Some("html_recovery") => answers += 1,
            _ => {}
        }
    }
    Ok((
        ask.len() as u64 * count,
        session.received_bytes - before,
        answers,
    ))
}
