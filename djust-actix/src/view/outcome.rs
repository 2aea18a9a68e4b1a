//! What running a view's code produced: the update for the client, a failure, and the
//! commands (effects) the connection must carry out.

use std::{any::Any, time::Duration};

use djust_core::vdom::Update;

use super::Failure;

/// What a handler run produced.
pub(crate) struct Outcome {
    /// What went wrong, if anything (reported to the client as an `error` frame).
    pub(crate) failure: Option<Failure>,
    /// The update for the client; `None` when nothing was rendered (the event was refused
    /// before its handler ran, or the render failed).
    pub(crate) update: Option<Update>,
    /// Commands the handler queued (empty when it failed).
    pub(crate) effects: Vec<Effect>,
}

/// A command of a view, with its message type erased.
pub(crate) enum Effect {
    /// Deliver `info` to the view after `after`.
    SendAfter {
        after: Duration,
        info: Box<dyn Any + Send>,
    },
    /// Send a `push_event` frame.
    PushEvent {
        event: String,
        payload: serde_json::Value,
    },
    /// Navigate the page to the view at `url`.
    LiveRedirect { url: String },
    /// Change the page URL without changing views.
    LivePatch { url: String },
}

impl std::fmt::Debug for Effect {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::SendAfter { after, .. } => write!(f, "SendAfter({after:?})"),
            Self::PushEvent { event, .. } => write!(f, "PushEvent({event})"),
            Self::LiveRedirect { url } => write!(f, "LiveRedirect({url})"),
            Self::LivePatch { url } => write!(f, "LivePatch({url})"),
        }
    }
}
