//! A reference DOM and patch applier: what a browser's DOM would hold after the patches, to
//! check diffs without a browser (djust-core's property and golden tests, and the test kit of
//! `djust-actix`).
//!
//! It follows `docs/protocol.md` ("Patches") literally and strictly: an index out of range, a
//! `text` op on an element, an `rmattr` of a missing attribute or an unknown `d` are errors.

use serde_json::Value;

use super::{
    entities::{self, Context},
    NodeIndex, Tree,
};

/// The prefix of a text or attribute value holding raw HTML text (a character reference the
/// server does not decode; only a browser would).
pub const RAW: &str = "RAW:";

/// A DOM node: element (lowercase tag, attributes sorted by name) or text (its DOM value; raw
/// HTML text, prefixed with [`RAW`], when it holds a reference the server does not decode).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RNode {
    /// An element.
    El {
        /// Lowercase tag name.
        tag: String,
        /// Attributes (lowercase names, decoded values), sorted by name.
        attrs: Vec<(String, String)>,
        /// Child nodes.
        children: Vec<RNode>,
    },
    /// A text node.
    Text(String),
}

impl RNode {
    /// The element's attribute `name`; `None` for a text node or a missing attribute.
    pub fn attr(&self, name: &str) -> Option<&str> {
        match self {
            Self::El { attrs, .. } => attrs
                .iter()
                .find(|(key, _)| key == name)
                .map(|(_, value)| value.as_str()),
            Self::Text(_) => None,
        }
    }

    /// The element's `dj-id`.
    pub fn id(&self) -> Option<u64> {
        self.attr("dj-id").and_then(|id| id.parse().ok())
    }

    /// The concatenated text of the node and its descendants (the DOM's `textContent`).
    pub fn text_content(&self) -> String {
        let mut out = String::new();
        collect_text(self, &mut out);
        out
    }
}

fn collect_text(node: &RNode, out: &mut String) {
    match node {
        RNode::Text(text) => out.push_str(text.strip_prefix(RAW).unwrap_or(text)),
        RNode::El { children, .. } => children.iter().for_each(|c| collect_text(c, out)),
    }
}

/// Builds nodes from HTML with the project's parser.
pub fn from_html(html: &str) -> Vec<RNode> {
    let tree = Tree::parse(html.to_owned());
    tree.roots().map(|i| node(&tree, i)).collect()
}

/// The nodes of a patch's HTML, parsed as the client does: as the content of a `<template>`
/// (so that rows and cells parse outside their table).
pub fn fragment_html(html: &str) -> Vec<RNode> {
    let tree = Tree::parse(format!("<template>{html}</template>"));
    tree.roots()
        .next()
        .map(|t| tree.children(t).map(|i| node(&tree, i)).collect())
        .unwrap_or_default()
}

/// [`fragment_html`] as children of element `d` of `root`: inside `<svg>`/`<math>` when `d` is
/// an SVG or MathML element, as the client parses it.
fn fragment_in(root: &[RNode], d: u64, html: &str) -> Vec<RNode> {
    let Some(wrapper) = foreign_parent(root, d, None) else {
        return fragment_html(html);
    };
    let tree = Tree::parse(format!("<{wrapper}>{html}</{wrapper}>"));
    tree.roots()
        .next()
        .map(|t| tree.children(t).map(|i| node(&tree, i)).collect())
        .unwrap_or_default()
}

/// `Some("svg")`/`Some("math")` when element `d` (under `nodes`, in namespace `ns`) is SVG or
/// MathML content (not an HTML integration point such as `<foreignObject>`).
fn foreign_parent(nodes: &[RNode], d: u64, ns: Option<&'static str>) -> Option<&'static str> {
    for n in nodes {
        let RNode::El { tag, children, .. } = n else {
            continue;
        };
        let inner = match (ns, tag.as_str()) {
            (None, "svg") => Some("svg"),
            (None, "math") => Some("math"),
            (Some("svg"), "foreignobject" | "desc" | "title") => None,
            (Some("math"), "mi" | "mo" | "mn" | "ms" | "mtext" | "annotation-xml") => None,
            (ns, _) => ns,
        };
        if n.id() == Some(d) {
            return inner;
        }
        if find(children, d).is_some() {
            return foreign_parent(children, d, inner);
        }
    }
    None
}

fn node(t: &Tree, i: NodeIndex) -> RNode {
    if t.is_text(i) {
        return RNode::Text(match t.text(i) {
            Ok(v) => v.into_owned(),
            Err(_) => format!("{RAW}{}", t.node_html(i)),
        });
    }
    let mut attrs: Vec<(String, String)> = Vec::new();
    for (k, v) in t.attributes(i) {
        let k = k.to_ascii_lowercase();
        if attrs.iter().any(|(n, _)| *n == k) {
            continue;
        }
        let v = v.unwrap_or("");
        let v = entities::decode(v, Context::Attribute)
            .map_or_else(|_| format!("{RAW}{v}"), |c| c.into_owned());
        attrs.push((k, v));
    }
    attrs.sort();
    RNode::El {
        tag: t.tag(i).to_ascii_lowercase(),
        attrs,
        children: t.children(i).map(|c| node(t, c)).collect(),
    }
}

/// The element with `dj-id` `id` among `nodes` and their descendants.
pub fn find(nodes: &[RNode], id: u64) -> Option<&RNode> {
    for n in nodes {
        if n.id() == Some(id) {
            return Some(n);
        }
        if let RNode::El { children, .. } = n {
            if let Some(f) = find(children, id) {
                return Some(f);
            }
        }
    }
    None
}

fn find_mut(nodes: &mut [RNode], id: u64) -> Option<&mut RNode> {
    for n in nodes {
        if n.id() == Some(id) {
            return Some(n);
        }
        if let RNode::El { children, .. } = n {
            if let Some(f) = find_mut(children, id) {
                return Some(f);
            }
        }
    }
    None
}

fn children_of(root: &mut Vec<RNode>, d: u64) -> Result<&mut Vec<RNode>, String> {
    if d == 0 {
        return Ok(root);
    }
    match find_mut(root, d) {
        Some(RNode::El { children, .. }) => Ok(children),
        _ => Err(format!("no element with dj-id {d}")),
    }
}

fn num(p: &Value, k: &str) -> Result<usize, String> {
    p[k].as_u64()
        .and_then(|v| usize::try_from(v).ok())
        .ok_or_else(|| format!("missing number `{k}` in {p}"))
}

fn string<'a>(p: &'a Value, k: &str) -> Result<&'a str, String> {
    p[k].as_str()
        .ok_or_else(|| format!("missing string `{k}` in {p}"))
}

/// Applies a JSON patch array to `root` (the container's children).
pub fn apply(root: &mut Vec<RNode>, patches: &Value) -> Result<(), String> {
    let list = patches.as_array().ok_or("patches is not an array")?;
    for p in list {
        apply_one(root, p).map_err(|e| format!("{e} (op {p})"))?;
    }
    Ok(())
}

fn apply_one(root: &mut Vec<RNode>, p: &Value) -> Result<(), String> {
    let d = num(p, "d")? as u64;
    match string(p, "op")? {
        "text" => {
            let i = num(p, "i")?;
            let v = match (p["v"].as_str(), p["h"].as_str()) {
                (Some(v), None) => v.to_owned(),
                (None, Some(h)) => format!("{RAW}{h}"),
                _ => return Err("text op needs exactly one of v, h".into()),
            };
            let ch = children_of(root, d)?;
            match ch.get_mut(i) {
                Some(RNode::Text(t)) => *t = v,
                _ => return Err(format!("child {i} is not a text node")),
            }
        }
        op @ ("attr" | "rmattr") => {
            let k = string(p, "k")?.to_ascii_lowercase();
            if k == "dj-id" {
                return Err("dj-id must never be patched".into());
            }
            let Some(RNode::El { attrs, .. }) = (if d == 0 { None } else { find_mut(root, d) })
            else {
                return Err(format!("no element with dj-id {d}"));
            };
            let pos = attrs.iter().position(|(n, _)| *n == k);
            if op == "attr" {
                let v = string(p, "v")?.to_owned();
                match pos {
                    Some(x) => attrs[x].1 = v,
                    None => {
                        attrs.push((k, v));
                        attrs.sort();
                    }
                }
            } else {
                let x = pos.ok_or_else(|| format!("rmattr of missing attribute {k}"))?;
                attrs.remove(x);
            }
        }
        "insert" => {
            let i = num(p, "i")?;
            let nodes = match (p["html"].as_str(), p["t"].as_str()) {
                (Some(h), None) => fragment_in(root, d, h),
                (None, Some(t)) => vec![RNode::Text(t.to_owned())],
                _ => return Err("insert needs exactly one of html, t".into()),
            };
            if nodes.is_empty() {
                return Err("insert of nothing".into());
            }
            let ch = children_of(root, d)?;
            if i > ch.len() {
                return Err(format!("insert at {i} > {}", ch.len()));
            }
            ch.splice(i..i, nodes);
        }
        "remove" => {
            let (i, n) = (num(p, "i")?, num(p, "n")?);
            let ch = children_of(root, d)?;
            if n == 0 || i + n > ch.len() {
                return Err(format!("remove {i}+{n} of {}", ch.len()));
            }
            ch.drain(i..i + n);
        }
        "move" => {
            let (from, to) = (num(p, "from")?, num(p, "to")?);
            let ch = children_of(root, d)?;
            if from >= ch.len() || to >= ch.len() || from == to {
                return Err(format!("move {from}->{to} of {}", ch.len()));
            }
            let n = ch.remove(from);
            ch.insert(to, n);
        }
        "html" => {
            let h = string(p, "html")?;
            let nodes = fragment_in(root, d, h);
            let ch = children_of(root, d)?;
            *ch = nodes;
        }
        other => return Err(format!("unknown op {other}")),
    }
    Ok(())
}

/// All `dj-id`s of the nodes, in document order.
pub fn ids(nodes: &[RNode], out: &mut Vec<u64>) {
    for n in nodes {
        if let Some(id) = n.id() {
            out.push(id);
        }
        if let RNode::El { children, .. } = n {
            ids(children, out);
        }
    }
}

/// Writes `nodes` back as HTML (text and attribute values escaped; raw values as they came).
pub fn to_html(nodes: &[RNode]) -> String {
    let mut out = String::new();
    nodes.iter().for_each(|n| write_node(n, &mut out));
    out
}

/// Elements without an end tag.
const VOID: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track",
    "wbr",
];

fn write_node(node: &RNode, out: &mut String) {
    match node {
        RNode::Text(text) => match text.strip_prefix(RAW) {
            Some(raw) => out.push_str(raw),
            None => escape(text, out),
        },
        RNode::El {
            tag,
            attrs,
            children,
        } => {
            out.push('<');
            out.push_str(tag);
            for (key, value) in attrs {
                out.push(' ');
                out.push_str(key);
                out.push_str("=\"");
                match value.strip_prefix(RAW) {
                    Some(raw) => out.push_str(raw),
                    None => escape(value, out),
                }
                out.push('"');
            }
            out.push('>');
            if VOID.contains(&tag.as_str()) {
                return;
            }
            children.iter().for_each(|c| write_node(c, out));
            out.push_str("</");
            out.push_str(tag);
            out.push('>');
        }
    }
}

fn escape(text: &str, out: &mut String) {
    for ch in text.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            _ => out.push(ch),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_round_trips_through_the_mirror() {
        let html = r#"<p dj-id="1" class="a&amp;b">x &lt; y<br dj-id="2"></p>"#;
        let nodes = from_html(html);
        assert_eq!(from_html(&to_html(&nodes)), nodes);
        assert_eq!(nodes[0].text_content(), "x < y");
        assert_eq!(nodes[0].attr("class"), Some("a&b"));
        assert_eq!(find(&nodes, 2).and_then(|n| n.attr("dj-id")), Some("2"));
    }

    #[test]
    fn patches_apply_in_order() {
        let mut nodes = from_html(r#"<p dj-id="1">a</p>"#);
        let patches = serde_json::json!([
            {"op": "text", "d": 1, "i": 0, "v": "b"},
            {"op": "attr", "d": 1, "k": "class", "v": "on"},
        ]);
        apply(&mut nodes, &patches).unwrap();
        assert_eq!(to_html(&nodes), r#"<p class="on" dj-id="1">b</p>"#);
        let bad = serde_json::json!([{"op": "text", "d": 9, "i": 0, "v": "b"}]);
        assert!(apply(&mut nodes, &bad)
            .unwrap_err()
            .contains("no element with dj-id 9"));
    }
}
