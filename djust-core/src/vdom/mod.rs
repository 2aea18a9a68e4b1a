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
//! Input is a view's template output: the children of the view container. The tree is built
//! as the browser builds it (implied end tags, implied `<tbody>`…); where the browser would
//! rebuild markup in a way the builder does not follow, the tree records a [`Divergence`] and
//! the view is updated with whole HTML. Patches carry each parent's expected child count, so a
//! client whose DOM still differs refuses them and asks for the HTML; [`LiveDom::refused`]
//! then switches the view to whole-HTML updates for a while. `docs/templates.md` says what
//! templates may contain.
//!
//! The wire format of patches is described in `docs/protocol.md` ("Patches"); golden fixtures
//! in `djust-core/tests/fixtures/patches/` pin it for both test suites.

mod build;
mod diff;
pub mod entities;
mod html;
pub mod landmarks;
pub mod mirror;
mod patch;
mod tags;
pub mod tokenizer;
mod tree;

pub use build::ShapeError;
pub use diff::{diff, Diff};
pub use patch::{encode, Patch};
pub use tree::{Children, Divergence, IdAllocator, NodeIndex, Tree};

/// Where HTML (a template's output) is not built as written: every place the browser would
/// build a different tree than [`Tree`] does (see [`Tree::divergence`]), and the markup both
/// build the same way but only by repairing it (tags the parser ignores, an element closed
/// without its end tag other than those HTML lets you leave out, a `<button>`, `<form>` or
/// heading inside its own kind, HTML inside `<svg>`/`<math>`). The `#[live_view]` macro
/// refuses templates that render any of these.
pub fn check_shape(html: &str) -> Vec<ShapeError> {
    let mut b = build::Builder::strict(html.len() / 20 + 1);
    b.run(html);
    b.shape_errors.unwrap_or_default()
}

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

/// How many updates after the first refusal are sent as whole HTML; each further refusal
/// doubles it (so a view whose tree the builder gets wrong is refused a logarithmic number of
/// times, not on every event).
pub const HTML_UPDATES_AFTER_REFUSAL: u32 = 16;

/// The server's copy of one view's DOM.
#[derive(Debug, Clone)]
pub struct LiveDom {
    tree: Tree,
    ids: IdAllocator,
    /// Updates still to send as whole HTML after a refusal.
    html_updates: u32,
    /// How many times the client refused patches.
    refusals: u32,
    /// A message for the developer, not yet taken.
    notice: Option<String>,
    /// Whether a notice was ever produced (one per view).
    noticed: bool,
}

impl LiveDom {
    /// Builds the tree of a first render and stamps ids.
    pub fn new(html: String) -> Self {
        let mut tree = Tree::parse(html);
        let mut ids = IdAllocator::new();
        tree.assign_ids(&mut ids);
        let mut dom = Self {
            tree,
            ids,
            html_updates: 0,
            refusals: 0,
            notice: None,
            noticed: false,
        };
        dom.notice_divergence();
        dom
    }

    /// The client refused a patch (its DOM is not the kept tree; it asks for the HTML, which
    /// [`LiveDom::html`] gives). The next updates are whole HTML: 16 after the first refusal,
    /// twice as many after each further one. `reason`: what the client reported, for the
    /// developer notice.
    pub fn refused(&mut self, reason: Option<&str>) {
        self.refusals = self.refusals.saturating_add(1);
        let shift = (self.refusals - 1).min(16);
        self.html_updates = HTML_UPDATES_AFTER_REFUSAL.saturating_mul(1 << shift);
        if !self.noticed {
            self.noticed = true;
            self.notice = Some(format!(
                "the browser's DOM differs from the server's tree ({}); sending whole HTML for the next {} updates",
                reason.unwrap_or("patch refused"),
                self.html_updates
            ));
        }
    }

    /// Whether updates are sent as whole HTML now (after a refusal, or while the kept tree
    /// is not the browser's).
    pub fn html_only(&self) -> bool {
        self.html_updates > 0 || self.tree.divergence().is_some()
    }

    /// A message for the developer the first time this view's tree and the browser's part
    /// (where, and why), once per view. Log it in development.
    pub fn take_notice(&mut self) -> Option<String> {
        self.notice.take()
    }

    fn notice_divergence(&mut self) {
        let Some(d) = self.tree.divergence() else {
            return;
        };
        if self.noticed {
            return;
        }
        self.noticed = true;
        let src = self.tree.source();
        let line = src[..d.at].matches('\n').count() + 1;
        let start = src[..d.at].rfind('\n').map_or(0, |p| p + 1);
        let end = src[d.at..].find('\n').map_or(src.len(), |p| d.at + p);
        let snippet: String = src[start..end].chars().take(120).collect();
        self.notice = Some(format!(
            "line {line} of the rendered HTML: {}; this view is updated with whole HTML while it renders this: {}",
            d.what,
            snippet.trim()
        ));
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
        let diverged = self.tree.divergence().is_some() || new.divergence().is_some();
        // Where the browser's DOM is not the tree, equal trees are not enough: only the same
        // stamped HTML parses the same.
        let old_html = diverged.then(|| self.tree.to_html());
        self.tree = new;
        self.notice_divergence();
        if d.patches.is_empty() && !d.needs_html {
            match old_html {
                Some(old) if old != self.tree.to_html() => {}
                _ => return Update::Unchanged,
            }
        }
        if diverged || self.html_updates > 0 {
            self.html_updates = self.html_updates.saturating_sub(1);
            return Update::Html(self.tree.to_html());
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
