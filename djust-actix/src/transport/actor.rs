//! [`ConnectionActor`]: the thin actix shell around the connection core, shared by both
//! transports. It feeds the core what arrives — the WebSocket's messages, POSTed SSE frames,
//! heartbeat ticks, view messages and timers — and performs the core's actions on the
//! connection's [`Outbox`].
//!
//! View code (mounts, event and info handlers, renders and diffs) runs on the
//! [view threads](super::view_pool), not on the I/O thread: an expensive handler or render of
//! one connection holds its own view thread, while the worker thread goes on serving the other connections'
//! frames (fairness; measured by bench run R9). While a job runs, the actor reads no more of
//! its socket (`ctx.wait`: the client's bytes wait in the kernel) and an input that still
//! arrives (a view message, a timer) waits in [`ConnectionActor::pending`], so a connection's
//! inputs are still handled one at a time, in order. What needs no view code — parsing,
//! errors, `ping`, WebSocket control frames, heartbeats — is answered on the I/O thread.

use std::{collections::VecDeque, time::Instant};

use actix::{
    fut::wrap_future, Actor, ActorContext, ActorFutureExt as _, Addr, AsyncContext, Handler,
    Message, StreamHandler,
};
use actix_ws::{CloseCode, CloseReason, MessageStream};
use tokio::sync::oneshot;

use super::{
    outbox::{Outbound, Outbox, Refused},
    sink::Sink,
    view_pool,
    websocket::inbound::{self, Inbound},
};
use crate::{
    config::QueueLimits,
    connection::{ws_close, Action, Connection, Mailbox, Signal, ViewMessage},
    telemetry,
};

type Ctx = actix::Context<ConnectionActor>;

/// An input that arrived while the core was away, handled once it is back.
type Deferred = Box<dyn FnOnce(&mut ConnectionActor, &mut Ctx)>;

/// One live connection (WebSocket or SSE) as an actor.
pub(crate) struct ConnectionActor {
    /// The connection core; `None` while a job runs it on a view thread.
    core: Option<Connection>,
    /// The core's id, for logs while the core is away.
    id: String,
    /// Inputs that arrived while the core was away, in order.
    pending: VecDeque<Deferred>,
    outbox: Outbox,
    /// The client's messages (WebSocket), until the actor starts reading them.
    inbound: Option<(MessageStream, usize)>,
    /// Frames to handle as soon as the actor starts (an SSE `GET` mounts its views).
    initial: Vec<String>,
    /// Runs when the actor stops (an SSE connection leaves its registry).
    on_stop: Option<Box<dyn FnOnce() + Send>>,
}

/// A frame the client POSTed (SSE transport), as text.
pub(crate) struct Posted(pub(crate) String);

impl Message for Posted {
    type Result = ();
}

/// The connection's SSE session was taken over by its owner's reconnect: the connection ends
/// (a normal close; the view sessions it still holds wait for their reconnect).
pub(crate) struct Replaced;

impl Message for Replaced {
    type Result = ();
}

impl Message for ViewMessage {
    type Result = ();
}

/// How a connection is started.
pub(crate) struct Start {
    /// Where its frames go.
    pub(crate) sink: Sink,
    /// The WebSocket's inbound messages and the frame limit (`None` for SSE: frames arrive as
    /// [`Posted`] messages).
    pub(crate) inbound: Option<(MessageStream, usize)>,
    /// Frames handled right after `connect`.
    pub(crate) initial: Vec<String>,
    /// Runs when the connection ends.
    pub(crate) on_stop: Option<Box<dyn FnOnce() + Send>>,
}

impl ConnectionActor {
    /// Starts the actor of the core `make` builds (given the mailbox its views' handles use).
    pub(crate) fn start(
        start: Start,
        limits: QueueLimits,
        make: impl FnOnce(Mailbox) -> Connection,
    ) -> Addr<Self> {
        Self::create(move |ctx| {
            let address = ctx.address();
            let mailbox: Mailbox = std::sync::Arc::new(move |message| {
                if !address.connected() {
                    return false;
                }
                address.do_send(message);
                true
            });
            let core = make(mailbox);
            Self {
                id: core.id().to_owned(),
                core: Some(core),
                pending: VecDeque::new(),
                outbox: Outbox::start(start.sink, limits),
                inbound: start.inbound,
                initial: start.initial,
                on_stop: start.on_stop,
            }
        })
    }

    /// The core, at home: inputs only reach it through [`Self::input`].
    fn core(&mut self) -> &mut Connection {
        self.core
            .as_mut()
            .expect("inputs wait while the core is away")
    }

    /// Handles `input` now, or once the view work in flight is done (after the inputs that
    /// came before it).
    fn input(&mut self, ctx: &mut Ctx, input: impl FnOnce(&mut Self, &mut Ctx) + 'static) {
        if self.core.is_some() && self.pending.is_empty() {
            input(self, ctx);
        } else {
            self.pending.push_back(Box::new(input));
        }
    }

    /// The core is back: performs what it decided, then the inputs that waited, until one
    /// sends it away again.
    fn returned(&mut self, ctx: &mut Ctx, core: Connection) {
        self.core = Some(core);
        self.perform(ctx);
        while self.core.is_some() {
            let Some(input) = self.pending.pop_front() else {
                break;
            };
            input(self, ctx);
        }
    }

    /// Runs `job` (view code) on the core on a view thread, then performs what it decided.
    /// Until then the actor handles nothing else: its inputs wait, in order.
    fn offload(&mut self, ctx: &mut Ctx, job: impl FnOnce(&mut Connection) + Send + 'static) {
        let Some(mut core) = self.core.take() else {
            return;
        };
        if core.is_closing() {
            self.core = Some(core);
            return;
        }
        let queued = self.outbox.queued_bytes();
        let (done, returned) = oneshot::channel();
        // View code may spawn tasks: it runs inside this worker's runtime, as on the I/O thread.
        let runtime = tokio::runtime::Handle::current();
        view_pool::run(move || {
            let _entered = runtime.enter();
            job(&mut core);
            core.check_budget(queued);
            let _ = done.send(core);
        });
        ctx.wait(
            wrap_future(returned).map(|done, actor: &mut Self, ctx| match done {
                Ok(core) => actor.returned(ctx, core),
                Err(_) => {
                    log::error!("djust: {}: view work failed (it panicked)", actor.id);
                    ctx.stop();
                }
            }),
        );
    }

    /// Performs what the core decided, in order; stops once it closes.
    fn perform(&mut self, ctx: &mut Ctx) {
        for action in self.core().take_actions() {
            let outbound = match action {
                Action::Send(text) => Outbound::Text(text),
                Action::Ping => Outbound::Ping,
                Action::Pong(bytes) => Outbound::Pong(bytes.into()),
                Action::Close { code, reason } => Outbound::Close(close_reason(code, reason)),
                Action::Timer { after, message } => {
                    ctx.run_later(after, move |actor, ctx| {
                        actor.input(ctx, |actor, ctx| {
                            actor.offload(ctx, move |core| core.deliver(message));
                        });
                    });
                    continue;
                }
            };
            match self.outbox.send(outbound) {
                Ok(()) => {}
                Err(Refused::Full) => {
                    log::warn!("djust: {}: client too slow, closing", self.id);
                    telemetry::slow_client_closed();
                    self.outbox
                        .abort(close_reason(ws_close::POLICY, "client too slow".into()));
                    self.core().transport_gone();
                }
                Err(Refused::Closed) => self.core().transport_gone(),
            }
        }
        if self.core().is_closing() {
            ctx.stop();
        }
    }
}

impl ConnectionActor {
    /// One WebSocket message.
    fn inbound(&mut self, ctx: &mut Ctx, item: Inbound) {
        let now = Instant::now();
        let core = self.core();
        match item {
            Inbound::Text(text) => return self.frame(ctx, &text),
            Inbound::Binary => core.on_signal(now, Signal::Binary),
            Inbound::Ping(bytes) => core.on_signal(now, Signal::Ping(bytes.to_vec())),
            Inbound::Pong => core.on_signal(now, Signal::Pong),
            Inbound::Close(reason) => {
                let code = reason.map(|reason| u16::from(reason.code));
                core.on_signal(now, Signal::Close(code));
            }
            Inbound::TooLarge => core.on_signal(now, Signal::TooLarge),
            Inbound::NotUtf8 => core.on_signal(now, Signal::NotUtf8),
            Inbound::Broken(why) => core.on_signal(now, Signal::Broken(why)),
        }
        self.perform(ctx);
    }

    /// One protocol frame: admitted and answered here when it needs no view code, else
    /// [offloaded](Self::offload).
    fn frame(&mut self, ctx: &mut Ctx, text: &[u8]) {
        let admitted = self.core().admit(Instant::now(), text);
        self.perform(ctx);
        if let Some(admitted) = admitted {
            self.offload(ctx, move |core| core.handle(admitted));
        }
    }
}

fn close_reason(code: u16, reason: String) -> CloseReason {
    CloseReason {
        code: CloseCode::from(code),
        description: (!reason.is_empty()).then_some(reason),
    }
}

impl Actor for ConnectionActor {
    type Context = Ctx;

    fn started(&mut self, ctx: &mut Ctx) {
        if let Some((stream, max_bytes)) = self.inbound.take() {
            ctx.add_stream(inbound::messages(stream, max_bytes));
        }
        self.core().connect();
        let interval = self.core().heartbeat_interval();
        ctx.run_interval(interval, |actor, ctx| {
            // On a view thread, as view code: the tick hibernates the views' kept trees
            // (`LiveDom::hibernate`), and memory is best freed and allocated where the renders
            // allocated it (the allocator's per-thread arenas).
            actor.input(ctx, |actor, ctx| {
                actor.offload(ctx, |core| core.tick(Instant::now()));
            });
        });
        self.perform(ctx);
        let initial = std::mem::take(&mut self.initial);
        if !initial.is_empty() {
            self.offload(ctx, move |core| {
                for frame in initial {
                    core.on_frame(Instant::now(), frame.as_bytes());
                }
            });
        }
    }

    fn stopped(&mut self, _ctx: &mut Ctx) {
        if let Some(core) = self.core.as_mut() {
            core.closed(Instant::now());
        }
        if let Some(on_stop) = self.on_stop.take() {
            on_stop();
        }
    }
}

impl Handler<Posted> for ConnectionActor {
    type Result = ();

    fn handle(&mut self, Posted(text): Posted, ctx: &mut Ctx) {
        self.input(ctx, move |actor, ctx| actor.frame(ctx, text.as_bytes()));
    }
}

impl Handler<Replaced> for ConnectionActor {
    type Result = ();

    fn handle(&mut self, _: Replaced, ctx: &mut Ctx) {
        self.input(ctx, |actor, ctx| {
            actor.core().on_signal(Instant::now(), Signal::Close(None));
            actor.perform(ctx);
        });
    }
}

impl StreamHandler<Inbound> for ConnectionActor {
    fn handle(&mut self, item: Inbound, ctx: &mut Ctx) {
        self.input(ctx, move |actor, ctx| actor.inbound(ctx, item));
    }

    fn finished(&mut self, ctx: &mut Ctx) {
        self.input(ctx, |_, ctx| ctx.stop());
    }
}

impl Handler<ViewMessage> for ConnectionActor {
    type Result = ();

    fn handle(&mut self, message: ViewMessage, ctx: &mut Ctx) {
        if Connection::is_confirmation(&message) {
            // A Redis write confirmed (no view code): released here, on the I/O thread.
            return self.input(ctx, move |actor, ctx| {
                actor.core().deliver(message);
                actor.perform(ctx);
            });
        }
        self.input(ctx, move |actor, ctx| {
            actor.offload(ctx, move |core| core.deliver(message));
        });
    }
}
