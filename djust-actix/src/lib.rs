//! djust for actix-web: server-rendered live views over WebSocket.
//!
//! A live view is a Rust struct implementing [`LiveView`](prelude::LiveView) (usually through
//! `#[live_view]` and `#[events]`). This crate serves it:
//!
//! 1. `GET /counter/` mounts the view, renders it inside its container (with a signed token)
//!    and wraps it in a [`Layout`] with the client script;
//! 2. the client opens the WebSocket at `/ws/live/` and mounts the view again, live; from then
//!    on events travel as JSON frames and the server answers with patches
//!    (`docs/protocol.md` describes every frame);
//! 3. the client itself is embedded in the binary and served at hashed, immutable URLs under
//!    `/static/djust/`.
//!
//! ```no_run
//! use actix_web::{App, HttpServer};
//! use djust_actix::{prelude::*, DefaultLayout, Djust, DjustConfig};
//! # struct Counter;
//! # impl LiveView for Counter {
//! #     type Info = ();
//! #     const NAME: &'static str = "app::Counter";
//! #     const EVENTS: &'static [&'static str] = &[];
//! #     fn mount(_: &mut MountContext<'_, ()>) -> Result<Self, MountError> { Ok(Counter) }
//! #     fn render(&self, out: &mut String) -> Result<(), djust_actix::core::RenderError> {
//! #         out.push_str("<p>0</p>");
//! #         Ok(())
//! #     }
//! #     fn handle_event(&mut self, event: &str, _: &Params, _: &mut Context<()>)
//! #         -> Result<(), EventError> {
//! #         Err(EventError::UnknownEvent { event: event.to_owned() })
//! #     }
//! # }
//!
//! #[actix_web::main]
//! async fn main() -> std::io::Result<()> {
//!     // Build once, outside the worker factory: every worker shares the secret and the data.
//!     let config = DjustConfig::new().secret(std::env::var("DJUST_SECRET").expect("32+ bytes"));
//!     let djust = Djust::new(config)
//!         .view::<Counter>("/counter/")
//!         .layout(DefaultLayout::new("My app"));
//!     HttpServer::new(move || App::new().configure(|cfg| djust.configure(cfg)))
//!         .bind(("127.0.0.1", 8000))?
//!         .run()
//!         .await
//! }
//! ```
//!
//! # Guide
//!
//! - [events and their parameters](guide::events): bindings, what each sends, typed handler
//!   arguments, the handler's context, `dj-submit-reset`;
//! - [testing](guide::testing): `djust_actix::test` (feature `test`);
//! - tracing and metrics: `guide::observability` (feature `prometheus` for its exporter).
//!
//! # The WebSocket
//!
//! One `actix::Actor` per connection, fed by `actix-ws`, hosts every view the page mounts
//! (keyed by container id). Views run one frame at a time; a panicking handler, mount or
//! render becomes an `error` frame and the connection lives on. Limits (see [`DjustConfig`]):
//! inbound messages of 64 KiB, a ping every 10 s, 30 s of silence, 256 queued outbound frames.
//!
//! | close code | when |
//! |---|---|
//! | the client's | the client closed the socket: its code is echoed |
//! | 1001 | heartbeat timeout: nothing received for the client timeout |
//! | 1002 | the client broke the WebSocket framing |
//! | 1008 | the client reads too slowly: its outbound queue is full |
//! | 1009 | an inbound message over the limit (after an `error` frame `frame_too_large`) |
//! | 1012 | another node took a view session of this connection over ([`PubSub::redis`]) |
//! | 4403 | the `Origin` is not allowed, or a mount's token was refused (after `bad_token`) |
//! | 4404 | a mount named a view the server does not serve (after `unknown_view`) |
//! | 4413 | its views and queued output held more than [`DjustConfig::max_connection_bytes`] (after `over_budget`) |
//! | 4429 | the client kept sending over [`DjustConfig::rate_limit`] (200/s by default) |
//!
//! Codes 44xx are policy: the client does not retry them (a reload is needed). The SSE
//! transport (`/djust/sse/`) runs the same actor and sends the same codes in a `close` event.
//!
//! # Layout of the crate
//!
//! Configuration ([`DjustConfig`]), the routes ([`Djust`]), the page handler and its
//! [`Layout`], the socket (`socket/`: origin check, inbound stream, actor, outbound queue),
//! the service worker's options ([`ServiceWorker`]) and the [`MainOnly`] middleware its instant
//! shell needs (see its docs for the ordering with `Compress`), its offline mode ([`Offline`]:
//! precache, offline page, cached pages, user partitions, manifest),
//! the type-erased mounted view every handler talks to, and the embedded client
//! ([`client_script_url`]).
#![deny(unsafe_code)]

// The macros name `::djust_actix`; the crate's own tests use them too.
#[cfg(test)]
extern crate self as djust_actix;

// Layers, bottom to top; each imports only those above it in this list (`tests/layers.rs`
// fails on a cycle). `docs/architecture.md` says what goes where.
mod app;
mod browser_session;
mod config;
mod connection;
pub mod guide;
mod layout;
mod main_only;
mod pubsub;
mod runtime;
mod service_worker;
mod support;
mod telemetry;
#[cfg(feature = "test")]
pub mod test;
mod transport;
mod view;

pub use app::Djust;
pub use browser_session::new_session_cookie;
pub use config::DjustConfig;
pub use connection::close_code;
pub use djust_core as core;
pub use djust_core::cache_config::VdomCacheConfig;
pub use djust_macros::{events, live_view};
pub use layout::{DefaultLayout, Layout, Page};
pub use main_only::{
    MainOnly, MainOnlyService, MAIN_ONLY_HEADER, MAIN_ONLY_RESPONSE_HEADER, TITLE_HEADER,
};
pub use pubsub::{NamedTopic, PubSub, PubSubError};
pub use runtime::Hydrate;
/// `serde_json`, for `Context::push_event` payloads (`json!` is in the [`prelude`]).
pub use serde_json;
pub use service_worker::{
    asset_url, client_script_url, Offline, ServiceWorker, MANIFEST_PATH, PARTITION_HEADER,
    SHELL_VERSION_HEADER, STATIC_PREFIX,
};
pub use telemetry::metric;
#[cfg(feature = "prometheus")]
pub use telemetry::prometheus;
pub use transport::{SOCKET_PATH, SSE_PREFIX};
pub use view::ParkedStats;

/// Everything a view module needs: `use djust_actix::prelude::*;`.
pub mod prelude {
    pub use djust_core::{
        js::JS,
        pubsub::Topic,
        snapshot::{restore_public_fields, SnapshotError, SnapshotState},
        stream::{StreamItem, StreamOptions},
        Context, EventError, LiveView, MountContext, MountError, Params, RenderError, ViewHandle,
    };
    pub use djust_macros::{event, events, live_view};
    /// Builds a `push_event` payload: `ctx.push_event("saved", json!({"id": 7}))`.
    pub use serde_json::json;
}

#[doc(hidden)]
pub mod __private {
    //! Paths used by the code `#[live_view]` and `#[events]` generate. Not public API.
    pub use askama;
    pub use djust_core;
    pub use djust_core::__private::*;
}
