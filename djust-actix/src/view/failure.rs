//! [`Failure`]: the one vocabulary for what went wrong in a view's own code, whether it was
//! mounting or handling an event, and how each case is told to the client and the log.

use std::fmt;

use djust_core::{EventError, MountError};

/// Which call into the view's code failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Stage {
    /// `mount` (or a snapshot restore).
    Mount,
    /// An event handler or `handle_info`.
    Handler,
}

/// What went wrong in a view's code.
#[derive(Debug)]
pub(crate) enum Failure {
    /// `LiveView::mount` returned an error.
    MountRefused(MountError),
    /// The event was refused before its handler ran, or the handler returned `Err`.
    Event(EventError),
    /// The view's code panicked (the panic's message).
    Panicked(Stage, String),
    /// The render returned an error or panicked (message); the last DOM is kept.
    Render(String),
}

impl Failure {
    /// The `error` frame's `code` when this failure answers an event.
    pub(crate) fn code(&self) -> &'static str {
        match self {
            Self::MountRefused(_) | Self::Panicked(Stage::Mount, _) => "mount_failed",
            Self::Event(error) => error.code(),
            Self::Panicked(Stage::Handler, _) => "handler_panicked",
            Self::Render(_) => "render_failed",
        }
    }

    /// What the client is told: the view's own message for errors it returned, a fixed
    /// sentence for panics and render failures (their details go to the log only).
    pub(crate) fn public_message(&self) -> String {
        match self {
            Self::MountRefused(error) => error.message().to_owned(),
            Self::Event(error) => error.to_string(),
            Self::Panicked(Stage::Mount, _) => "the view panicked while mounting".to_owned(),
            Self::Panicked(Stage::Handler, _) => "the handler panicked".to_owned(),
            Self::Render(_) => "the view failed to render".to_owned(),
        }
    }

    /// The parameter an event failure is about, if any.
    pub(crate) fn param(&self) -> Option<&str> {
        match self {
            Self::Event(error) => error.param(),
            _ => None,
        }
    }

    /// `true` for failures the server should log as errors (panics and broken renders);
    /// refused mounts and events are the application's answers.
    pub(crate) fn is_bug(&self) -> bool {
        matches!(self, Self::Panicked(..) | Self::Render(_))
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::MountRefused(error) => write!(f, "{error}"),
            Self::Event(error) => write!(f, "{error}"),
            Self::Panicked(Stage::Mount, message) => write!(f, "mount panicked: {message}"),
            Self::Panicked(Stage::Handler, message) => write!(f, "handler panicked: {message}"),
            Self::Render(message) => write!(f, "render failed: {message}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn panics_and_render_failures_keep_their_details_out_of_the_public_message() {
        let panic = Failure::Panicked(Stage::Handler, "secret detail".into());
        assert_eq!(panic.code(), "handler_panicked");
        assert!(!panic.public_message().contains("secret"));
        assert!(panic.to_string().contains("secret detail"));
        let mount = Failure::Panicked(Stage::Mount, "x".into());
        assert_eq!(mount.code(), "mount_failed");
        assert_eq!(mount.public_message(), "the view panicked while mounting");
        assert!(Failure::Render("x".into()).is_bug());
        assert!(!Failure::MountRefused(MountError::new("no")).is_bug());
    }
}
