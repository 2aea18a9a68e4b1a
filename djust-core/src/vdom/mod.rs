//! HTML tokenizer, VDOM with stable ids, keyed diff and patch encoding.
//!
//! [`LiveDom`] is what the server keeps per mounted view: the last rendered tree with the ids
//! the client's DOM carries. [`LiveDom::update`] turns the next render into the smallest
//! update. [`LiveDom::hibernate`] puts an idle view's tree in a compact form (see `kept.rs`:
//! each distinct start tag, end tag and text once and 24 bytes per node, instead of the
//! render's HTML and 40 bytes per node), which the next update reads back.
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
mod kept;
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

use std::borrow::Cow;

use html::View;

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
    kept: Kept,
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

/// The kept tree: the parsed render, or (after [`LiveDom::hibernate`]) its compact form.
#[derive(Debug, Clone)]
enum Kept {
    Parsed(Tree),
    Compact {
        tree: kept::Compact,
        /// A keyed hash of the render, to answer an identical render without parsing it.
        render_hash: u64,
    },
}

/// The keyed hash of a render (keys drawn once per process, so that renders cannot be made to
/// collide on purpose).
fn render_hash(html: &str) -> u64 {
    use std::hash::BuildHasher;
    static STATE: std::sync::OnceLock<foldhash::quality::RandomState> = std::sync::OnceLock::new();
    STATE.get_or_init(Default::default).hash_one(html)
}

impl LiveDom {
    /// Builds the tree of a first render and stamps ids.
    pub fn new(html: String) -> Self {
        let mut tree = Tree::parse(html);
        let mut ids = IdAllocator::new();
        tree.assign_ids(&mut ids);
        let mut dom = Self {
            kept: Kept::Parsed(tree),
            ids,
            html_updates: 0,
            refusals: 0,
            notice: None,
            noticed: false,
        };
        dom.notice_divergence();
        dom
    }

    /// Puts the kept tree in its compact form (about half the memory for a large view; the
    /// next [`LiveDom::update`] reads it back, at some cost: the diff then compares unchanged
    /// subtrees node by node). Call it when the view goes idle; the next update keeps the
    /// parsed tree again. Does nothing when already compact, or when the tree has a node the
    /// compact form cannot hold; says whether it freed the parsed tree.
    pub fn hibernate(&mut self) -> bool {
        let Kept::Parsed(t) = &self.kept else {
            return false;
        };
        let Some(tree) = kept::Compact::build(t) else {
            return false;
        };
        let render_hash = render_hash(&t.src);
        self.kept = Kept::Compact { tree, render_hash };
        true
    }

    /// Whether the kept tree is in its compact form.
    pub fn is_hibernating(&self) -> bool {
        matches!(self.kept, Kept::Compact { .. })
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
        self.html_updates > 0 || self.divergence().is_some()
    }

    fn divergence(&self) -> Option<Divergence> {
        match &self.kept {
            Kept::Parsed(t) => t.divergence(),
            Kept::Compact { tree, .. } => tree.divergence,
        }
    }

    /// A message for the developer the first time this view's tree and the browser's part
    /// (where, and why), once per view. Log it in development.
    pub fn take_notice(&mut self) -> Option<String> {
        self.notice.take()
    }

    /// The developer notice for a kept render whose tree parts from the browser's.
    fn notice_divergence(&mut self) {
        let Kept::Parsed(tree) = &self.kept else {
            return;
        };
        let Some(d) = tree.divergence() else {
            return;
        };
        if self.noticed {
            return;
        }
        self.noticed = true;
        let src = tree.source();
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
        match &self.kept {
            Kept::Parsed(t) => t.to_html(),
            Kept::Compact { tree, .. } => tree.to_html(),
        }
    }

    /// The kept tree (a copy, when compact: then its [`Tree::source`] is the compact form's
    /// buffer of strings, not the render, and a [`Divergence`]'s offset is still the
    /// render's).
    pub fn tree(&self) -> Cow<'_, Tree> {
        match &self.kept {
            Kept::Parsed(t) => Cow::Borrowed(t),
            Kept::Compact { tree, .. } => Cow::Owned(tree.to_tree()),
        }
    }

    /// The heap memory the kept tree holds, in bytes.
    pub fn heap_bytes(&self) -> usize {
        match &self.kept {
            Kept::Parsed(t) => t.heap_bytes(),
            Kept::Compact { tree, .. } => tree.heap_bytes(),
        }
    }

    /// Diffs a new render against the kept tree and keeps the new one.
    ///
    /// [`Update::Unchanged`] when nothing the DOM shows changed; [`Update::Patches`] unless the
    /// encoded patches are longer than the new HTML (or a changed attribute holds a character
    /// reference only the browser can decode), then [`Update::Html`].
    pub fn update(&mut self, html: String) -> Update {
        let same = match &self.kept {
            Kept::Parsed(t) => html == t.src,
            Kept::Compact { render_hash: h, .. } => render_hash(&html) == *h,
        };
        if same {
            return Update::Unchanged;
        }
        let mut new = Tree::parse(html);
        let old_diverged = self.divergence().is_some();
        let diverged = old_diverged || new.divergence().is_some();
        // Where the browser's DOM is not the tree, equal trees are not enough: only the same
        // stamped HTML parses the same.
        let old_html = diverged.then(|| self.html());
        let d = match &self.kept {
            Kept::Parsed(t) => diff::diff_kept(View::of(t), true, &mut new, &mut self.ids),
            Kept::Compact { tree, .. } => {
                let (nodes, ids) = tree.expand();
                let view = View {
                    src: tree.source(),
                    nodes: &nodes,
                    ids: &ids,
                };
                diff::diff_kept(view, false, &mut new, &mut self.ids)
            }
        };
        self.kept = Kept::Parsed(new);
        self.notice_divergence();
        let Kept::Parsed(new) = &self.kept else {
            unreachable!("just kept")
        };
        if d.patches.is_empty() && !d.needs_html {
            match old_html {
                Some(old) if old != new.to_html() => {}
                _ => return Update::Unchanged,
            }
        }
        if diverged || self.html_updates > 0 {
            self.html_updates = self.html_updates.saturating_sub(1);
            return Update::Html(new.to_html());
        }
        if !d.needs_html {
            let json = encode(&d.patches);
            // Patches are usually far smaller than the page: count the HTML only when close.
            if json.len() <= new.src.len() / 2 || json.len() <= new.html_len() {
                return Update::Patches(json);
            }
        }
        Update::Html(new.to_html())
    }
}
