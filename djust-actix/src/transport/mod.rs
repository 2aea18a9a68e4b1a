//! The transport layer: how a browser reaches a live view.
//!
//! - [`page`]: the first, plain-HTTP render of a page;
//! - [`websocket`]: `/ws/live/`, the live connection (its `Origin` checked);
//! - [`sse`]: the Server-Sent Events fallback (`/djust/sse/…`), the same connection over a
//!   `text/event-stream` and POSTs.
//!
//! Both live transports run the connection core in the same actor ([`actor`]), which writes to
//! the transport's [`sink`] through a bounded [`outbox`]; view code runs on the
//! [`view_pool`]'s threads.

mod actor;
mod origin;
mod outbox;
pub(crate) mod page;
mod request;
mod sink;
mod site;
pub(crate) mod sse;
mod view_pool;
pub(crate) mod websocket;

pub use sse::SSE_PREFIX;
pub use websocket::SOCKET_PATH;
