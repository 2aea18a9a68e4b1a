//! The VDOM: a flat pre-order arena of nodes holding byte spans into the owned source.
//!
//! Node `i`'s subtree is `i..next(i)`, so children are iterated by skipping subtrees. Elements
//! and text nodes only: comments, doctypes and (outside `<svg>`/`<math>`) CDATA sections are
//! dropped; every text node is kept, whitespace-only ones included, so that the client's
//! `childNodes` are exactly our children.
//!
//! The tree is the one the browser builds from the same HTML (see `build/` for the rules
//! followed): implied end tags and elements included (an implied `<tbody>` is a node without
//! a tag in the source, written out with its `dj-id`). Where the browser would rebuild the
//! markup in a way the builder does not follow (foster parenting, misnested formatting
//! elements…), [`Tree::divergence`] says where: the client's DOM cannot be addressed by index
//! there, and [`super::LiveDom`] sends whole HTML instead of patches.

use std::borrow::Cow;

use super::build::Builder;
use super::entities::{self, Context, Unknown};
use super::tags;
use super::tokenizer::{parse_attributes, Attribute, Span, Token, Tokenizer};

/// The index of a node in its [`Tree`].
pub type NodeIndex = usize;

pub(crate) const NONE: u32 = u32::MAX;

// Flags of elements.
/// The element's end tag is in the source at `close_start..span.end`.
pub(crate) const F_EXPLICIT_CLOSE: u16 = 1;
/// Void element, or a foreign element closed by `/>`: no end tag to write.
pub(crate) const F_NO_END: u16 = 2;
/// In `<svg>`/`<math>` content.
pub(crate) const F_FOREIGN: u16 = 4;
/// The template wrote a `dj-id` attribute (ours replaces it).
pub(crate) const F_DJ_ID: u16 = 8;
// Flags of text nodes.
/// A text node.
pub(crate) const F_TEXT: u16 = 16;
/// Raw text (`<script>`, `<style>`…): no character references.
pub(crate) const F_RAW: u16 = 32;
/// First child of `<pre>`/`<textarea>`/`<listing>` starting with a newline the browser drops.
pub(crate) const F_SKIP_LF: u16 = 64;
/// Its span also holds comments, stray end tags or CDATA markup: re-tokenize to read it.
pub(crate) const F_MERGED: u16 = 128;
/// The element has a `dj-key` attribute (its value is `key`).
pub(crate) const F_KEYED: u16 = 256;
/// A MathML element (with [`F_FOREIGN`]; without it, SVG).
pub(crate) const F_MATHML: u16 = 512;
/// An implied element (no tag in the source; `span` starts where its first child does).
pub(crate) const F_IMPLIED_TBODY: u16 = 1024;
/// An implied `<tr>`.
pub(crate) const F_IMPLIED_TR: u16 = 2048;
/// An implied `<colgroup>`.
pub(crate) const F_IMPLIED_COLGROUP: u16 = 4096;
/// Any implied element.
pub(crate) const F_IMPLIED: u16 = F_IMPLIED_TBODY | F_IMPLIED_TR | F_IMPLIED_COLGROUP;

/// One node. Elements: `span` runs from `<` of the start tag to the end of the end tag (or to
/// where the element was closed implicitly). Text: the raw text.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Node {
    pub(crate) span: Span,
    /// Element: end of the start tag.
    pub(crate) tag_end: u32,
    /// Element: end of the tag name (the name is `span.start + 1..name_end`).
    pub(crate) name_end: u32,
    /// Element with [`F_EXPLICIT_CLOSE`]: start of its end tag.
    pub(crate) close_start: u32,
    /// Index one past the subtree (= the next sibling, if any).
    pub(crate) next: u32,
    /// With [`F_KEYED`]: the raw value of `dj-key`.
    pub(crate) key: Span,
    pub(crate) flags: u16,
}

impl Node {
    pub(crate) fn is_text(&self) -> bool {
        self.flags & F_TEXT != 0
    }

    pub(crate) fn is_keyed(&self) -> bool {
        self.flags & F_KEYED != 0
    }

    /// The tag name as written (for an implied element, its lower-case name).
    pub(crate) fn name<'s>(&self, src: &'s str) -> &'s str {
        if self.flags & F_IMPLIED == 0 {
            &src[self.span.start as usize + 1..self.name_end as usize]
        } else if self.flags & F_IMPLIED_TBODY != 0 {
            "tbody"
        } else if self.flags & F_IMPLIED_TR != 0 {
            "tr"
        } else {
            "colgroup"
        }
    }

    /// `Some(true)` for SVG, `Some(false)` for MathML, `None` for HTML elements.
    pub(crate) fn foreign(&self) -> Option<bool> {
        (self.flags & F_FOREIGN != 0).then_some(self.flags & F_MATHML == 0)
    }
}

/// Where the browser builds a different tree from the same HTML than [`Tree`] does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Divergence {
    /// Byte offset in the source of the token the trees part at.
    pub at: usize,
    /// What the browser does there.
    pub what: &'static str,
}

/// A parsed HTML fragment: the children of a view container.
#[derive(Debug, Clone, Default)]
pub struct Tree {
    pub(crate) src: String,
    pub(crate) nodes: Vec<Node>,
    /// `dj-id` of each node (0 for text nodes and for elements without one yet).
    pub(crate) ids: Vec<u32>,
    /// The first place the browser's tree differs from this one.
    pub(crate) divergence: Option<Divergence>,
}

/// Hands out `dj-id`s: a monotonic counter per view, starting at 1 (0 is the container).
#[derive(Debug, Clone)]
pub struct IdAllocator {
    next: u32,
}

impl Default for IdAllocator {
    fn default() -> Self {
        Self { next: 1 }
    }
}

impl IdAllocator {
    /// A counter that starts at 1.
    pub fn new() -> Self {
        Self::default()
    }

    /// The next id.
    pub fn allocate(&mut self) -> u32 {
        let id = self.next;
        self.next = self.next.checked_add(1).expect("dj-id space exhausted");
        id
    }

    /// The id the next call to [`IdAllocator::allocate`] returns.
    pub fn peek(&self) -> u32 {
        self.next
    }
}

/// Children of a node (or the roots), as node indices.
#[derive(Debug, Clone)]
pub struct Children<'a> {
    nodes: &'a [Node],
    at: usize,
    end: usize,
}

impl Iterator for Children<'_> {
    type Item = NodeIndex;

    fn next(&mut self) -> Option<NodeIndex> {
        if self.at >= self.end {
            return None;
        }
        let i = self.at;
        self.at = self.nodes[i].next as usize;
        Some(i)
    }
}

impl Tree {
    /// Parses an HTML fragment. Never fails: see the module docs for what is accepted.
    pub fn parse(mut src: String) -> Self {
        let mut b = Builder::new(src.len() / 20 + 1);
        b.run(&src);
        // The tree is kept per mounted view until the next render: keep only what it holds
        // (a render buffer grown by doubling can be twice the size of its text). Shrinking a
        // large allocation is a cheap `mremap`, not a copy.
        src.shrink_to_fit();
        b.nodes.shrink_to_fit();
        let ids = vec![0; b.nodes.len()];
        Self {
            src,
            nodes: b.nodes,
            ids,
            divergence: b.divergence,
        }
    }

    /// Where the browser would build a different tree from this HTML (the first place), if
    /// anywhere: patches computed from this tree cannot be trusted there.
    pub fn divergence(&self) -> Option<Divergence> {
        self.divergence
    }

    /// The source it was parsed from.
    pub fn source(&self) -> &str {
        &self.src
    }

    /// The number of nodes.
    pub fn len(&self) -> usize {
        self.nodes.len()
    }

    /// Whether it has no nodes.
    pub fn is_empty(&self) -> bool {
        self.nodes.is_empty()
    }

    /// The top-level nodes.
    pub fn roots(&self) -> Children<'_> {
        Children {
            nodes: &self.nodes,
            at: 0,
            end: self.nodes.len(),
        }
    }

    /// The children of node `i`.
    pub fn children(&self, i: NodeIndex) -> Children<'_> {
        Children {
            nodes: &self.nodes,
            at: i + 1,
            end: self.nodes[i].next as usize,
        }
    }

    /// Whether node `i` is a text node.
    pub fn is_text(&self, i: NodeIndex) -> bool {
        self.nodes[i].is_text()
    }

    /// The tag name of element `i`, as written.
    pub fn tag(&self, i: NodeIndex) -> &str {
        self.nodes[i].name(&self.src)
    }

    /// The DOM's `localName` of element `i` (lower case; SVG camel case such as `clipPath`).
    pub fn local_name(&self, i: NodeIndex) -> Cow<'_, str> {
        let n = &self.nodes[i];
        tags::local_name(n.name(&self.src), n.foreign() == Some(true))
    }

    /// The namespace of element `i`: `"html"`, `"svg"` or `"math"`.
    pub fn namespace(&self, i: NodeIndex) -> &'static str {
        match self.nodes[i].foreign() {
            None => "html",
            Some(true) => "svg",
            Some(false) => "math",
        }
    }

    /// The DOM name of an attribute written `name` on element `i` (`viewBox` on SVG).
    pub fn attribute_name<'n>(&self, i: NodeIndex, name: &'n str) -> Cow<'n, str> {
        tags::attribute_name(name, self.nodes[i].foreign())
    }

    /// The `dj-id` of element `i` (0 until ids are assigned).
    pub fn id(&self, i: NodeIndex) -> u32 {
        self.ids[i]
    }

    /// The `dj-key` of element `i`.
    pub fn key(&self, i: NodeIndex) -> Option<&str> {
        key_of(&self.src, &self.nodes[i])
    }

    /// The attributes of element `i` as written (name, raw value), `dj-id` included.
    pub fn attributes(&self, i: NodeIndex) -> Vec<(&str, Option<&str>)> {
        let mut attrs = Vec::new();
        tag_attributes(&self.src, &self.nodes[i], &mut attrs);
        attrs
            .iter()
            .map(|a| (a.name.of(&self.src), a.value.map(|v| v.of(&self.src))))
            .collect()
    }

    /// The DOM value of text node `i` (references decoded, newlines normalized).
    pub fn text(&self, i: NodeIndex) -> Result<Cow<'_, str>, Unknown> {
        text_value(&self.src, &self.nodes[i])
    }

    /// The heap memory it holds, in bytes (source, nodes, ids).
    pub fn heap_bytes(&self) -> usize {
        self.src.capacity()
            + self.nodes.capacity() * std::mem::size_of::<Node>()
            + self.ids.capacity() * std::mem::size_of::<u32>()
    }

    /// Gives every element an id from `alloc`, in document order.
    pub fn assign_ids(&mut self, alloc: &mut IdAllocator) {
        for (n, id) in self.nodes.iter().zip(self.ids.iter_mut()) {
            if !n.is_text() {
                *id = alloc.allocate();
            }
        }
    }
}

pub(crate) fn key_of<'s>(src: &'s str, n: &Node) -> Option<&'s str> {
    n.is_keyed().then(|| n.key.of(src))
}

/// Parses the attributes of element `n` into `out` (cleared first).
pub(crate) fn tag_attributes(src: &str, n: &Node, out: &mut Vec<Attribute>) {
    out.clear();
    if n.flags & F_IMPLIED == 0 {
        let _ = parse_attributes(src.as_bytes(), n.name_end as usize, out);
    }
}

/// The raw value of an attribute, decoded.
pub(crate) fn attr_value<'s>(src: &'s str, a: &Attribute) -> Result<Cow<'s, str>, Unknown> {
    match a.value {
        None => Ok(Cow::Borrowed("")),
        Some(v) => entities::decode(v.of(src), Context::Attribute),
    }
}

/// The DOM value of a text node.
pub(crate) fn text_value<'s>(src: &'s str, n: &Node) -> Result<Cow<'s, str>, Unknown> {
    let mut value = if n.flags & F_MERGED != 0 {
        let mut out = String::new();
        let mut tok = Tokenizer::with_range(src, n.span);
        tok.set_cdata_allowed(true);
        while let Some(t) = tok.next_token() {
            match t {
                Token::Text(s) if n.flags & F_RAW != 0 => {
                    out.push_str(&entities::normalize_newlines(s.of(src)));
                }
                Token::Text(s) => out.push_str(&entities::decode(s.of(src), Context::Text)?),
                Token::Cdata { inner, .. } => {
                    out.push_str(&entities::normalize_newlines(inner.of(src)));
                }
                _ => {}
            }
        }
        Cow::Owned(out)
    } else if n.flags & F_RAW != 0 {
        entities::normalize_newlines(n.span.of(src))
    } else {
        entities::decode(n.span.of(src), Context::Text)?
    };
    if n.flags & F_SKIP_LF != 0 && value.starts_with('\n') {
        value = match value {
            Cow::Borrowed(s) => Cow::Borrowed(&s[1..]),
            Cow::Owned(s) => Cow::Owned(s[1..].to_owned()),
        };
    }
    Ok(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The tree as `tag[children]` / `"text"`.
    fn dump(t: &Tree) -> String {
        fn node(t: &Tree, i: NodeIndex, out: &mut String) {
            if t.is_text(i) {
                out.push_str(&format!("{:?}", t.text(i).unwrap()));
            } else {
                out.push_str(t.tag(i));
                out.push('[');
                for c in t.children(i) {
                    node(t, c, out);
                }
                out.push(']');
            }
        }
        let mut out = String::new();
        for r in t.roots() {
            node(t, r, &mut out);
        }
        out
    }

    fn html(src: &str) -> String {
        let mut t = Tree::parse(src.to_owned());
        t.assign_ids(&mut IdAllocator::new());
        t.to_html()
    }

    #[test]
    fn elements_text_and_whitespace() {
        let t = Tree::parse("<ul>\n  <li>a</li>\n  <li>b &amp; c</li>\n</ul> ".into());
        assert_eq!(dump(&t), r#"ul["\n  "li["a"]"\n  "li["b & c"]"\n"]" ""#);
    }

    #[test]
    fn comments_are_dropped_and_text_merges() {
        let t = Tree::parse("a<!-- x -->b<p>c<!--y--></p>".into());
        assert_eq!(dump(&t), r#""ab"p["c"]"#);
        assert_eq!(
            html("a<!-- x -->b<p>c<!--y--></p>"),
            r#"ab<p dj-id="1">c</p>"#
        );
    }

    #[test]
    fn void_self_closing_and_leniency() {
        let t = Tree::parse("<br><img src=x /><div/>x</div><span>a</b>b</span></i>".into());
        assert_eq!(dump(&t), r#"br[]img[]div["x"]span["ab"]"#);
        assert_eq!(
            html("<div><p>a<b>b</div>c<em>d"),
            r#"<div dj-id="1"><p dj-id="2">a<b dj-id="3">b</b></p></div>c<em dj-id="4">d</em>"#
        );
    }

    #[test]
    fn nested_same_tags_and_uppercase() {
        let t = Tree::parse("<DIV><div>a</DIV>b</div>".into());
        assert_eq!(dump(&t), r#"DIV[div["a"]"b"]"#);
    }

    #[test]
    fn raw_text_and_rcdata() {
        let t = Tree::parse("<script>a<b &amp;</script><textarea>x &amp; <b></textarea>".into());
        assert_eq!(dump(&t), r#"script["a<b &amp;"]textarea["x & <b>"]"#);
    }

    #[test]
    fn newline_after_pre_and_textarea() {
        let t = Tree::parse("<pre>\nx</pre><pre>\n</pre><textarea>\r\n\ny</textarea>".into());
        assert_eq!(dump(&t), r#"pre["x"]pre[]textarea["\ny"]"#);
        let mut t = Tree::parse("<pre>\n\nx</pre>".into());
        t.assign_ids(&mut IdAllocator::new());
        assert_eq!(t.to_html(), "<pre dj-id=\"1\">\n\nx</pre>");
        // Written on its own (an insert), the dropped newline is left out.
        let mut s = String::new();
        crate::vdom::html::View::of(&t).write_range(1, 2, &mut s);
        assert_eq!(s, "\nx");
    }

    #[test]
    fn svg_self_closing_cdata_and_title() {
        let t = Tree::parse(
            "<svg><path d=\"M0\"/><title><b>t</b></title><text><![CDATA[a<b]]>c</text></svg><title><b></title>"
                .into(),
        );
        assert_eq!(
            dump(&t),
            r#"svg[path[]title[b["t"]]text["a<bc"]]title["<b>"]"#
        );
        assert_eq!(
            html("<svg><text><![CDATA[a<b]]></text></svg>"),
            r#"<svg dj-id="1"><text dj-id="2"><![CDATA[a<b]]></text></svg>"#
        );
    }

    #[test]
    fn keys_and_template_ids() {
        let t = Tree::parse(r#"<li dj-key="7" dj-id="99" class="a">x</li>"#.into());
        assert_eq!(t.key(0), Some("7"));
        let mut t2 = t;
        t2.assign_ids(&mut IdAllocator::new());
        assert_eq!(
            t2.to_html(),
            r#"<li dj-id="1" dj-key="7"  class="a">x</li>"#
        );
        assert_eq!(t2.html_len(), t2.to_html().len());
    }

    #[test]
    fn attribute_values() {
        let t = Tree::parse(r#"<a href="?a=1&amp;b=2&c=3" hidden>"#.into());
        let v = t.attributes(0);
        assert_eq!(v, [("href", Some("?a=1&amp;b=2&c=3")), ("hidden", None)]);
        let mut attrs = Vec::new();
        tag_attributes(&t.src, &t.nodes[0], &mut attrs);
        assert_eq!(attr_value(&t.src, &attrs[0]).unwrap(), "?a=1&b=2&c=3");
    }
}
