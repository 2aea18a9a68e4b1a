//! What an interaction of the test kit returns when the server did not take it.

use std::fmt;

/// Why an event the test sent was not handled.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EventFailure {
    /// The server answered with an `error` frame (`code` as in `docs/protocol.md`:
    /// `unknown_event`, `missing_param`, `invalid_param`, `handler_error`, …).
    Server {
        /// The frame's `code`.
        code: String,
        /// The frame's `error` message.
        message: String,
        /// The parameter the error is about, if any.
        param: Option<String>,
    },
    /// Nothing was sent: the binding's `dj-key-filter` does not match the key (as a browser
    /// would, the kit sends nothing), the page is disconnected (a server message), or the
    /// view's outbox is full.
    NotSent(String),
    /// No answer yet: the page is disconnected, or the answer was lost on the way
    /// ([`LivePage::lose_server_frames`](super::LivePage::lose_server_frames)). The event
    /// waits in the view's outbox; after [`LivePage::reconnect`](super::LivePage::reconnect)
    /// it goes (again) unless the server acknowledges it was applied: applied once, as the
    /// client's.
    Pending(String),
}

impl EventFailure {
    /// The `error` frame's code, for [`EventFailure::Server`].
    pub fn code(&self) -> Option<&str> {
        match self {
            Self::Server { code, .. } => Some(code),
            Self::NotSent(_) | Self::Pending(_) => None,
        }
    }
}

impl fmt::Display for EventFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Server { code, message, .. } => {
                write!(f, "the server answered {code}: {message}")
            }
            Self::NotSent(why) => write!(f, "nothing was sent: {why}"),
            Self::Pending(why) => write!(f, "not answered yet: {why}"),
        }
    }
}

impl std::error::Error for EventFailure {}
