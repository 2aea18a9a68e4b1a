//! The [`LiveView`] trait and the contexts a view sees.
//!
//! A view is created by [`LiveView::mount`], rendered by [`LiveView::render`] and changed by
//! [`LiveView::handle_event`] (client events) and [`LiveView::handle_info`] (messages the server
//! sends to it on its own: timers, broadcasts, other parts of the application). Everything a
//! handler asks of the connection (a timer, a client-side event) is collected in a [`Context`]
//! and carried out by the server once the handler has returned, so this crate stays free of I/O.

use std::{fmt, sync::Arc, time::Duration};

use serde_json::{Map, Value};

use crate::{
    snapshot::{SnapshotError, SnapshotState, DEFAULT_RESTORE_AGE},
    stream::{render_batch, StreamItem, StreamOp, StreamOptions},
    toolbox::{Extras, Flash},
    DataMap, EventError, MountError, Params, RenderError,
};

/// A server-rendered view whose state lives in a Rust struct.
///
/// Implemented by `#[events]` for a struct marked `#[live_view(template = "...")]`; write it by
/// hand only when you need something the macros cannot express.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a live view",
    label = "no `#[events] impl` for this view",
    note = "put `#[events]` on an `impl {Self} {{ ... }}` block (it may be empty) next to `#[live_view(...)]`"
)]
pub trait LiveView: Sized + Send + 'static {
    /// The message type [`LiveView::handle_info`] receives (`()` when the view takes none).
    type Info: Send + 'static;

    /// The view's name on the wire and in signed tokens (module path and type name).
    const NAME: &'static str;

    /// What the view does with events replayed after a remount (default:
    /// [`AfterRemount::Replay`]).
    const AFTER_REMOUNT: AfterRemount = AfterRemount::Replay;

    /// The names of the view's event handlers, in declaration order.
    const EVENTS: &'static [&'static str];

    /// Builds the view's initial state from the request.
    ///
    /// Runs twice per page: once for the HTTP render (`ctx.is_connected()` is `false`) and once
    /// when the browser's socket mounts the live view.
    fn mount(ctx: &mut MountContext<'_, Self::Info>) -> Result<Self, MountError>;

    /// Appends the view's HTML (its template output, without the container) to `out`.
    fn render(&self, out: &mut String) -> Result<(), RenderError>;

    /// Runs the handler named `event` with `params`.
    fn handle_event(
        &mut self,
        event: &str,
        params: &Params,
        ctx: &mut Context<Self::Info>,
    ) -> Result<(), EventError>;

    /// Receives a message sent to this view through a [`ViewHandle`] or [`Context::send_after`].
    fn handle_info(&mut self, info: Self::Info, ctx: &mut Context<Self::Info>) {
        let _ = (info, ctx);
    }

    /// The page title, if the view sets one.
    fn title(&self) -> Option<String> {
        None
    }

    /// `true` when the view opted into state snapshots (`#[live_view(.., enable_state_snapshot)]`).
    const SNAPSHOT: bool = false;

    /// The public state a snapshot carries (`None` unless the view opted into snapshots).
    fn snapshot(&self) -> Option<Map<String, Value>> {
        None
    }

    /// Builds the view from a verified snapshot instead of calling [`LiveView::mount`]. The
    /// generated default assigns every public field from the snapshot and gives every other
    /// field its `Default`; an error falls back to `mount`.
    fn restore_snapshot(
        state: &SnapshotState,
        ctx: &mut MountContext<'_, Self::Info>,
    ) -> Result<Self, SnapshotError> {
        let _ = (state, ctx);
        Err(SnapshotError::Shape(
            "the view does not restore snapshots".into(),
        ))
    }

    /// Whether a verified snapshot is restored rather than the view mounted afresh (default:
    /// when it is younger than five minutes).
    fn should_restore_snapshot(state: &SnapshotState, ctx: &MountContext<'_, Self::Info>) -> bool {
        let _ = ctx;
        state.age() < DEFAULT_RESTORE_AGE
    }
}

/// An address that delivers messages to one mounted view, from any thread.
///
/// Obtained from [`Context::handle`]; store it wherever the application keeps its listeners
/// (see [`crate::pubsub::Topic`]). Sending to a view that has gone away returns `false`.
pub struct ViewHandle<I> {
    deliver: Arc<dyn Fn(I) -> bool + Send + Sync>,
}

impl<I> ViewHandle<I> {
    /// Wraps a delivery function (the server builds handles; applications only use them).
    pub fn new(deliver: impl Fn(I) -> bool + Send + Sync + 'static) -> Self {
        Self {
            deliver: Arc::new(deliver),
        }
    }

    /// Delivers `info` to the view; `false` when the view is gone.
    pub fn send(&self, info: I) -> bool {
        (self.deliver)(info)
    }
}

impl<I> Clone for ViewHandle<I> {
    fn clone(&self) -> Self {
        Self {
            deliver: Arc::clone(&self.deliver),
        }
    }
}

impl<I> fmt::Debug for ViewHandle<I> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ViewHandle").finish_non_exhaustive()
    }
}

/// Something a handler asked the server to do once it returns.
#[derive(Debug)]
#[non_exhaustive]
pub enum Command<I> {
    /// Deliver `info` to this view's `handle_info` after `after`.
    SendAfter {
        /// Delay before delivery.
        after: Duration,
        /// The message.
        info: I,
    },
    /// Send a `push_event` frame to the client-side hooks.
    PushEvent {
        /// Event name.
        event: String,
        /// JSON payload.
        payload: serde_json::Value,
    },
    /// Navigate the page to another live view, over the open connection.
    LiveRedirect {
        /// The URL (path and query) of the page to show.
        url: String,
    },
    /// Change the page URL (history entry) without changing views.
    LivePatch {
        /// The new URL (path and query).
        url: String,
    },
}

/// What the server knows about the client event a handler is running for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventMeta {
    /// A stable id of the event: the same every time the client sends it again.
    pub id: String,
    /// `Some(revision)` when the event is a replay, after a remount, of an event the user made
    /// against revision `revision` of a state that is gone.
    pub replay_of: Option<u64>,
}

/// What a view does with the events it receives again after a remount (its view session was
/// lost: expired, evicted, server restarted), which the user made against the state that is
/// gone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum AfterRemount {
    /// Run their handlers on the new state; [`Context::replay_of`] tells them (the default).
    #[default]
    Replay,
    /// Refuse them (`not_applied`): the client reports them to the page as not applied.
    Drop,
}

/// What a handler may ask of the connection running its view.
#[derive(Debug)]
pub struct Context<I> {
    handle: Option<ViewHandle<I>>,
    commands: Vec<Command<I>>,
    extras: Extras,
    event: Option<EventMeta>,
}

impl<I> Context<I> {
    /// A context for a view that has a live connection (`handle` reaches it).
    pub fn connected(handle: ViewHandle<I>) -> Self {
        Self {
            handle: Some(handle),
            commands: Vec::new(),
            extras: Extras::default(),
            event: None,
        }
    }

    /// A context for the HTTP render, where no connection exists yet.
    pub fn disconnected() -> Self {
        Self {
            handle: None,
            commands: Vec::new(),
            extras: Extras::default(),
            event: None,
        }
    }

    /// `true` when the view runs over a live connection (not the first HTTP render).
    pub fn is_connected(&self) -> bool {
        self.handle.is_some()
    }

    /// An address other parts of the application can send messages to; `None` before the
    /// view is connected.
    pub fn handle(&self) -> Option<ViewHandle<I>> {
        self.handle.clone()
    }

    /// Delivers `info` to this view's `handle_info` after `after` (ignored when disconnected).
    pub fn send_after(&mut self, after: Duration, info: I) {
        if self.is_connected() {
            self.commands.push(Command::SendAfter { after, info });
        }
    }

    /// Sends a `push_event` frame to the client (ignored when disconnected).
    pub fn push_event(&mut self, event: impl Into<String>, payload: serde_json::Value) {
        if self.is_connected() {
            self.commands.push(Command::PushEvent {
                event: event.into(),
                payload,
            });
        }
    }

    /// Navigates the page to the live view at `url` (path and query) without a page load: the
    /// page's views are replaced and the browser's history gets an entry (ignored when
    /// disconnected).
    pub fn live_redirect(&mut self, url: impl Into<String>) {
        if self.is_connected() {
            self.commands
                .push(Command::LiveRedirect { url: url.into() });
        }
    }

    /// Changes the page URL to `url` (a new history entry) without changing views (ignored when
    /// disconnected).
    pub fn live_patch(&mut self, url: impl Into<String>) {
        if self.is_connected() {
            self.commands.push(Command::LivePatch { url: url.into() });
        }
    }

    /// The stable id of the client event being handled (`"<view session>:<seq>"`), the same
    /// when the client sends the event again after a drop: key external writes by it to make
    /// them idempotent. `None` outside event handlers, or for a client that does not number
    /// its events.
    pub fn event_id(&self) -> Option<&str> {
        self.event.as_ref().map(|event| event.id.as_str())
    }

    /// `Some(revision)` when the event being handled is a replay after a remount: the user made
    /// it against revision `revision` of a state that is gone (see [`AfterRemount`]).
    pub fn replay_of(&self) -> Option<u64> {
        self.event.as_ref().and_then(|event| event.replay_of)
    }

    /// Sets what the server knows of the event about to be handled (used by the server).
    pub fn set_event(&mut self, event: Option<EventMeta>) {
        self.event = event;
    }

    /// Takes the commands collected so far (used by the server).
    pub fn take_commands(&mut self) -> Vec<Command<I>> {
        std::mem::take(&mut self.commands)
    }

    /// Answers the event being handled with `value`: a hook's `pushEvent` resolves with it (the
    /// last call wins; ignored outside an event's handler and when disconnected).
    pub fn reply(&mut self, value: serde_json::Value) {
        if self.is_connected() {
            self.extras.reply = Some(value);
        }
    }

    /// Shows flash message `message` of `kind` (`info`, `error`, …) on the page, after this
    /// handler's render; it survives a live navigation the handler asks for (ignored when
    /// disconnected).
    pub fn put_flash(&mut self, kind: impl Into<String>, message: impl Into<String>) {
        if self.is_connected() {
            self.extras.flash.push(Flash {
                kind: kind.into(),
                message: message.into(),
            });
        }
    }

    /// Appends `items` to stream `name` (the `[dj-stream="name"]` container); each is rendered
    /// now and not kept (ignored when disconnected).
    pub fn stream<T: StreamItem>(
        &mut self,
        name: &str,
        items: impl IntoIterator<Item = T>,
    ) -> Result<(), RenderError> {
        self.stream_with(name, items, StreamOptions::default())
    }

    /// Streams `items` with `options`: a position, a limit, a reset first.
    pub fn stream_with<T: StreamItem>(
        &mut self,
        name: &str,
        items: impl IntoIterator<Item = T>,
        options: StreamOptions,
    ) -> Result<(), RenderError> {
        if self.is_connected() {
            let ops = render_batch(name, items, options)?;
            self.extras.streams.extend(ops);
        }
        Ok(())
    }

    /// Removes the items of `dom_ids` from stream `name`.
    pub fn stream_delete<S: Into<String>>(
        &mut self,
        name: &str,
        dom_ids: impl IntoIterator<Item = S>,
    ) {
        if self.is_connected() {
            self.extras.streams.push(StreamOp::Delete {
                stream: name.to_owned(),
                ids: dom_ids.into_iter().map(Into::into).collect(),
            });
        }
    }

    /// Empties stream `name`.
    pub fn stream_reset(&mut self, name: &str) {
        if self.is_connected() {
            self.extras.streams.push(StreamOp::Reset {
                stream: name.to_owned(),
            });
        }
    }

    /// Takes the reply, flash messages and stream operations collected so far (used by the
    /// server, for the frame of this handler's render).
    pub fn take_extras(&mut self) -> Extras {
        std::mem::take(&mut self.extras)
    }
}

/// The request a view is mounted for: URL, query parameters, selected headers and the
/// application's shared data.
#[derive(Debug)]
pub struct MountContext<'a, I> {
    path: &'a str,
    path_params: Vec<(String, String)>,
    query: Vec<(String, String)>,
    headers: &'a [(String, String)],
    data: &'a DataMap,
    context: Context<I>,
}

impl<'a, I> MountContext<'a, I> {
    /// Builds a mount context for `url` (path and optional query string).
    pub fn new(
        url: &'a str,
        headers: &'a [(String, String)],
        data: &'a DataMap,
        context: Context<I>,
    ) -> Self {
        let (path, query) = url.split_once('?').unwrap_or((url, ""));
        Self {
            path,
            path_params: Vec::new(),
            query: crate::params::parse_query(query),
            headers,
            data,
            context,
        }
    }

    /// The URL path the view is mounted at (`/counter/`).
    pub fn path(&self) -> &str {
        self.path
    }

    /// Sets the parameters the page route's pattern matched in the path (`/todos/{id}/` at
    /// `/todos/7/` → `[("id", "7")]`, decoded; used by the server).
    pub fn with_path_params(mut self, params: Vec<(String, String)>) -> Self {
        self.path_params = params;
        self
    }

    /// The value of path parameter `name` of the page route (`/todos/{id}/`), decoded.
    pub fn path_param(&self, name: &str) -> Option<&str> {
        self.path_params
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
    }

    /// All path parameters, in pattern order.
    pub fn path_params(&self) -> &[(String, String)] {
        &self.path_params
    }

    /// The first value of query parameter `name`, decoded.
    pub fn query(&self, name: &str) -> Option<&str> {
        self.query
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
    }

    /// All query parameters in order, decoded.
    pub fn query_pairs(&self) -> &[(String, String)] {
        &self.query
    }

    /// The value of request header `name` (case-insensitive), if the server passed it on.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(key, _)| key.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str())
    }

    /// Shared application data registered with the server (see [`DataMap`]).
    pub fn data<T: Send + Sync + 'static>(&self) -> Option<&T> {
        self.data.get::<T>()
    }

    /// Shared application data of type `T`, or a mount error naming `T` and the types that
    /// are registered: `let room = ctx.require_data::<Arc<Room>>()?;`.
    pub fn require_data<T: Send + Sync + 'static>(&self) -> Result<&T, MountError> {
        self.data
            .require::<T>()
            .map_err(|missing| MountError::new(missing.to_string()))
    }

    /// The handler context: timers, handles, client events.
    pub fn context(&mut self) -> &mut Context<I> {
        &mut self.context
    }

    /// `true` when mounting over a live connection.
    pub fn is_connected(&self) -> bool {
        self.context.is_connected()
    }

    /// Gives back the handler context once mount is done (used by the server).
    pub fn into_context(self) -> Context<I> {
        self.context
    }
}
