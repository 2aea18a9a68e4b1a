//! [`Sink`]: where a connection's writer task puts frames — a WebSocket session or an SSE
//! stream. The actor and the outbound queue are the same for both transports.

use actix_ws::{CloseReason, Session};

use super::sse::SseStream;

/// The client end of a connection.
pub(crate) enum Sink {
    /// A WebSocket (`/ws/live/`).
    WebSocket(Session),
    /// The body of an SSE response (`/djust/sse/<id>/`): chunks of `text/event-stream`.
    Sse(SseStream),
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
    /// Sends one JSON protocol frame (SSE: a `data:` event with its `id:`).
    pub(crate) async fn text(&mut self, text: String) -> Result<(), Gone> {
        match self {
            Self::WebSocket(session) => session.text(text).await.map_err(|_| Gone),
            Self::Sse(stream) => stream.frame(&text).await.map_err(|_| Gone),
        }
    }

    /// The server's heartbeat: a WebSocket ping, or an SSE keepalive comment.
    pub(crate) async fn ping(&mut self) -> Result<(), Gone> {
        match self {
            Self::WebSocket(session) => session.ping(b"").await.map_err(|_| Gone),
            Self::Sse(stream) => stream.keepalive().await.map_err(|_| Gone),
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
            Self::Sse(stream) => {
                let (code, description) = reason.map_or((1000, None), |reason| {
                    (u16::from(reason.code), reason.description)
                });
                stream.close(code, description).await;
            }
        }
    }
}
