//! Errors a view reports: on mount, on render, on events.

use std::fmt;

/// Why an event could not be handled. Each variant maps to an `error` frame `code`
/// (see `docs/protocol.md`); the view's state is unchanged unless the handler itself ran.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum EventError {
    /// The view has no handler of that name.
    UnknownEvent {
        /// The event name the client sent.
        event: String,
    },
    /// A required parameter is missing.
    MissingParam {
        /// The event name.
        event: String,
        /// The parameter's name.
        param: String,
    },
    /// A parameter is present but does not deserialize into the handler's type.
    InvalidParam {
        /// The event name.
        event: String,
        /// The parameter's name.
        param: String,
        /// What serde said.
        reason: String,
    },
    /// The handler ran and returned an error.
    Handler {
        /// The event name.
        event: String,
        /// The handler's error, displayed.
        message: String,
    },
}

impl EventError {
    /// The wire `code` of this error.
    pub fn code(&self) -> &'static str {
        match self {
            Self::UnknownEvent { .. } => "unknown_event",
            Self::MissingParam { .. } => "missing_param",
            Self::InvalidParam { .. } => "invalid_param",
            Self::Handler { .. } => "handler_error",
        }
    }

    /// The event name the error is about.
    pub fn event(&self) -> &str {
        match self {
            Self::UnknownEvent { event }
            | Self::MissingParam { event, .. }
            | Self::InvalidParam { event, .. }
            | Self::Handler { event, .. } => event,
        }
    }

    /// The parameter the error is about, if any.
    pub fn param(&self) -> Option<&str> {
        match self {
            Self::MissingParam { param, .. } | Self::InvalidParam { param, .. } => Some(param),
            Self::UnknownEvent { .. } | Self::Handler { .. } => None,
        }
    }
}

impl fmt::Display for EventError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::UnknownEvent { event } => write!(f, "unknown event `{event}`"),
            Self::MissingParam { event, param } => {
                write!(f, "event `{event}`: missing parameter `{param}`")
            }
            Self::InvalidParam {
                event,
                param,
                reason,
            } => write!(f, "event `{event}`: invalid parameter `{param}`: {reason}"),
            Self::Handler { event, message } => write!(f, "event `{event}` failed: {message}"),
        }
    }
}

impl std::error::Error for EventError {}

/// A view refused to mount (for example, a missing record or a denied permission).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MountError {
    message: String,
}

impl MountError {
    /// A mount error with a message safe to show to the client.
    pub fn new(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
        }
    }

    /// The message.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for MountError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "mount failed: {}", self.message)
    }
}

impl std::error::Error for MountError {}

/// A template failed to render.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RenderError {
    message: String,
}

impl RenderError {
    /// A render error with a message.
    pub fn new(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
        }
    }
}

impl fmt::Display for RenderError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "render failed: {}", self.message)
    }
}

impl std::error::Error for RenderError {}
