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

mod end;
mod start;
mod text;

use super::tags::Tag;
use super::tokenizer::{Span, Token, Tokenizer};
use super::tree::{Divergence, Node, F_IMPLIED_COLGROUP, F_IMPLIED_TBODY, F_IMPLIED_TR, F_MERGED};

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

    /// Whether the current element is SVG or MathML.
    fn foreign(&self) -> bool {
        self.stack.last().is_some_and(|o| o.ns != Ns::Html)
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
}

/// An element whose end tag may be left out (implied end tags, table parts).
fn optional_end(o: &Open) -> bool {
    o.ns == Ns::Html && (o.tag.implied_end() || o.tag.is_table_part())
}
