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
//! of a target replaces it. When the connection closes ([`Connection::closed`]) its view
//! sessions wait in the runtime's store for a reconnect to resume them. Versions count per
//! connection, revisions per view session (see `docs/protocol.md`, "Delivery").

mod action;
mod answer;
mod batch;
mod budget;
mod durable;
mod effects;
mod events;
#[cfg(feature = "test")]
mod inspect;
mod mounting;
mod navigate;
mod rate;
mod takeover;
#[cfg(test)]
mod tests;

use std::{
    collections::HashMap,
    sync::Arc,
    time::{Duration, Instant},
};

use djust_core::{
    protocol::{
        parse_client_frame, request_html_reason, ClientFrame, ErrorFrame, FrameError, FrameExtras,
        ServerFrame, REASON_PATCH_REFUSED,
    },
    toolbox::Flash,
};

pub(crate) use action::{ws_close, Action};
use rate::RateLimit;

pub(crate) use crate::view::{Mailbox, ViewMessage};
use crate::{
    runtime::Runtime,
    support::random_id,
    telemetry::{self, Work},
    view::{lock, Failure, Outcome, SharedSession},
};

pub use djust_core::contract::close_code;

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
    /// A text message that is not UTF-8; nothing after it is read.
    NotUtf8,
    /// The byte stream broke the transport's framing; nothing after it is read.
    Broken(String),
}

/// A frame that asks for view code, parsed by [`Connection::admit`].
#[derive(Debug)]
pub(crate) struct Admitted {
    frame: ClientFrame,
    /// The `reason` of a `request_html`.
    reason: Option<String>,
}

/// A view session attached to the connection.
struct Attached {
    /// The session's id (what its messages are addressed to).
    id: String,
    session: SharedSession,
    /// The view's revision and the connection's version at its last `html_recovery`.
    recovered: Option<(u64, u64)>,
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
    views: HashMap<String, Attached>,
    /// The version of the last versioned frame sent.
    version: u64,
    last_seen: Instant,
    /// The time of the input being handled.
    now: Instant,
    closing: bool,
    actions: Vec<Action>,
    /// Actions waiting for a Redis write of a view session (see [`durable`]).
    held: durable::Held,
    /// Flash messages of a handler that navigated: they go with the `navigate` frame.
    carried_flash: Vec<Flash>,
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
            last_seen: now,
            now,
            closing: false,
            actions: Vec::new(),
            held: durable::Held::default(),
            carried_flash: Vec::new(),
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

    /// Whether the connection is done: a close was decided, nothing more will be sent (what
    /// it decided before waits for no Redis write any more).
    pub(crate) fn is_closing(&self) -> bool {
        self.closing && !self.held.is_waiting()
    }

    /// The actions decided since the last call, in order.
    pub(crate) fn take_actions(&mut self) -> Vec<Action> {
        std::mem::take(&mut self.actions)
    }

    /// The transport could not take a frame: it closes on its own; the core stops acting.
    pub(crate) fn transport_gone(&mut self) {
        self.closing = true;
        self.actions.clear();
        self.held.clear();
    }

    /// The connection is open: greets the client with its `connect` frame.
    pub(crate) fn connect(&mut self) {
        let frame = ServerFrame::Connect {
            session_id: &self.id,
        };
        let text = frame.to_json();
        self.push(Action::Send(text));
    }

    /// The transport closed at `now`: the view sessions wait for a reconnect.
    pub(crate) fn closed(&mut self, now: Instant) {
        self.closing = true;
        self.actions.clear();
        self.held.clear();
        for (_, attached) in self.views.drain() {
            self.runtime.sessions.park(&attached.id, &self.id, now);
        }
    }

    /// A heartbeat at `now`: pings the client, or closes a client silent for too long.
    pub(crate) fn tick(&mut self, now: Instant) {
        self.now = now;
        self.runtime.sessions.purge(now);
        for attached in self.views.values() {
            self.runtime.sessions.keep_alive(&attached.session);
        }
        let silent = now.saturating_duration_since(self.last_seen);
        if self.silence_closes && silent > self.runtime.config.client_timeout {
            log::info!("djust: {}: heartbeat timeout", self.id);
            self.close(ws_close::AWAY, "heartbeat timeout");
        } else {
            self.push(Action::Ping);
        }
    }

    /// One protocol frame from the client, whatever the transport: [`Connection::admit`], then
    /// [`Connection::handle`] of what needs view code.
    pub(crate) fn on_frame(&mut self, now: Instant, text: &[u8]) {
        if let Some(admitted) = self.admit(now, text) {
            self.handle(admitted);
        }
    }

    /// The cheap half of a frame: the rate limit, parsing, and the answers that run no view
    /// code (errors, `pong`). Returns the frame when it asks for view code (a mount, an event,
    /// a recovery), for [`Connection::handle`].
    pub(crate) fn admit(&mut self, now: Instant, text: &[u8]) -> Option<Admitted> {
        if self.closing {
            return None;
        }
        self.last_seen = now;
        self.now = now;
        let frame = std::str::from_utf8(text)
            .map_err(|error| FrameError::Malformed(error.to_string()))
            .and_then(parse_client_frame);
        if let Some(verdict) = self.limit.as_mut().map(|limit| limit.take(now)) {
            if verdict != rate::Verdict::Allowed {
                self.rate_limited(verdict, frame.as_ref().ok());
                return None;
            }
        }
        match frame {
            Err(error) => {
                self.send_error(ErrorFrame {
                    code: error.code(),
                    error: &error.to_string(),
                    recoverable: true,
                    ..ErrorFrame::default()
                });
                None
            }
            Ok(ClientFrame::Ping) => {
                self.send_frame(&ServerFrame::Pong);
                None
            }
            Ok(frame @ ClientFrame::RequestHtml { .. }) => Some(Admitted {
                frame,
                reason: request_html_reason(std::str::from_utf8(text).unwrap_or("")),
            }),
            Ok(frame) => Some(Admitted {
                frame,
                reason: None,
            }),
        }
    }

    /// The view code a frame [admitted](Connection::admit) asks for: handlers, mounts and
    /// renders. The transport may run it on another thread (the connection is `Send`).
    pub(crate) fn handle(&mut self, admitted: Admitted) {
        if self.closing {
            return;
        }
        match admitted.frame {
            ClientFrame::Mount {
                target,
                view,
                token,
                url,
                snapshot,
                resume,
            } => self.mount(&mounting::MountSpec {
                target: &target,
                view: &view,
                token: &token,
                url: &url,
                snapshot: snapshot.as_deref(),
                resume: resume.as_ref(),
            }),
            ClientFrame::MountBatch { views } => self.mount_batch(&views),
            ClientFrame::LiveRedirect { url } => self.live_redirect(&url),
            ClientFrame::Event {
                target,
                event,
                params,
                reference,
                seq,
                replay,
            } => self.event(&events::EventSpec {
                target: &target,
                event: &event,
                params: &params,
                reference,
                seq,
                replay,
            }),
            ClientFrame::RequestHtml { target } => {
                self.recover(&target, admitted.reason.as_deref());
            }
            ClientFrame::Ping => self.send_frame(&ServerFrame::Pong),
        }
    }

    /// What the transport saw below the protocol.
    pub(crate) fn on_signal(&mut self, now: Instant, signal: Signal) {
        if self.closing {
            return;
        }
        self.last_seen = now;
        self.now = now;
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
            Signal::NotUtf8 => self.close(ws_close::INVALID_DATA, "text not UTF-8"),
            Signal::Broken(why) => {
                log::debug!("djust: {}: broken stream: {why}", self.id);
                self.close(ws_close::PROTOCOL, "");
            }
        }
    }

    /// A message for one of the views (from a `ViewHandle` or a timer), or the confirmation
    /// of a Redis write (even while closing: the close may wait for it).
    pub(crate) fn deliver(&mut self, message: ViewMessage) {
        let ViewMessage { session, info } = message;
        let info = match info.downcast::<durable::Confirmed>() {
            Ok(confirmed) => return self.confirmed(*confirmed),
            Err(info) => info,
        };
        if self.closing {
            return;
        }
        let Some(target) = self
            .views
            .iter()
            .find(|(_, attached)| attached.id == session)
            .map(|(target, _)| target.clone())
        else {
            return; // the view session ended or moved; its messages go elsewhere or nowhere
        };
        self.deliver_info(&target, info);
    }

    fn push(&mut self, action: Action) {
        if self.closing {
            return;
        }
        if self.held.is_waiting() {
            self.held.hold(action);
        } else {
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

    /// Sends `frame` with the toolbox fields of `extras` (title, reply, flash, streams).
    fn send_frame_with(&mut self, frame: &ServerFrame<'_>, extras: &FrameExtras<'_>) {
        self.push(Action::Send(frame.to_json_with(extras)));
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
                self.after_mount(spec.target, done.effects, done.queued);
            }
            Err(refusal) => self.refuse(spec.target, &refusal),
        }
    }

    /// The session attached as `target`, if this connection still holds it (a reconnect may
    /// have taken it over: then it is forgotten here).
    fn attached(&mut self, target: &str) -> Option<(String, SharedSession)> {
        let attached = self.views.get(target)?;
        let (id, session) = (attached.id.clone(), SharedSession::clone(&attached.session));
        if lock(&session).is_owned_by(&self.id) {
            Some((id, session))
        } else {
            self.views.remove(target);
            None
        }
    }

    /// Answers `request_html` with the view's whole HTML; a refused patch first switches the
    /// view to whole-HTML updates. At most one recovery per view is in flight: when nothing was
    /// sent since the last one and the view has not changed, that answer is still on its way
    /// and serves every request made before it arrives.
    fn recover(&mut self, target: &str, reason: Option<&str>) {
        let Some((_, session)) = self.attached(target) else {
            return self.not_mounted(target, None, None);
        };
        let mut session = lock(&session);
        log::info!(
            "djust: {}: `{target}` asked for its HTML ({reason:?})",
            self.id
        );
        if reason == Some(REASON_PATCH_REFUSED) {
            session.view.patch_refused(reason);
        }
        let rev = session.rev();
        let recovered = self
            .views
            .get(target)
            .and_then(|attached| attached.recovered);
        if recovered == Some((rev, self.version)) {
            return;
        }
        let span = telemetry::work_span(&self.span, Work::Recover, session.view.name(), None);
        span.in_scope(
            || tracing::info!(target: telemetry::TARGET, "the client asked for the HTML"),
        );
        telemetry::recovered(session.view.name());
        let html = session.view.html();
        let ack = session.ledger.ack();
        drop(session);
        let version = self.next_version();
        if let Some(attached) = self.views.get_mut(target) {
            attached.recovered = Some((rev, version));
        }
        self.send_frame(&ServerFrame::HtmlRecovery {
            target,
            version,
            html: &html,
            rev: Some(rev),
            ack: Some(ack),
        });
    }
}

/// Records `outcome` of `work` of `view` (its span `span`, begun at `started`).
pub(super) fn record(
    span: &tracing::Span,
    work: Work,
    view: &'static str,
    outcome: &Outcome,
    started: Instant,
) {
    let failed = outcome.failure.as_ref().map(Failure::code);
    let work = telemetry::WorkRecord { span, work, view };
    telemetry::record(&work, failed, outcome.update.as_ref(), started.elapsed());
}
