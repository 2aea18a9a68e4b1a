//! The view containers of a page: its view and its lazy views, each a `<div>` with the view's
//! name and a signed token, rendered into the HTML page or sent in a `navigate` frame.

use djust_core::{
    contract::attr::{LAZY, PARTITION, TOKEN, VIEW},
    protocol::Container,
    token::sign_view_token,
};

use super::{routes::PageRoute, Runtime};
use crate::support::{escape_into, unix_now};

/// When a lazy view (`dj-lazy`) is mounted by the client.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Hydrate {
    /// When its container scrolls into view (the default).
    #[default]
    Viewport,
    /// On the first click on its container.
    Click,
    /// When the pointer first enters its container.
    Hover,
    /// When the browser is idle.
    Idle,
}

impl Hydrate {
    /// The `dj-lazy` attribute value.
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Self::Viewport => "viewport",
            Self::Click => "click",
            Self::Hover => "hover",
            Self::Idle => "idle",
        }
    }
}

/// A lazy view of a page.
#[derive(Debug, Clone)]
pub(crate) struct LazyView {
    pub(crate) name: &'static str,
    pub(crate) target: String,
    pub(crate) hydrate: Hydrate,
}

/// A page's container, owned: what [`Container`] borrows.
#[derive(Debug)]
pub(crate) struct PageContainer {
    pub(crate) target: String,
    pub(crate) view: &'static str,
    pub(crate) token: String,
    pub(crate) lazy: Option<Hydrate>,
}

impl PageContainer {
    /// The wire form.
    pub(crate) fn as_wire(&self) -> Container<'_> {
        Container {
            target: &self.target,
            view: self.view,
            token: &self.token,
            lazy: self.lazy.map(Hydrate::as_str),
        }
    }

    /// Appends the container element holding `inner` (the view's stamped HTML, or nothing for
    /// a lazy view) to `out`, with the cache partition key when given.
    pub(crate) fn write_html(&self, out: &mut String, inner: &str, partition: Option<&str>) {
        out.reserve(inner.len() + self.token.len() + 128);
        out.push_str("<div");
        attribute(out, "id", &self.target);
        attribute(out, VIEW, self.view);
        attribute(out, TOKEN, &self.token);
        if let Some(mode) = self.lazy {
            attribute(out, LAZY, mode.as_str());
        }
        if let Some(key) = partition {
            attribute(out, PARTITION, key);
        }
        out.push('>');
        out.push_str(inner);
        out.push_str("</div>");
    }
}

/// Appends ` name="value"`, the value escaped.
fn attribute(out: &mut String, name: &str, value: &str) {
    out.push(' ');
    out.push_str(name);
    out.push_str("=\"");
    escape_into(out, value);
    out.push('"');
}

/// Every container of `route` at `path`, tokens signed now: its view first, then its lazy
/// views.
pub(crate) fn containers(runtime: &Runtime, route: &PageRoute, path: &str) -> Vec<PageContainer> {
    let now = unix_now();
    let sign = |name| sign_view_token(runtime.config.key(), name, path, now);
    let main = PageContainer {
        target: route.target.clone(),
        view: route.name,
        token: sign(route.name),
        lazy: None,
    };
    let lazy = route.lazy.iter().map(|lazy| PageContainer {
        target: lazy.target.clone(),
        view: lazy.name,
        token: sign(lazy.name),
        lazy: Some(lazy.hydrate),
    });
    std::iter::once(main).chain(lazy).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn html(container: &PageContainer, inner: &str, partition: Option<&str>) -> String {
        let mut out = String::new();
        container.write_html(&mut out, inner, partition);
        out
    }

    #[test]
    fn containers_escape_and_carry_their_options() {
        let container = PageContainer {
            target: "dj-v-x".into(),
            view: "app::X",
            token: "t\"1".into(),
            lazy: Some(Hydrate::Click),
        };
        assert_eq!(
            html(&container, "", None),
            "<div id=\"dj-v-x\" dj-view=\"app::X\" dj-token=\"t&quot;1\" dj-lazy=\"click\"></div>"
        );
        let main = PageContainer {
            lazy: None,
            ..container
        };
        assert_eq!(
            html(&main, "<p>1</p>", Some("k")),
            "<div id=\"dj-v-x\" dj-view=\"app::X\" dj-token=\"t&quot;1\" dj-partition=\"k\"><p>1</p></div>"
        );
    }
}
