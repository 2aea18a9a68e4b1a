//! The compact form of the tree a [`super::LiveDom`] keeps while its view is idle.
//!
//! A parsed [`Tree`] holds the whole render (for 1,000 table rows, ~280 KB) and 40 bytes per
//! node (36 of [`Node`], 4 of id). What the next diff and a recovery's HTML need of it is
//! less: each element's start tag and end tag as written, each text's raw text, the
//! structure and the ids. [`Compact`] keeps exactly that: one buffer of byte strings, each
//! stored once however many nodes have it (the start tags of a table's cells are the same on
//! every row), and 24 bytes per node.
//!
//! Expanded ([`Compact::expand`]), it is again an arena of [`Node`]s, whose spans point into
//! the buffer: an element's span is its start tag followed by its end tag, no longer the whole
//! subtree (so the diff compares such an old tree's subtrees node by node, not by their source
//! bytes).

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use super::diff::FxHasher;
use super::html::View;
use super::tokenizer::Span;
use super::tree::{Divergence, Node, Tree, F_EXPLICIT_CLOSE, F_IMPLIED, F_KEYED, F_TEXT};

/// One node of a [`Compact`] tree.
#[derive(Debug, Clone, Copy)]
struct KeptNode {
    /// Where its string starts in the buffer: an element's start tag then its end tag (if
    /// written), or a text.
    off: u32,
    /// Element: length of its start tag; text: length of its text.
    len: u32,
    /// Index one past its subtree.
    next: u32,
    /// Its `dj-id` (0 for text).
    id: u32,
    /// With [`F_KEYED`]: where the `dj-key` value is in the start tag, and its length.
    key_off: u16,
    key_len: u16,
    flags: u16,
    /// Element: length of `<` + its name (0 when implied).
    name_len: u8,
    /// Element: length of its end tag as written.
    close_len: u8,
}

/// Hashes of the strings already in a buffer being built, to their offsets.
type Strings = HashMap<u64, u32, BuildHasherDefault<FxHasher>>;

/// A kept tree in compact form (see the module docs).
#[derive(Debug, Clone, Default)]
pub(crate) struct Compact {
    bytes: String,
    nodes: Vec<KeptNode>,
    pub(crate) divergence: Option<Divergence>,
}

/// The start tag and end tag (empty if not written) of element `n`, or the text of text `n`.
fn strings<'s>(src: &'s str, n: &Node) -> (&'s str, &'s str) {
    if n.is_text() {
        return (n.span.of(src), "");
    }
    let tag = &src[n.span.start as usize..n.tag_end as usize];
    let close = if n.flags & F_EXPLICIT_CLOSE != 0 {
        &src[n.close_start as usize..n.span.end as usize]
    } else {
        ""
    };
    (tag, close)
}

impl Compact {
    /// The compact form of `tree`; `None` when a node does not fit the compact fields (a tag
    /// name or end tag over 255 bytes, a `dj-key` past 64 KiB into its start tag, a start tag
    /// cut off by the end of the render): keep the tree as it is.
    pub(crate) fn build(tree: &Tree) -> Option<Self> {
        let mut bytes = String::with_capacity(tree.src.len() / 4);
        let mut nodes = Vec::with_capacity(tree.nodes.len());
        let mut seen = Strings::default();
        for (n, &id) in tree.nodes.iter().zip(&tree.ids) {
            let (a, b) = strings(&tree.src, n);
            let mut h = FxHasher::default();
            h.write(a.as_bytes());
            h.write_u8(0xff);
            h.write(b.as_bytes());
            let stored = |at: u32| {
                let (at, mid) = (at as usize, at as usize + a.len());
                bytes.get(at..mid) == Some(a) && bytes.get(mid..mid + b.len()) == Some(b)
            };
            let off = match seen.get(&h.finish()) {
                Some(&at) if stored(at) => at,
                _ => {
                    let at = bytes.len() as u32;
                    bytes.push_str(a);
                    bytes.push_str(b);
                    seen.insert(h.finish(), at);
                    at
                }
            };
            nodes.push(pack(&tree.src, n, off, id)?);
        }
        bytes.shrink_to_fit();
        Some(Self {
            bytes,
            nodes,
            divergence: tree.divergence,
        })
    }

    /// The nodes and ids as a [`Tree`]'s arena, spans pointing into [`Compact::source`].
    pub(crate) fn expand(&self) -> (Vec<Node>, Vec<u32>) {
        let mut nodes = Vec::with_capacity(self.nodes.len());
        let mut ids = Vec::with_capacity(self.nodes.len());
        for k in &self.nodes {
            nodes.push(unpack(k));
            ids.push(k.id);
        }
        (nodes, ids)
    }

    /// The buffer the expanded spans point into.
    pub(crate) fn source(&self) -> &str {
        &self.bytes
    }

    /// The HTML of the whole tree, ids stamped.
    pub(crate) fn to_html(&self) -> String {
        let (nodes, ids) = self.expand();
        let view = View {
            src: &self.bytes,
            nodes: &nodes,
            ids: &ids,
        };
        let mut out = String::with_capacity(self.bytes.len() * 4);
        view.write_range(0, nodes.len(), &mut out);
        out
    }

    /// As a [`Tree`] (spans into a copy of the buffer; its source is not the render's).
    pub(crate) fn to_tree(&self) -> Tree {
        let (nodes, ids) = self.expand();
        Tree {
            src: self.bytes.clone(),
            nodes,
            ids,
            divergence: self.divergence,
        }
    }

    /// The heap memory it holds, in bytes.
    pub(crate) fn heap_bytes(&self) -> usize {
        self.bytes.capacity() + self.nodes.capacity() * std::mem::size_of::<KeptNode>()
    }
}

/// Node `n` (of `src`) whose strings are at `off` in the buffer, with id `id`.
fn pack(src: &str, n: &Node, off: u32, id: u32) -> Option<KeptNode> {
    if n.is_text() {
        return Some(KeptNode {
            off,
            len: n.span.end - n.span.start,
            next: n.next,
            id,
            key_off: 0,
            key_len: 0,
            flags: n.flags,
            name_len: 0,
            close_len: 0,
        });
    }
    let start = n.span.start;
    let implied = n.flags & F_IMPLIED != 0;
    if !implied && !src[start as usize..n.tag_end as usize].ends_with('>') {
        return None;
    }
    let close = if n.flags & F_EXPLICIT_CLOSE != 0 {
        n.span.end - n.close_start
    } else {
        0
    };
    let (key_off, key_len) = if n.flags & F_KEYED != 0 {
        (n.key.start - start, n.key.end - n.key.start)
    } else {
        (0, 0)
    };
    Some(KeptNode {
        off,
        len: n.tag_end - start,
        next: n.next,
        id,
        key_off: key_off.try_into().ok()?,
        key_len: key_len.try_into().ok()?,
        flags: n.flags,
        name_len: (n.name_end - start).try_into().ok()?,
        close_len: close.try_into().ok()?,
    })
}

fn unpack(k: &KeptNode) -> Node {
    if k.flags & F_TEXT != 0 {
        let span = Span {
            start: k.off,
            end: k.off + k.len,
        };
        return Node {
            span,
            tag_end: span.end,
            name_end: span.end,
            close_start: span.end,
            next: k.next,
            key: Span::default(),
            flags: k.flags,
        };
    }
    let tag_end = k.off + k.len;
    let key_start = k.off + u32::from(k.key_off);
    Node {
        span: Span {
            start: k.off,
            end: tag_end + u32::from(k.close_len),
        },
        tag_end,
        name_end: k.off + u32::from(k.name_len),
        close_start: tag_end,
        next: k.next,
        key: Span {
            start: key_start,
            end: key_start + u32::from(k.key_len),
        },
        flags: k.flags,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::vdom::{IdAllocator, NodeIndex};

    /// Everything the public API reads of a tree, in document order.
    fn dump(t: &Tree) -> String {
        fn node(t: &Tree, i: NodeIndex, out: &mut String) {
            if t.is_text(i) {
                out.push_str(&format!("{:?}", t.text(i)));
                return;
            }
            out.push_str(&format!(
                "<{} {} {} {:?} {:?} {:?}>",
                t.tag(i),
                t.namespace(i),
                t.id(i),
                t.key(i),
                t.attributes(i),
                t.node_html(i)
            ));
            for c in t.children(i) {
                node(t, c, out);
            }
        }
        let mut out = String::new();
        for r in t.roots() {
            node(t, r, &mut out);
        }
        out
    }

    fn parsed(html: &str) -> Tree {
        let mut t = Tree::parse(html.to_owned());
        t.assign_ids(&mut IdAllocator::new());
        t
    }

    #[test]
    fn the_compact_form_reads_as_the_tree() {
        let html = concat!(
            "<ul>\n  <li dj-key=\"1\" class=\"a\">x &amp; y</li>\n  <li dj-key=\"2\" class=\"a\">",
            "z</LI >\n</ul><table><tr><td>1<td>2</table><pre>\n\nq</pre><svg viewBox=\"0 0 1 1\">",
            "<rect/><text><![CDATA[a<b]]></text></svg>a<!-- c -->b<p dj-id=\"9\">p<br></p>"
        );
        let t = parsed(html);
        let c = Compact::build(&t).expect("fits");
        assert_eq!(dump(&c.to_tree()), dump(&t));
        assert_eq!(c.to_html(), t.to_html());
    }

    #[test]
    fn repeated_strings_are_kept_once() {
        let row = "<tr><td class=\"col-md-1\">1</td><td class=\"col-md-1\">1</td></tr>";
        let t = parsed(&format!(
            "<table><tbody>{}</tbody></table>",
            row.repeat(100)
        ));
        let c = Compact::build(&t).expect("fits");
        assert!(
            c.bytes.len() < 100,
            "{} bytes: {:?}",
            c.bytes.len(),
            c.bytes
        );
        assert_eq!(c.to_html(), t.to_html());
    }

    #[test]
    fn what_does_not_fit_is_refused() {
        let long = format!("<x-{}>a</x-{0}>", "n".repeat(300));
        assert!(Compact::build(&parsed(&long)).is_none());
        let far_key = format!("<li title=\"{}\" dj-key=\"k\">a</li>", "t".repeat(70_000));
        assert!(Compact::build(&parsed(&far_key)).is_none());
        assert!(Compact::build(&parsed("<p>a</p>")).is_some());
    }
}
