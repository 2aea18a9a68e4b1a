//! Finding the live view containers of a served page (what a client reads before it mounts).
//!
//! A page holds one `<div id="dj-v-…" dj-view="…" dj-token="…">` per view (the first one
//! rendered, lazy ones empty with `dj-lazy`); djust's own pages mark theirs with `dj-root` and
//! `dj-view` only. [`view_containers`] drives the [`crate::vdom::tokenizer`], so a `dj-view`
//! inside a comment, a script or an attribute value is not taken for a container, and attribute
//! values come back with their entities decoded.
//!
//! ```
//! use djust_core::page_scan::view_containers;
//!
//! let page = r#"<main><div id="dj-v-counter" dj-view="counter" dj-token="a.b">
//!   <p>0</p></div></main>"#;
//! let views = view_containers(page);
//! assert_eq!(views[0].view, "counter");
//! assert_eq!(views[0].token.as_deref(), Some("a.b"));
//! assert_eq!(views[0].inner_html(page).trim(), "<p>0</p>");
//! ```

use std::ops::Range;

use crate::vdom::{
    entities::{self, Context},
    tokenizer::{eq_name, is_void, Span, Token, Tokenizer},
};

/// The attribute that makes an element a view container: the view's registered name.
pub const VIEW_ATTR: &str = "dj-view";
/// The container's signed view token (ours; djust's containers have none).
pub const TOKEN_ATTR: &str = "dj-token";
/// A lazy container's hydration mode (`visible`, `idle`, …); it is served empty.
pub const LAZY_ATTR: &str = "dj-lazy";
/// The cache partition a container was rendered for.
pub const PARTITION_ATTR: &str = "dj-partition";

/// One view container of a page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ViewContainer {
    /// The element's `id`: the target a mount names (empty when it has none, as in djust).
    pub id: String,
    /// The view's name (`dj-view`).
    pub view: String,
    /// The signed view token (`dj-token`), if any.
    pub token: Option<String>,
    /// `dj-lazy`, if the container is lazy.
    pub lazy: Option<String>,
    /// `dj-partition`, if any.
    pub partition: Option<String>,
    /// Byte range of the container's content in the page (empty when it is not closed).
    pub inner: Range<usize>,
}

impl ViewContainer {
    /// The container's content as served (the view's rendered HTML).
    pub fn inner_html<'a>(&self, page: &'a str) -> &'a str {
        &page[self.inner.clone()]
    }
}

/// Every element carrying `dj-view` in `page`, in document order (nested ones included).
pub fn view_containers(page: &str) -> Vec<ViewContainer> {
    let mut tokens = Tokenizer::new(page);
    let mut found = Vec::new();
    while let Some(token) = tokens.next_token() {
        let Token::StartTag {
            span,
            name,
            self_closing,
        } = token
        else {
            continue;
        };
        let attribute = |wanted: &str| {
            tokens.attributes().iter().find_map(|attr| {
                eq_name(attr.name.of(page), wanted).then(|| {
                    attr.value
                        .map_or_else(String::new, |value| decoded(value.of(page)))
                })
            })
        };
        let Some(view) = attribute(VIEW_ATTR) else {
            continue;
        };
        let start = span.end as usize;
        let end = if self_closing || is_void(name.of(page)) {
            start
        } else {
            content_end(page, start)
        };
        found.push(ViewContainer {
            id: attribute("id").unwrap_or_default(),
            view,
            token: attribute(TOKEN_ATTR),
            lazy: attribute(LAZY_ATTR),
            partition: attribute(PARTITION_ATTR),
            inner: start..end,
        });
    }
    found
}

/// The first container of `page`, or why there is none.
pub fn first_view_container(page: &str) -> Result<ViewContainer, String> {
    view_containers(page)
        .into_iter()
        .next()
        .ok_or_else(|| format!("no [{VIEW_ATTR}] container in the page"))
}

/// An attribute value with its character references decoded (kept raw if one is unknown).
fn decoded(raw: &str) -> String {
    entities::decode(raw, Context::Attribute).map_or_else(|_| raw.to_owned(), |v| v.into_owned())
}

/// Where the element whose start tag ends at `from` closes: the start of its end tag, found by
/// counting nesting (void and self-closing elements open nothing). `from` when never closed.
fn content_end(page: &str, from: usize) -> usize {
    let mut tokens = Tokenizer::with_range(page, Span::new(from, page.len()));
    let mut depth = 0usize;
    while let Some(token) = tokens.next_token() {
        match token {
            Token::StartTag {
                name, self_closing, ..
            } if !self_closing && !is_void(name.of(page)) => depth += 1,
            Token::EndTag { span, .. } => match depth.checked_sub(1) {
                Some(inner) => depth = inner,
                None => return span.start as usize,
            },
            _ => {}
        }
    }
    from
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_our_container_with_its_content() {
        let page = "<html><head><title>dj-view=\"no\"</title></head><body><main>\
            <div id=\"dj-v-rows\" dj-view=\"rows\" dj-token=\"t.a&amp;b\" dj-partition=\"p1\">\
            <table><tr><td>1<br></td></tr></table><input value=\"x\"/></div></main></body></html>";
        let views = view_containers(page);
        assert_eq!(views.len(), 1, "the title's text is no container");
        let view = &views[0];
        assert_eq!(view.id, "dj-v-rows");
        assert_eq!(view.view, "rows");
        assert_eq!(view.token.as_deref(), Some("t.a&b"), "entities decoded");
        assert_eq!(view.partition.as_deref(), Some("p1"));
        assert_eq!(view.lazy, None);
        assert_eq!(
            view.inner_html(page),
            "<table><tr><td>1<br></td></tr></table><input value=\"x\"/>"
        );
    }

    #[test]
    fn finds_lazy_and_djust_containers_and_skips_fakes() {
        let page = "<!-- <div dj-view=\"comment\"></div> -->\
            <script>let s = '<div dj-view=\"script\">';</script>\
            <p title='dj-view=\"attr\"'>x</p>\
            <div dj-root dj-view=\"peer.views.CounterView\"><b>0</b></div>\
            <div id=\"dj-v-side\" DJ-VIEW=\"side\" dj-token=\"s\" dj-lazy=\"visible\"></div>";
        let views = view_containers(page);
        let names: Vec<&str> = views.iter().map(|v| v.view.as_str()).collect();
        assert_eq!(names, ["peer.views.CounterView", "side"]);
        assert_eq!(views[0].id, "", "djust's container has no id");
        assert_eq!(views[0].token, None);
        assert_eq!(views[0].inner_html(page), "<b>0</b>");
        assert_eq!(views[1].lazy.as_deref(), Some("visible"));
        assert_eq!(views[1].inner_html(page), "");
    }

    #[test]
    fn an_unclosed_container_has_empty_content_and_no_page_has_an_error() {
        let page = "<div id=\"a\" dj-view=\"v\"><p>cut off";
        let view = first_view_container(page).expect("found");
        assert_eq!(view.inner_html(page), "");
        let error = first_view_container("<main>nothing</main>").unwrap_err();
        assert!(error.contains("dj-view"), "{error}");
    }
}
