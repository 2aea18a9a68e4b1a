//! Live navigation, server half: which page a URL is, and the view containers of a page (its
//! view and its lazy views, each with a signed token), rendered into the HTML page or sent in a
//! `navigate` frame.

use std::sync::Arc;

use djust_core::{protocol::Container, token::sign_view_token};

use crate::{
    app::{PageRoute, Runtime},
    layout::escape,
    page::unix_now,
};

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

    /// An empty container element (a lazy view's placeholder).
    pub(crate) fn empty_html(&self) -> String {
        let lazy = self
            .lazy
            .map(|mode| format!(" dj-lazy=\"{}\"", mode.as_str()))
            .unwrap_or_default();
        format!(
            "<div id=\"{}\" dj-view=\"{}\" dj-token=\"{}\"{lazy}></div>",
            escape(&self.target),
            escape(self.view),
            escape(&self.token),
        )
    }
}

/// The page serving `url` (path and query; the first route whose pattern matches the path).
pub(crate) fn resolve(runtime: &Runtime, url: &str) -> Option<Arc<PageRoute>> {
    let path = url.split(['?', '#']).next().unwrap_or(url);
    runtime
        .pages
        .iter()
        .find(|route| route.pattern.is_match(path))
        .cloned()
}

/// The lazy views' containers of `route` at `path`, tokens signed now.
pub(crate) fn lazy_containers(
    runtime: &Runtime,
    route: &PageRoute,
    path: &str,
) -> Vec<PageContainer> {
    let now = unix_now();
    route
        .lazy
        .iter()
        .map(|lazy| PageContainer {
            target: lazy.target.clone(),
            view: lazy.name,
            token: sign_view_token(runtime.config.key(), lazy.name, path, now),
            lazy: Some(lazy.hydrate),
        })
        .collect()
}

/// Every container of `route` at `path`: its view first, then its lazy views.
pub(crate) fn containers(runtime: &Runtime, route: &PageRoute, path: &str) -> Vec<PageContainer> {
    let main = PageContainer {
        target: route.target.clone(),
        view: route.name,
        token: sign_view_token(runtime.config.key(), route.name, path, unix_now()),
        lazy: None,
    };
    std::iter::once(main)
        .chain(lazy_containers(runtime, route, path))
        .collect()
}
