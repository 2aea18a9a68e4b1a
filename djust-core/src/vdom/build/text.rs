//! Text: merged with the text before it, checked where a table would move it, raw text and
//! the newline dropped after `<pre>`.

use super::{Builder, Mode, Ns};
use crate::vdom::tags::Tag;
use crate::vdom::tokenizer::Span;
use crate::vdom::tree::{Node, F_IMPLIED, F_MERGED, F_RAW, F_SKIP_LF, F_TEXT};

impl Builder {
    pub(super) fn text(&mut self, src: &str, span: Span, cdata: bool) {
        let in_table = matches!(
            self.mode(),
            Mode::Table | Mode::TableBody | Mode::Row | Mode::ColumnGroup
        ) && !self.foreign();
        if in_table {
            let visible = span
                .bytes(src)
                .iter()
                .position(|b| !matches!(b, b' ' | b'\t' | b'\n' | b'\r' | b'\x0c'));
            if let Some(offset) = visible {
                self.diverge(
                    span.start + offset as u32,
                    "text directly in a table is moved before it",
                );
            }
        }
        if let Some(t) = self.last_text {
            let n = &mut self.nodes[t as usize];
            n.span.end = span.end;
            n.flags |= F_MERGED;
            return;
        }
        let mut flags = F_TEXT;
        let mut span = span;
        if cdata {
            flags |= F_MERGED;
        }
        if let Some(&p) = self.stack.last() {
            let pn = self.nodes[p.node as usize];
            let html = p.ns == Ns::Html;
            let first = self.nodes.len() == p.node as usize + 1;
            if html && pn.flags & F_IMPLIED == 0 {
                if p.tag.is_raw_text() {
                    flags |= F_RAW;
                    if p.tag == Tag::Script && double_escaped(span.of(src)) {
                        self.diverge(
                            span.start,
                            "<!--<script in a <script> changes where it ends",
                        );
                    }
                }
                if first && !cdata && matches!(p.tag, Tag::Pre | Tag::Textarea | Tag::Listing) {
                    if let Some(lf) = self.pending_lf.take() {
                        span.start = lf.start;
                        flags |= F_SKIP_LF | F_MERGED;
                    } else {
                        let raw = span.bytes(src);
                        if raw.first() == Some(&b'&') && p.tag != Tag::Textarea {
                            self.diverge(
                                span.start,
                                "a newline reference first in <pre> is dropped",
                            );
                        }
                        let lf = match raw {
                            [b'\r', b'\n', ..] => 2,
                            [b'\n' | b'\r', ..] => 1,
                            _ => 0,
                        };
                        if lf > 0 {
                            if lf == raw.len() {
                                self.pending_lf = Some(span);
                                return;
                            }
                            flags |= F_SKIP_LF;
                        }
                    }
                }
            }
        }
        let idx = self.nodes.len() as u32;
        self.nodes.push(Node {
            span,
            tag_end: span.end,
            name_end: span.end,
            close_start: span.end,
            next: idx + 1,
            key: Span::default(),
            flags,
        });
        self.last_text = Some(idx);
    }
}

/// Whether script text holds `<!--` then `<script`: the browser's tokenizer then ignores the
/// next `</script>` ("script data double escaped"), which the tokenizer here does not follow.
fn double_escaped(text: &str) -> bool {
    text.find("<!--").is_some_and(|at| {
        text.as_bytes()[at..]
            .windows(7)
            .any(|w| w.eq_ignore_ascii_case(b"<script"))
    })
}
