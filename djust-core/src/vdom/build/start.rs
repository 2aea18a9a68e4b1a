//! Start tags: foreign content, the table insertion modes, then "in body" and the insertion
//! of the element.

use super::{Builder, Mode, Ns, Scope};
use crate::vdom::tags::Tag;
use crate::vdom::tokenizer::{eq_name, Span, Tokenizer};
use crate::vdom::tree::{F_DJ_ID, F_FOREIGN, F_KEYED, F_MATHML, F_NO_END};

impl Builder {
    pub(super) fn start_tag(
        &mut self,
        src: &str,
        tok: &mut Tokenizer<'_>,
        span: Span,
        name: Span,
        self_closing: bool,
    ) {
        let tag = Tag::of(name.bytes(src));
        let at = span.start;
        self.pending_lf = None;
        if let Some(top) = self.stack.last().copied() {
            let math_glyph = top.ns == Ns::Math
                && top.html_inside()
                && (eq_name(name.of(src), "mglyph") || eq_name(name.of(src), "malignmark"));
            if math_glyph {
                return self.insert(src, tok, span, name, tag, Ns::Math, self_closing);
            }
            if !top.html_inside() {
                let breaks = tag.breaks_out_of_foreign()
                    || (tag == Tag::Font
                        && tok.attributes().iter().any(|a| {
                            let n = a.name.of(src);
                            eq_name(n, "color") || eq_name(n, "face") || eq_name(n, "size")
                        }));
                if !breaks {
                    if top.tag == Tag::AnnotationXml && tag != Tag::Svg {
                        self.diverge(at, "<annotation-xml> content depends on its encoding");
                    }
                    let ns = if top.tag == Tag::AnnotationXml && tag == Tag::Svg {
                        Ns::Svg
                    } else {
                        top.ns
                    };
                    self.insert(src, tok, span, name, tag, ns, self_closing);
                    return;
                }
                let mut k = self.stack.len();
                while k > 0 && !self.stack[k - 1].html_inside() {
                    k -= 1;
                }
                self.lint(at, || {
                    let nm = name.of(src);
                    format!("<{nm}> is HTML: the browser moves it out of the SVG/MathML element")
                });
                self.close_from(k, at);
            }
        }
        loop {
            match self.mode() {
                Mode::Table => match tag {
                    Tag::Caption | Tag::Colgroup | Tag::Tbody | Tag::Thead | Tag::Tfoot => {}
                    Tag::Col => {
                        self.implied(at, Tag::Colgroup);
                        continue;
                    }
                    Tag::Tr | Tag::Td | Tag::Th => {
                        self.implied(at, Tag::Tbody);
                        continue;
                    }
                    Tag::Table if self.top_is(Tag::Template) => return self.skip(),
                    Tag::Table => {
                        self.close_from(self.stack.len() - 1, at);
                        continue;
                    }
                    Tag::Style | Tag::Script | Tag::Template => {}
                    _ => self.diverge(at, "an element directly in a table is moved before it"),
                },
                Mode::TableBody => match tag {
                    Tag::Tr | Tag::Style | Tag::Script | Tag::Template => {}
                    Tag::Td | Tag::Th => {
                        self.implied(at, Tag::Tr);
                        continue;
                    }
                    Tag::Caption
                    | Tag::Col
                    | Tag::Colgroup
                    | Tag::Tbody
                    | Tag::Thead
                    | Tag::Tfoot
                    | Tag::Table => {
                        if self.top_is(Tag::Template) {
                            return self.skip();
                        }
                        self.close_from(self.stack.len() - 1, at);
                        continue;
                    }
                    _ => self.diverge(at, "an element directly in a table is moved before it"),
                },
                Mode::Row => match tag {
                    Tag::Td | Tag::Th | Tag::Style | Tag::Script | Tag::Template => {}
                    _ if tag.is_table_part() || tag == Tag::Table => {
                        if self.top_is(Tag::Template) {
                            return self.skip();
                        }
                        self.close_from(self.stack.len() - 1, at);
                        continue;
                    }
                    _ => self.diverge(at, "an element directly in a table row is moved before it"),
                },
                Mode::ColumnGroup => match tag {
                    Tag::Col | Tag::Template => {}
                    _ => {
                        if self.top_is(Tag::Colgroup) {
                            self.close_from(self.stack.len() - 1, at);
                            continue;
                        }
                        return self.skip();
                    }
                },
                Mode::Cell | Mode::Caption if tag.is_table_part() => {
                    let cell = self.in_scope_by(Scope::Table, |o| {
                        o.ns == Ns::Html && matches!(o.tag, Tag::Td | Tag::Th | Tag::Caption)
                    });
                    match cell {
                        Some(k) => {
                            self.implied_ends(at, None, false);
                            self.close_from(k, at);
                            continue;
                        }
                        _ => return self.skip(),
                    }
                }
                Mode::Template if self.top_is(Tag::Template) => {
                    // "In template": the first tag decides what the template's content is.
                    let mode = match tag {
                        Tag::Caption | Tag::Colgroup | Tag::Tbody | Tag::Thead | Tag::Tfoot => {
                            Mode::Table
                        }
                        Tag::Col => Mode::ColumnGroup,
                        Tag::Tr => Mode::TableBody,
                        Tag::Td | Tag::Th => Mode::Row,
                        _ => Mode::Body,
                    };
                    if let Some(top) = self.stack.last_mut() {
                        top.mode = mode;
                    }
                    continue;
                }
                _ => {}
            }
            break;
        }
        self.body_start(src, tok, span, name, tag, self_closing);
    }

    /// A start tag in HTML content ("in body").
    fn body_start(
        &mut self,
        src: &str,
        tok: &mut Tokenizer<'_>,
        span: Span,
        name: Span,
        tag: Tag,
        self_closing: bool,
    ) {
        let at = span.start;
        let in_table = matches!(
            self.mode(),
            Mode::Table | Mode::TableBody | Mode::Row | Mode::ColumnGroup
        );
        match tag {
            Tag::Svg | Tag::Math if in_table => {
                self.diverge(at, "an element directly in a table is moved before it");
            }
            Tag::Html | Tag::Body | Tag::Head | Tag::Frameset | Tag::Frame => {
                return self.skip();
            }
            _ if tag.is_table_part() && !in_table => return self.skip(),
            Tag::A => {
                let open_a = self
                    .stack
                    .iter()
                    .rev()
                    .take_while(|o| !(o.ns == Ns::Html && o.tag.is_marker()))
                    .any(|o| o.html(Tag::A));
                if open_a {
                    self.diverge(at, "an <a> inside an <a> is moved out of it");
                }
            }
            Tag::Nobr if self.in_scope(Tag::Nobr, Scope::Default).is_some() => {
                self.diverge(at, "a <nobr> inside a <nobr> is moved out of it");
            }
            Tag::Button => {
                if let Some(k) = self.in_scope(Tag::Button, Scope::Default) {
                    self.lint(at, || "a <button> inside a <button> closes it".to_owned());
                    self.implied_ends(at, None, false);
                    self.close_from(k, at);
                }
            }
            Tag::Li => {
                self.close_item(at, &[Tag::Li]);
                self.close_p(at);
            }
            Tag::Dd | Tag::Dt => {
                self.close_item(at, &[Tag::Dd, Tag::Dt]);
                self.close_p(at);
            }
            Tag::Heading => {
                self.close_p(at);
                if self.top_is(Tag::Heading) {
                    self.lint(at, || "a heading inside a heading closes it".to_owned());
                    self.close_from(self.stack.len() - 1, at);
                }
            }
            Tag::Form => {
                let in_template = self.stack.iter().any(|o| o.html(Tag::Template));
                if self.form.is_some() && !in_template {
                    self.lint(at, || {
                        "a <form> inside a <form>: the browser ignores the inner one".to_owned()
                    });
                    return self.skip();
                }
                self.close_p(at);
            }
            Tag::Option => {
                if self.in_scope(Tag::Select, Scope::Default).is_some() {
                    self.implied_ends(at, Some(Tag::Optgroup), false);
                } else if self.top_is(Tag::Option) {
                    self.close_from(self.stack.len() - 1, at);
                }
            }
            Tag::Optgroup => {
                if self.in_scope(Tag::Select, Scope::Default).is_some() {
                    self.implied_ends(at, None, false);
                } else if self.top_is(Tag::Option) {
                    self.close_from(self.stack.len() - 1, at);
                }
            }
            Tag::Select => {
                if let Some(k) = self.in_scope(Tag::Select, Scope::Default) {
                    self.close_from(k, at);
                    return self.skip();
                }
            }
            Tag::Input | Tag::Keygen | Tag::Textarea => {
                if let Some(k) = self.in_scope(Tag::Select, Scope::Default) {
                    self.close_from(k, at);
                }
            }
            Tag::Rb | Tag::Rtc if self.in_scope(Tag::Ruby, Scope::Default).is_some() => {
                self.implied_ends(at, None, false);
            }
            Tag::Rp | Tag::Rt if self.in_scope(Tag::Ruby, Scope::Default).is_some() => {
                self.implied_ends(at, Some(Tag::Rtc), false);
            }
            Tag::Hr => {
                if self.in_scope(Tag::Select, Scope::Default).is_some() {
                    self.implied_ends(at, None, false);
                }
                self.close_p(at);
            }
            Tag::Other if eq_name(name.of(src), "selectedcontent") => {
                self.diverge(
                    at,
                    "the browser fills <selectedcontent> with the selected option",
                );
            }
            Tag::Image => self.diverge(at, "the parser renames <image> to <img>"),
            Tag::Plaintext => self.diverge(at, "<plaintext> makes the rest of the page text"),
            Tag::Noscript => self.diverge(at, "<noscript> content is text when scripts run"),
            _ if tag.closes_p() => self.close_p(at),
            _ => {}
        }
        let ns = match tag {
            Tag::Svg => Ns::Svg,
            Tag::Math => Ns::Math,
            _ => Ns::Html,
        };
        self.insert(src, tok, span, name, tag, ns, self_closing);
    }

    /// Inserts an element for a start tag at the current position.
    #[allow(clippy::too_many_arguments)]
    fn insert(
        &mut self,
        src: &str,
        tok: &mut Tokenizer<'_>,
        span: Span,
        name: Span,
        tag: Tag,
        ns: Ns,
        self_closing: bool,
    ) {
        self.last_text = None;
        let mut flags = match ns {
            Ns::Html => 0,
            Ns::Svg => F_FOREIGN,
            Ns::Math => F_FOREIGN | F_MATHML,
        };
        let mut key = Span::default();
        for a in tok.attributes() {
            let an = a.name.bytes(src);
            if an.len() == 6 && flags & F_KEYED == 0 && an.eq_ignore_ascii_case(b"dj-key") {
                flags |= F_KEYED;
                key = a
                    .value
                    .unwrap_or(Span::new(a.span.end as usize, a.span.end as usize));
            } else if an.len() == 5 && an.eq_ignore_ascii_case(b"dj-id") {
                flags |= F_DJ_ID;
            }
        }
        if ns != Ns::Html {
            tok.cancel_raw_text();
            if tag == Tag::AnnotationXml {
                self.diverge(
                    span.start,
                    "<annotation-xml> content depends on its encoding",
                );
            }
        }
        let closed = if ns == Ns::Html {
            tag.is_void()
        } else {
            self_closing
        };
        if closed {
            flags |= F_NO_END;
        }
        let node = self.push_node(span, name.end, key, flags);
        if !closed {
            self.open(node, tag, ns);
            if tag == Tag::Form && ns == Ns::Html {
                self.form = Some(node);
            }
        }
        tok.set_cdata_allowed(self.foreign());
    }
}
