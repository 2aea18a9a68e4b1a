//! HTML tokenizer, VDOM with stable ids, keyed diff and patch encoding.
//!
//! [`LiveDom`] is what the server keeps per mounted view: the last rendered tree with the ids
//! the client's DOM carries. [`LiveDom::update`] turns the next render into the smallest update.
//!
//! The pieces, usable on their own:
//! - [`tokenizer`]: a zero-copy HTML tokenizer (tokens are byte spans);
//! - [`Tree`]: the VDOM, a flat arena of spans into the owned source, written back with
//!   [`Tree::to_html`] with `dj-id` stamped on every element;
//! - [`diff`]: the keyed diff producing [`Patch`]es, and [`encode`] to JSON;
//! - [`entities`]: what the DOM holds for a piece of HTML text;
//! - [`mirror`]: a reference DOM the patches apply to, to check diffs without a browser.
//!
//! Input is a view's template output: the children of the view container. Templates must be
//! well formed (every non-void element closed, `<tbody>` written out, no block element inside
//! `<p>`), as the browser would otherwise build a different tree; see [`Tree`].
//!
//! The wire format of patches is described in `docs/protocol.md` ("Patches"); golden fixtures
//! in `djust-core/tests/fixtures/patches/` pin it for both test suites.

mod diff;
pub mod entities;
mod html;
pub mod landmarks;
pub mod mirror;
mod patch;
pub mod tokenizer;
mod tree;

pub use diff::{diff, Diff};
pub use patch::{encode, Patch};
pub use tree::{Children, IdAllocator, NodeIndex, Tree};

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
    tree: Tree,
    ids: IdAllocator,
}

impl LiveDom {
    /// Builds the tree of a first render and stamps ids.
    pub fn new(html: String) -> Self {
        let mut tree = Tree::parse(html);
        let mut ids = IdAllocator::new();
        tree.assign_ids(&mut ids);
        Self { tree, ids }
    }

    /// The view's inner HTML with `dj-id` stamped on every element.
    pub fn html(&self) -> String {
        self.tree.to_html()
    }

    /// The kept tree.
    pub fn tree(&self) -> &Tree {
        &self.tree
    }

    /// Diffs a new render against the kept tree and keeps the new one.
    ///
    /// [`Update::Unchanged`] when nothing the DOM shows changed; [`Update::Patches`] unless the
    /// encoded patches are longer than the new HTML (or a changed attribute holds a character
    /// reference only the browser can decode), then [`Update::Html`].
    pub fn update(&mut self, html: String) -> Update {
        if html == self.tree.src {
            return Update::Unchanged;
        }
        let mut new = Tree::parse(html);
        let d = diff(&self.tree, &mut new, &mut self.ids);
        self.tree = new;
        if d.patches.is_empty() && !d.needs_html {
            return Update::Unchanged;
        }
        if !d.needs_html {
            let json = encode(&d.patches);
            // Patches are usually far smaller than the page: count the HTML only when close.
            if json.len() <= self.tree.src.len() / 2 || json.len() <= self.tree.html_len() {
                return Update::Patches(json);
            }
        }
        Update::Html(self.tree.to_html())
    }
}
