//! Finding a document's first top-level `<main>` and its `<title>`, HTML-aware.
//!
//! Built on the [`tokenizer`](super::tokenizer), so markup that only looks like a tag is not
//! one: `<main>` inside a comment, a CDATA section, `<script>`, `<style>`, `<textarea>`,
//! `<title>` or an attribute value is text, and `<main>` inside `<svg>`/`<math>` is a foreign
//! element. Tag names are case-insensitive. A `<main>` nested in the first one is part of its
//! content. The main-only middleware cuts responses with [`find_main`]; the service worker
//! (`client/sw/html_scan.js`) implements the same rules in JavaScript.

use super::{
    entities::{self, Context},
    tokenizer::{eq_name, Span, Token, Tokenizer},
};

/// Where the first top-level `<main>` lies in a document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MainElement {
    /// The start tag, `<main …>`.
    pub start_tag: Span,
    /// Its content: everything between the start tag and its matching end tag.
    pub inner: Span,
    /// The matching `</main>`; `None` when the document ends (or `</body>`/`</html>` comes)
    /// first, where the browser closes it implicitly.
    pub end_tag: Option<Span>,
}

/// The first top-level `<main>` of `html`, if any.
///
/// ```
/// use djust_core::vdom::landmarks::find_main;
///
/// let html = "<!-- <main>no</main> --><MAIN id=m><main>a</main>b</MAIN>";
/// let main = find_main(html).unwrap();
/// assert_eq!(main.inner.of(html), "<main>a</main>b");
/// ```
pub fn find_main(html: &str) -> Option<MainElement> {
    let mut tokens = Tokenizer::new(html);
    let mut foreign = 0_usize;
    let mut found: Option<Span> = None;
    let mut depth = 0_usize;
    while let Some(token) = tokens.next_token() {
        match token {
            Token::StartTag {
                span,
                name,
                self_closing,
            } => {
                let name = name.of(html);
                if foreign > 0 {
                    // `<style>`, `<title>`… hold ordinary content in SVG and MathML.
                    tokens.cancel_raw_text();
                }
                if is_foreign_root(name) {
                    if !self_closing {
                        foreign += 1;
                        tokens.set_cdata_allowed(true);
                    }
                } else if foreign == 0 && eq_name(name, "main") {
                    depth += 1;
                    found.get_or_insert(span);
                }
            }
            Token::EndTag { span, name } => {
                let name = name.of(html);
                if foreign > 0 && is_foreign_root(name) {
                    foreign -= 1;
                    tokens.set_cdata_allowed(foreign > 0);
                } else if foreign == 0 && depth > 0 && eq_name(name, "main") {
                    depth -= 1;
                    if depth == 0 {
                        let start_tag = found.expect("depth > 0 means a <main> was found");
                        return Some(MainElement {
                            start_tag,
                            inner: Span::new(start_tag.end as usize, span.start as usize),
                            end_tag: Some(span),
                        });
                    }
                } else if depth > 0 && (eq_name(name, "body") || eq_name(name, "html")) {
                    let start_tag = found.expect("depth > 0 means a <main> was found");
                    return Some(unclosed(start_tag, span.start as usize));
                }
            }
            _ => {}
        }
    }
    found.map(|start_tag| unclosed(start_tag, html.len()))
}

/// The document's title as `document.title` reads it: the text of the first `<title>` outside
/// `<svg>`/`<math>`, entities decoded, ASCII whitespace stripped and collapsed.
///
/// ```
/// use djust_core::vdom::landmarks::find_title;
///
/// assert_eq!(find_title("<title> Caf&eacute;\n menu </title>").as_deref(), Some("Café menu"));
/// assert_eq!(find_title("<svg><title>icon</title></svg>"), None);
/// ```
pub fn find_title(html: &str) -> Option<String> {
    let mut tokens = Tokenizer::new(html);
    let mut foreign = 0_usize;
    while let Some(token) = tokens.next_token() {
        match token {
            Token::StartTag {
                name, self_closing, ..
            } => {
                let name = name.of(html);
                if foreign > 0 {
                    tokens.cancel_raw_text();
                }
                if is_foreign_root(name) && !self_closing {
                    foreign += 1;
                    tokens.set_cdata_allowed(true);
                } else if foreign == 0 && eq_name(name, "title") {
                    let text = match tokens.next_token() {
                        Some(Token::Text(span)) => span.of(html),
                        _ => "",
                    };
                    let decoded = entities::decode(text, Context::Text)
                        .map_or_else(|_| text.to_owned(), |text| text.into_owned());
                    return Some(
                        decoded
                            .split(|c: char| c.is_ascii_whitespace())
                            .filter(|word| !word.is_empty())
                            .collect::<Vec<_>>()
                            .join(" "),
                    );
                }
            }
            Token::EndTag { name, .. } if foreign > 0 && is_foreign_root(name.of(html)) => {
                foreign -= 1;
                tokens.set_cdata_allowed(foreign > 0);
            }
            _ => {}
        }
    }
    None
}

fn is_foreign_root(name: &str) -> bool {
    eq_name(name, "svg") || eq_name(name, "math")
}

fn unclosed(start_tag: Span, end: usize) -> MainElement {
    MainElement {
        start_tag,
        inner: Span::new(start_tag.end as usize, end),
        end_tag: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn inner(html: &str) -> Option<&str> {
        find_main(html).map(|main| main.inner.of(html))
    }

    #[test]
    fn finds_the_first_main_with_its_attributes() {
        let html = "<nav>n</nav><main id=\"m\" class=\"x\">HELLO</main><main>2</main>";
        let main = find_main(html).unwrap();
        assert_eq!(main.start_tag.of(html), "<main id=\"m\" class=\"x\">");
        assert_eq!(main.inner.of(html), "HELLO");
        assert_eq!(main.end_tag.unwrap().of(html), "</main>");
    }

    #[test]
    fn markup_that_is_not_a_main_element_is_skipped() {
        let cases = [
            ("<!-- <main>c</main> --><main>ok</main>", "ok"),
            // In HTML content `<![CDATA[<main>` is a bogus comment; the stray `</main>` closes
            // nothing.
            ("<![CDATA[<main>c</main>]]><main>ok</main>", "ok"),
            ("<svg><![CDATA[</main><main>]]></svg><main>ok</main>", "ok"),
            ("<script>'<main>s</main>'</script><main>ok</main>", "ok"),
            ("<style>/* <main> */</style><main>ok</main>", "ok"),
            ("<textarea><main>t</main></textarea><main>ok</main>", "ok"),
            ("<title><main></title><main>ok</main>", "ok"),
            ("<div title=\"<main>a</main>\"></div><main>ok</main>", "ok"),
            ("<svg><main>f</main></svg><main>ok</main>", "ok"),
            ("<MAIN Class=a>up</Main>", "up"),
            ("<main>a<main>b</main>c</main>d</main>", "a<main>b</main>c"),
            (
                "<main><script>x('</main>')</script>ok</main>",
                "<script>x('</main>')</script>ok",
            ),
        ];
        for (html, expected) in cases {
            assert_eq!(inner(html), Some(expected), "{html}");
        }
    }

    #[test]
    fn a_bogus_cdata_outside_foreign_content_ends_at_the_first_gt() {
        // As browsers parse it: `<![CDATA[<main>` is a comment, the first `<main>` is the second.
        let html = "<![CDATA[x]]><main>ok</main>";
        assert_eq!(inner(html), Some("ok"));
    }

    #[test]
    fn no_main_and_unclosed_main() {
        assert_eq!(inner("<div>no main here</div>"), None);
        assert_eq!(inner("<!-- <main>x</main> -->"), None);
        assert_eq!(
            inner("<body><main>open<p>x</p></body></html>"),
            Some("open<p>x</p>")
        );
        assert_eq!(inner("<main>to the end"), Some("to the end"));
        assert_eq!(find_main("<main>x").unwrap().end_tag, None);
    }

    #[test]
    fn titles() {
        assert_eq!(
            find_title("<head><title>A &amp; B</title></head>").as_deref(),
            Some("A & B")
        );
        assert_eq!(find_title("<title></title>").as_deref(), Some(""));
        assert_eq!(find_title("<p>no title</p>"), None);
        assert_eq!(
            find_title("<!-- <title>no</title> --><title>yes</title>").as_deref(),
            Some("yes")
        );
    }
}
