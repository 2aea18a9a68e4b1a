//! The page as the test's "browser" holds it: the mirror DOM of each view container (what the
//! patches built), the values typed into fields (DOM properties, apart from the attributes), and
//! finding elements by CSS selector.

use std::collections::HashMap;

use djust_core::vdom::mirror::{self, RNode};
use scraper::{Html, Selector};

use super::outbox::Outbox;

/// One view container of the page.
#[derive(Debug)]
pub(super) struct ViewDom {
    pub(super) target: String,
    pub(super) view: String,
    pub(super) token: String,
    /// Whether it is a lazy view's container (mounted with a `mount_batch`).
    pub(super) lazy: bool,
    /// The container's children; empty until mounted.
    pub(super) nodes: Vec<RNode>,
    /// Its view session, revision and unacknowledged events.
    pub(super) outbox: Outbox,
}

/// An element of the page: its view container and its `dj-id`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(super) struct Handle {
    pub(super) target: String,
    pub(super) id: u64,
}

/// The page's view containers and the values typed into their fields.
#[derive(Debug, Default)]
pub(super) struct PageDom {
    pub(super) views: Vec<ViewDom>,
    /// Field values the user typed (the DOM's `value`/`checked` properties), by element.
    pub(super) typed: HashMap<Handle, String>,
}

impl PageDom {
    pub(super) fn view(&self, target: &str) -> Option<&ViewDom> {
        self.views.iter().find(|view| view.target == target)
    }

    pub(super) fn view_mut(&mut self, target: &str) -> Option<&mut ViewDom> {
        self.views.iter_mut().find(|view| view.target == target)
    }

    /// The element and its ancestors inside its container, the element first.
    pub(super) fn chain(&self, handle: &Handle) -> Vec<&RNode> {
        let Some(view) = self.view(&handle.target) else {
            return Vec::new();
        };
        let mut path = Vec::new();
        path_to(&view.nodes, handle.id, &mut path);
        path
    }

    /// The element itself.
    pub(super) fn node(&self, handle: &Handle) -> Option<&RNode> {
        self.view(&handle.target)
            .and_then(|view| mirror::find(&view.nodes, handle.id))
    }

    /// Every element matching `selector` (and containing `text`, when given), in document
    /// order.
    pub(super) fn select(&self, selector: &str, text: Option<&str>) -> Vec<Handle> {
        let parsed = Selector::parse(selector)
            .unwrap_or_else(|error| panic!("invalid CSS selector `{selector}`: {error}"));
        let mut html = String::new();
        for view in &self.views {
            html.push_str(&format!(
                "<div id=\"{}\" dj-view=\"{}\">{}</div>",
                view.target,
                view.view,
                mirror::to_html(&view.nodes)
            ));
        }
        let fragment = Html::parse_fragment(&html);
        let mut hits = Vec::new();
        for element in fragment.select(&parsed) {
            if let Some(text) = text {
                if !element.text().collect::<String>().contains(text) {
                    continue;
                }
            }
            let Some(id) = element.attr("dj-id").and_then(|id| id.parse().ok()) else {
                continue; // a view container itself: not an element of a view
            };
            let target = element
                .ancestors()
                .filter_map(scraper::ElementRef::wrap)
                .find(|ancestor| ancestor.attr("dj-view").is_some())
                .and_then(|container| container.attr("id"));
            if let Some(target) = target {
                hits.push(Handle {
                    target: target.to_owned(),
                    id,
                });
            }
        }
        hits
    }

    /// What a field holds now: what was typed, else its server-rendered default.
    pub(super) fn value(&self, handle: &Handle) -> String {
        if let Some(typed) = self.typed.get(handle) {
            return typed.clone();
        }
        self.node(handle).map(default_value).unwrap_or_default()
    }

    /// Whether a checkbox or radio is checked now.
    pub(super) fn checked(&self, handle: &Handle) -> bool {
        match self.typed.get(handle) {
            Some(typed) => typed == CHECKED,
            None => self
                .node(handle)
                .is_some_and(|node| node.attr("checked").is_some()),
        }
    }

    /// Drops what was typed into the fields of `target` (a fresh mount replaced them).
    pub(super) fn forget_typed(&mut self, target: &str) {
        self.typed.retain(|handle, _| handle.target != target);
    }

    /// Whether the element or an ancestor has `dj-no-recover`.
    pub(super) fn no_recover(&self, handle: &Handle) -> bool {
        self.chain(handle)
            .iter()
            .any(|node| node.attr("dj-no-recover").is_some())
    }

    /// The named fields under `handle` (a form or any container), in document order.
    pub(super) fn fields_under(&self, handle: &Handle) -> Vec<(Handle, &RNode)> {
        let mut out = Vec::new();
        if let Some(node) = self.node(handle) {
            collect_fields(node, &handle.target, &mut out);
        }
        out
    }
}

/// What [`PageDom::typed`] holds for a checked checkbox or radio (an unchecked one: `""`).
pub(super) const CHECKED: &str = "\u{0}checked";

fn path_to<'n>(nodes: &'n [RNode], id: u64, path: &mut Vec<&'n RNode>) -> bool {
    for node in nodes {
        if node.id() == Some(id) {
            path.push(node);
            return true;
        }
        if let RNode::El { children, .. } = node {
            if path_to(children, id, path) {
                path.push(node);
                return true;
            }
        }
    }
    false
}

fn collect_fields<'n>(node: &'n RNode, target: &str, out: &mut Vec<(Handle, &'n RNode)>) {
    if let RNode::El { children, .. } = node {
        if is_field(node) {
            if let Some(id) = node.id() {
                let handle = Handle {
                    target: target.to_owned(),
                    id,
                };
                out.push((handle, node));
            }
        }
        children
            .iter()
            .for_each(|child| collect_fields(child, target, out));
    }
}

/// The element's tag (`""` for text).
pub(super) fn tag(node: &RNode) -> &str {
    match node {
        RNode::El { tag, .. } => tag,
        RNode::Text(_) => "",
    }
}

/// `input`, `textarea` or `select`.
pub(super) fn is_field(node: &RNode) -> bool {
    matches!(tag(node), "input" | "textarea" | "select")
}

/// The `type` of an input (`text` by default), or the tag of another field.
pub(super) fn field_type(node: &RNode) -> String {
    match tag(node) {
        "input" => node.attr("type").unwrap_or("text").to_ascii_lowercase(),
        other => other.to_owned(),
    }
}

/// A field's server-rendered value (`defaultValue`): an input's `value`, a textarea's text, a
/// select's selected option (else its first).
pub(super) fn default_value(node: &RNode) -> String {
    match tag(node) {
        "textarea" => node.text_content(),
        "select" => {
            let mut options = Vec::new();
            options_of(node, &mut options);
            options
                .iter()
                .find(|option| option.attr("selected").is_some())
                .or(options.first())
                .map(|option| option_value(option))
                .unwrap_or_default()
        }
        _ => node.attr("value").unwrap_or_default().to_owned(),
    }
}

/// The `<option>`s of a select.
pub(super) fn options_of<'n>(node: &'n RNode, out: &mut Vec<&'n RNode>) {
    if let RNode::El { children, .. } = node {
        for child in children {
            if tag(child) == "option" {
                out.push(child);
            } else {
                options_of(child, out);
            }
        }
    }
}

/// An option's value: its `value`, else its text.
pub(super) fn option_value(option: &RNode) -> String {
    option
        .attr("value")
        .map_or_else(|| option.text_content().trim().to_owned(), str::to_owned)
}

/// `<button id="x" class="y">text</button>`-like, for failure messages.
pub(super) fn describe(node: &RNode) -> String {
    let mut out = format!("<{}", tag(node));
    for key in ["id", "name", "type", "class"] {
        if let Some(value) = node.attr(key) {
            out.push_str(&format!(" {key}=\"{value}\""));
        }
    }
    out.push('>');
    let text = node.text_content();
    let text = text.trim();
    if !text.is_empty() {
        let short: String = text.chars().take(40).collect();
        out.push_str(&short);
        if short.len() < text.len() {
            out.push('…');
        }
    }
    out
}
