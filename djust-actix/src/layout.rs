//! [`Layout`]: the HTML document a live view's page is rendered into.

use std::fmt::Write as _;

use crate::support::escape;

/// The parts of a page a [`Layout`] puts together.
#[derive(Debug, Clone, Copy)]
#[non_exhaustive]
pub struct Page<'a> {
    /// The view's title, if it sets one.
    pub title: Option<&'a str>,
    /// The view's container (`<div id="dj-v-…" dj-view=… dj-token=…>…</div>`): put it inside
    /// `<main>`.
    pub view: &'a str,
    /// Tags for `<head>`: the client script (`<script type="module" src=…>`).
    pub head: &'a str,
    /// The request path (`/counter/`), e.g. to mark the current navigation link.
    pub path: &'a str,
    /// The site's home page (`/`) when the application serves it (`None`: it does not, so a
    /// layout must not link to it).
    pub home: Option<&'a str>,
}

/// Renders the HTML document around a view.
///
/// The document must keep [`Page::view`] intact inside `<main>` and [`Page::head`] in
/// `<head>`; everything else is the application's.
///
/// ```
/// use djust_actix::{Layout, Page};
///
/// struct Plain;
///
/// impl Layout for Plain {
///     fn render(&self, page: &Page<'_>) -> String {
///         format!("<!DOCTYPE html><html><head>{}</head><body><main>{}</main></body></html>",
///             page.head, page.view)
///     }
/// }
/// ```
pub trait Layout: Send + Sync + 'static {
    /// The whole HTML document.
    fn render(&self, page: &Page<'_>) -> String;
}

/// A plain document: `<nav>` with the site's name (a link to the home page when the
/// application serves `/`), `<main>` with the view, `<footer>`.
#[derive(Debug, Clone)]
pub struct DefaultLayout {
    site_name: String,
}

impl DefaultLayout {
    /// A layout whose navigation bar and default title show `site_name`.
    pub fn new(site_name: impl Into<String>) -> Self {
        Self {
            site_name: site_name.into(),
        }
    }
}

impl Default for DefaultLayout {
    fn default() -> Self {
        Self::new("djust")
    }
}

impl Layout for DefaultLayout {
    fn render(&self, page: &Page<'_>) -> String {
        let site = escape(&self.site_name);
        let title = page.title.map_or_else(|| site.clone(), escape);
        let brand = match page.home {
            Some(home) => format!("<a href=\"{}\">{site}</a>", escape(home)),
            None => format!("<span>{site}</span>"),
        };
        let mut html = String::with_capacity(page.view.len() + 512);
        let _ = write!(
            html,
            "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
             <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
             <title>{title}</title>\n{head}\n</head>\n<body>\n\
             <nav>{brand}</nav>\n<main>{view}</main>\n\
             <footer><small>{site}, served live by djust</small></footer>\n</body>\n</html>\n",
            head = page.head,
            view = page.view,
        );
        html
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_layout_has_landmarks_and_escapes_the_title() {
        let page = Page {
            title: Some("<b>&"),
            view: "<div id=\"dj-v-x\"></div>",
            head: "<script type=\"module\" src=\"/c.js\"></script>",
            path: "/",
            home: Some("/"),
        };
        let html = DefaultLayout::default().render(&page);
        for part in [
            "<nav>",
            "<main><div id=\"dj-v-x\"></div></main>",
            "<footer>",
        ] {
            assert!(html.contains(part), "{part} missing in {html}");
        }
        assert!(html.contains("<title>&lt;b&gt;&amp;</title>"));
        assert!(html.contains(page.head));
        assert!(html.contains("<nav><a href=\"/\">djust</a></nav>"));
    }

    #[test]
    fn default_layout_links_home_only_when_it_is_served() {
        let page = Page {
            title: None,
            view: "",
            head: "",
            path: "/counter/",
            home: None,
        };
        let html = DefaultLayout::new("Site").render(&page);
        assert!(html.contains("<nav><span>Site</span></nav>"), "{html}");
        assert!(
            !html.contains("href="),
            "no link to a page that does not exist: {html}"
        );
    }
}
