//! [`PageRoute`]: a page the application serves — its path, its view, its container and its
//! lazy views — and how live navigation finds the page of a URL.

use actix_web::dev::{Path, ResourceDef};

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

    /// The parameters the pattern matches in `path` (`/todos/{id}/` at `/todos/7/` →
    /// `[("id", "7")]`), percent-decoded; empty when it does not match.
    pub(crate) fn path_params(&self, path: &str) -> Vec<(String, String)> {
        let mut matched = Path::new(path.to_owned());
        if !self.pattern.capture_match_info(&mut matched) {
            return Vec::new();
        }
        matched
            .iter()
            .map(|(name, value)| (name.to_owned(), decode_path(value)))
            .collect()
    }
}

/// Percent-decodes a path segment (`+` stays a `+`); invalid UTF-8 is replaced.
fn decode_path(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut index = 0;
    while index < bytes.len() {
        let hex = |at: usize| bytes.get(at).and_then(|b| (*b as char).to_digit(16));
        match (bytes[index], hex(index + 1), hex(index + 2)) {
            (b'%', Some(high), Some(low)) => {
                out.push(u8::try_from(high * 16 + low).unwrap_or(b'?'));
                index += 3;
            }
            (byte, _, _) => {
                out.push(byte);
                index += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
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
    use super::{path_of, slug, PageRoute};
    use crate::view::{Failure, MountRequest, Mounted};

    fn never(_: MountRequest<'_>) -> Result<Mounted, Failure> {
        unreachable!("not mounted in these tests")
    }

    #[test]
    fn path_params_are_matched_and_decoded() {
        let route = PageRoute::new("/todos/{id}/{slug}/", "app::Todo", never);
        assert_eq!(
            route.path_params("/todos/7/tea%20time+more%2F/"),
            [
                ("id".to_owned(), "7".to_owned()),
                ("slug".to_owned(), "tea time+more/".to_owned())
            ]
        );
        assert!(route.path_params("/other/").is_empty());
        assert!(PageRoute::new("/c/", "app::C", never)
            .path_params("/c/")
            .is_empty());
    }

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
