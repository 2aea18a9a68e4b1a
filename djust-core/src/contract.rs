//! Names and defaults the server shares with the browser client, besides the frames of
//! [`crate::protocol`]: HTTP headers, paths, policy close codes, the attributes and `<meta>`
//! names the server renders for the client, and the defaults both sides apply.
//!
//! The client spells the same names in `client/src/constants.js` (and its service worker in
//! `client/sw/constants.js`); `djust-core/tests/contract.rs` runs `node` on
//! `client/test/contract_dump.mjs` and checks that both sides agree. Change a name here and
//! there together.

/// HTTP header names, in lower case (as `HeaderName::from_static` wants them; header names are
/// case-insensitive, the client writes `X-Djust-Main-Only`).
pub mod header {
    /// Request header asking for the inner HTML of the page's first top-level `<main>` only;
    /// the value must be exactly `1`.
    pub const MAIN_ONLY: &str = "x-djust-main-only";
    /// Response header marking a main-only answer (value `1`).
    pub const MAIN_ONLY_RESPONSE: &str = "x-djust-main-only-response";
    /// Response header of a main-only answer: the page's `<title>`, percent-encoded as by
    /// JavaScript's `encodeURIComponent`.
    pub const TITLE: &str = "x-djust-title";
    /// Response header of every page: the user partition (a keyed hash of the browser session
    /// and the language) the service worker keeps copies under.
    pub const PARTITION: &str = "x-djust-partition";
    /// Response header of every page while the instant shell is on: the shell version.
    pub const SHELL_VERSION: &str = "x-djust-shell-version";
    /// The `Vary` value of every response that may be trimmed: [`MAIN_ONLY`] as the client
    /// spells it.
    pub const VARY_MAIN_ONLY: &str = "X-Djust-Main-Only";
}

/// Paths the server serves the client at.
pub mod path {
    /// The WebSocket endpoint.
    pub const SOCKET: &str = "/ws/live/";
    /// Prefix of the SSE transport's routes (offered with `<meta name="djust-sse-prefix">`).
    pub const SSE_PREFIX: &str = "/djust/";
    /// After [`SSE_PREFIX`]: `sse/<id>/` is the event stream.
    pub const SSE_STREAM: &str = "sse/";
    /// After the stream's path: `message/` takes the client's frames (`POST`).
    pub const SSE_MESSAGE: &str = "message/";
    /// Prefix of every client file, without its trailing `/` (`/static/djust/<hash>/client.js`).
    pub const STATIC_PREFIX: &str = "/static/djust";
    /// The service worker, at a stable URL (a worker's URL must not change).
    pub const SERVICE_WORKER: &str = "/static/djust/service-worker.js";
    /// The offline mode's settings, read by the worker on install (and probed by the page).
    pub const OFFLINE_CONFIG: &str = "/static/djust/offline.json";
    /// The web app manifest, when one is configured.
    pub const MANIFEST: &str = "/manifest.webmanifest";
}

/// WebSocket close codes of policy: the client never retries them, the page needs a reload.
/// The SSE transport sends the same codes in its `close` event.
pub mod close_code {
    /// The `Origin` is not allowed, or a mount's token was refused.
    pub const FORBIDDEN: u16 = 4403;
    /// A mount named a view the server does not serve.
    pub const VIEW_NOT_ALLOWED: u16 = 4404;
    /// The client sent frames over the rate limit.
    pub const RATE_LIMITED: u16 = 4429;
    /// The connection's views and queued output held more bytes than its memory budget.
    pub const OVER_BUDGET: u16 = 4413;
}

/// Attributes the server renders on a view's container and the client reads.
pub mod attr {
    /// The view's name.
    pub const VIEW: &str = "dj-view";
    /// The signed token to mount the view with.
    pub const TOKEN: &str = "dj-token";
    /// The stable id of an element, stamped on every element of a view.
    pub const ID: &str = "dj-id";
    /// How a lazy view hydrates (`viewport`, `click`, `hover`, `idle`).
    pub const LAZY: &str = "dj-lazy";
    /// The user partition, keying the service worker's VDOM cache and snapshots.
    pub const PARTITION: &str = "dj-partition";
}

/// `<meta name="…">` tags the server renders into pages for the client.
pub mod meta {
    /// `content`: the SSE prefix ([`super::path::SSE_PREFIX`]); offers the SSE transport.
    pub const SSE_PREFIX: &str = "djust-sse-prefix";
    /// `content`: the service worker's registration options (JSON).
    pub const SERVICE_WORKER: &str = "djust-service-worker";
}

/// Defaults the server's configuration starts from and the client applies when the server
/// sends nothing. (The VDOM cache's are in [`crate::cache_config`].)
pub mod defaults {
    use std::time::Duration;

    /// Offline mode: how long a navigation waits for the network before a copy is shown.
    pub const NETWORK_TIMEOUT: Duration = Duration::from_secs(3);
    /// Offline mode: pages kept (distinct URLs), pages saved for offline aside.
    pub const MAX_PAGES: usize = 50;
    /// Offline mode: bytes of kept pages, pages saved for offline aside.
    pub const MAX_BYTES: usize = 5 * 1024 * 1024;
}
