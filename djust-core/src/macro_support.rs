//! Support for the code `#[live_view]` and `#[events]` generate: the template and snapshot hook, handler
//! results, the compile-time check that a template only names handlers the view has, and the
//! one that the view's methods take contexts of its message type.

use std::fmt::Display;

use crate::{
    snapshot::{SnapshotError, SnapshotState},
    Context, EventError, MountContext, RenderError,
};

/// The template half of a view, implemented by `#[live_view]`; `#[events]` renders through it.
#[diagnostic::on_unimplemented(
    message = "`{Self}` has no template",
    label = "this view is not marked `#[live_view(template = \"...\")]`",
    note = "put `#[live_view(template = \"view.html\")]` on the struct `{Self}`"
)]
pub trait ViewTemplate {
    /// `LiveView::NAME`: the struct's module path and name.
    const NAME: &'static str;

    /// The `title = "..."` of `#[live_view]`, if any.
    const TITLE: Option<&'static str>;

    /// Renders the askama template into `out`.
    fn render_template(&self, out: &mut String) -> Result<(), RenderError>;

    /// `#[live_view(.., enable_state_snapshot)]` was given.
    const SNAPSHOT: bool;

    /// `#[live_view(.., after_remount = "...")]` (default: replay).
    const AFTER_REMOUNT: crate::AfterRemount = crate::AfterRemount::Replay;

    /// The public fields as JSON (`None` when not enabled or a field does not serialize).
    fn capture(&self) -> Option<serde_json::Map<String, serde_json::Value>>;

    /// The view with its public fields from `state` and its other fields `Default`.
    fn restore(state: &SnapshotState) -> Result<Self, SnapshotError>
    where
        Self: Sized;
}

/// What an `#[event]` handler may return: `()` or `Result<(), E>` with `E: Display`.
#[diagnostic::on_unimplemented(
    message = "an `#[event]` handler cannot return `{Self}`",
    label = "return `()` or `Result<(), E>` where `E: Display`"
)]
pub trait HandlerOutput {
    /// Turns the handler's return value into the result of `handle_event`.
    fn into_event_result(self, event: &str) -> Result<(), EventError>;
}

impl HandlerOutput for () {
    fn into_event_result(self, _event: &str) -> Result<(), EventError> {
        Ok(())
    }
}

impl<E: Display> HandlerOutput for Result<(), E> {
    fn into_event_result(self, event: &str) -> Result<(), EventError> {
        self.map_err(|error| EventError::Handler {
            event: event.to_owned(),
            message: error.to_string(),
        })
    }
}

/// Defines an identity trait over message types that passes a view's contexts (carrying its
/// `Info`) to a method that declares contexts of `Declared`: implemented only when the two are
/// the same type, so a mismatch is one error with the trait's message, where the method names
/// the context type; `$note` says where the view's `Info` comes from.
macro_rules! info_check {
    ($(#[doc = $doc:literal])* $name:ident, note = $note:literal) => {
        $(#[doc = $doc])*
        #[diagnostic::on_unimplemented(
            message = "this context carries `{Declared}` messages, but the view's message type \
                       is `{Self}`",
            label = "expected `{Self}` here",
            note = $note
        )]
        pub trait $name<Declared>: Sized {
            /// The handler's or `handle_info`'s `&mut Context`.
            fn context(ctx: &mut Context<Self>) -> &mut Context<Declared>;
            /// The `&mut MountContext` of `mount` and `restore_snapshot`.
            fn mount_context<'c, 'a>(
                ctx: &'c mut MountContext<'a, Self>,
            ) -> &'c mut MountContext<'a, Declared>;
            /// The `&MountContext` of `should_restore_snapshot`.
            fn shared_mount_context<'c, 'a>(
                ctx: &'c MountContext<'a, Self>,
            ) -> &'c MountContext<'a, Declared>;
        }

        impl<T> $name<T> for T {
            fn context(ctx: &mut Context<T>) -> &mut Context<T> {
                ctx
            }
            fn mount_context<'c, 'a>(
                ctx: &'c mut MountContext<'a, T>,
            ) -> &'c mut MountContext<'a, T> {
                ctx
            }
            fn shared_mount_context<'c, 'a>(
                ctx: &'c MountContext<'a, T>,
            ) -> &'c MountContext<'a, T> {
                ctx
            }
        }
    };
}

info_check! {
    /// The check for a view with `handle_info`, whose `Info` is `handle_info`'s message type.
    InfoFromHandleInfo,
    note = "the view's message type is the type of `msg` in its \
            `fn handle_info(&mut self, msg: {Self}, ..)`; every `Context` and `MountContext` of \
            the view carries that type"
}

info_check! {
    /// The check for a view without `handle_info`, whose `Info` is `()`.
    InfoWithoutHandleInfo,
    note = "the view has no `handle_info`, so its message type is `()`; write `()` here, or add \
            `fn handle_info(&mut self, msg: {Declared}, ctx: &mut Context<{Declared}>)` to its \
            `#[events]` block to receive `{Declared}` messages"
}

/// Panics (at compile time, when called from a `const`) unless `events` holds `handler`.
///
/// The message names the attribute, the handler, the view and the template (`place`:
/// ``"template `counter.html`"`` or `"the inline template"`), lists the view's handlers and
/// suggests one within edit distance 2.
pub const fn check_handler(events: &[&str], view: &str, place: &str, attr: &str, handler: &str) {
    let mut index = 0;
    while index < events.len() {
        if str_eq(events[index], handler) {
            return;
        }
        index += 1;
    }
    let mut msg = Message::new();
    msg.push(place);
    msg.push(" uses ");
    msg.push(attr);
    msg.push("=\"");
    msg.push(handler);
    msg.push("\" but `");
    msg.push(view);
    msg.push("` has no #[event] handler `");
    msg.push(handler);
    if events.is_empty() {
        msg.push("` (it has no handlers)");
    } else {
        msg.push("` (handlers: ");
        let mut index = 0;
        while index < events.len() {
            if index > 0 {
                msg.push(", ");
            }
            msg.push(events[index]);
            index += 1;
        }
        msg.push(")");
    }
    if let Some(guess) = closest(events, handler) {
        msg.push("; did you mean `");
        msg.push(guess);
        msg.push("`?");
    }
    panic!("{}", msg.as_str());
}

/// The handler closest to `name`, if one is within edit distance 2.
const fn closest<'a>(events: &[&'a str], name: &str) -> Option<&'a str> {
    let mut best = None;
    let mut best_distance = 3;
    let mut index = 0;
    while index < events.len() {
        let distance = edit_distance(events[index].as_bytes(), name.as_bytes());
        if distance < best_distance {
            best = Some(events[index]);
            best_distance = distance;
        }
        index += 1;
    }
    best
}

/// Longest name the suggestion compares; longer names get no suggestion.
const MAX_NAME: usize = 64;

/// Levenshtein distance over bytes (`usize::MAX` when a name is longer than [`MAX_NAME`]).
const fn edit_distance(a: &[u8], b: &[u8]) -> usize {
    if a.len() > MAX_NAME || b.len() > MAX_NAME {
        return usize::MAX;
    }
    let mut previous = [0; MAX_NAME + 1];
    let mut current = [0; MAX_NAME + 1];
    let mut j = 0;
    while j <= b.len() {
        previous[j] = j;
        j += 1;
    }
    let mut i = 1;
    while i <= a.len() {
        current[0] = i;
        let mut j = 1;
        while j <= b.len() {
            let substitution = previous[j - 1] + (a[i - 1] != b[j - 1]) as usize;
            let deletion = previous[j] + 1;
            let insertion = current[j - 1] + 1;
            current[j] = min(substitution, min(deletion, insertion));
            j += 1;
        }
        previous = current;
        i += 1;
    }
    previous[b.len()]
}

const fn min(a: usize, b: usize) -> usize {
    if a < b {
        a
    } else {
        b
    }
}

const fn str_eq(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    let mut index = 0;
    while index < a.len() {
        if a[index] != b[index] {
            return false;
        }
        index += 1;
    }
    true
}

/// A fixed-size text buffer usable in `const fn` (longer messages are cut at a char boundary).
struct Message {
    bytes: [u8; 1024],
    len: usize,
}

impl Message {
    const fn new() -> Self {
        Self {
            bytes: [0; 1024],
            len: 0,
        }
    }

    const fn push(&mut self, text: &str) {
        let text = text.as_bytes();
        let mut index = 0;
        while index < text.len() && self.len < self.bytes.len() {
            self.bytes[self.len] = text[index];
            self.len += 1;
            index += 1;
        }
        // Cut back to a char boundary if the buffer filled up inside a character.
        while index < text.len() && index > 0 && text[index] & 0xC0 == 0x80 {
            self.len -= 1;
            index -= 1;
        }
    }

    const fn as_str(&self) -> &str {
        match std::str::from_utf8(self.bytes.split_at(self.len).0) {
            Ok(text) => text,
            Err(_) => "",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edit_distance_counts_edits() {
        assert_eq!(edit_distance(b"increment", b"incremnt"), 1);
        assert_eq!(edit_distance(b"save", b"sav3x"), 2);
        assert_eq!(edit_distance(b"", b"abc"), 3);
        assert_eq!(
            closest(&["increment", "set_step"], "incremnt"),
            Some("increment")
        );
        assert_eq!(closest(&["increment"], "reset"), None);
    }

    #[test]
    fn known_handler_passes() {
        check_handler(
            &["increment"],
            "Counter",
            "template `counter.html`",
            "dj-click",
            "increment",
        );
    }

    #[test]
    fn unknown_handler_message() {
        let panic = std::panic::catch_unwind(|| {
            check_handler(
                &["increment", "set_step"],
                "Counter",
                "template `counter.html`",
                "dj-click",
                "incremnt",
            );
        })
        .expect_err("the handler is unknown");
        assert_eq!(
            panic.downcast_ref::<String>().map(String::as_str),
            Some(
                "template `counter.html` uses dj-click=\"incremnt\" but `Counter` has no \
                 #[event] handler `incremnt` (handlers: increment, set_step); \
                 did you mean `increment`?"
            )
        );
    }

    #[test]
    fn long_messages_are_cut_on_char_boundaries() {
        let mut msg = Message::new();
        msg.push(&"a".repeat(1023));
        msg.push("é");
        assert_eq!(msg.as_str().len(), 1023);
    }
}
