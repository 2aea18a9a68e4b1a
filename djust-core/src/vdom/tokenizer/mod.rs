//! A zero-copy HTML tokenizer: tokens are byte spans into the source.
//!
//! It follows the HTML tokenizer where templates need it: comments (`<!-- … -->`, also the
//! bogus `<!…>`, `<?…>` and `</ …>` forms), doctypes, CDATA sections (only where
//! [`Tokenizer::set_cdata_allowed`] says so, as browsers do inside `<svg>`/`<math>`; elsewhere a
//! `<![CDATA[` is a bogus comment ending at the first `>`), raw text after `<script>`, `<style>`,
//! `<xmp>`, `<iframe>`, `<noembed>`, `<noframes>` and escapable raw text after `<textarea>` and
//! `<title>`, quoted attribute values holding `<` or `>`, unquoted and boolean attributes, and a
//! `<` that opens no tag being plain text. Tag and attribute names are reported as written;
//! compare them with [`eq_name`]. A tag cut off by the end of the input is dropped, as browsers do.
//!
//! It knows nothing about nesting: [`crate::vdom::Tree`] builds the tree; other users (e.g. the
//! main-only middleware looking for the first top-level `<main>`) can drive it directly:
//!
//! ```
//! use djust_core::vdom::tokenizer::{Token, Tokenizer};
//!
//! let src = r#"<!-- <main> --><main class="x">hi</main>"#;
//! let mut tokens = Tokenizer::new(src);
//! let mut inner = None;
//! while let Some(token) = tokens.next_token() {
//!     if let Token::StartTag { name, span, .. } = token {
//!         if name.of(src).eq_ignore_ascii_case("main") {
//!             inner = Some(span.end);
//!         }
//!     }
//! }
//! assert_eq!(inner, Some(15 + 16));
//! ```

use memchr::{memchr, memmem};

/// A byte range `start..end` of the source.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Hash)]
pub struct Span {
    /// First byte.
    pub start: u32,
    /// One past the last byte.
    pub end: u32,
}

impl Span {
    /// A span from `start` to `end`.
    pub fn new(start: usize, end: usize) -> Self {
        Self {
            start: start as u32,
            end: end as u32,
        }
    }

    /// The span as a range of `usize`.
    pub fn range(self) -> std::ops::Range<usize> {
        self.start as usize..self.end as usize
    }

    /// Its length in bytes.
    pub fn len(self) -> usize {
        (self.end - self.start) as usize
    }

    /// Whether it is empty.
    pub fn is_empty(self) -> bool {
        self.end == self.start
    }

    /// The text of the span.
    pub fn of(self, src: &str) -> &str {
        &src[self.range()]
    }

    /// The bytes of the span (no char-boundary checks: for the hot paths that compare names).
    pub fn bytes(self, src: &str) -> &[u8] {
        &src.as_bytes()[self.range()]
    }
}

/// One attribute of a start tag.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Attribute {
    /// The name as written.
    pub name: Span,
    /// The raw value without its quotes (entities not decoded); `None` for a bare attribute.
    pub value: Option<Span>,
    /// The whole attribute, from its name to the end of its value (closing quote included).
    pub span: Span,
}

/// A token: what it is and where it lies in the source.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Token {
    /// `<name attr…>`; its attributes are [`Tokenizer::attributes`] until the next token.
    StartTag {
        /// From `<` to `>` included.
        span: Span,
        /// The tag name as written.
        name: Span,
        /// Whether the tag ends with `/>`.
        self_closing: bool,
    },
    /// `</name …>`.
    EndTag {
        /// From `<` to `>` included.
        span: Span,
        /// The tag name as written.
        name: Span,
    },
    /// Character data, entities not decoded (raw text of `<script>` etc. included).
    Text(Span),
    /// A comment, or a bogus comment (`<!x>`, `<?x>`, `</ x>`).
    Comment(Span),
    /// `<![CDATA[ … ]]>` where CDATA is allowed.
    Cdata {
        /// The whole section.
        span: Span,
        /// Its content.
        inner: Span,
    },
    /// `<!DOCTYPE …>`.
    Doctype(Span),
}

/// Whether two tag or attribute names are equal (ASCII case-insensitive).
pub fn eq_name(a: &str, b: &str) -> bool {
    a.eq_ignore_ascii_case(b)
}

/// Whether `name` is a void element (no content, no end tag).
pub fn is_void(name: &str) -> bool {
    const VOID: [&str; 13] = [
        "br", "img", "input", "meta", "link", "hr", "area", "base", "col", "embed", "source",
        "track", "wbr",
    ];
    name.len() <= 6 && VOID.iter().any(|v| eq_name(v, name))
}

/// How the content of an element is tokenized.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextMode {
    /// Ordinary content.
    Data,
    /// Raw text up to the matching end tag; no entities (`<script>`, `<style>`…).
    RawText,
    /// Text up to the matching end tag, with entities (`<textarea>`, `<title>`).
    EscapableRawText,
}

/// The text mode a start tag named `name` switches the tokenizer to (in HTML content).
pub fn text_mode(name: &str) -> TextMode {
    text_mode_of(name.as_bytes())
}

#[inline(always)]
fn text_mode_of(name: &[u8]) -> TextMode {
    const RAW: [&[u8]; 6] = [
        b"script",
        b"style",
        b"xmp",
        b"iframe",
        b"noembed",
        b"noframes",
    ];
    // Most names are not raw text: reject them by length and first letter.
    if name.len() > 8
        || name.len() < 3
        || !matches!(name[0] | 0x20, b's' | b'x' | b'i' | b'n' | b't')
    {
        TextMode::Data
    } else if RAW.iter().any(|r| r.eq_ignore_ascii_case(name)) {
        TextMode::RawText
    } else if name.eq_ignore_ascii_case(b"textarea") || name.eq_ignore_ascii_case(b"title") {
        TextMode::EscapableRawText
    } else {
        TextMode::Data
    }
}

/// The offset of the first `needle` in `hay`. The spans searched are usually short (a
/// quoted value, the text between two tags): on x86-64 the first 64 bytes are searched with
/// memchr's SSE2 searcher, inlined (its generic entry point costs an indirect call per
/// search), and the rest with the generic one.
#[inline(always)]
fn find_byte(needle: u8, hay: &[u8]) -> Option<usize> {
    #[cfg(target_arch = "x86_64")]
    if let Some(finder) = memchr::arch::x86_64::sse2::memchr::One::new(needle) {
        let head = hay.len().min(64);
        return match finder.find(&hay[..head]) {
            Some(i) => Some(i),
            None => memchr(needle, &hay[head..]).map(|i| head + i),
        };
    }
    memchr(needle, hay)
}

fn is_ws(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r' | b'\x0c')
}

// Byte classes of the tag scanner: one table look-up per byte instead of a chain of
// comparisons.
const WS: u8 = 1;
const SLASH: u8 = 2;
const GT: u8 = 4;
const EQ: u8 = 8;
const CLASS: [u8; 256] = {
    let mut t = [0u8; 256];
    t[b' ' as usize] = WS;
    t[b'\t' as usize] = WS;
    t[b'\n' as usize] = WS;
    t[b'\r' as usize] = WS;
    t[0x0c] = WS;
    t[b'/' as usize] = SLASH;
    t[b'>' as usize] = GT;
    t[b'=' as usize] = EQ;
    t
};

/// The first index from `p` whose byte is of a class in `stop` (or the end).
#[inline]
fn scan_to(bytes: &[u8], p: usize, stop: u8) -> usize {
    let mut q = p;
    while q < bytes.len() && CLASS[bytes[q] as usize] & stop == 0 {
        q += 1;
    }
    q
}

/// The first index from `p` whose byte is not whitespace (or the end).
#[inline]
fn skip_ws(bytes: &[u8], p: usize) -> usize {
    let mut q = p;
    while q < bytes.len() && CLASS[bytes[q] as usize] == WS {
        q += 1;
    }
    q
}

/// The tokenizer. Call [`Tokenizer::next_token`] (or iterate) until `None`.
#[derive(Debug, Clone)]
pub struct Tokenizer<'a> {
    src: &'a str,
    pos: usize,
    /// Set after a start tag that switches to raw text: the tag name.
    raw_until: Option<Span>,
    cdata_allowed: bool,
    attrs: Vec<Attribute>,
}

impl<'a> Tokenizer<'a> {
    /// A tokenizer at the start of `src`.
    pub fn new(src: &'a str) -> Self {
        assert!(src.len() < u32::MAX as usize, "HTML larger than 4 GiB");
        Self {
            src,
            pos: 0,
            raw_until: None,
            cdata_allowed: false,
            attrs: Vec::new(),
        }
    }

    /// A tokenizer over `src[span]` (spans stay relative to `src`).
    pub fn with_range(src: &'a str, span: Span) -> Self {
        let mut t = Self::new(&src[..span.end as usize]);
        t.pos = span.start as usize;
        t
    }

    /// The byte offset of the next token.
    pub fn position(&self) -> usize {
        self.pos
    }

    /// The attributes of the last [`Token::StartTag`] (or end tag) returned.
    pub fn attributes(&self) -> &[Attribute] {
        &self.attrs
    }

    /// Whether `<![CDATA[` opens a CDATA section (foreign content) or a bogus comment (HTML).
    pub fn set_cdata_allowed(&mut self, allowed: bool) {
        self.cdata_allowed = allowed;
    }

    /// Undoes the switch to raw text the last start tag made (for `<title>`, `<style>` … inside
    /// `<svg>`, where they hold ordinary content).
    pub fn cancel_raw_text(&mut self) {
        self.raw_until = None;
    }

    /// The next token, or `None` at the end of the input.
    pub fn next_token(&mut self) -> Option<Token> {
        let bytes = self.src.as_bytes();
        loop {
            if self.pos >= bytes.len() {
                return None;
            }
            if let Some(name) = self.raw_until.take() {
                let start = self.pos;
                let end = self.find_raw_end(name);
                self.pos = end;
                if end > start {
                    return Some(Token::Text(Span::new(start, end)));
                }
                continue;
            }
            if bytes[self.pos] != b'<' {
                return Some(self.text());
            }
            match self.markup() {
                Some(token) => return Some(token),
                // `</>` or a tag cut off by the end: nothing to report.
                None => continue,
            }
        }
    }

    /// Text from `pos` up to the next `<` that opens markup.
    fn text(&mut self) -> Token {
        let bytes = self.src.as_bytes();
        let start = self.pos;
        let mut p = start;
        loop {
            match find_byte(b'<', &bytes[p..]) {
                None => {
                    p = bytes.len();
                    break;
                }
                Some(off) => {
                    let q = p + off;
                    if q > start && opens_markup(bytes, q) {
                        p = q;
                        break;
                    }
                    p = q + 1;
                }
            }
        }
        self.pos = p;
        Token::Text(Span::new(start, p))
    }

    /// Markup at `pos` (a `<`). `None` when it produced nothing (`</>`, cut-off tag).
    fn markup(&mut self) -> Option<Token> {
        let bytes = self.src.as_bytes();
        let start = self.pos;
        let next = bytes.get(start + 1).copied();
        match next {
            Some(b) if b.is_ascii_alphabetic() => self.tag(start, false),
            Some(b'/') => match bytes.get(start + 2).copied() {
                Some(b) if b.is_ascii_alphabetic() => self.tag(start, true),
                Some(b'>') => {
                    self.pos = start + 3;
                    None
                }
                Some(_) => Some(self.bogus_comment(start, start + 2)),
                None => Some(self.text_to_end(start)),
            },
            Some(b'!') => Some(self.bang(start)),
            Some(b'?') => Some(self.bogus_comment(start, start + 1)),
            _ => Some(self.text()),
        }
    }

    #[cold]
    fn text_to_end(&mut self, start: usize) -> Token {
        self.pos = self.src.len();
        Token::Text(Span::new(start, self.pos))
    }

    /// A bogus comment: up to the next `>`.
    #[inline(never)]
    fn bogus_comment(&mut self, start: usize, from: usize) -> Token {
        let bytes = self.src.as_bytes();
        self.pos = memchr(b'>', &bytes[from..]).map_or(bytes.len(), |i| from + i + 1);
        Token::Comment(Span::new(start, self.pos))
    }

    /// `<!…`: comment, CDATA, doctype or bogus comment.
    #[inline(never)]
    fn bang(&mut self, start: usize) -> Token {
        let bytes = self.src.as_bytes();
        let rest = &bytes[start + 2..];
        if rest.starts_with(b"--") {
            let body = start + 4;
            // `<!-->` and `<!--->` are (empty) comments.
            let end = if bytes.get(body) == Some(&b'>') {
                body + 1
            } else if bytes[body..].starts_with(b"->") {
                body + 2
            } else {
                memmem::find(&bytes[body..], b"-->").map_or(bytes.len(), |i| body + i + 3)
            };
            self.pos = end;
            return Token::Comment(Span::new(start, end));
        }
        if rest.starts_with(b"[CDATA[") && self.cdata_allowed {
            let body = start + 9;
            let (inner_end, end) = memmem::find(&bytes[body..], b"]]>")
                .map_or((bytes.len(), bytes.len()), |i| (body + i, body + i + 3));
            self.pos = end;
            return Token::Cdata {
                span: Span::new(start, end),
                inner: Span::new(body, inner_end),
            };
        }
        if rest.len() >= 7 && rest[..7].eq_ignore_ascii_case(b"doctype") {
            let tok = self.bogus_comment(start, start + 2);
            if let Token::Comment(span) = tok {
                return Token::Doctype(span);
            }
        }
        self.bogus_comment(start, start + 2)
    }

    /// A start or end tag whose name starts at `start + 1` (+1 for `</`).
    fn tag(&mut self, start: usize, end_tag: bool) -> Option<Token> {
        let bytes = self.src.as_bytes();
        let name_start = start + 1 + usize::from(end_tag);
        let p = scan_to(bytes, name_start, WS | SLASH | GT);
        let name = Span::new(name_start, p);
        self.attrs.clear();
        let (end, self_closing) = if bytes.get(p) == Some(&b'>') {
            // No attributes (every end tag, as a rule).
            (p + 1, false)
        } else if let Some(end) = parse_attributes(bytes, p, &mut self.attrs) {
            end
        } else {
            // Cut off by the end of the input: browsers drop the tag.
            self.pos = bytes.len();
            self.attrs.clear();
            return None;
        };
        let p = end;
        self.pos = p;
        let span = Span::new(start, p);
        if end_tag {
            self.attrs.clear();
            Some(Token::EndTag { span, name })
        } else {
            if text_mode_of(&bytes[name.range()]) != TextMode::Data {
                self.raw_until = Some(name);
            }
            Some(Token::StartTag {
                span,
                name,
                self_closing,
            })
        }
    }

    /// The end of raw text started by a tag named `name`: the start of the matching end tag.
    #[inline(never)]
    fn find_raw_end(&self, name: Span) -> usize {
        let bytes = self.src.as_bytes();
        let name = &bytes[name.range()];
        let mut p = self.pos;
        while let Some(i) = memmem::find(&bytes[p..], b"</") {
            let q = p + i;
            let ns = q + 2;
            let ne = ns + name.len();
            if ne < bytes.len()
                && bytes[ns..ne].eq_ignore_ascii_case(name)
                && (is_ws(bytes[ne]) || bytes[ne] == b'/' || bytes[ne] == b'>')
            {
                return q;
            }
            p = q + 2;
        }
        bytes.len()
    }
}

/// Parses the attributes of a tag from `p` (just after the tag name) up to and including its
/// `>`, appending them to `out`. Returns the end of the tag and whether it ends with `/>`, or
/// `None` when the input ends inside the tag.
pub fn parse_attributes(
    bytes: &[u8],
    mut p: usize,
    out: &mut Vec<Attribute>,
) -> Option<(usize, bool)> {
    loop {
        // Whitespace and stray slashes; `/>` ends the tag self-closing.
        let self_closing = loop {
            p = skip_ws(bytes, p);
            match bytes.get(p) {
                None => return None,
                Some(b'/') if bytes.get(p + 1) == Some(&b'>') => {
                    p += 1;
                    break true;
                }
                Some(b'/') => p += 1,
                Some(_) => break false,
            }
        };
        if bytes[p] == b'>' {
            return Some((p + 1, self_closing));
        }
        // Name: the first character may be anything (even `=`).
        let an_start = p;
        p = scan_to(bytes, p + 1, WS | SLASH | GT | EQ);
        let an = Span::new(an_start, p);
        let q = skip_ws(bytes, p);
        if bytes.get(q) != Some(&b'=') {
            out.push(Attribute {
                name: an,
                value: None,
                span: an,
            });
            continue;
        }
        let q = skip_ws(bytes, q + 1);
        let (value, end) = match bytes.get(q) {
            Some(&quote @ (b'"' | b'\'')) => {
                let vs = q + 1;
                match find_byte(quote, &bytes[vs..]) {
                    Some(i) => (Span::new(vs, vs + i), vs + i + 1),
                    None => (Span::new(vs, bytes.len()), bytes.len()),
                }
            }
            _ => {
                let e = scan_to(bytes, q, WS | GT);
                (Span::new(q, e), e)
            }
        };
        out.push(Attribute {
            name: an,
            value: Some(value),
            span: Span::new(an_start, end),
        });
        p = end;
    }
}

/// Whether the `<` at `q` opens markup (a tag, an end tag, a comment…) rather than being text.
fn opens_markup(bytes: &[u8], q: usize) -> bool {
    match bytes.get(q + 1) {
        Some(b) if b.is_ascii_alphabetic() => true,
        Some(b'!' | b'?') => true,
        Some(b'/') => bytes.get(q + 2).is_some(),
        _ => false,
    }
}

impl Iterator for Tokenizer<'_> {
    type Item = Token;

    fn next(&mut self) -> Option<Token> {
        self.next_token()
    }
}

#[cfg(test)]
mod tests;
