//! The SSE transport: the same connection actor as the WebSocket, with its frames written to
//! a `text/event-stream` response and the client's frames arriving by `POST`.
//!
//! - `GET /djust/sse/<id>/?mounts=<JSON array of mount frames>` opens session `<id>` (chosen
//!   by the client, 16–64 characters of `[A-Za-z0-9_-]`), handles the mounts, and streams
//!   `retry: 1000`, then `data: <frame>` events, each with an `id:` naming the view sessions and
//!   revisions the client holds after it ([`stream`]), a `: keepalive` comment at every
//!   heartbeat, and a final `event: close` (`{"code":…,"reason":…}`) when the server closes the
//!   session. The response sets a cookie holding the session's owner secret, scoped to the
//!   session's path.
//! - The same `GET` with `Last-Event-ID` (an `EventSource` reconnecting by itself) resumes each
//!   view it names from that position ([`resume`]); a session still live is taken over when the
//!   request carries its owner cookie.
//! - `POST /djust/sse/<id>/message/` with one JSON frame: only the owner (the cookie), only
//!   from an allowed `Origin`, only `application/json`. `202 {"ok":true}` once the frame is
//!   handed to the connection; its answers come on the stream.
//!
//! The cheap checks come first: host and `Origin` on both routes; on a `POST`, the content
//! type, the declared length and the owner cookie before any byte of the body is read, which is
//! then read under the frame limit and `DjustConfig::sse_body_timeout`.
//!
//! HTTP errors are JSON `{"error": "…"}` (and end the HTTP connection): 400 (host not allowed,
//! bad id, bad `mounts`, not UTF-8), 403 (origin or owner), 404 (no such session), 408 (body too
//! slow), 409 (id taken), 413 (over the frame limit), 415 (not JSON), 429 (this client's share of
//! the sessions live), 503 (`DjustConfig::max_sse_sessions` live).

mod resume;
mod sessions;
mod stream;

use std::{sync::Arc, time::Instant};

use actix_web::{
    http::{header, StatusCode},
    web::{self, Bytes, BytesMut},
    HttpRequest, HttpResponse,
};
use djust_core::contract;
use futures_util::StreamExt as _;
use tokio::sync::mpsc;

pub(crate) use sessions::SseRegistry;
use sessions::{Caps, LookupError, ReserveError};
pub(crate) use stream::SseStream;

use super::{
    actor::{ConnectionActor, Posted, Replaced, Start},
    origin,
    request::mount_headers,
    sink::Sink,
    site,
};
use crate::{connection::Connection, runtime::Runtime, support::cookie_value};

/// Prefix of the SSE routes; the client reads it from `<meta name="djust-sse-prefix">`.
pub const SSE_PREFIX: &str = contract::path::SSE_PREFIX;

/// The owner cookie's name (its path is the session's own URL).
const OWNER_COOKIE: &str = "djust_sse";

/// Chunks the stream may hold before the writer task waits for the client.
const STREAM_BUFFER: usize = 16;

/// The stream's first chunk: how long a browser's `EventSource` waits before it reconnects by
/// itself (with `Last-Event-ID`) after the stream broke.
const RETRY: &str = "retry: 1000\n\n";

/// The SSE transport of one application: its runtime and its live connections (shared by
/// every worker).
#[derive(Clone)]
pub(crate) struct SseTransport {
    runtime: Arc<Runtime>,
    registry: Arc<SseRegistry>,
}

impl SseTransport {
    /// The transport of `runtime`, its connections in `registry`.
    pub(crate) fn new(runtime: Arc<Runtime>, registry: Arc<SseRegistry>) -> Self {
        Self { runtime, registry }
    }

    /// Registers the two routes.
    pub(crate) fn configure(&self, cfg: &mut web::ServiceConfig) {
        let transport = self.clone();
        cfg.route(
            &stream_route(),
            web::get().to(move |req: HttpRequest, id: web::Path<String>| {
                open(req, id.into_inner(), transport.clone())
            }),
        );
        let transport = self.clone();
        cfg.route(
            &format!("{}{}", stream_route(), contract::path::SSE_MESSAGE),
            web::post().to(
                move |req: HttpRequest, id: web::Path<String>, body: web::Payload| {
                    post(req, id.into_inner(), body, transport.clone())
                },
            ),
        );
    }
}

#[derive(serde::Deserialize)]
struct OpenQuery {
    mounts: Option<String>,
}

/// `GET`: starts the session's connection and streams its frames.
async fn open(req: HttpRequest, id: String, transport: SseTransport) -> HttpResponse {
    let SseTransport { runtime, registry } = transport;
    let config = &runtime.config;
    let Some(site) = site::check_host(&req, config) else {
        return site::host_refused();
    };
    if !origin::is_not_cross_site(&req, config) {
        return error(StatusCode::FORBIDDEN, "origin not allowed");
    }
    if !valid_id(&id) {
        return error(StatusCode::BAD_REQUEST, "bad SSE session id");
    }
    let query = web::Query::<OpenQuery>::from_query(req.query_string());
    let Ok(mounts) = query.map(|query| query.into_inner().mounts) else {
        return error(StatusCode::BAD_REQUEST, "bad query string");
    };
    let mut frames = match mounts
        .as_deref()
        .map(serde_json::from_str::<Vec<serde_json::Value>>)
    {
        None => Vec::new(),
        Some(Ok(frames)) => frames,
        Some(Err(_)) => return error(StatusCode::BAD_REQUEST, "`mounts` is not a JSON array"),
    };
    let caps = Caps {
        total: config.max_sse_sessions,
        per_client: config.sse_sessions_per_client(),
    };
    let client = site::client_ip(&req, config);
    // A reconnecting `EventSource`: its views resume where its last event left them.
    let claimed = match resume::last_event(&req) {
        Some(held) => {
            resume::resume_mounts(&mut frames, &held);
            let claimed = registry.reclaim(&id, owner_cookie(&req).as_deref(), client, caps);
            claimed.map(|(owner, replaced)| {
                if let Some(replaced) = replaced {
                    replaced.do_send(Replaced);
                }
                owner
            })
        }
        None => registry.reserve(&id, client, caps),
    };
    let frames = frames.iter().map(ToString::to_string).collect();
    let owner = match claimed {
        Ok(owner) => owner,
        Err(ReserveError::Taken) => {
            return error(StatusCode::CONFLICT, "SSE session id already in use")
        }
        Err(ReserveError::Full) => {
            return error(StatusCode::SERVICE_UNAVAILABLE, "too many SSE sessions")
        }
        Err(ReserveError::ClientFull) => {
            return error(
                StatusCode::TOO_MANY_REQUESTS,
                "too many SSE sessions from this client",
            )
        }
    };
    let (body, chunks) = mpsc::channel::<Bytes>(STREAM_BUFFER);
    let (leaving, key, secret) = (Arc::clone(&registry), id.clone(), owner.clone());
    let start = Start {
        sink: Sink::Sse(SseStream::new(body)),
        inbound: None,
        initial: frames,
        on_stop: Some(Box::new(move || leaving.remove(&key, &secret))),
    };
    let (headers, queue) = (mount_headers(&req), runtime.config.queue_limits());
    let address = ConnectionActor::start(start, queue, move |mailbox| {
        Connection::new(
            Arc::clone(&runtime),
            headers,
            mailbox,
            false,
            Instant::now(),
        )
    });
    // Attached before the actor first runs (no await in between).
    registry.attach(&id, &owner, address);

    let secure = if site.scheme == "https" {
        "; Secure"
    } else {
        ""
    };
    let cookie =
        format!("{OWNER_COOKIE}={owner}; Path=/djust/sse/{id}/; HttpOnly; SameSite=Strict{secure}");
    let retry = futures_util::stream::once(async { Ok(Bytes::from_static(RETRY.as_bytes())) });
    let stream = retry.chain(futures_util::stream::unfold(
        chunks,
        |mut chunks| async move {
            let chunk = chunks.recv().await?;
            Some((Ok::<_, actix_web::Error>(chunk), chunks))
        },
    ));
    HttpResponse::Ok()
        .content_type("text/event-stream; charset=utf-8")
        .insert_header((header::CACHE_CONTROL, "no-cache"))
        .insert_header(("X-Accel-Buffering", "no"))
        .insert_header((header::SET_COOKIE, cookie))
        .streaming(stream)
}

/// `POST`: hands one frame to the session's connection.
async fn post(
    req: HttpRequest,
    id: String,
    body: web::Payload,
    transport: SseTransport,
) -> HttpResponse {
    let SseTransport { runtime, registry } = transport;
    let config = &runtime.config;
    let json = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.split(';').next())
        .is_some_and(|mime| mime.trim().eq_ignore_ascii_case("application/json"));
    if !json {
        return error(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "Content-Type must be application/json",
        );
    }
    if site::check_host(&req, config).is_none() {
        return site::host_refused();
    }
    if !origin::is_allowed(&req, config) {
        return error(StatusCode::FORBIDDEN, "origin not allowed");
    }
    if declared_length(&req).is_some_and(|length| length > config.max_frame_bytes) {
        return error(StatusCode::PAYLOAD_TOO_LARGE, "frame too large");
    }
    let presented = owner_cookie(&req);
    let connection = match registry.connection(&id, presented.as_deref()) {
        Ok(connection) if connection.connected() => connection,
        Ok(_) | Err(LookupError::Unknown) => {
            return error(
                StatusCode::NOT_FOUND,
                "SSE session not found or expired. Please reload the page.",
            )
        }
        Err(LookupError::NotOwner) => return error(StatusCode::FORBIDDEN, "forbidden"),
    };
    let read = read_body(body, config.max_frame_bytes);
    let body = match tokio::time::timeout(config.sse_body_timeout, read).await {
        Err(_) => return error(StatusCode::REQUEST_TIMEOUT, "body too slow"),
        Ok(Err(BodyRefused::TooLarge)) => {
            return error(StatusCode::PAYLOAD_TOO_LARGE, "frame too large")
        }
        Ok(Err(BodyRefused::Broken)) => return error(StatusCode::BAD_REQUEST, "body not read"),
        Ok(Ok(body)) => body,
    };
    let Ok(text) = String::from_utf8(body.to_vec()) else {
        return error(StatusCode::BAD_REQUEST, "body is not UTF-8");
    };
    connection.do_send(Posted(text));
    HttpResponse::Accepted().json(serde_json::json!({ "ok": true }))
}

/// The owner secret the request presents (its owner cookie).
fn owner_cookie(req: &HttpRequest) -> Option<String> {
    let cookies = req.headers().get_all(header::COOKIE);
    cookie_value(
        cookies.filter_map(|value| value.to_str().ok()),
        OWNER_COOKIE,
    )
    .map(str::to_owned)
}

/// The request's `Content-Length`, if it has a valid one.
fn declared_length(req: &HttpRequest) -> Option<usize> {
    req.headers()
        .get(header::CONTENT_LENGTH)?
        .to_str()
        .ok()?
        .parse()
        .ok()
}

/// Why a `POST` body was not taken.
enum BodyRefused {
    /// Over the frame limit (read no further).
    TooLarge,
    /// The connection failed while reading it.
    Broken,
}

/// The whole body, refused as soon as it is over `max_bytes`.
async fn read_body(mut body: web::Payload, max_bytes: usize) -> Result<Bytes, BodyRefused> {
    let mut bytes = BytesMut::new();
    while let Some(chunk) = body.next().await {
        let chunk = chunk.map_err(|_| BodyRefused::Broken)?;
        if bytes.len() + chunk.len() > max_bytes {
            return Err(BodyRefused::TooLarge);
        }
        bytes.extend_from_slice(&chunk);
    }
    Ok(bytes.freeze())
}

/// The stream's route pattern: `/djust/sse/{id}/`.
fn stream_route() -> String {
    format!("{SSE_PREFIX}{}{{id}}/", contract::path::SSE_STREAM)
}

fn valid_id(id: &str) -> bool {
    (16..=64).contains(&id.len())
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// An error answer; it ends the HTTP connection, so that a body not read is not waited for.
fn error(status: StatusCode, message: &str) -> HttpResponse {
    HttpResponse::build(status)
        .force_close()
        .json(serde_json::json!({ "error": message }))
}

#[cfg(test)]
mod tests {
    use super::valid_id;

    #[test]
    fn session_ids() {
        assert!(valid_id("0f8c2a4e-7b1d-4c3e-9a6f-2d5b8e1c4a7f"));
        assert!(!valid_id("short"));
        assert!(!valid_id("has/slash-0123456789"));
        assert!(!valid_id(&"x".repeat(65)));
    }
}
