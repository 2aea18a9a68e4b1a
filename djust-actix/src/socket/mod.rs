//! The WebSocket endpoint (`/ws/live/`): one [`actix::Actor`] per connection.
//!
//! A socket whose `Origin` is not allowed ([`origin`]) is closed at once with
//! [`close_code::FORBIDDEN`]. An accepted socket gets a connection actor that reads the
//! client's messages as a stream ([`inbound`]), runs the views mounted on it and queues its
//! frames for a writer task ([`outbox`]) that writes to a [`sink`] — the same actor serves the
//! SSE transport (`crate::sse`).
//!
//! The close codes it sends are listed in the crate documentation.

pub(crate) mod actor;
mod guarded;
mod inbound;
pub(crate) mod origin;
mod outbox;
mod rate;
pub(crate) mod sink;
pub(crate) mod site;

use std::sync::Arc;

use actix::Actor as _;
use actix_web::{http::header, web, HttpRequest, HttpResponse};
use actix_ws::{CloseCode, CloseReason};

use crate::{app::Runtime, page::mount_headers};

/// Where the socket is served.
pub const SOCKET_PATH: &str = "/ws/live/";

/// Close codes the server uses for policy: a client must not retry them blindly (a reload is
/// needed). Over SSE the same codes arrive in a `close` event. `docs/protocol.md` lists them.
pub mod close_code {
    /// The `Origin` is not allowed, or a view token was refused (forged, other path, expired).
    pub const FORBIDDEN: u16 = 4403;
    /// A `mount` named a view the server does not serve.
    pub const VIEW_NOT_ALLOWED: u16 = 4404;
    /// The client sent frames faster than the configured rate limit.
    pub const RATE_LIMITED: u16 = 4429;
}

/// Upgrades the request; checks the host (a refused one gets 400, no upgrade) and the origin
/// (a refused one is closed with 4403 before any frame is read, so a browser client can tell
/// refusal from an outage) and starts the connection's actor.
pub(crate) async fn upgrade(
    req: HttpRequest,
    body: web::Payload,
    runtime: Arc<Runtime>,
) -> actix_web::Result<HttpResponse> {
    if site::check_host(&req, &runtime.config).is_none() {
        return Ok(site::host_refused());
    }
    let allowed = origin::is_allowed(&req, &runtime.config);
    let body = guarded::guard(&req, body, runtime.config.max_frame_bytes).await?;
    let (response, session, stream) = actix_ws::handle(&req, body)?;
    if !allowed {
        log::warn!(
            "djust: refused a WebSocket from origin {:?}",
            req.headers().get(header::ORIGIN)
        );
        let reason = CloseReason {
            code: CloseCode::Other(close_code::FORBIDDEN),
            description: Some("origin not allowed".into()),
        };
        actix_web::rt::spawn(async move {
            let _ = session.close(Some(reason)).await;
        });
        return Ok(response);
    }
    let sink = sink::Sink::WebSocket(session);
    actor::Connection::new(runtime, mount_headers(&req), sink, Some(stream)).start();
    Ok(response)
}
