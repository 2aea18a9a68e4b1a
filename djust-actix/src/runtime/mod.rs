//! The runtime layer: what every connection and page handler of an application shares,
//! read-only once the server runs — the configuration, the [`Registry`] of views, the page
//! routes and their containers, the layout and the shell version.

mod containers;
mod registry;
mod routes;

use std::sync::{Arc, OnceLock};

pub(crate) use containers::containers;
pub use containers::Hydrate;
pub(crate) use registry::Registry;
pub(crate) use routes::{path_of, PageRoute};

use crate::{config::DjustConfig, layout::Layout, view::ViewSessionStore};

/// What the handlers share.
#[derive(Clone)]
pub(crate) struct Runtime {
    pub(crate) config: DjustConfig,
    pub(crate) registry: Registry,
    pub(crate) layout: Arc<dyn Layout>,
    /// The shell version, computed on first use (see [`crate::ServiceWorker`]).
    pub(crate) shell_version: OnceLock<String>,
    /// What every page adds to `<head>` (client script, SSE and service worker tags): it
    /// depends on the configuration only, so it is built on first use, once.
    pub(crate) page_head: OnceLock<String>,
    /// The page routes, in registration order (live navigation resolves URLs with them).
    pub(crate) pages: Vec<Arc<PageRoute>>,
    /// Every view session, attached or waiting for a reconnect.
    pub(crate) sessions: Arc<ViewSessionStore>,
}

impl Runtime {
    /// A runtime with `config` resolved, no views yet, and `layout`.
    pub(crate) fn new(config: DjustConfig, layout: Arc<dyn Layout>) -> Self {
        let config = config.resolve();
        Self {
            sessions: Arc::new(
                ViewSessionStore::new(config.grace).with_remote(config.pubsub.redis_link()),
            ),
            config,
            registry: Registry::default(),
            layout,
            shell_version: OnceLock::new(),
            page_head: OnceLock::new(),
            pages: Vec::new(),
        }
    }

    /// The page serving `url` (path and query; the first route whose pattern matches the path).
    pub(crate) fn page_of(&self, url: &str) -> Option<Arc<PageRoute>> {
        let path = path_of(url);
        self.pages.iter().find(|route| route.matches(path)).cloned()
    }
}
