//! [`Connection`]: the actor behind one WebSocket or SSE stream, hosting every view mounted on
//! it.
//!
//! The transport only decides where frames come from (the socket's messages, or POSTed
//! [`Posted`] frames) and where they go (its [`Sink`]). Frames are handled one at a time, in
//! order. Views are keyed by target (container id); a
//! second `mount` of a target replaces the view. Versions count per connection (see
//! `docs/protocol.md`).

use std::{
    any::Any,
    collections::HashMap,
    sync::{
        atomic::{AtomicBool, Ordering},
        Arc,
    },
    time::Instant,
};

use actix::{Actor, ActorContext, AsyncContext, Handler, Message, StreamHandler};
use actix_ws::{CloseCode, CloseReason, MessageStream};
use base64::{engine::general_purpose::URL_SAFE_NO_PAD, Engine as _};
use djust_core::{
    protocol::{parse_client_frame, ClientFrame, ErrorFrame, ServerFrame},
    vdom::Update,
    Params,
};
use serde_json::value::RawValue;

use super::{
    close_code,
    inbound::{self, Inbound},
    outbox::{Outbound, Outbox, Refused},
    rate::RateLimit,
    sink::Sink,
};
use crate::{
    app::Runtime,
    mounted::{Effect, Failure, MountedView, Outcome},
};

mod batch;
mod mounting;
mod navigate;

type Ctx = actix::Context<Connection>;

/// One live connection (WebSocket or SSE).
pub(crate) struct Connection {
    runtime: Arc<Runtime>,
    session_id: String,
    /// Headers of the upgrade request, for `MountContext::header`.
    headers: Vec<(String, String)>,
    /// The client's messages (WebSocket), until the actor starts reading them.
    inbound: Option<MessageStream>,
    /// Whether silence closes the connection: a WebSocket client answers pings; an SSE
    /// client cannot, its stream's writes tell whether it is still there.
    silence_closes: bool,
    /// Frames to handle as soon as the actor starts (an SSE `GET` mounts its views).
    initial: Vec<String>,
    /// Runs when the actor stops (an SSE session leaves its registry).
    on_stop: Option<Box<dyn FnOnce() + Send>>,
    limit: Option<RateLimit>,
    outbox: Outbox,
    views: HashMap<String, Slot>,
    /// The version of the last versioned frame sent.
    version: u64,
    /// Mounts so far; numbers each mount so that messages for a replaced view are dropped.
    mounts: u64,
    last_seen: Instant,
    closing: bool,
}

/// A view mounted on the connection.
struct Slot {
    mount: u64,
    view: Box<dyn MountedView>,
    /// Read by the view's handles: `false` once the view is replaced or the connection ends.
    alive: Arc<AtomicBool>,
}

impl Drop for Slot {
    fn drop(&mut self) {
        self.alive.store(false, Ordering::Release);
    }
}

/// A `handle_info` message for the view mounted as number `mount` in `target`.
struct Delivery {
    target: String,
    mount: u64,
    info: Box<dyn Any + Send>,
}

impl Message for Delivery {
    type Result = ();
}

/// A frame the client POSTed (SSE transport), as text.
pub(crate) struct Posted(pub(crate) String);

impl Message for Posted {
    type Result = ();
}

impl Connection {
    /// A connection writing to `sink`; starts its writer task. `stream` is the WebSocket's
    /// inbound messages (`None` for SSE: frames arrive as [`Posted`] messages).
    pub(crate) fn new(
        runtime: Arc<Runtime>,
        headers: Vec<(String, String)>,
        sink: Sink,
        stream: Option<MessageStream>,
    ) -> Self {
        let outbox = Outbox::start(sink, runtime.config.outbound_queue);
        let limit = runtime
            .config
            .rate_limit
            .map(|(per_second, burst)| RateLimit::new(per_second, burst));
        Self {
            runtime,
            session_id: session_id(),
            headers,
            silence_closes: stream.is_some(),
            inbound: stream,
            initial: Vec::new(),
            on_stop: None,
            limit,
            outbox,
            views: HashMap::new(),
            version: 0,
            mounts: 0,
            last_seen: Instant::now(),
            closing: false,
        }
    }

    /// Frames handled as soon as the actor starts, after `connect`.
    pub(crate) fn with_initial_frames(mut self, frames: Vec<String>) -> Self {
        self.initial = frames;
        self
    }

    /// Runs `f` when the actor stops.
    pub(crate) fn on_stop(mut self, f: impl FnOnce() + Send + 'static) -> Self {
        self.on_stop = Some(Box::new(f));
        self
    }

    fn next_version(&mut self) -> u64 {
        self.version += 1;
        self.version
    }

    /// Queues a frame; a client too slow to take it gets the socket closed.
    fn send(&mut self, ctx: &mut Ctx, frame: Outbound) {
        if self.closing {
            return;
        }
        match self.outbox.send(frame) {
            Ok(()) => {}
            Err(Refused::Full) => {
                log::warn!("djust: {}: client too slow, closing", self.session_id);
                self.outbox.abort(CloseReason {
                    code: CloseCode::Policy,
                    description: Some("client too slow".into()),
                });
                self.closing = true;
                ctx.stop();
            }
            Err(Refused::Closed) => {
                self.closing = true;
                ctx.stop();
            }
        }
    }

    fn send_frame(&mut self, ctx: &mut Ctx, frame: &ServerFrame<'_>) {
        self.send(ctx, Outbound::Text(frame.to_json()));
    }

    fn send_error(&mut self, ctx: &mut Ctx, error: ErrorFrame<'_>) {
        self.send_frame(ctx, &ServerFrame::Error(error));
    }

    /// Closes the socket after the frames already queued, and stops.
    fn close(&mut self, ctx: &mut Ctx, code: CloseCode, why: &str) {
        let description = (!why.is_empty()).then(|| why.to_owned());
        self.send(ctx, Outbound::Close(CloseReason { code, description }));
        self.closing = true;
        ctx.stop();
    }

    /// Answers the client's close frame with the same code, and stops.
    fn echo_close(&mut self, ctx: &mut Ctx, reason: Option<CloseReason>) {
        let code = reason.map_or(CloseCode::Normal, |reason| reason.code);
        self.send(ctx, Outbound::Close(code.into()));
        self.closing = true;
        ctx.stop();
    }

    fn heartbeat(&mut self, ctx: &mut Ctx) {
        if self.silence_closes && self.last_seen.elapsed() > self.runtime.config.client_timeout {
            log::info!("djust: {}: heartbeat timeout", self.session_id);
            self.close(ctx, CloseCode::Away, "heartbeat timeout");
        } else {
            self.send(ctx, Outbound::Ping);
        }
    }

    /// One protocol frame from the client, whatever the transport.
    fn on_text(&mut self, ctx: &mut Ctx, text: &[u8]) {
        if self.limit.as_mut().is_some_and(|limit| !limit.take()) {
            log::warn!(
                "djust: {}: over the frame rate limit, closing",
                self.session_id
            );
            let code = CloseCode::Other(close_code::RATE_LIMITED);
            return self.close(ctx, code, "rate limited");
        }
        let frame = std::str::from_utf8(text)
            .map_err(|error| djust_core::protocol::FrameError::Malformed(error.to_string()))
            .and_then(parse_client_frame);
        match frame {
            Err(error) => self.send_error(
                ctx,
                ErrorFrame {
                    code: error.code(),
                    error: &error.to_string(),
                    recoverable: true,
                    ..ErrorFrame::default()
                },
            ),
            Ok(ClientFrame::Mount {
                target,
                view,
                token,
                url,
                snapshot,
            }) => self.mount(
                ctx,
                &mounting::MountSpec {
                    target: &target,
                    view: &view,
                    token: &token,
                    url: &url,
                    snapshot: snapshot.as_deref(),
                },
            ),
            Ok(ClientFrame::MountBatch { views }) => self.mount_batch(ctx, &views),
            Ok(ClientFrame::LiveRedirect { url }) => self.live_redirect(ctx, &url),
            Ok(ClientFrame::Event {
                target,
                event,
                params,
                reference,
            }) => self.event(ctx, &target, &event, &params, reference),
            Ok(ClientFrame::RequestHtml { target }) => self.recover(ctx, &target),
            Ok(ClientFrame::Ping) => self.send_frame(ctx, &ServerFrame::Pong),
        }
    }

    fn mount(&mut self, ctx: &mut Ctx, spec: &mounting::MountSpec<'_>) {
        match self.mount_view(ctx, spec) {
            Ok(done) => {
                self.send(ctx, Outbound::Text(done.frame));
                self.run_effects(ctx, spec.target, done.mount, done.effects);
            }
            Err(refusal) => self.refuse(ctx, spec.target, &refusal),
        }
    }

    fn event(
        &mut self,
        ctx: &mut Ctx,
        target: &str,
        event: &str,
        params: &Params,
        reference: Option<u64>,
    ) {
        let Some(slot) = self.views.get_mut(target) else {
            return self.not_mounted(ctx, target, Some(event), reference);
        };
        let mount = slot.mount;
        let outcome = slot.view.handle_event(event, params);
        self.answer(ctx, target, mount, outcome, Some((event, reference)));
    }

    fn deliver(&mut self, ctx: &mut Ctx, target: &str, mount: u64, info: Box<dyn Any + Send>) {
        let Some(slot) = self
            .views
            .get_mut(target)
            .filter(|slot| slot.mount == mount)
        else {
            return; // the view was replaced; its messages go nowhere
        };
        let outcome = slot.view.handle_info(info);
        self.answer(ctx, target, mount, outcome, None);
    }

    fn recover(&mut self, ctx: &mut Ctx, target: &str) {
        let Some(slot) = self.views.get(target) else {
            return self.not_mounted(ctx, target, None, None);
        };
        let html = slot.view.html();
        let version = self.next_version();
        let frame = ServerFrame::HtmlRecovery {
            target,
            version,
            html: &html,
        };
        self.send_frame(ctx, &frame);
    }

    fn not_mounted(
        &mut self,
        ctx: &mut Ctx,
        target: &str,
        event: Option<&str>,
        reference: Option<u64>,
    ) {
        let error = format!("no view is mounted as `{target}` on this connection");
        self.send_error(
            ctx,
            ErrorFrame {
                code: "not_mounted",
                error: &error,
                target: Some(target),
                event,
                reference,
                recoverable: true,
                ..ErrorFrame::default()
            },
        );
    }

    /// Sends what a handler run produced: an error and/or an update (or `noop`); then runs its
    /// commands. `cause` is the event and ref answered, `None` for server-side messages. When
    /// the handler failed, the error frame answers the event and the update follows as a
    /// server-initiated frame.
    fn answer(
        &mut self,
        ctx: &mut Ctx,
        target: &str,
        mount: u64,
        outcome: Outcome,
        cause: Option<(&str, Option<u64>)>,
    ) {
        let mut event = cause.map(|(event, _)| event);
        let mut reference = cause.and_then(|(_, reference)| reference);
        if let Some(failure) = &outcome.failure {
            self.failed(ctx, target, failure, event, reference);
            (event, reference) = (None, None);
        }
        match outcome.update {
            Some(Update::Unchanged) if event.is_some() => {
                let frame = ServerFrame::Noop {
                    target,
                    reference,
                    event,
                };
                self.send_frame(ctx, &frame);
            }
            None | Some(Update::Unchanged) => {}
            Some(Update::Patches(patches)) => match RawValue::from_string(patches) {
                Ok(patches) => {
                    let version = self.next_version();
                    let frame = ServerFrame::Patch {
                        target,
                        version,
                        patches: &patches,
                        reference,
                        event,
                    };
                    self.send_frame(ctx, &frame);
                }
                Err(error) => {
                    log::error!(
                        "djust: patches of `{target}` are not JSON ({error}); sending HTML"
                    );
                    let html = self.views.get(target).map(|slot| slot.view.html());
                    self.html_update(ctx, target, &html.unwrap_or_default(), event, reference);
                }
            },
            Some(Update::Html(html)) => self.html_update(ctx, target, &html, event, reference),
        }
        self.run_effects(ctx, target, mount, outcome.effects);
    }

    fn html_update(
        &mut self,
        ctx: &mut Ctx,
        target: &str,
        html: &str,
        event: Option<&str>,
        reference: Option<u64>,
    ) {
        let version = self.next_version();
        let frame = ServerFrame::HtmlUpdate {
            target,
            version,
            html,
            reference,
            event,
        };
        self.send_frame(ctx, &frame);
    }

    fn failed(
        &mut self,
        ctx: &mut Ctx,
        target: &str,
        failure: &Failure,
        event: Option<&str>,
        reference: Option<u64>,
    ) {
        let (code, message, param) = match failure {
            Failure::Event(error) => (error.code(), error.to_string(), error.param()),
            Failure::Panicked(panic) => {
                log::error!("djust: `{target}` panicked handling {event:?}: {panic}");
                ("handler_panicked", "the handler panicked".to_owned(), None)
            }
            Failure::Render(why) => {
                log::error!("djust: `{target}` failed to render: {why}");
                (
                    "render_failed",
                    "the view failed to render".to_owned(),
                    None,
                )
            }
        };
        self.send_error(
            ctx,
            ErrorFrame {
                code,
                error: &message,
                target: Some(target),
                event,
                param,
                reference,
                recoverable: true,
            },
        );
    }

    /// Carries out what a view asked for: timers and client events.
    fn run_effects(&mut self, ctx: &mut Ctx, target: &str, mount: u64, effects: Vec<Effect>) {
        for effect in effects {
            match effect {
                Effect::SendAfter { after, info } => {
                    let target = target.to_owned();
                    ctx.run_later(after, move |connection, ctx| {
                        connection.deliver(ctx, &target, mount, info);
                    });
                }
                Effect::LiveRedirect { url } => self.live_redirect(ctx, &url),
                Effect::LivePatch { url } => self.live_patch(ctx, target, &url),
                Effect::PushEvent { event, payload } => {
                    let frame = ServerFrame::PushEvent {
                        target,
                        event: &event,
                        payload: &payload,
                    };
                    self.send_frame(ctx, &frame);
                }
            }
        }
    }
}

impl Actor for Connection {
    type Context = Ctx;

    fn started(&mut self, ctx: &mut Ctx) {
        if let Some(stream) = self.inbound.take() {
            ctx.add_stream(inbound::messages(
                stream,
                self.runtime.config.max_frame_bytes,
            ));
        }
        let session_id = self.session_id.clone();
        self.send_frame(
            ctx,
            &ServerFrame::Connect {
                session_id: &session_id,
            },
        );
        ctx.run_interval(self.runtime.config.heartbeat_interval, |connection, ctx| {
            connection.heartbeat(ctx);
        });
        for frame in std::mem::take(&mut self.initial) {
            if self.closing {
                break;
            }
            self.on_text(ctx, frame.as_bytes());
        }
    }

    fn stopped(&mut self, _ctx: &mut Ctx) {
        if let Some(on_stop) = self.on_stop.take() {
            on_stop();
        }
    }
}

impl Handler<Posted> for Connection {
    type Result = ();

    fn handle(&mut self, Posted(text): Posted, ctx: &mut Ctx) {
        if !self.closing {
            self.last_seen = Instant::now();
            self.on_text(ctx, text.as_bytes());
        }
    }
}

impl StreamHandler<Inbound> for Connection {
    fn handle(&mut self, item: Inbound, ctx: &mut Ctx) {
        if self.closing {
            return;
        }
        self.last_seen = Instant::now();
        match item {
            Inbound::Text(text) => self.on_text(ctx, &text),
            Inbound::Binary => self.send_error(
                ctx,
                ErrorFrame {
                    code: "bad_frame",
                    error: "binary frames are not supported",
                    recoverable: true,
                    ..ErrorFrame::default()
                },
            ),
            Inbound::Ping(bytes) => self.send(ctx, Outbound::Pong(bytes)),
            Inbound::Pong => {}
            Inbound::Close(reason) => self.echo_close(ctx, reason),
            Inbound::TooLarge => {
                let limit = self.runtime.config.max_frame_bytes;
                let error = format!("frame larger than {limit} bytes");
                self.send_error(
                    ctx,
                    ErrorFrame {
                        code: "frame_too_large",
                        error: &error,
                        recoverable: false,
                        ..ErrorFrame::default()
                    },
                );
                self.close(ctx, CloseCode::Size, "frame too large");
            }
            Inbound::Broken(why) => {
                log::debug!("djust: {}: broken WebSocket stream: {why}", self.session_id);
                self.close(ctx, CloseCode::Protocol, "");
            }
        }
    }

    fn finished(&mut self, ctx: &mut Ctx) {
        ctx.stop();
    }
}

impl Handler<Delivery> for Connection {
    type Result = ();

    fn handle(&mut self, message: Delivery, ctx: &mut Ctx) {
        if !self.closing {
            self.deliver(ctx, &message.target, message.mount, message.info);
        }
    }
}

/// A fresh, unguessable connection id.
fn session_id() -> String {
    let mut bytes = [0_u8; 12];
    getrandom::getrandom(&mut bytes).expect("the OS random source is available");
    format!("c-{}", URL_SAFE_NO_PAD.encode(bytes))
}
