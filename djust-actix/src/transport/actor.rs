//! [`ConnectionActor`]: the thin actix shell around the connection core, shared by both
//! transports. It feeds the core what arrives — the WebSocket's messages, POSTed SSE frames,
//! heartbeat ticks, view messages and timers — and performs the core's actions on the
//! connection's [`Outbox`].

use std::time::Instant;

use actix::{Actor, ActorContext, Addr, AsyncContext, Handler, Message, StreamHandler};
use actix_ws::{CloseCode, CloseReason, MessageStream};

use super::{
    outbox::{Outbound, Outbox, Refused},
    sink::Sink,
    websocket::inbound::{self, Inbound},
};
use crate::{
    config::QueueLimits,
    connection::{ws_close, Action, Connection, Mailbox, Signal, ViewMessage},
};

type Ctx = actix::Context<ConnectionActor>;

/// One live connection (WebSocket or SSE) as an actor.
pub(crate) struct ConnectionActor {
    core: Connection,
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
            Self {
                core: make(mailbox),
                outbox: Outbox::start(start.sink, limits),
                inbound: start.inbound,
                initial: start.initial,
                on_stop: start.on_stop,
            }
        })
    }

    /// Performs what the core decided, in order; stops once it closes.
    fn perform(&mut self, ctx: &mut Ctx) {
        for action in self.core.take_actions() {
            let outbound = match action {
                Action::Send(text) => Outbound::Text(text),
                Action::Ping => Outbound::Ping,
                Action::Pong(bytes) => Outbound::Pong(bytes.into()),
                Action::Close { code, reason } => Outbound::Close(close_reason(code, reason)),
                Action::Timer { after, message } => {
                    ctx.run_later(after, move |actor, ctx| {
                        actor.core.deliver(message);
                        actor.perform(ctx);
                    });
                    continue;
                }
            };
            match self.outbox.send(outbound) {
                Ok(()) => {}
                Err(Refused::Full) => {
                    log::warn!("djust: {}: client too slow, closing", self.core.id());
                    self.outbox
                        .abort(close_reason(ws_close::POLICY, "client too slow".into()));
                    self.core.transport_gone();
                }
                Err(Refused::Closed) => self.core.transport_gone(),
            }
        }
        if self.core.is_closing() {
            ctx.stop();
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
        self.core.connect();
        let interval = self.core.heartbeat_interval();
        ctx.run_interval(interval, |actor, ctx| {
            actor.core.tick(Instant::now());
            actor.perform(ctx);
        });
        for frame in std::mem::take(&mut self.initial) {
            self.core.on_frame(Instant::now(), frame.as_bytes());
        }
        self.perform(ctx);
    }

    fn stopped(&mut self, _ctx: &mut Ctx) {
        self.core.closed(Instant::now());
        if let Some(on_stop) = self.on_stop.take() {
            on_stop();
        }
    }
}

impl Handler<Posted> for ConnectionActor {
    type Result = ();

    fn handle(&mut self, Posted(text): Posted, ctx: &mut Ctx) {
        self.core.on_frame(Instant::now(), text.as_bytes());
        self.perform(ctx);
    }
}

impl Handler<Replaced> for ConnectionActor {
    type Result = ();

    fn handle(&mut self, _: Replaced, ctx: &mut Ctx) {
        self.core.on_signal(Instant::now(), Signal::Close(None));
        self.perform(ctx);
    }
}

impl StreamHandler<Inbound> for ConnectionActor {
    fn handle(&mut self, item: Inbound, ctx: &mut Ctx) {
        let now = Instant::now();
        match item {
            Inbound::Text(text) => self.core.on_frame(now, &text),
            Inbound::Binary => self.core.on_signal(now, Signal::Binary),
            Inbound::Ping(bytes) => self.core.on_signal(now, Signal::Ping(bytes.to_vec())),
            Inbound::Pong => self.core.on_signal(now, Signal::Pong),
            Inbound::Close(reason) => {
                let code = reason.map(|reason| u16::from(reason.code));
                self.core.on_signal(now, Signal::Close(code));
            }
            Inbound::TooLarge => self.core.on_signal(now, Signal::TooLarge),
            Inbound::NotUtf8 => self.core.on_signal(now, Signal::NotUtf8),
            Inbound::Broken(why) => self.core.on_signal(now, Signal::Broken(why)),
        }
        self.perform(ctx);
    }

    fn finished(&mut self, ctx: &mut Ctx) {
        ctx.stop();
    }
}

impl Handler<ViewMessage> for ConnectionActor {
    type Result = ();

    fn handle(&mut self, message: ViewMessage, ctx: &mut Ctx) {
        self.core.deliver(message);
        self.perform(ctx);
    }
}
