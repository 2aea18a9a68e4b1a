//! `bench-floor`: what the counter scenarios cost with no framework work at all.
//!
//! A bare actix-web server on the same runtime settings as ours: `GET` of any page answers the
//! bytes of `--page-file` (ours' counter page, saved by the harness), and `/ws/live/` speaks
//! just enough of our protocol for `ws-load`: a `connect` frame on open, then every text
//! frame is answered with a frame of `--mount-bytes` (a `mount`) or `--answer-bytes` (any
//! other frame) carrying the request's `type` answer and `ref`. The sizes are ours' frames, so
//! the bytes on the wire match; what is left is the cost of actix, the socket and one JSON parse.
//!
//! ```text
//! bench-floor --port 18322 --page-file .bench/counter.html --mount-bytes 900 --answer-bytes 120
//! ```

use actix_web::{web, App, HttpRequest, HttpResponse, HttpServer};
use clap::Parser;
use futures_util::StreamExt as _;

/// Command-line arguments.
#[derive(Debug, Parser)]
#[command(name = "bench-floor")]
struct Args {
    /// The port to listen on (127.0.0.1).
    #[arg(long)]
    port: u16,
    /// The bytes every GET answers (ours' counter page).
    #[arg(long)]
    page_file: std::path::PathBuf,
    /// The size of the answer to a `mount` frame.
    #[arg(long)]
    mount_bytes: usize,
    /// The size of the answer to any other frame.
    #[arg(long)]
    answer_bytes: usize,
}

/// What the handlers share.
#[derive(Debug, Clone)]
struct Floor {
    page: web::Bytes,
    mount_bytes: usize,
    answer_bytes: usize,
}

#[actix_web::main]
async fn main() -> std::io::Result<()> {
    let args = Args::parse();
    let floor = Floor {
        page: std::fs::read(&args.page_file)?.into(),
        mount_bytes: args.mount_bytes,
        answer_bytes: args.answer_bytes,
    };
    HttpServer::new(move || {
        App::new()
            .app_data(web::Data::new(floor.clone()))
            .route("/ws/live/", web::get().to(socket))
            .default_service(web::get().to(page))
    })
    .bind(("127.0.0.1", args.port))?
    .run()
    .await
}

async fn page(floor: web::Data<Floor>) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .body(floor.page.clone())
}

async fn socket(
    req: HttpRequest,
    body: web::Payload,
    floor: web::Data<Floor>,
) -> actix_web::Result<HttpResponse> {
    let (response, mut session, mut frames) = actix_ws::handle(&req, body)?;
    let floor = floor.get_ref().clone();
    actix_rt::spawn(async move {
        if session.text(r#"{"type":"connect"}"#).await.is_err() {
            return;
        }
        while let Some(Ok(message)) = frames.next().await {
            let answer = match message {
                actix_ws::Message::Text(text) => answer(&floor, &text),
                actix_ws::Message::Ping(bytes) => {
                    let _ = session.pong(&bytes).await;
                    continue;
                }
                actix_ws::Message::Close(_) => break,
                _ => continue,
            };
            if session.text(answer).await.is_err() {
                return;
            }
        }
        let _ = session.close(None).await;
    });
    Ok(response)
}

/// The answer to one inbound frame: its answer type and `ref`, padded to the size ours sends.
fn answer(floor: &Floor, text: &str) -> String {
    let frame: serde_json::Value = serde_json::from_str(text).unwrap_or_default();
    let (kind, size) = if frame["type"] == "mount" {
        ("mount", floor.mount_bytes)
    } else {
        ("patch", floor.answer_bytes)
    };
    let head = format!(r#"{{"type":"{kind}","ref":{},"pad":""#, frame["ref"]);
    let pad = size.saturating_sub(head.len() + 2);
    format!("{head}{}\"}}", " ".repeat(pad))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_have_the_asked_size_type_and_ref() {
        let floor = Floor {
            page: web::Bytes::new(),
            mount_bytes: 300,
            answer_bytes: 80,
        };
        let mount = answer(&floor, r#"{"type":"mount","target":"t"}"#);
        assert_eq!(mount.len(), 300);
        let event = answer(&floor, r#"{"type":"event","ref":42}"#);
        assert_eq!(event.len(), 80);
        let parsed: serde_json::Value = serde_json::from_str(&event).expect("JSON");
        assert_eq!(
            (parsed["type"].as_str(), parsed["ref"].as_u64()),
            (Some("patch"), Some(42))
        );
    }
}
