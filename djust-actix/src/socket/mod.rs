//! The WebSocket endpoint (`/ws/live/`): one [`actix::Actor`] per connection.
//!
//! The upgrade is refused with 403 unless its `Origin` is allowed ([`origin`]). An accepted
//! socket gets a connection actor that reads the client's messages as a stream
//! ([`inbound`]), runs the views mounted on it and queues its frames for a writer task
//! ([`outbox`]).
//!
//! Close codes the server sends:
//!
//! | code | when |
//! |---|---|
//! | (echo) | the client closed the socket: its close code is sent back |
//! | 1001 | heartbeat timeout: nothing received for the configured client timeout |
//! | 1002 | the client broke the WebSocket framing |
//! | 1008 | the client reads too slowly: the outbound queue is full |
//! | 1009 | an inbound message is over the frame limit (after an `error` frame `frame_too_large`) |

mod actor;
mod inbound;
mod origin;
mod outbox;

use std::sync::Arc;

use actix::Actor as _;
use actix_web::{http::header, web, HttpRequest, HttpResponse};

use crate::{app::Runtime, page::mount_headers};

/// Where the socket is served.
pub const SOCKET_PATH: &str = "/ws/live/";

/// Checks the origin, upgrades the request and starts the connection's actor.
pub(crate) async fn upgrade(
    req: HttpRequest,
    body: web::Payload,
    runtime: Arc<Runtime>,
) -> actix_web::Result<HttpResponse> {
    if !origin::is_allowed(&req, &runtime.config.allowed_origins) {
        log::warn!(
            "djust: refused a WebSocket upgrade from origin {:?}",
            req.headers().get(header::ORIGIN)
        );
        return Ok(HttpResponse::Forbidden()
            .content_type("text/plain; charset=utf-8")
            .body("WebSocket origin not allowed"));
    }
    let (response, session, stream) = actix_ws::handle(&req, body)?;
    actor::Connection::new(runtime, mount_headers(&req), session, stream).start();
    Ok(response)
}
