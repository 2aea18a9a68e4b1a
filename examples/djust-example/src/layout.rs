//! The one layout every page of the example uses: `<nav>` with links, `<main>`, `<footer>`.

use askama::Template;
use djust_actix::{Layout, Page};

/// The navigation links, in order.
const LINKS: &[(&str, &str)] = &[
    ("/", "Home"),
    ("/counter/", "Counter"),
    ("/form/", "Form"),
    ("/rows/", "Rows"),
    ("/chat/", "Chat"),
    ("/tally/", "Tally"),
    ("/slow/", "Slow"),
    ("/cart/", "Cart"),
    ("/dashboard/", "Dashboard"),
    ("/notes/", "Notes"),
    ("/todos/", "Todos"),
    ("/hooks/", "Hooks"),
    ("/feed/", "Feed"),
    ("/login/", "Log in"),
];

#[derive(Template)]
#[template(path = "layout.html")]
struct Document<'a> {
    title: &'a str,
    head: &'a str,
    view: &'a str,
    path: &'a str,
    links: &'a [(&'a str, &'a str)],
    release: &'a str,
}

/// The release shown in the footer: `DJUST_EXAMPLE_RELEASE`, or `dev`.
pub fn release() -> &'static str {
    static RELEASE: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    RELEASE.get_or_init(|| std::env::var("DJUST_EXAMPLE_RELEASE").unwrap_or_else(|_| "dev".into()))
}

/// The example's layout.
#[derive(Debug, Clone, Copy, Default)]
pub struct SiteLayout;

impl Layout for SiteLayout {
    fn render(&self, page: &Page<'_>) -> String {
        let document = Document {
            title: page.title.unwrap_or("djust"),
            head: page.head,
            view: page.view,
            path: page.path,
            links: LINKS,
            release: release(),
        };
        document.render().unwrap_or_else(|error| {
            log::error!("layout failed to render: {error}");
            String::from(
                "<!DOCTYPE html><title>error</title><p>The page could not be rendered.</p>",
            )
        })
    }
}
