//! HTML tokenizer, VDOM with stable ids, keyed diff and patch encoding.
//!
//! [`LiveDom`] is what the server keeps per mounted view: the last rendered tree with the ids
//! the client's DOM carries. [`LiveDom::update`] turns the next render into the smallest update.
//!
//! (Interim implementation: the real tokenizer and diff are being written; until then every
//! change is a full `html_update`.)

/// What the client must do to catch up with a new render.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Update {
    /// Nothing changed.
    Unchanged,
    /// Apply these patches (a JSON array, see `docs/protocol.md`).
    Patches(String),
    /// Replace the view's inner HTML with this (ids stamped).
    Html(String),
}

/// The server's copy of one view's DOM.
#[derive(Debug, Clone)]
pub struct LiveDom {
    html: String,
}

impl LiveDom {
    /// Builds the tree of a first render and stamps ids.
    pub fn new(html: String) -> Self {
        Self { html }
    }

    /// The view's inner HTML with `dj-id` stamped on every element.
    pub fn html(&self) -> String {
        self.html.clone()
    }

    /// Diffs a new render against the kept tree and keeps the new one.
    pub fn update(&mut self, html: String) -> Update {
        if html == self.html {
            return Update::Unchanged;
        }
        self.html = html;
        Update::Html(self.html.clone())
    }
}
