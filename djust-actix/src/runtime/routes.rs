//! [`PageRoute`]: a page the application serves — its path, its view, its container and its
//! lazy views — and how live navigation finds the page of a URL.

use actix_web::dev::ResourceDef;

use super::containers::{Hydrate, LazyView};
use crate::view::Factory;

/// A page route: the view it serves and the container it renders.
#[derive(Debug, Clone)]
pub(crate) struct PageRoute {
    /// The actix-web route pattern, e.g. `/counter/`.
    pub(crate) path: String,
    /// `path` as a matcher, for live navigation.
    pattern: ResourceDef,
    pub(crate) name: &'static str,
    /// The container's id: `dj-v-<slug>`.
    pub(crate) target: String,
    pub(crate) factory: Factory,
    /// The page's lazy views, rendered as empty containers after its view.
    pub(crate) lazy: Vec<LazyView>,
}

impl PageRoute {
    /// The page of view `name` (mounted by `factory`) at `path`.
    pub(crate) fn new(path: &str, name: &'static str, factory: Factory) -> Self {
        Self {
            path: path.to_owned(),
            pattern: ResourceDef::new(path),
            name,
            target: container_id(name),
            factory,
            lazy: Vec::new(),
        }
    }

    /// Adds lazy view `name` after the page's view.
    pub(crate) fn add_lazy(&mut self, name: &'static str, hydrate: Hydrate) {
        self.lazy.push(LazyView {
            name,
            target: container_id(name),
            hydrate,
        });
    }

    /// Whether the page serves `path`.
    pub(crate) fn matches(&self, path: &str) -> bool {
        self.pattern.is_match(path)
    }
}

/// The path of a URL: without its query and fragment.
pub(crate) fn path_of(url: &str) -> &str {
    url.split(['?', '#']).next().unwrap_or(url)
}

/// The container id of view `name`: `dj-v-` and its type name in kebab case.
fn container_id(name: &str) -> String {
    format!("dj-v-{}", slug(name))
}

/// The container slug of a view name: its type name in kebab case (`app::TodoList` →
/// `todo-list`).
fn slug(name: &str) -> String {
    let type_name = name.rsplit("::").next().unwrap_or(name);
    let mut slug = String::with_capacity(type_name.len() + 4);
    let mut previous_lower = false;
    for ch in type_name.chars() {
        if ch.is_ascii_alphanumeric() {
            if ch.is_ascii_uppercase() && previous_lower {
                slug.push('-');
            }
            slug.push(ch.to_ascii_lowercase());
            previous_lower = ch.is_ascii_lowercase() || ch.is_ascii_digit();
        } else {
            if !slug.is_empty() && !slug.ends_with('-') {
                slug.push('-');
            }
            previous_lower = false;
        }
    }
    slug
}

#[cfg(test)]
mod tests {
    use super::{path_of, slug};

    #[test]
    fn slugs_are_kebab_case_type_names() {
        assert_eq!(slug("example::Counter"), "counter");
        assert_eq!(slug("app::views::TodoList"), "todo-list");
        assert_eq!(slug("Rows2Table"), "rows2-table");
        assert_eq!(slug("HTTPView"), "httpview");
    }

    #[test]
    fn paths_drop_query_and_fragment() {
        assert_eq!(path_of("/a/?b=1#c"), "/a/");
        assert_eq!(path_of("/a/#c"), "/a/");
        assert_eq!(path_of("/a/"), "/a/");
    }
}
