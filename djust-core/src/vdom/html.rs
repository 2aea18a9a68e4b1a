//! Writing a tree back as HTML with `dj-id` stamped on every element.
//!
//! Raw source slices are copied (text is already escaped by the template engine); comments and
//! stray end tags are left out, missing end tags are written, and a `dj-id` the template wrote
//! is replaced by ours.

use super::tokenizer::{eq_name, Token, Tokenizer};
use super::tree::{
    tag_attributes, Node, Tree, F_DJ_ID, F_EXPLICIT_CLOSE, F_IMPLIED, F_MERGED, F_NO_END, F_SKIP_LF,
};

/// Where HTML is written: a `String`, or a counter of bytes.
pub(crate) trait Sink {
    fn put(&mut self, s: &str);
}

impl Sink for String {
    fn put(&mut self, s: &str) {
        self.push_str(s);
    }
}

/// Counts the bytes that would be written.
#[derive(Debug, Default)]
pub(crate) struct Count(pub(crate) usize);

impl Sink for Count {
    fn put(&mut self, s: &str) {
        self.0 += s.len();
    }
}

/// The parts of a tree the writer reads.
#[derive(Clone, Copy)]
pub(crate) struct View<'a> {
    pub(crate) src: &'a str,
    pub(crate) nodes: &'a [Node],
    pub(crate) ids: &'a [u32],
}

impl<'a> View<'a> {
    pub(crate) fn of(tree: &'a Tree) -> Self {
        Self {
            src: &tree.src,
            nodes: &tree.nodes,
            ids: &tree.ids,
        }
    }

    /// Writes nodes `from..to` (a run of siblings) as a standalone fragment.
    pub(crate) fn write_range<S: Sink>(&self, from: usize, to: usize, out: &mut S) {
        let mut i = from;
        while i < to {
            self.write_node(i, true, out);
            i = self.nodes[i].next as usize;
        }
    }

    /// Writes node `i`. `standalone`: the text is not right after its parent's start tag in
    /// the output, so a newline the browser would drop there must not be written.
    pub(crate) fn write_node<S: Sink>(&self, i: usize, standalone: bool, out: &mut S) {
        let n = &self.nodes[i];
        if n.is_text() {
            self.write_text(n, standalone, out);
            return;
        }
        let src = self.src;
        let implied = n.flags & F_IMPLIED != 0;
        if implied {
            out.put("<");
            out.put(n.name(src));
        } else {
            out.put(&src[n.span.start as usize..n.name_end as usize]);
        }
        out.put(" dj-id=\"");
        let mut buf = [0u8; 10];
        out.put(itoa(self.ids[i], &mut buf));
        out.put("\"");
        if implied {
            out.put(">");
        } else if n.flags & F_DJ_ID == 0 {
            out.put(&src[n.name_end as usize..n.tag_end as usize]);
        } else {
            let mut cursor = n.name_end as usize;
            let mut attrs = Vec::new();
            tag_attributes(src, n, &mut attrs);
            for a in &attrs {
                if eq_name(a.name.of(src), "dj-id") {
                    out.put(&src[cursor..a.span.start as usize]);
                    cursor = a.span.end as usize;
                }
            }
            out.put(&src[cursor..n.tag_end as usize]);
        }
        let mut c = i + 1;
        while c < n.next as usize {
            self.write_node(c, false, out);
            c = self.nodes[c].next as usize;
        }
        if n.flags & F_EXPLICIT_CLOSE != 0 {
            out.put(&src[n.close_start as usize..n.span.end as usize]);
        } else if n.flags & F_NO_END == 0 {
            out.put("</");
            out.put(n.name(src));
            out.put(">");
        }
    }

    fn write_text<S: Sink>(&self, n: &Node, standalone: bool, out: &mut S) {
        let mut skip = standalone && n.flags & F_SKIP_LF != 0;
        let mut put = |s: &str| {
            if skip {
                skip = false;
                let s = s.strip_prefix('\r').unwrap_or(s);
                out.put(s.strip_prefix('\n').unwrap_or(s));
            } else {
                out.put(s);
            }
        };
        if n.flags & F_MERGED == 0 {
            put(n.span.of(self.src));
            return;
        }
        let mut tok = Tokenizer::with_range(self.src, n.span);
        tok.set_cdata_allowed(true);
        while let Some(t) = tok.next_token() {
            match t {
                Token::Text(s) => put(s.of(self.src)),
                Token::Cdata { span, .. } => {
                    let cdata = span.of(self.src);
                    put(cdata);
                    if !cdata.ends_with("]]>") {
                        // Cut off by the end of the render: close it before what follows.
                        put("]]>");
                    }
                }
                _ => {}
            }
        }
    }
}

/// Formats `v` in decimal into `buf`.
pub(crate) fn itoa(mut v: u32, buf: &mut [u8; 10]) -> &str {
    let mut i = buf.len();
    loop {
        i -= 1;
        buf[i] = b'0' + (v % 10) as u8;
        v /= 10;
        if v == 0 {
            break;
        }
    }
    std::str::from_utf8(&buf[i..]).unwrap_or("0")
}

impl Tree {
    /// The HTML of the whole fragment with `dj-id` stamped on every element.
    pub fn to_html(&self) -> String {
        let mut out = String::with_capacity(self.src.len() + self.nodes.len() * 8);
        self.write_html(&mut out);
        out
    }

    /// Appends [`Tree::to_html`] to `out`.
    pub fn write_html(&self, out: &mut String) {
        View::of(self).write_range(0, self.nodes.len(), out);
    }

    /// The HTML of node `i` alone (ids stamped; for a text node, its raw text without
    /// comments).
    pub fn node_html(&self, i: super::NodeIndex) -> String {
        let mut out = String::new();
        View::of(self).write_node(i, true, &mut out);
        out
    }

    /// The length of [`Tree::to_html`] in bytes, without writing it.
    pub fn html_len(&self) -> usize {
        let mut count = Count::default();
        View::of(self).write_range(0, self.nodes.len(), &mut count);
        count.0
    }
}
