//! JS commands: DOM operations the client runs without a round trip (see `docs/protocol.md`,
//! "JS commands").
//!
//! A [`JS`] is a list of commands rendered into a binding attribute; the template escapes it like
//! any value:
//!
//! ```
//! use djust_core::js::JS;
//! let open = JS::new().add_class("open").to("#modal").push("opened");
//! assert_eq!(
//!     open.to_string(),
//!     r##"[["add_class",{"names":["open"],"to":"#modal"}],["push",{"event":"opened"}]]"##
//! );
//! // In a template: <button dj-click="{{ open }}">Open</button>
//! ```
//!
//! Each command acts on the element the binding is on, or on every element a selector matches
//! when followed by [`JS::to`]. What `show`, `hide`, `toggle`, the class and the attribute
//! commands do is sticky: a later server patch of the same element does not undo it.

use std::{fmt, time::Duration};

use serde_json::{json, Map, Value};

/// A list of JS commands, built by chaining; renders (`Display`) as the JSON the client runs.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct JS {
    commands: Vec<(&'static str, Map<String, Value>)>,
}

impl JS {
    /// No commands yet.
    pub fn new() -> Self {
        Self::default()
    }

    fn command(mut self, kind: &'static str, args: Value) -> Self {
        let Value::Object(args) = args else {
            unreachable!("command arguments are built as objects")
        };
        self.commands.push((kind, args));
        self
    }

    /// Sets an argument of the last command (a no-op before the first command).
    fn arg(mut self, name: &str, value: Value) -> Self {
        if let Some((_, args)) = self.commands.last_mut() {
            args.insert(name.to_owned(), value);
        }
        self
    }

    /// Makes the last command act on every element `selector` matches instead of the bound one.
    pub fn to(self, selector: impl Into<String>) -> Self {
        self.arg("to", Value::String(selector.into()))
    }

    /// Shows the element (`display: block`; see [`JS::display`]).
    pub fn show(self) -> Self {
        self.command("show", json!({}))
    }

    /// Hides the element (`display: none`).
    pub fn hide(self) -> Self {
        self.command("hide", json!({}))
    }

    /// Shows the element when it is hidden, else hides it.
    pub fn toggle(self) -> Self {
        self.command("toggle", json!({}))
    }

    /// The `display` value the last `show` or `toggle` uses (`flex`, `grid`, …).
    pub fn display(self, display: impl Into<String>) -> Self {
        self.arg("display", Value::String(display.into()))
    }

    /// Adds the classes (space-separated) to the element.
    pub fn add_class(self, names: &str) -> Self {
        self.command("add_class", json!({ "names": split(names) }))
    }

    /// Removes the classes (space-separated).
    pub fn remove_class(self, names: &str) -> Self {
        self.command("remove_class", json!({ "names": split(names) }))
    }

    /// Adds each class the element lacks and removes each it has.
    pub fn toggle_class(self, names: &str) -> Self {
        self.command("toggle_class", json!({ "names": split(names) }))
    }

    /// Adds the classes for `time`, then removes them (an animation).
    pub fn transition(self, names: &str, time: Duration) -> Self {
        self.command(
            "transition",
            json!({ "names": split(names), "time": millis(time) }),
        )
    }

    /// Runs the last `show` or `hide` with the classes `names` added for `time`.
    pub fn with_transition(self, names: &str, time: Duration) -> Self {
        self.arg("transition", json!(split(names)))
            .arg("time", json!(millis(time)))
    }

    /// Sets attribute `name` to `value`.
    pub fn set_attr(self, name: &str, value: &str) -> Self {
        self.command("set_attr", json!({ "attr": [name, value] }))
    }

    /// Removes attribute `name`.
    pub fn remove_attr(self, name: &str) -> Self {
        self.command("remove_attr", json!({ "attr": name }))
    }

    /// Dispatches a bubbling `CustomEvent` named `event` on the element.
    pub fn dispatch(self, event: &str) -> Self {
        self.command("dispatch", json!({ "event": event }))
    }

    /// The `detail` of the last `dispatch`.
    pub fn detail(self, detail: Value) -> Self {
        self.arg("detail", detail)
    }

    /// Sends event `event` to the view, with the binding's parameters (`dj-value-*`, form
    /// fields, key).
    pub fn push(self, event: &str) -> Self {
        self.command("push", json!({ "event": event }))
    }

    /// Parameters the last `push` adds (an object).
    pub fn value(self, value: Map<String, Value>) -> Self {
        self.arg("value", Value::Object(value))
    }

    /// Focuses the element (the first one the selector matches).
    pub fn focus(self) -> Self {
        self.command("focus", json!({}))
    }

    /// Navigates to `href` over the live connection (a page load when disconnected).
    pub fn navigate(self, href: &str) -> Self {
        self.command("navigate", json!({ "href": href }))
    }

    /// The last `navigate` replaces the history entry instead of adding one.
    pub fn replace(self) -> Self {
        self.arg("replace", Value::Bool(true))
    }

    /// `true` when no command was added.
    pub fn is_empty(&self) -> bool {
        self.commands.is_empty()
    }
}

fn split(names: &str) -> Vec<&str> {
    names.split_whitespace().collect()
}

fn millis(time: Duration) -> u64 {
    u64::try_from(time.as_millis()).unwrap_or(u64::MAX)
}

impl fmt::Display for JS {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let list: Vec<(&str, &Map<String, Value>)> = self
            .commands
            .iter()
            .map(|(kind, args)| (*kind, args))
            .collect();
        let json = serde_json::to_string(&list).map_err(|_| fmt::Error)?;
        f.write_str(&json)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_every_command_as_the_client_reads_it() {
        let js = JS::new()
            .show()
            .display("flex")
            .with_transition("fade-in", Duration::from_millis(150))
            .to("#m")
            .hide()
            .toggle()
            .add_class("a  b")
            .remove_class("c")
            .toggle_class("d")
            .transition("pulse", Duration::from_millis(300))
            .set_attr("aria-expanded", "true")
            .remove_attr("hidden")
            .dispatch("opened")
            .detail(json!({"n": 1}))
            .push("save")
            .value(json!({"draft": true}).as_object().unwrap().clone())
            .focus()
            .to("#f")
            .navigate("/todos/")
            .replace();
        let parsed: Value = serde_json::from_str(&js.to_string()).unwrap();
        assert_eq!(
            parsed,
            json!([
                ["show", {"display": "flex", "transition": ["fade-in"], "time": 150, "to": "#m"}],
                ["hide", {}],
                ["toggle", {}],
                ["add_class", {"names": ["a", "b"]}],
                ["remove_class", {"names": ["c"]}],
                ["toggle_class", {"names": ["d"]}],
                ["transition", {"names": ["pulse"], "time": 300}],
                ["set_attr", {"attr": ["aria-expanded", "true"]}],
                ["remove_attr", {"attr": "hidden"}],
                ["dispatch", {"event": "opened", "detail": {"n": 1}}],
                ["push", {"event": "save", "value": {"draft": true}}],
                ["focus", {"to": "#f"}],
                ["navigate", {"href": "/todos/", "replace": true}],
            ])
        );
    }

    #[test]
    fn starts_with_a_bracket_and_escapes_like_json() {
        let js = JS::new().push("say \"hi\" </script>");
        assert!(js.to_string().starts_with('['));
        assert_eq!(
            serde_json::from_str::<Value>(&js.to_string()).unwrap()[0][1]["event"],
            "say \"hi\" </script>"
        );
        assert!(JS::new().is_empty());
        assert_eq!(
            JS::new().to("#x").to_string(),
            "[]",
            "a modifier alone adds nothing"
        );
    }
}
