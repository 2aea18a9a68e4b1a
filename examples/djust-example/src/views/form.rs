//! `/form/`: the reconnection-resilient form. The server's copy of every field is shown on the
//! page, so what form recovery and `dj-auto-recover` bring back after a reconnect can be seen
//! (and checked by the browser tests, which restart the server mid-edit).

use std::collections::BTreeMap;

use djust_actix::prelude::*;

/// A post being written: title (`dj-change`), body (`dj-input`), a search box that is not
/// recovered (`dj-no-recover`), and a canvas whose cursor lives in a hidden field of a
/// `dj-auto-recover` section.
#[live_view(template = "form.html", title = "Form")]
#[derive(Debug, Default)]
pub struct Form {
    /// The title, as the server last received it.
    pub title: String,
    /// The body, as the server last received it.
    pub body: String,
    /// The search box (never recovered: a stale search is not worth re-running).
    pub search: String,
    /// The canvas cursor, moved by a button, restored by `restore_canvas`.
    pub cursor: u32,
    /// The canvas id the auto-recover handler received from `data-canvas-id`.
    pub canvas: String,
    /// How many times `restore_canvas` ran on this view.
    pub recoveries: u32,
    /// How many times the form was saved, and what the last save held.
    pub saves: u32,
    /// `title — body` of the last save.
    pub saved: String,
}

#[events]
impl Form {
    #[event]
    fn set_title(&mut self, value: String) {
        self.title = value;
    }

    #[event]
    fn set_body(&mut self, value: String) {
        self.body = value;
    }

    #[event]
    fn search(&mut self, value: String) {
        self.search = value;
    }

    #[event]
    fn move_cursor(&mut self) {
        self.cursor += 1;
    }

    /// The `dj-auto-recover` handler: called once after a reconnect with the section's form
    /// values and its `data-*` attributes.
    #[event]
    fn restore_canvas(
        &mut self,
        _form_values: BTreeMap<String, String>,
        _data_attrs: BTreeMap<String, String>,
    ) {
        if let Some(cursor) = _form_values.get("cursor").and_then(|c| c.parse().ok()) {
            self.cursor = cursor;
        }
        self.canvas = _data_attrs.get("canvas-id").cloned().unwrap_or_default();
        self.recoveries += 1;
    }

    #[event]
    fn save(&mut self, title: String, body: String) {
        self.title = title;
        self.body = body;
        self.saves += 1;
        self.saved = format!("{} — {}", self.title, self.body);
    }
}
