//! [`DjustConfig`]: secrets, limits and shared data of a djust server.

use std::{fmt, net::IpAddr, time::Duration};

use djust_core::{protocol::MAX_FRAME_BYTES, token::SigningKey, DataMap};

use crate::{pubsub::PubSub, service_worker::ServiceWorker};

/// Settings of the page handler and the WebSocket endpoint.
///
/// Build it once, outside `HttpServer::new`, so that every worker shares the same signing
/// secret:
///
/// ```
/// use std::time::Duration;
/// use djust_actix::DjustConfig;
///
/// let config = DjustConfig::new()
///     .secret(std::env::var("DJUST_SECRET").unwrap_or_else(|_| "x".repeat(32)))
///     .allowed_host("app.example.com")
///     .allowed_origin("https://app.example.com")
///     .heartbeat(Duration::from_secs(10), Duration::from_secs(30))
///     .data(42_u32);
/// ```
#[derive(Clone)]
pub struct DjustConfig {
    pub(crate) key: Option<SigningKey>,
    pub(crate) allowed_origins: Vec<String>,
    /// Hosts the site answers for (`name` or `name:port`, lower case).
    pub(crate) allowed_hosts: Vec<String>,
    /// Peers whose `Forwarded`/`X-Forwarded-*` headers are believed.
    pub(crate) trusted_proxies: Vec<IpAddr>,
    pub(crate) max_frame_bytes: usize,
    pub(crate) heartbeat_interval: Duration,
    pub(crate) client_timeout: Duration,
    pub(crate) token_max_age: Duration,
    pub(crate) snapshot_max_age: Duration,
    pub(crate) outbound_queue: usize,
    /// Bytes of text frames that may wait for a slow client.
    pub(crate) outbound_bytes: usize,
    pub(crate) data: DataMap,
    /// The service worker the pages register, if any.
    pub(crate) service_worker: Option<ServiceWorker>,
    /// Frames per second and burst one connection may send; `None`: unlimited.
    pub(crate) rate_limit: Option<(u32, u32)>,
    /// Whether the SSE transport (`/djust/sse/…`) is served and offered to the client.
    pub(crate) sse: bool,
    /// How many SSE sessions may be live at once (over all clients).
    pub(crate) max_sse_sessions: usize,
    /// How many views one connection may hold.
    pub(crate) max_views_per_connection: usize,
    /// How many views one `mount_batch` may mount.
    pub(crate) max_batch_entries: usize,
    /// How many bytes one connection's views and queued output may hold.
    pub(crate) max_connection_bytes: usize,
    /// How many of them one client (address) may hold; `None`: a tenth of the total.
    pub(crate) max_sse_sessions_per_client: Option<usize>,
    /// How long the body of an SSE `POST` may take to arrive.
    pub(crate) sse_body_timeout: Duration,
    /// How long, how many and how many bytes of view sessions wait for a reconnect.
    pub(crate) grace: Grace,
    /// How topics reach other nodes (and where view sessions are kept besides memory).
    pub(crate) pubsub: PubSub,
    /// Whether a page whose view fails to mount shows the error (development).
    pub(crate) error_details: bool,
}

impl DjustConfig {
    /// Defaults: a secret generated at startup, same-origin sockets only, 64 KiB frames,
    /// a ping every 10 s, a 30 s client timeout, tokens valid for 24 h, 256 queued frames.
    pub fn new() -> Self {
        Self {
            key: None,
            allowed_origins: Vec::new(),
            allowed_hosts: Vec::new(),
            trusted_proxies: Vec::new(),
            max_frame_bytes: MAX_FRAME_BYTES,
            heartbeat_interval: Duration::from_secs(10),
            client_timeout: Duration::from_secs(30),
            token_max_age: Duration::from_secs(24 * 60 * 60),
            snapshot_max_age: Duration::from_secs(60 * 60),
            outbound_queue: 256,
            outbound_bytes: 8 * 1024 * 1024,
            data: DataMap::new(),
            service_worker: None,
            rate_limit: Some((200, 400)),
            sse: true,
            max_sse_sessions: 10_000,
            max_views_per_connection: 100,
            max_batch_entries: 32,
            max_connection_bytes: 64 * 1024 * 1024,
            max_sse_sessions_per_client: None,
            sse_body_timeout: Duration::from_secs(10),
            grace: Grace {
                window: Duration::from_secs(30),
                max_sessions: 10_000,
                max_bytes: 256 * 1024 * 1024,
                hibernate: true,
            },
            pubsub: PubSub::local(),
            error_details: cfg!(debug_assertions),
        }
    }

    /// The secret that signs view tokens. Without one, a random secret is generated at
    /// startup (and a warning logged): tokens then die with the process and are not shared
    /// between several server processes.
    ///
    /// # Panics
    /// When `secret` is shorter than 32 bytes.
    pub fn secret(mut self, secret: impl Into<Vec<u8>>) -> Self {
        let key = SigningKey::new(secret).expect("the djust secret must be at least 32 bytes long");
        self.key = Some(key);
        self
    }

    /// Also verifies tokens, view sessions and snapshots signed with `secret`, an earlier
    /// secret (never used to sign), so that a fleet rotates its secret without logging anybody
    /// out: deploy `secret(new)` + `previous_secret(old)` everywhere, then drop the old one
    /// once what it signed has expired ([`DjustConfig::token_max_age`]). Every signed value
    /// names the key that signed it. Call it after [`DjustConfig::secret`]; may be repeated.
    ///
    /// # Panics
    /// When `secret` is shorter than 32 bytes, or no secret was set before.
    pub fn previous_secret(mut self, secret: impl Into<Vec<u8>>) -> Self {
        let key = self
            .key
            .take()
            .expect("DjustConfig::previous_secret comes after DjustConfig::secret");
        let key = key
            .with_previous(secret)
            .expect("a djust secret must be at least 32 bytes long");
        self.key = Some(key);
        self
    }

    /// Also accepts WebSocket upgrades whose `Origin` is `origin` (`https://host[:port]`).
    /// The page's own origin (scheme and `Host` of the request) is always accepted.
    pub fn allowed_origin(mut self, origin: impl Into<String>) -> Self {
        let origin = origin.into();
        self.allowed_origins
            .push(origin.trim_end_matches('/').to_ascii_lowercase());
        self
    }

    /// Serves requests addressed to `host` (`app.example.com`: any port; `app.example.com:8443`:
    /// that port only). Pages, the WebSocket and the SSE routes answer a request for another
    /// `Host` with 400 (DNS rebinding). With no host configured only loopback names
    /// (`localhost`, `127.0.0.1`, `[::1]`) are served, and only in a debug build: a release
    /// build must name its hosts.
    pub fn allowed_host(mut self, host: impl Into<String>) -> Self {
        self.allowed_hosts.push(host.into().to_ascii_lowercase());
        self
    }

    /// Believes the `Forwarded` and `X-Forwarded-Host`/`-Proto`/`-For` headers of requests
    /// from `proxy` (the last entry, the one this proxy wrote). From any other peer they are
    /// ignored. None by default.
    pub fn trusted_proxy(mut self, proxy: IpAddr) -> Self {
        self.trusted_proxies.push(proxy);
        self
    }

    /// The largest inbound WebSocket message, in bytes (64 KiB by default). A bigger one gets
    /// an `error` frame `frame_too_large` and the socket is closed with code 1009.
    pub fn max_frame_bytes(mut self, bytes: usize) -> Self {
        self.max_frame_bytes = bytes;
        self
    }

    /// Pings the client every `interval`; closes a socket that sent nothing for `timeout`.
    pub fn heartbeat(mut self, interval: Duration, timeout: Duration) -> Self {
        self.heartbeat_interval = interval;
        self.client_timeout = timeout;
        self
    }

    /// How long a page's view token may be used to mount its live view (24 h by default).
    pub fn token_max_age(mut self, age: Duration) -> Self {
        self.token_max_age = age;
        self
    }

    /// How long a signed state snapshot may be restored at all (1 h by default); a view's
    /// `should_restore_snapshot` may be stricter (5 minutes by default).
    pub fn snapshot_max_age(mut self, age: Duration) -> Self {
        self.snapshot_max_age = age;
        self
    }

    /// How many outbound frames may wait for a slow client (256 by default). When the queue
    /// is full the client is not keeping up: the socket is closed with code 1008.
    ///
    /// # Panics
    /// When `frames` is zero.
    pub fn outbound_queue(mut self, frames: usize) -> Self {
        assert!(
            frames > 0,
            "the outbound queue needs room for at least one frame"
        );
        self.outbound_queue = frames;
        self
    }

    /// How many bytes of outbound frames may wait for a slow client (8 MiB by default): past
    /// that the socket is closed with code 1008, as when the queue is full of frames. This is
    /// what bounds a client that stops reading while asking for large answers.
    ///
    /// # Panics
    /// When `bytes` is zero.
    pub fn outbound_bytes(mut self, bytes: usize) -> Self {
        assert!(bytes > 0, "the outbound queue needs room for some bytes");
        self.outbound_bytes = bytes;
        self
    }

    /// The outbound queue's limits.
    pub(crate) fn queue_limits(&self) -> QueueLimits {
        QueueLimits {
            frames: self.outbound_queue,
            bytes: self.outbound_bytes,
        }
    }

    /// Limits the frames one connection may send: `per_second` on average, `burst` at once
    /// (200 and 400 by default). A frame over the limit is not handled: it is answered with an
    /// `error` frame `rate_limited` (recoverable; an event's names its `target`, `event` and
    /// `ref`). A client that goes on sending while refused (`burst` refused frames in a row) is
    /// closed with code 4429 (`close_code::RATE_LIMITED`).
    pub fn rate_limit(mut self, per_second: u32, burst: u32) -> Self {
        self.rate_limit = Some((per_second, burst));
        self
    }

    /// Whether a page whose view fails to mount (its `mount` returned `Err` or panicked) shows
    /// the error, the view's name and the path (development), or a plain 500 page without
    /// details (production). On in debug builds, off in release builds; the error is logged
    /// either way.
    pub fn error_details(mut self, on: bool) -> Self {
        self.error_details = on;
        self
    }

    /// Lifts the rate limit (e.g. for a load test): every frame is handled.
    pub fn without_rate_limit(mut self) -> Self {
        self.rate_limit = None;
        self
    }

    /// Serves the SSE transport under `/djust/sse/` and offers it to the client as its
    /// fallback (on by default). See `docs/protocol.md`.
    pub fn sse(mut self, enabled: bool) -> Self {
        self.sse = enabled;
        self
    }

    /// How many SSE sessions may be live at once (10,000 by default); one more is refused
    /// with HTTP 503 (the client retries with backoff).
    pub fn max_sse_sessions(mut self, sessions: usize) -> Self {
        self.max_sse_sessions = sessions;
        self
    }

    /// How many views one connection may hold at once (100 by default). A `mount` of one more
    /// target is answered with `error` `too_many_views` (the connection stays open; replacing
    /// a mounted target is always allowed).
    pub fn max_views_per_connection(mut self, views: usize) -> Self {
        self.max_views_per_connection = views;
        self
    }

    /// How many views one `mount_batch` frame may mount (32 by default); a bigger batch is
    /// answered with `error` `batch_too_large` and nothing of it is mounted.
    pub fn max_batch_entries(mut self, entries: usize) -> Self {
        self.max_batch_entries = entries;
        self
    }

    /// How many bytes one connection may hold (64 MiB by default): its views' state, kept
    /// trees and revision rings, plus its output waiting for the client. Checked after each
    /// mount, event and message; a connection over it gets an `error` frame `over_budget` and
    /// is closed with code 4413 (`close_code::OVER_BUDGET`; the client does not retry).
    pub fn max_connection_bytes(mut self, bytes: usize) -> Self {
        self.max_connection_bytes = bytes;
        self
    }

    /// How many SSE sessions one client (its address, see [`DjustConfig::trusted_proxy`]) may
    /// hold at once (a tenth of [`DjustConfig::max_sse_sessions`] by default); one more is
    /// refused with HTTP 429.
    ///
    /// # Panics
    /// When `sessions` is zero.
    pub fn max_sse_sessions_per_client(mut self, sessions: usize) -> Self {
        assert!(sessions > 0, "a client needs room for at least one session");
        self.max_sse_sessions_per_client = Some(sessions);
        self
    }

    /// How long the body of an SSE `POST` may take to arrive once its headers passed the
    /// checks (10 s by default); a slower one is answered 408.
    pub fn sse_body_timeout(mut self, timeout: Duration) -> Self {
        self.sse_body_timeout = timeout;
        self
    }

    /// The per-client SSE session cap in force.
    pub(crate) fn sse_sessions_per_client(&self) -> usize {
        self.max_sse_sessions_per_client
            .unwrap_or((self.max_sse_sessions / 10).max(1))
    }

    /// How long a view session waits for its client to reconnect after its connection closed
    /// (default 30 s). A reconnect within it resumes the view where it was: no `mount`, state
    /// kept, missed updates replayed (`docs/protocol.md`, "Delivery").
    pub fn view_session_grace(mut self, window: Duration) -> Self {
        self.grace.window = window;
        self
    }

    /// At most `sessions` view sessions holding about `bytes` wait in their grace window
    /// (defaults 10,000 and 256 MiB); past that the oldest is ended (`remounted: evicted`).
    pub fn max_parked_view_sessions(mut self, sessions: usize, bytes: usize) -> Self {
        self.grace.max_sessions = sessions;
        self.grace.max_bytes = bytes;
        self
    }

    /// Whether a view's kept tree is put in its compact form at each heartbeat of its
    /// connection and when its session is parked (default `true`; `djust_core::vdom::LiveDom::
    /// hibernate`: about half the memory for a large view, paid back by a slower first update
    /// after it). With glibc's default allocator settings the memory freed stays in the process
    /// for later renders (`docs/benchmarks.md`, S8); turn it off where that costs more than it
    /// saves.
    pub fn hibernate_idle_views(mut self, on: bool) -> Self {
        self.grace.hibernate = on;
        self
    }

    /// Runs on `pubsub` ([`PubSub::local`] by default): with [`PubSub::redis`], topics reach
    /// every node and view sessions are kept in Redis too, so a reconnect that lands on
    /// another node resumes them (README, "Running more than one node"). Views find it in the
    /// shared data (`ctx.require_data::<PubSub>()`).
    pub fn pubsub(mut self, pubsub: PubSub) -> Self {
        self.pubsub = pubsub;
        self
    }

    /// The pub/sub set with [`DjustConfig::pubsub`] (to open its topics while building the
    /// shared data).
    pub fn pubsub_backend(&self) -> &PubSub {
        &self.pubsub
    }

    /// Makes every page register the djust service worker with `options` (instant shell, VDOM
    /// cache, state snapshots, offline mode); see [`ServiceWorker`]. Off by default.
    pub fn service_worker(mut self, options: ServiceWorker) -> Self {
        self.service_worker = Some(options);
        self
    }

    /// Shares `value` with every view (`MountContext::data::<T>()`), replacing an earlier
    /// value of the same type.
    pub fn data<T: Send + Sync + 'static>(mut self, value: T) -> Self {
        self.data.insert(value);
        self
    }

    /// Replaces the shared data with `data`.
    pub fn data_map(mut self, data: DataMap) -> Self {
        self.data = data;
        self
    }

    /// Fills in what was left unset: generates a signing secret when none was given.
    pub(crate) fn resolve(mut self) -> Self {
        if !cfg!(debug_assertions) && self.allowed_hosts.is_empty() {
            log::warn!(
                "djust: no allowed host configured; every request is refused with 400. Name the \
                 site's hosts with DjustConfig::allowed_host."
            );
        }
        if self.key.is_none() {
            log::warn!(
                "djust: no signing secret configured; generated a random one. View tokens will \
                 not survive a restart nor work across processes: set DjustConfig::secret."
            );
            self.key = SigningKey::new(crate::support::random_bytes(32));
        }
        self.data.insert(self.pubsub.clone());
        self
    }

    /// The signing key (present once [`DjustConfig::resolve`] ran).
    pub(crate) fn key(&self) -> &SigningKey {
        self.key
            .as_ref()
            .expect("DjustConfig::resolve sets the key")
    }
}

/// How much may wait in a connection's outbound queue: frames, and bytes of text frames.
#[derive(Debug, Clone, Copy)]
pub(crate) struct QueueLimits {
    pub(crate) frames: usize,
    pub(crate) bytes: usize,
}

impl Default for DjustConfig {
    fn default() -> Self {
        Self::new()
    }
}

impl fmt::Debug for DjustConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DjustConfig")
            .field("secret_set", &self.key.is_some())
            .field("allowed_origins", &self.allowed_origins)
            .field("allowed_hosts", &self.allowed_hosts)
            .field("trusted_proxies", &self.trusted_proxies)
            .field("max_frame_bytes", &self.max_frame_bytes)
            .field("heartbeat_interval", &self.heartbeat_interval)
            .field("client_timeout", &self.client_timeout)
            .field("token_max_age", &self.token_max_age)
            .field("snapshot_max_age", &self.snapshot_max_age)
            .field("outbound_queue", &self.outbound_queue)
            .field("outbound_bytes", &self.outbound_bytes)
            .field("data", &self.data)
            .field("service_worker", &self.service_worker)
            .field("rate_limit", &self.rate_limit)
            .field("sse", &self.sse)
            .field("max_sse_sessions", &self.max_sse_sessions)
            .field("max_views_per_connection", &self.max_views_per_connection)
            .field("max_batch_entries", &self.max_batch_entries)
            .field("max_connection_bytes", &self.max_connection_bytes)
            .field(
                "max_sse_sessions_per_client",
                &self.sse_sessions_per_client(),
            )
            .field("sse_body_timeout", &self.sse_body_timeout)
            .field("grace", &self.grace)
            .field("pubsub", &self.pubsub)
            .field("error_details", &self.error_details)
            .finish()
    }
}

/// The bounds of the grace window.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Grace {
    /// How long a parked session waits.
    pub(crate) window: Duration,
    /// How many sessions may wait at once.
    pub(crate) max_sessions: usize,
    /// How many bytes (roughly) they may hold.
    pub(crate) max_bytes: usize,
    /// Whether views' kept trees go to their compact form at each heartbeat and when parked.
    pub(crate) hibernate: bool,
}
