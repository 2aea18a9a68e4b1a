//! The WebSocket transport (`/ws/live/`): the upgrade, its `Origin` check, and the client's
//! messages read as a stream ([`inbound`]) into the connection's actor.
//!
//! A socket whose `Origin` is not allowed is closed at once with
//! [`close_code::FORBIDDEN`], before any frame is read, so a browser client can tell refusal
//! from an outage. The close codes the server sends are listed in the crate documentation.

mod guarded;
pub(super) mod inbound;

use std::{sync::Arc, time::Instant};

use actix_web::{http::header, web, HttpRequest, HttpResponse};
use actix_ws::{CloseCode, CloseReason};

use super::{
    actor::{ConnectionActor, Start},
    origin,
    request::mount_headers,
    sink::Sink,
    site,
};
use crate::{
    connection::{close_code, Connection},
    runtime::Runtime,
};

/// Where the socket is served.
pub const SOCKET_PATH: &str = djust_core::contract::path::SOCKET;

/// Upgrades the request; checks the host (a refused one gets 400, no upgrade) and the origin,
/// guards the frame size ([`guarded`]) and starts the connection's actor.
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
    let start = Start {
        sink: Sink::WebSocket(session),
        inbound: Some((stream, runtime.config.max_frame_bytes)),
        initial: Vec::new(),
        on_stop: None,
    };
    let headers = mount_headers(&req);
    ConnectionActor::start(start, runtime.config.queue_limits(), move |mailbox| {
        Connection::new(runtime, headers, mailbox, true, Instant::now())
    });
    Ok(response)
}
