//! What a handler leaves for the next frame besides its render: a reply to the event, flash
//! messages, stream operations; and the page title's change tracking. The server puts them on
//! the frame with [`crate::protocol::FrameExtras`].

use serde::Serialize;
use serde_json::Value;

use crate::stream::StreamOp;

/// A flash message (`Context::put_flash`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Flash {
    /// `info`, `error`, … (the client shows an unknown or malformed kind as `info`).
    pub kind: String,
    /// Plain text.
    pub message: String,
}

/// The extras one handler run collected (taken with `Context::take_extras`).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Extras {
    /// The reply to the event being handled (`Context::reply`).
    pub reply: Option<Value>,
    /// Flash messages, in order.
    pub flash: Vec<Flash>,
    /// Stream operations, in order.
    pub streams: Vec<StreamOp>,
}

impl Extras {
    /// `true` when there is nothing to send.
    pub fn is_empty(&self) -> bool {
        self.reply.is_none() && self.flash.is_empty() && self.streams.is_empty()
    }

    /// Adds `later`'s flash and stream operations after these (a reply is kept only from the
    /// event's own run: `later`'s replaces it when set).
    pub fn merge(&mut self, later: Extras) {
        if later.reply.is_some() {
            self.reply = later.reply;
        }
        self.flash.extend(later.flash);
        self.streams.extend(later.streams);
    }
}

/// The last title sent for a view, so a frame carries `title` only when it changed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TitleTracker {
    sent: Option<String>,
}

impl TitleTracker {
    /// A tracker that has sent `title` (the mount's).
    pub fn new(title: Option<String>) -> Self {
        Self { sent: title }
    }

    /// The title to send now: `Some` when `current` (the view's `title()` after a handler)
    /// differs from the last one sent, which it becomes. A view that stops setting a title
    /// keeps the page's last one.
    pub fn changed(&mut self, current: Option<String>) -> Option<&str> {
        match current {
            Some(title) if self.sent.as_deref() != Some(title.as_str()) => {
                self.sent = Some(title);
                self.sent.as_deref()
            }
            _ => None,
        }
    }

    /// The last title sent (what the page shows), if any.
    pub fn current(&self) -> Option<&str> {
        self.sent.as_deref()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn title_is_sent_only_when_it_changes() {
        let mut titles = TitleTracker::new(Some("(0) Todos".into()));
        assert_eq!(titles.changed(Some("(0) Todos".into())), None);
        assert_eq!(titles.changed(Some("(1) Todos".into())), Some("(1) Todos"));
        assert_eq!(titles.changed(Some("(1) Todos".into())), None);
        assert_eq!(titles.changed(None), None);
        assert_eq!(titles.changed(Some("(0) Todos".into())), Some("(0) Todos"));
        let mut untitled = TitleTracker::default();
        assert_eq!(untitled.changed(Some("x".into())), Some("x"));
    }

    #[test]
    fn merge_keeps_order_and_the_latest_reply() {
        let flash = |m: &str| Flash {
            kind: "info".into(),
            message: m.into(),
        };
        let mut first = Extras {
            reply: Some(Value::from(1)),
            flash: vec![flash("a")],
            streams: Vec::new(),
        };
        first.merge(Extras {
            flash: vec![flash("b")],
            ..Extras::default()
        });
        assert_eq!(first.reply, Some(Value::from(1)));
        assert_eq!(first.flash, vec![flash("a"), flash("b")]);
        assert!(!first.is_empty());
        assert!(Extras::default().is_empty());
    }
}
