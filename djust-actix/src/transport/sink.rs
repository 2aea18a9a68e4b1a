//! [`Sink`]: where a connection's writer task puts frames — a WebSocket session or an SSE
//! stream. The actor and the outbound queue are the same for both transports.

use actix_web::web::Bytes;
use actix_ws::{CloseReason, Session};
use tokio::sync::mpsc;

/// The client end of a connection.
pub(crate) enum Sink {
    /// A WebSocket (`/ws/live/`).
    WebSocket(Session),
    /// The body of an SSE response (`/djust/sse/<id>/`): chunks of `text/event-stream`.
    Sse(mpsc::Sender<Bytes>),
}

impl std::fmt::Debug for Sink {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Self::WebSocket(_) => "Sink::WebSocket",
            Self::Sse(_) => "Sink::Sse",
        })
    }
}

/// The client is gone: nothing more can be written.
#[derive(Debug)]
pub(crate) struct Gone;

impl Sink {
    /// Sends one JSON protocol frame (SSE: a `data:` event).
    pub(crate) async fn text(&mut self, text: String) -> Result<(), Gone> {
        match self {
            Self::WebSocket(session) => session.text(text).await.map_err(|_| Gone),
            Self::Sse(body) => send(body, sse_data(&text)).await,
        }
    }

    /// The server's heartbeat: a WebSocket ping, or an SSE keepalive comment.
    pub(crate) async fn ping(&mut self) -> Result<(), Gone> {
        match self {
            Self::WebSocket(session) => session.ping(b"").await.map_err(|_| Gone),
            Self::Sse(body) => send(body, Bytes::from_static(b": keepalive\n\n")).await,
        }
    }

    /// Answers a WebSocket ping (SSE has none).
    pub(crate) async fn pong(&mut self, bytes: &[u8]) -> Result<(), Gone> {
        match self {
            Self::WebSocket(session) => session.pong(bytes).await.map_err(|_| Gone),
            Self::Sse(_) => Ok(()),
        }
    }

    /// Closes the connection: a WebSocket close frame, or an SSE `close` event carrying the
    /// same code (`{"code":4403,"reason":"…"}`) followed by the end of the stream.
    pub(crate) async fn close(self, reason: Option<CloseReason>) {
        match self {
            Self::WebSocket(session) => {
                let _ = session.close(reason).await;
            }
            Self::Sse(body) => {
                let (code, description) = reason.map_or((1000, None), |reason| {
                    (u16::from(reason.code), reason.description)
                });
                let payload =
                    serde_json::json!({ "code": code, "reason": description.unwrap_or_default() });
                let event = format!("event: close\ndata: {payload}\n\n");
                let _ = body.send(Bytes::from(event)).await;
            }
        }
    }
}

async fn send(body: &mpsc::Sender<Bytes>, chunk: Bytes) -> Result<(), Gone> {
    body.send(chunk).await.map_err(|_| Gone)
}

/// One SSE event carrying `text` (JSON has no raw newlines, but be safe: one `data:` per line).
fn sse_data(text: &str) -> Bytes {
    let mut event = String::with_capacity(text.len() + 8);
    for line in text.split('\n') {
        event.push_str("data: ");
        event.push_str(line.trim_end_matches('\r'));
        event.push('\n');
    }
    event.push('\n');
    Bytes::from(event)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sse_events_put_each_line_in_a_data_field() {
        assert_eq!(&sse_data("{\"a\":1}")[..], b"data: {\"a\":1}\n\n");
        assert_eq!(&sse_data("a\nb")[..], b"data: a\ndata: b\n\n");
    }

    #[actix_web::test]
    async fn an_sse_close_sends_the_code_then_ends() {
        let (body, mut chunks) = mpsc::channel(4);
        let sink = Sink::Sse(body);
        sink.close(Some(CloseReason {
            code: actix_ws::CloseCode::Other(crate::close_code::RATE_LIMITED),
            description: Some("rate limited".into()),
        }))
        .await;
        let event = chunks.recv().await.unwrap();
        assert_eq!(
            std::str::from_utf8(&event).unwrap(),
            "event: close\ndata: {\"code\":4429,\"reason\":\"rate limited\"}\n\n"
        );
        assert!(chunks.recv().await.is_none());
    }
}
