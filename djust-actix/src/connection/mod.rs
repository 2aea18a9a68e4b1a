//! The connection core: one live connection (a WebSocket or an SSE stream) as a plain struct.
//!
//! [`Connection`] takes what arrives — protocol frames ([`Connection::on_frame`]), transport
//! signals ([`Connection::on_signal`]), heartbeat ticks ([`Connection::tick`]) and view
//! messages ([`Connection::deliver`]) — and answers with [`Action`]s for its transport to
//! perform, in order ([`Connection::take_actions`]): frames to send, a close with its code,
//! timers to arm. It knows no actix, no tokio and no I/O, so tests drive it directly; the
//! transports (`crate::transport`) wrap it in an actor that feeds it and performs its actions.
//!
//! Frames are handled one at a time, in order. Each mounted view is a
//! [`ViewSession`](crate::view::ViewSession) keyed by target (container id); a second `mount`
//! of a target replaces it. Versions count per connection (see `docs/protocol.md`).

mod action;
mod answer;
mod batch;
mod effects;
#[cfg(feature = "test")]
mod inspect;
mod mounting;
mod navigate;
mod rate;

use std::{
    collections::HashMap,
    sync::Arc,
    time::{Duration, Instant},
};

use djust_core::protocol::{parse_client_frame, ClientFrame, ErrorFrame, FrameError, ServerFrame};

pub(crate) use action::{ws_close, Action, Mailbox, ViewMessage};
use rate::RateLimit;

use crate::{
    runtime::Runtime,
    support::random_id,
    telemetry::{self, Work},
    view::{Failure, ViewSession},
};

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

/// What the transport saw below the protocol: WebSocket control frames and stream failures.
#[derive(Debug)]
pub(crate) enum Signal {
    /// A binary message (not part of the protocol).
    Binary,
    /// A WebSocket ping, with its payload.
    Ping(Vec<u8>),
    /// A WebSocket pong.
    Pong,
    /// The client closes the connection (with its close code, if any).
    Close(Option<u16>),
    /// A message over the frame limit; nothing after it is read.
    TooLarge,
    /// The byte stream broke the transport's framing; nothing after it is read.
    Broken(String),
}

/// One live connection and the view sessions mounted on it.
pub(crate) struct Connection {
    runtime: Arc<Runtime>,
    /// `c-…`: names the connection in logs and in the `connect` frame.
    id: String,
    /// The connection's tracing span; view work spans follow from it.
    span: tracing::Span,
    /// Headers of the request that opened the connection, for `MountContext::header`.
    headers: Vec<(String, String)>,
    /// Where the views' handles send their messages.
    mailbox: Mailbox,
    /// Whether silence closes the connection: a WebSocket client answers pings; an SSE
    /// client cannot, its stream's writes tell whether it is still there.
    silence_closes: bool,
    limit: Option<RateLimit>,
    views: HashMap<String, ViewSession>,
    /// The version of the last versioned frame sent.
    version: u64,
    /// Mounts so far; numbers each mount so that messages for a replaced view are dropped.
    mounts: u64,
    last_seen: Instant,
    closing: bool,
    actions: Vec<Action>,
}

impl Connection {
    /// A connection opened at `now` by a request with `headers`; its views' messages go to
    /// `mailbox`. `silence_closes`: whether a client silent for the configured timeout is
    /// closed (WebSocket) or not (SSE).
    pub(crate) fn new(
        runtime: Arc<Runtime>,
        headers: Vec<(String, String)>,
        mailbox: Mailbox,
        silence_closes: bool,
        now: Instant,
    ) -> Self {
        let limit = runtime
            .config
            .rate_limit
            .map(|(per_second, burst)| RateLimit::new(per_second, burst, now));
        let id = format!("c-{}", random_id(12));
        Self {
            runtime,
            span: telemetry::connection_span(&id),
            id,
            headers,
            mailbox,
            silence_closes,
            limit,
            views: HashMap::new(),
            version: 0,
            mounts: 0,
            last_seen: now,
            closing: false,
            actions: Vec::new(),
        }
    }

    /// The connection's id (`c-…`).
    pub(crate) fn id(&self) -> &str {
        &self.id
    }

    /// How often the transport should call [`Connection::tick`].
    pub(crate) fn heartbeat_interval(&self) -> Duration {
        self.runtime.config.heartbeat_interval
    }

    /// Whether the connection is done: a close was decided, nothing more will be sent.
    pub(crate) fn is_closing(&self) -> bool {
        self.closing
    }

    /// The actions decided since the last call, in order.
    pub(crate) fn take_actions(&mut self) -> Vec<Action> {
        std::mem::take(&mut self.actions)
    }

    /// The transport could not take a frame: it closes on its own; the core stops acting.
    pub(crate) fn transport_gone(&mut self) {
        self.closing = true;
        self.actions.clear();
    }

    /// The connection is open: greets the client with its `connect` frame.
    pub(crate) fn connect(&mut self) {
        let frame = ServerFrame::Connect {
            session_id: &self.id,
        };
        let text = frame.to_json();
        self.push(Action::Send(text));
    }

    /// A heartbeat at `now`: pings the client, or closes a client silent for too long.
    pub(crate) fn tick(&mut self, now: Instant) {
        let silent = now.saturating_duration_since(self.last_seen);
        if self.silence_closes && silent > self.runtime.config.client_timeout {
            log::info!("djust: {}: heartbeat timeout", self.id);
            self.close(ws_close::AWAY, "heartbeat timeout");
        } else {
            self.push(Action::Ping);
        }
    }

    /// One protocol frame from the client, whatever the transport.
    pub(crate) fn on_frame(&mut self, now: Instant, text: &[u8]) {
        if self.closing {
            return;
        }
        self.last_seen = now;
        if self.limit.as_mut().is_some_and(|limit| !limit.take(now)) {
            log::warn!("djust: {}: over the frame rate limit, closing", self.id);
            return self.close(close_code::RATE_LIMITED, "rate limited");
        }
        let frame = std::str::from_utf8(text)
            .map_err(|error| FrameError::Malformed(error.to_string()))
            .and_then(parse_client_frame);
        match frame {
            Err(error) => self.send_error(ErrorFrame {
                code: error.code(),
                error: &error.to_string(),
                recoverable: true,
                ..ErrorFrame::default()
            }),
            Ok(ClientFrame::Mount {
                target,
                view,
                token,
                url,
                snapshot,
            }) => self.mount(&mounting::MountSpec {
                target: &target,
                view: &view,
                token: &token,
                url: &url,
                snapshot: snapshot.as_deref(),
            }),
            Ok(ClientFrame::MountBatch { views }) => self.mount_batch(&views),
            Ok(ClientFrame::LiveRedirect { url }) => self.live_redirect(&url),
            Ok(ClientFrame::Event {
                target,
                event,
                params,
                reference,
            }) => self.event(&target, &event, &params, reference),
            Ok(ClientFrame::RequestHtml { target }) => self.recover(&target),
            Ok(ClientFrame::Ping) => self.send_frame(&ServerFrame::Pong),
        }
    }

    /// What the transport saw below the protocol.
    pub(crate) fn on_signal(&mut self, now: Instant, signal: Signal) {
        if self.closing {
            return;
        }
        self.last_seen = now;
        match signal {
            Signal::Binary => self.send_error(ErrorFrame {
                code: "bad_frame",
                error: "binary frames are not supported",
                recoverable: true,
                ..ErrorFrame::default()
            }),
            Signal::Ping(bytes) => self.push(Action::Pong(bytes)),
            Signal::Pong => {}
            Signal::Close(code) => {
                // Echo the client's code, and stop.
                self.push(Action::Close {
                    code: code.unwrap_or(ws_close::NORMAL),
                    reason: String::new(),
                });
                self.closing = true;
            }
            Signal::TooLarge => {
                let limit = self.runtime.config.max_frame_bytes;
                let error = format!("frame larger than {limit} bytes");
                self.send_error(ErrorFrame {
                    code: "frame_too_large",
                    error: &error,
                    recoverable: false,
                    ..ErrorFrame::default()
                });
                self.close(ws_close::TOO_BIG, "frame too large");
            }
            Signal::Broken(why) => {
                log::debug!("djust: {}: broken stream: {why}", self.id);
                self.close(ws_close::PROTOCOL, "");
            }
        }
    }

    /// A message for one of the views (from a `ViewHandle` or a timer).
    pub(crate) fn deliver(&mut self, message: ViewMessage) {
        if self.closing {
            return;
        }
        let ViewMessage {
            target,
            mount,
            info,
        } = message;
        let Some(session) = self
            .views
            .get_mut(&target)
            .filter(|session| session.mount == mount)
        else {
            return; // the view was replaced; its messages go nowhere
        };
        let span = telemetry::work_span(&self.span, Work::HandleInfo, session.view.name(), None);
        let started = Instant::now();
        let outcome = span.in_scope(|| session.view.handle_info(info));
        record(
            &span,
            Work::HandleInfo,
            session.view.name(),
            &outcome,
            started,
        );
        self.answer(&target, mount, outcome, None);
    }

    fn push(&mut self, action: Action) {
        if !self.closing {
            self.actions.push(action);
        }
    }

    fn next_version(&mut self) -> u64 {
        self.version += 1;
        self.version
    }

    fn send_frame(&mut self, frame: &ServerFrame<'_>) {
        self.push(Action::Send(frame.to_json()));
    }

    fn send_error(&mut self, error: ErrorFrame<'_>) {
        self.send_frame(&ServerFrame::Error(error));
    }

    /// Closes after the frames already decided; nothing follows.
    fn close(&mut self, code: u16, why: &str) {
        self.push(Action::Close {
            code,
            reason: why.to_owned(),
        });
        self.closing = true;
    }

    fn mount(&mut self, spec: &mounting::MountSpec<'_>) {
        match self.mount_view(spec) {
            Ok(done) => {
                self.push(Action::Send(done.frame));
                self.run_effects(spec.target, done.mount, done.effects);
            }
            Err(refusal) => self.refuse(spec.target, &refusal),
        }
    }

    fn event(
        &mut self,
        target: &str,
        event: &str,
        params: &djust_core::Params,
        reference: Option<u64>,
    ) {
        let Some(session) = self.views.get_mut(target) else {
            return self.not_mounted(target, Some(event), reference);
        };
        let mount = session.mount;
        let span = telemetry::work_span(
            &self.span,
            Work::HandleEvent,
            session.view.name(),
            Some(event),
        );
        let started = Instant::now();
        let outcome = span.in_scope(|| session.view.handle_event(event, params));
        record(
            &span,
            Work::HandleEvent,
            session.view.name(),
            &outcome,
            started,
        );
        self.answer(target, mount, outcome, Some((event, reference)));
    }

    fn recover(&mut self, target: &str) {
        let Some(session) = self.views.get(target) else {
            return self.not_mounted(target, None, None);
        };
        let span = telemetry::work_span(&self.span, Work::Recover, session.view.name(), None);
        let html = session.view.html();
        span.in_scope(
            || tracing::info!(target: telemetry::TARGET, "the client asked for the HTML"),
        );
        telemetry::recovered(session.view.name());
        let version = self.next_version();
        self.send_frame(&ServerFrame::HtmlRecovery {
            target,
            version,
            html: &html,
        });
    }
}

/// Records `outcome` of `work` of `view` (its span `span`, begun at `started`).
fn record(
    span: &tracing::Span,
    work: Work,
    view: &'static str,
    outcome: &crate::view::Outcome,
    started: Instant,
) {
    let failed = outcome.failure.as_ref().map(Failure::code);
    let work = telemetry::WorkRecord { span, work, view };
    telemetry::record(&work, failed, outcome.update.as_ref(), started.elapsed());
}
