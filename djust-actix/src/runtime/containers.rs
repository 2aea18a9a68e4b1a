//! The view containers of a page: its view and its lazy views, each a `<div>` with the view's
//! name and a signed token, rendered into the HTML page or sent in a `navigate` frame.

use djust_core::{
    contract::attr::{LAZY, PARTITION, TOKEN, VIEW},
    protocol::Container,
    token::sign_view_token,
};

use super::{routes::PageRoute, Runtime};
use crate::support::{escape, unix_now};

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

    /// The container element holding `inner` (the view's stamped HTML, or nothing for a lazy
    /// view), with the cache partition key when given.
    pub(crate) fn html(&self, inner: &str, partition: Option<&str>) -> String {
        let lazy = self
            .lazy
            .map(|mode| format!(" {LAZY}=\"{}\"", mode.as_str()))
            .unwrap_or_default();
        let partition = partition
            .map(|key| format!(" {PARTITION}=\"{}\"", escape(key)))
            .unwrap_or_default();
        format!(
            "<div id=\"{}\" {VIEW}=\"{}\" {TOKEN}=\"{}\"{lazy}{partition}>{inner}</div>",
            escape(&self.target),
            escape(self.view),
            escape(&self.token),
        )
    }
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

    #[test]
    fn containers_escape_and_carry_their_options() {
        let container = PageContainer {
            target: "dj-v-x".into(),
            view: "app::X",
            token: "t\"1".into(),
            lazy: Some(Hydrate::Click),
        };
        assert_eq!(
            container.html("", None),
            "<div id=\"dj-v-x\" dj-view=\"app::X\" dj-token=\"t&quot;1\" dj-lazy=\"click\"></div>"
        );
        let main = PageContainer {
            lazy: None,
            ..container
        };
        assert_eq!(
            main.html("<p>1</p>", Some("k")),
            "<div id=\"dj-v-x\" dj-view=\"app::X\" dj-token=\"t&quot;1\" dj-partition=\"k\"><p>1</p></div>"
        );
    }
}
