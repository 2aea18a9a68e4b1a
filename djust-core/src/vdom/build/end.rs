//! End tags: the current element's (the usual case), foreign content, then by insertion mode.

use super::{Builder, Mode, Ns, Open, Scope};
use crate::vdom::tags::Tag;
use crate::vdom::tokenizer::{eq_name, Span, Tokenizer};
use crate::vdom::tree::{F_EXPLICIT_CLOSE, F_IMPLIED};

impl Builder {
    pub(super) fn end_tag(&mut self, src: &str, tok: &mut Tokenizer<'_>, span: Span, name: Span) {
        let nm_bytes = name.bytes(src);
        self.pending_lf = None;
        // The usual case: the end tag of the current element.
        if let Some(top) = self.stack.last().copied() {
            let n = self.nodes[top.node as usize];
            // An implied element (no tag in the source) has no name to compare.
            let same = n.flags & F_IMPLIED == 0 && {
                let open_name = &src.as_bytes()[n.span.start as usize + 1..n.name_end as usize];
                // Byte equality first: an end tag is usually written as its start tag.
                same_name(open_name, nm_bytes)
            };
            if same {
                if top.html(Tag::Form) {
                    self.form = None;
                }
                self.stack.pop();
                self.end_element(top, span);
                tok.set_cdata_allowed(self.foreign());
                return;
            }
            if top.ns != Ns::Html {
                for k in (0..self.stack.len()).rev() {
                    let o = self.stack[k];
                    if o.ns == Ns::Html {
                        break;
                    }
                    let n = self.nodes[o.node as usize];
                    let open_name = &src.as_bytes()[n.span.start as usize + 1..n.name_end as usize];
                    if open_name.eq_ignore_ascii_case(nm_bytes) {
                        self.close_explicit(k, span);
                        tok.set_cdata_allowed(self.foreign());
                        return;
                    }
                }
            }
        }
        let tag = Tag::of(nm_bytes);
        self.html_end(src, span, name.of(src), tag);
        tok.set_cdata_allowed(self.foreign());
    }

    /// Closes stack index `k` with its end tag `span` (elements above it implicitly).
    fn close_explicit(&mut self, k: usize, span: Span) {
        let o = self.stack[k];
        if k + 1 < self.stack.len() {
            self.close_above(k + 1, span.start, o.ns == Ns::Html && o.tag.is_marker());
        }
        self.stack.truncate(k);
        self.end_element(o, span);
    }

    /// Ends open element `o` (already off the stack) with its end tag `span`.
    #[inline(always)]
    fn end_element(&mut self, o: Open, span: Span) {
        let len = self.nodes.len() as u32;
        let n = &mut self.nodes[o.node as usize];
        n.close_start = span.start;
        n.span.end = span.end;
        n.next = len;
        n.flags |= F_EXPLICIT_CLOSE;
        if o.html(Tag::P) {
            self.open_p -= 1;
        }
        self.last_text = None;
    }

    /// An end tag in HTML content, by insertion mode. Out of line: the usual end tag is the
    /// current element's, and keeping this out of `Builder::run` keeps that path small.
    #[inline(never)]
    fn html_end(&mut self, src: &str, span: Span, nm: &str, tag: Tag) {
        let at = span.start;
        loop {
            match self.mode() {
                mode @ (Mode::Table | Mode::TableBody | Mode::Row) => {
                    let top = self.stack.len() - 1;
                    if self.top_is(Tag::Template) && (tag.is_table_part() || tag == Tag::Table) {
                        return self.skip();
                    }
                    match tag {
                        Tag::Table => {
                            let Some(k) = self.in_scope(Tag::Table, Scope::Table) else {
                                return self.skip();
                            };
                            if k == top {
                                return self.close_explicit(k, span);
                            }
                            // Close the row or section around the end tag first.
                            self.close_from(top, at);
                            continue;
                        }
                        Tag::Tbody | Tag::Thead | Tag::Tfoot if mode != Mode::Table => {
                            if self.in_scope(tag, Scope::Table).is_none() {
                                return self.skip();
                            }
                            if self.top_is(tag) {
                                return self.close_explicit(top, span);
                            }
                            if mode == Mode::Row {
                                self.close_from(top, at);
                                continue;
                            }
                            return self.skip();
                        }
                        Tag::Tr if mode == Mode::Row => return self.close_explicit(top, span),
                        Tag::Body
                        | Tag::Caption
                        | Tag::Col
                        | Tag::Colgroup
                        | Tag::Html
                        | Tag::Tbody
                        | Tag::Td
                        | Tag::Tfoot
                        | Tag::Th
                        | Tag::Thead
                        | Tag::Tr => return self.skip(),
                        _ => {}
                    }
                }
                Mode::Cell => match tag {
                    Tag::Td | Tag::Th => {
                        let Some(k) = self.in_scope(tag, Scope::Table) else {
                            return self.skip();
                        };
                        self.implied_ends(at, None, false);
                        return self.close_explicit(k, span);
                    }
                    Tag::Body | Tag::Caption | Tag::Col | Tag::Colgroup | Tag::Html => {
                        return self.skip()
                    }
                    Tag::Table | Tag::Tbody | Tag::Tfoot | Tag::Thead | Tag::Tr => {
                        if self.in_scope(tag, Scope::Table).is_none() {
                            return self.skip();
                        }
                        let cell = self.in_scope_by(Scope::Table, |o| {
                            o.ns == Ns::Html && matches!(o.tag, Tag::Td | Tag::Th)
                        });
                        if let Some(k) = cell {
                            self.close_from(k, at);
                            continue;
                        }
                        return self.skip();
                    }
                    _ => {}
                },
                Mode::Caption => match tag {
                    Tag::Caption | Tag::Table => {
                        let Some(k) = self.in_scope(Tag::Caption, Scope::Table) else {
                            return self.skip();
                        };
                        if tag == Tag::Caption {
                            self.implied_ends(at, None, false);
                            return self.close_explicit(k, span);
                        }
                        self.close_from(k, at);
                        continue;
                    }
                    Tag::Body
                    | Tag::Col
                    | Tag::Colgroup
                    | Tag::Html
                    | Tag::Tbody
                    | Tag::Td
                    | Tag::Tfoot
                    | Tag::Th
                    | Tag::Thead
                    | Tag::Tr => return self.skip(),
                    _ => {}
                },
                Mode::ColumnGroup => match tag {
                    Tag::Col => return self.skip(),
                    Tag::Template => {}
                    _ => {
                        if self.top_is(Tag::Colgroup) {
                            if tag == Tag::Colgroup {
                                return self.close_explicit(self.stack.len() - 1, span);
                            }
                            self.close_from(self.stack.len() - 1, at);
                            continue;
                        }
                        return self.skip();
                    }
                },
                Mode::Body | Mode::Template => {}
            }
            break;
        }
        self.body_end(src, span, nm, tag);
    }

    /// An end tag "in body".
    fn body_end(&mut self, src: &str, span: Span, nm: &str, tag: Tag) {
        let at = span.start;
        match tag {
            Tag::Body | Tag::Html => self.skip(),
            Tag::Template => match self.stack.iter().rposition(|o| o.html(Tag::Template)) {
                Some(k) => {
                    self.implied_ends(at, None, true);
                    self.close_explicit(k, span);
                }
                None => self.skip(),
            },
            Tag::Form => {
                let in_template = self.stack.iter().any(|o| o.html(Tag::Template));
                let target = if in_template {
                    self.in_scope(Tag::Form, Scope::Default)
                } else {
                    let form = self.form.take();
                    form.and_then(|f| self.in_scope_by(Scope::Default, |o| o.node == f))
                };
                match target {
                    Some(k) => {
                        self.implied_ends(at, None, false);
                        if k != self.stack.len() - 1 && !in_template {
                            self.diverge(at, "</form> leaves the elements inside it open");
                        }
                        self.close_explicit(k, span);
                    }
                    None => self.skip(),
                }
            }
            Tag::P => match self.in_scope(Tag::P, Scope::Button) {
                Some(k) => {
                    self.implied_ends(at, Some(Tag::P), false);
                    self.close_explicit(k, span);
                }
                None => {
                    self.diverge(at, "</p> without an open <p> makes an empty paragraph");
                    self.skip();
                }
            },
            Tag::Li => match self.in_scope(Tag::Li, Scope::ListItem) {
                Some(k) => {
                    self.implied_ends(at, Some(Tag::Li), false);
                    self.close_explicit(k, span);
                }
                None => self.skip(),
            },
            Tag::Dd | Tag::Dt => match self.in_scope(tag, Scope::Default) {
                Some(k) => {
                    self.implied_ends(at, Some(tag), false);
                    self.close_explicit(k, span);
                }
                None => self.skip(),
            },
            Tag::Heading => match self.in_scope(Tag::Heading, Scope::Default) {
                Some(k) => {
                    self.implied_ends(at, None, false);
                    self.close_explicit(k, span);
                }
                None => self.skip(),
            },
            Tag::Br => {
                self.diverge(at, "</br> makes a <br>");
                self.skip();
            }
            _ if tag.is_formatting() => {
                let found = self
                    .stack
                    .iter()
                    .rposition(|o| o.html(tag) || (o.ns == Ns::Html && o.tag.is_marker()));
                match found {
                    Some(k) if self.stack[k].html(tag) => {
                        if self
                            .in_scope_by(Scope::Default, |o| o.node == self.stack[k].node)
                            .is_none()
                        {
                            return self.skip();
                        }
                        self.diverge(at, "a formatting element closed out of order is reopened");
                        self.close_explicit(k, span);
                    }
                    _ => self.any_other_end(src, span, nm),
                }
            }
            Tag::Address
            | Tag::Article
            | Tag::Aside
            | Tag::Blockquote
            | Tag::Button
            | Tag::Center
            | Tag::Details
            | Tag::Dialog
            | Tag::Dir
            | Tag::Div
            | Tag::Dl
            | Tag::Fieldset
            | Tag::Figcaption
            | Tag::Figure
            | Tag::Footer
            | Tag::Header
            | Tag::Hgroup
            | Tag::Listing
            | Tag::Main
            | Tag::Menu
            | Tag::Nav
            | Tag::Ol
            | Tag::Pre
            | Tag::Search
            | Tag::Section
            | Tag::Select
            | Tag::Summary
            | Tag::Ul
            | Tag::Applet
            | Tag::Marquee
            | Tag::Object => match self.in_scope(tag, Scope::Default) {
                Some(k) => {
                    self.implied_ends(at, None, false);
                    self.close_explicit(k, span);
                }
                None => self.skip(),
            },
            _ => self.any_other_end(src, span, nm),
        }
    }

    fn same_name(&self, src: &str, k: usize, nm: &str) -> bool {
        let n = &self.nodes[self.stack[k].node as usize];
        n.flags & F_IMPLIED == 0
            && eq_name(&src[n.span.start as usize + 1..n.name_end as usize], nm)
    }

    /// "Any other end tag": closes the nearest open element of that name, unless a special
    /// element is open inside it (then the end tag is ignored).
    fn any_other_end(&mut self, src: &str, span: Span, nm: &str) {
        for k in (0..self.stack.len()).rev() {
            let o = self.stack[k];
            if o.ns == Ns::Html && self.same_name(src, k, nm) {
                self.implied_ends(span.start, Some(o.tag), false);
                return self.close_explicit(k, span);
            }
            if o.is_special() {
                break;
            }
        }
        self.skip();
    }
}

/// Whether two tag names are equal (ASCII case-insensitive): names are short, a loop in line
/// costs less than a call to `memcmp`.
#[inline(always)]
fn same_name(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len()
        && a.iter()
            .zip(b)
            .all(|(x, y)| x == y || x.eq_ignore_ascii_case(y))
}
