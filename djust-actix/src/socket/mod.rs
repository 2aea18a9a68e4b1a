//! The WebSocket endpoint (`/ws/live/`): one [`actix::Actor`] per connection.
//!
//! The upgrade is refused with 403 unless its `Origin` is allowed ([`origin`]). An accepted
//! socket gets a connection actor that reads the client's messages as a stream
//! ([`inbound`]), runs the views mounted on it and queues its frames for a writer task
//! ([`outbox`]).
//!
//! The close codes it sends are listed in the crate documentation.

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
