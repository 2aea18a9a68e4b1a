//! The tree builder: the WHATWG tree-construction rules a view's HTML needs, as the browser
//! applies them when it parses the children of a `<div>` (fragment parsing, no quirks).
//!
//! Built exactly: implied end tags (`p`, `li`, `dt`/`dd`, `option`/`optgroup`, cells, rows and
//! table sections), implied `<tbody>`, `<tr>` and `<colgroup>`, a `<p>` closed by a block, a
//! heading closed by a heading, `<button>` and `<select>` closing their own kind, void and
//! near-void elements, tags the parser ignores (a `<td>` outside a table, a nested `<form>`),
//! end tags out of scope ignored, and `<svg>`/`<math>` content left by an HTML element.
//!
//! Not built (the tree records a [`Divergence`] instead, and the view is then updated with whole
//! HTML): foster parenting (text or elements misplaced in a table), the adoption agency and the
//! reopening of formatting elements (`<b>` or `<a>` closed out of order), `</p>` or `</br>`
//! without a start tag, `<form>` closed around open children, `<plaintext>`, `<image>`,
//! `<noscript>`, table parts directly in `<template>`, and `<annotation-xml>` content.

use super::tags::Tag;
use super::tokenizer::{eq_name, Span, Token, Tokenizer};
use super::tree::{
    Divergence, Node, F_DJ_ID, F_EXPLICIT_CLOSE, F_FOREIGN, F_IMPLIED_COLGROUP, F_IMPLIED_TBODY,
    F_IMPLIED_TR, F_KEYED, F_MATHML, F_MERGED, F_NO_END, F_RAW, F_SKIP_LF, F_TEXT,
};

/// The namespace of an open element.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Ns {
    Html,
    Svg,
    Math,
}

/// The insertion mode an open element puts the parser in (for its children).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    Body,
    Table,
    TableBody,
    Row,
    Cell,
    Caption,
    ColumnGroup,
    Template,
}

#[derive(Debug, Clone, Copy)]
struct Open {
    node: u32,
    tag: Tag,
    ns: Ns,
    mode: Mode,
}

impl Open {
    fn html(&self, tag: Tag) -> bool {
        self.ns == Ns::Html && self.tag == tag
    }

    /// A boundary of "has an element in scope".
    fn bounds_scope(&self) -> bool {
        match self.ns {
            Ns::Html => self.tag.bounds_scope(),
            _ => self.tag.is_integration_point(),
        }
    }

    fn is_special(&self) -> bool {
        match self.ns {
            Ns::Html => self.tag.is_special_html(),
            _ => self.tag.is_integration_point(),
        }
    }

    /// A foreign element whose children are HTML (an integration point).
    fn html_inside(&self) -> bool {
        match self.ns {
            Ns::Html => true,
            Ns::Svg => matches!(self.tag, Tag::ForeignObject | Tag::Desc | Tag::Title),
            Ns::Math => matches!(self.tag, Tag::Mi | Tag::Mo | Tag::Mn | Tag::Ms | Tag::Mtext),
        }
    }
}

/// Which "in scope" check.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Scope {
    Default,
    ListItem,
    Button,
    Table,
}

pub(crate) struct Builder {
    pub(crate) nodes: Vec<Node>,
    stack: Vec<Open>,
    /// The text node the next text token extends (no tag in between).
    last_text: Option<u32>,
    /// A lone newline right after `<pre>`/`<textarea>`/`<listing>`: dropped unless more text
    /// follows.
    pending_lf: Option<Span>,
    /// The open `<form>` the parser remembers (the "form element pointer").
    form: Option<u32>,
    /// How many `<p>` are open (skips the scope walk of every block start tag when none).
    open_p: u32,
    pub(crate) divergence: Option<Divergence>,
    /// In strict mode ([`super::check_shape`]): every divergence, and the markup the builder
    /// follows but a template should not rely on (ignored tags, elements closed implicitly).
    pub(crate) shape_errors: Option<Vec<ShapeError>>,
    /// Strict mode: elements closed without their end tag (node, where), named at the end.
    implicit: Vec<(u32, u32)>,
}

/// A place where a template's HTML is not built as written (see [`super::check_shape`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShapeError {
    /// Byte offset in the HTML.
    pub at: usize,
    /// What the browser does there.
    pub message: String,
}

impl Builder {
    pub(crate) fn new(capacity: usize) -> Self {
        Self {
            nodes: Vec::with_capacity(capacity),
            stack: Vec::new(),
            last_text: None,
            pending_lf: None,
            form: None,
            open_p: 0,
            divergence: None,
            shape_errors: None,
            implicit: Vec::new(),
        }
    }

    /// A builder that also collects [`ShapeError`]s.
    pub(crate) fn strict(capacity: usize) -> Self {
        Self {
            shape_errors: Some(Vec::new()),
            ..Self::new(capacity)
        }
    }

    /// Records a shape error (strict mode only).
    fn lint(&mut self, at: u32, message: impl FnOnce() -> String) {
        if let Some(errors) = &mut self.shape_errors {
            errors.push(ShapeError {
                at: at as usize,
                message: message(),
            });
        }
    }

    fn name_of(&self, src: &str, o: &Open) -> String {
        self.nodes[o.node as usize].name(src).to_ascii_lowercase()
    }

    pub(crate) fn run(&mut self, src: &str) {
        let mut tok = Tokenizer::new(src);
        while let Some(t) = tok.next_token() {
            match t {
                Token::StartTag {
                    span,
                    name,
                    self_closing,
                } => {
                    let before = self.nodes.len();
                    self.start_tag(src, &mut tok, span, name, self_closing);
                    if self.nodes.len() == before {
                        self.lint(span.start, || {
                            format!("the browser ignores <{}> here", name.of(src))
                        });
                    }
                }
                Token::EndTag { span, name } => {
                    let before = self.stack.len();
                    self.end_tag(src, &mut tok, span, name);
                    if self.stack.len() >= before {
                        self.lint(span.start, || {
                            format!(
                                "</{}> closes no open element: the browser ignores it",
                                name.of(src)
                            )
                        });
                    }
                }
                Token::Text(span) => self.text(src, span, false),
                Token::Cdata { span, inner } if !inner.is_empty() => self.text(src, span, true),
                Token::Cdata { .. } => self.skip(),
                Token::Comment(_) | Token::Doctype(_) => self.skip(),
            }
        }
        // Elements still open at the end are closed there (nothing follows to reopen).
        if self.shape_errors.is_some() {
            for o in self.stack.clone() {
                if !optional_end(&o) {
                    let name = self.name_of(src, &o);
                    let at = self.nodes[o.node as usize].span.start;
                    self.lint(at, || format!("<{name}> is never closed"));
                }
            }
        }
        for (node, at) in std::mem::take(&mut self.implicit) {
            let name = self.nodes[node as usize].name(src).to_ascii_lowercase();
            self.lint(at, || {
                format!("<{name}> is closed here without its end tag")
            });
        }
        if let Some(errors) = &mut self.shape_errors {
            errors.sort_by_key(|e| e.at);
        }
        let (end, len) = (src.len() as u32, self.nodes.len() as u32);
        for o in &self.stack {
            let n = &mut self.nodes[o.node as usize];
            n.span.end = end;
            n.next = len;
        }
        self.stack.clear();
    }

    fn diverge(&mut self, at: u32, what: &'static str) {
        self.lint(at, || what.to_owned());
        if self.divergence.is_none() {
            self.divergence = Some(Divergence {
                at: at as usize,
                what,
            });
        }
    }

    /// A token that leaves no node: text around it merges.
    fn skip(&mut self) {
        if let Some(t) = self.last_text {
            self.nodes[t as usize].flags |= F_MERGED;
        }
    }

    fn mode(&self) -> Mode {
        self.stack.last().map_or(Mode::Body, |o| o.mode)
    }

    fn top_is(&self, tag: Tag) -> bool {
        self.stack.last().is_some_and(|o| o.html(tag))
    }

    /// The index in the stack of an HTML `tag` in the given scope.
    fn in_scope(&self, tag: Tag, scope: Scope) -> Option<usize> {
        self.in_scope_by(scope, |o| o.html(tag))
    }

    fn in_scope_by(&self, scope: Scope, target: impl Fn(&Open) -> bool) -> Option<usize> {
        for (k, o) in self.stack.iter().enumerate().rev() {
            if target(o) {
                return Some(k);
            }
            let bound = match scope {
                Scope::Table => o.ns == Ns::Html && matches!(o.tag, Tag::Table | Tag::Template),
                Scope::ListItem => o.bounds_scope() || o.html(Tag::Ol) || o.html(Tag::Ul),
                Scope::Button => o.bounds_scope() || o.html(Tag::Button),
                Scope::Default => o.bounds_scope(),
            };
            if bound {
                return None;
            }
        }
        None
    }

    /// Closes the open elements from stack index `k` up, at byte `at` (where the token that
    /// closes them starts).
    fn close_from(&mut self, k: usize, at: u32) {
        self.close_above(k, at, false);
    }

    /// [`Builder::close_from`]; `marker_below`: the element under index `k` closes with them
    /// and is a marker. A formatting element closed this way is reopened by the browser before
    /// the next content, unless a marker (a cell, a caption…) below it closes too.
    fn close_above(&mut self, k: usize, at: u32, marker_below: bool) {
        if k >= self.stack.len() {
            return;
        }
        let len = self.nodes.len() as u32;
        let mut marker = marker_below;
        let mut misnested = false;
        let strict = self.shape_errors.is_some();
        for o in &self.stack[k..] {
            if strict && !optional_end(o) {
                self.implicit.push((o.node, at));
            }
            let html = o.ns == Ns::Html;
            marker |= html && o.tag.is_marker();
            misnested |= !marker && html && o.tag.is_formatting();
            let n = &mut self.nodes[o.node as usize];
            n.span.end = at;
            n.next = len;
            if html && o.tag == Tag::P {
                self.open_p -= 1;
            }
        }
        self.stack.truncate(k);
        self.last_text = None;
        if misnested {
            self.diverge(at, "a formatting element closed out of order is reopened");
        }
    }

    /// "Generate implied end tags", except `except`.
    fn implied_ends(&mut self, at: u32, except: Option<Tag>, thorough: bool) {
        let mut k = self.stack.len();
        while k > 0 {
            let o = self.stack[k - 1];
            let implied = o.ns == Ns::Html
                && (o.tag.implied_end() || (thorough && o.tag.is_table_part()))
                && Some(o.tag) != except;
            if !implied {
                break;
            }
            k -= 1;
        }
        self.close_from(k, at);
    }

    fn close_p(&mut self, at: u32) {
        if self.open_p == 0 {
            return;
        }
        if let Some(k) = self.in_scope(Tag::P, Scope::Button) {
            self.implied_ends(at, Some(Tag::P), false);
            self.close_from(k, at);
        }
    }

    /// The loop of `<li>`, `<dd>` and `<dt>`: close the open item of the same list.
    fn close_item(&mut self, at: u32, items: &[Tag]) {
        for k in (0..self.stack.len()).rev() {
            let o = self.stack[k];
            if o.ns == Ns::Html && items.contains(&o.tag) {
                self.close_from(k, at);
                break;
            }
            if o.is_special()
                && !(o.ns == Ns::Html && matches!(o.tag, Tag::Address | Tag::Div | Tag::P))
            {
                break;
            }
        }
    }

    /// Pushes a new element node; returns its index.
    fn push_node(&mut self, span: Span, name_end: u32, key: Span, flags: u16) -> u32 {
        let idx = self.nodes.len() as u32;
        self.nodes.push(Node {
            span,
            tag_end: span.end,
            name_end,
            close_start: span.end,
            next: idx + 1,
            key,
            flags,
        });
        idx
    }

    fn open(&mut self, node: u32, tag: Tag, ns: Ns) {
        let mode = if ns != Ns::Html {
            Mode::Body
        } else {
            match tag {
                Tag::Table => Mode::Table,
                Tag::Tbody | Tag::Thead | Tag::Tfoot => Mode::TableBody,
                Tag::Tr => Mode::Row,
                Tag::Td | Tag::Th => Mode::Cell,
                Tag::Caption => Mode::Caption,
                Tag::Colgroup => Mode::ColumnGroup,
                Tag::Template => Mode::Template,
                _ => match self.mode() {
                    Mode::Cell => Mode::Cell,
                    Mode::Caption => Mode::Caption,
                    _ => Mode::Body,
                },
            }
        };
        if tag == Tag::P && ns == Ns::Html {
            self.open_p += 1;
        }
        self.stack.push(Open {
            node,
            tag,
            ns,
            mode,
        });
    }

    /// An element the parser adds without a tag in the source (`<tbody>`, `<tr>`,
    /// `<colgroup>`), just before byte `at`.
    fn implied(&mut self, at: u32, tag: Tag) {
        let flag = match tag {
            Tag::Tbody => F_IMPLIED_TBODY,
            Tag::Tr => F_IMPLIED_TR,
            _ => F_IMPLIED_COLGROUP,
        };
        let node = self.push_node(Span { start: at, end: at }, at, Span::default(), flag);
        self.open(node, tag, Ns::Html);
    }

    fn start_tag(
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

    fn foreign(&self) -> bool {
        self.stack.last().is_some_and(|o| o.ns != Ns::Html)
    }

    fn end_tag(&mut self, src: &str, tok: &mut Tokenizer<'_>, span: Span, name: Span) {
        let nm_bytes = name.bytes(src);
        self.pending_lf = None;
        // The usual case: the end tag of the current element.
        if let Some(top) = self.stack.last().copied() {
            let n = self.nodes[top.node as usize];
            // An implied element (no tag in the source) has no name to compare.
            let same = n.flags & super::tree::F_IMPLIED == 0 && {
                let open_name = &src.as_bytes()[n.span.start as usize + 1..n.name_end as usize];
                // Byte equality first: an end tag is usually written as its start tag.
                open_name == nm_bytes || open_name.eq_ignore_ascii_case(nm_bytes)
            };
            if same {
                if top.html(Tag::Form) {
                    self.form = None;
                }
                self.close_explicit(self.stack.len() - 1, span);
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
        let len = self.nodes.len() as u32;
        let n = &mut self.nodes[o.node as usize];
        n.close_start = span.start;
        n.span.end = span.end;
        n.next = len;
        n.flags |= F_EXPLICIT_CLOSE;
        if o.html(Tag::P) {
            self.open_p -= 1;
        }
        self.stack.truncate(k);
        self.last_text = None;
    }

    /// An end tag in HTML content, by insertion mode.
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
        n.flags & super::tree::F_IMPLIED == 0
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

    fn text(&mut self, src: &str, span: Span, cdata: bool) {
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
            if html && pn.flags & super::tree::F_IMPLIED == 0 {
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

/// An element whose end tag may be left out (implied end tags, table parts).
fn optional_end(o: &Open) -> bool {
    o.ns == Ns::Html && (o.tag.implied_end() || o.tag.is_table_part())
}
