//! A tiny reference DOM and patch applier, to check diffs without a browser.
//!
//! It follows `docs/protocol.md` ("Patches") literally and strictly: an index out of range, a
//! `text` op on an element, an `rmattr` of a missing attribute or an unknown `d` are errors.

#![allow(dead_code, unreachable_pub)]

use djust_core::vdom::{NodeIndex, Tree};
use serde_json::Value;

/// A DOM node: element (lowercase tag, attributes sorted by name) or text (its DOM value; raw
/// HTML text when it holds a reference the server does not decode).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RNode {
    El {
        tag: String,
        attrs: Vec<(String, String)>,
        children: Vec<RNode>,
    },
    Text(String),
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

fn node(t: &Tree, i: NodeIndex) -> RNode {
    if t.is_text(i) {
        return RNode::Text(match t.text(i) {
            Ok(v) => v.into_owned(),
            Err(_) => format!("RAW:{}", t.node_html(i)),
        });
    }
    let mut attrs: Vec<(String, String)> = Vec::new();
    for (k, v) in t.attributes(i) {
        let k = k.to_ascii_lowercase();
        if attrs.iter().any(|(n, _)| *n == k) {
            continue;
        }
        let v = v.unwrap_or("");
        let v =
            djust_core::vdom::entities::decode(v, djust_core::vdom::entities::Context::Attribute)
                .map_or_else(|_| format!("RAW:{v}"), |c| c.into_owned());
        attrs.push((k, v));
    }
    attrs.sort();
    RNode::El {
        tag: t.tag(i).to_ascii_lowercase(),
        attrs,
        children: t.children(i).map(|c| node(t, c)).collect(),
    }
}

fn id_of(n: &RNode) -> Option<u64> {
    match n {
        RNode::El { attrs, .. } => attrs
            .iter()
            .find(|(k, _)| k == "dj-id")
            .and_then(|(_, v)| v.parse().ok()),
        RNode::Text(_) => None,
    }
}

fn find(nodes: &mut [RNode], id: u64) -> Option<&mut RNode> {
    for n in nodes {
        if id_of(n) == Some(id) {
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

fn children_of(root: &mut Vec<RNode>, d: u64) -> Result<&mut Vec<RNode>, String> {
    if d == 0 {
        return Ok(root);
    }
    match find(root, d) {
        Some(RNode::El { children, .. }) => Ok(children),
        _ => Err(format!("no element with dj-id {d}")),
    }
}

fn num(p: &Value, k: &str) -> Result<usize, String> {
    p[k].as_u64()
        .map(|v| v as usize)
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
                (None, Some(h)) => format!("RAW:{h}"),
                _ => return Err("text op needs exactly one of v, h".into()),
            };
            let ch = children_of(root, d)?;
            match ch.get_mut(i) {
                Some(RNode::Text(t)) => *t = v,
                _ => return Err(format!("child {i} is not a text node")),
            }
        }
        "attr" | "rmattr" => {
            let k = string(p, "k")?.to_ascii_lowercase();
            if k == "dj-id" {
                return Err("dj-id must never be patched".into());
            }
            let Some(RNode::El { attrs, .. }) = (if d == 0 { None } else { find(root, d) }) else {
                return Err(format!("no element with dj-id {d}"));
            };
            let pos = attrs.iter().position(|(n, _)| *n == k);
            if string(p, "op")? == "attr" {
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
                (Some(h), None) => fragment_html(h),
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
            let nodes = fragment_html(h);
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
        if let Some(id) = id_of(n) {
            out.push(id);
        }
        if let RNode::El { children, .. } = n {
            ids(children, out);
        }
    }
}
