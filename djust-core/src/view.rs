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
pub trait LiveView: Sized + 'static {
    /// The message type [`LiveView::handle_info`] receives (`()` when the view takes none).
    type Info: Send + 'static;

    /// The view's name on the wire and in signed tokens (module path and type name).
    const NAME: &'static str;

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

/// What a handler may ask of the connection running its view.
#[derive(Debug)]
pub struct Context<I> {
    handle: Option<ViewHandle<I>>,
    commands: Vec<Command<I>>,
}

impl<I> Context<I> {
    /// A context for a view that has a live connection (`handle` reaches it).
    pub fn connected(handle: ViewHandle<I>) -> Self {
        Self {
            handle: Some(handle),
            commands: Vec::new(),
        }
    }

    /// A context for the HTTP render, where no connection exists yet.
    pub fn disconnected() -> Self {
        Self {
            handle: None,
            commands: Vec::new(),
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

    /// Takes the commands collected so far (used by the server).
    pub fn take_commands(&mut self) -> Vec<Command<I>> {
        std::mem::take(&mut self.commands)
    }
}

/// The request a view is mounted for: URL, query parameters, selected headers and the
/// application's shared data.
#[derive(Debug)]
pub struct MountContext<'a, I> {
    path: &'a str,
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
