//! [`ServiceWorker`]: the service worker options the server renders into every page, and the
//! shell version it sends with every page.
//!
//! The page's `<head>` gets `<meta name="djust-service-worker" content="{…}">`; the client
//! reads it and calls `djust.registerServiceWorker` with those options, so the server's
//! configuration is the only one. With the instant shell on, every page response carries
//! `X-Djust-Shell-Version`: a hash of the layout, which changes whenever a deployment changes
//! the layout (or the client assets), so the worker drops a shell that is out of date.

use djust_core::cache_config::VdomCacheConfig;

use super::offline::{worker_url, Offline};
use crate::{
    layout::{Layout, Page},
    support::{escape, short_hash},
};

/// Response header of every page (when the instant shell is on): the shell version.
pub const SHELL_VERSION_HEADER: &str = djust_core::contract::header::SHELL_VERSION;

/// Options of the djust service worker (all off by default).
///
/// ```
/// use djust_actix::{DjustConfig, ServiceWorker};
///
/// let config = DjustConfig::new()
///     .service_worker(ServiceWorker::new().instant_shell(true));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceWorker {
    pub(crate) instant_shell: bool,
    pub(crate) scope: String,
    pub(crate) shell_version: Option<String>,
    pub(crate) vdom_cache: Option<VdomCacheConfig>,
    pub(crate) state_snapshot: bool,
    pub(crate) offline: Option<Offline>,
}

impl ServiceWorker {
    /// Registration with every feature off, scope `/`.
    pub fn new() -> Self {
        Self {
            instant_shell: false,
            scope: "/".to_owned(),
            shell_version: None,
            vdom_cache: None,
            state_snapshot: false,
            offline: None,
        }
    }

    /// Keep the HTML of live-navigation pages in the worker and paint it at once on
    /// back/forward (then the live mount replaces it). The TTL and size come from `config`
    /// (a `const`, checked at compile time) and reach the worker with the registration.
    pub fn vdom_cache(mut self, config: VdomCacheConfig) -> Self {
        self.vdom_cache = Some(config);
        self
    }

    /// Keep the signed state snapshots of the views a page left in the worker (instead of the
    /// tab's `sessionStorage`), partitioned per user and language.
    pub fn state_snapshot(mut self, on: bool) -> Self {
        self.state_snapshot = on;
        self
    }

    /// Turn on the offline mode (precache, offline page, cached pages); see [`Offline`].
    pub fn offline(mut self, offline: Offline) -> Self {
        self.offline = Some(offline);
        self
    }

    /// Paint navigations at once from a cached page shell, then fill `<main>` (needs the
    /// [`MainOnly`](crate::MainOnly) middleware).
    pub fn instant_shell(mut self, on: bool) -> Self {
        self.instant_shell = on;
        self
    }

    /// The worker's scope (`/` by default).
    pub fn scope(mut self, scope: impl Into<String>) -> Self {
        self.scope = scope.into();
        self
    }

    /// Sets the shell version instead of hashing the layout (e.g. a release id).
    pub fn shell_version(mut self, version: impl Into<String>) -> Self {
        self.shell_version = Some(version.into());
        self
    }

    /// The `<meta>` tag the client reads its registration options from.
    pub(crate) fn meta_tag(&self) -> String {
        let options = serde_json::json!({
            "instantShell": self.instant_shell,
            "swUrl": worker_url(self.offline.as_ref()),
            "scope": self.scope,
            "vdomCache": self.vdom_cache.is_some(),
            "vdomTtlSeconds": self.vdom_cache.map(|cache| cache.ttl_secs()),
            "vdomMaxEntries": self.vdom_cache.map(|cache| cache.max_entries()),
            "stateSnapshot": self.state_snapshot,
            "offline": self.offline.is_some(),
            "updatePrompt": self.offline.as_ref().is_some_and(|offline| offline.update_prompt),
        });
        format!(
            "<meta name=\"{}\" content=\"{}\">",
            djust_core::contract::meta::SERVICE_WORKER,
            escape(&options.to_string())
        )
    }

    /// The shell version: the configured one, or a hash of the layout rendered around an
    /// empty page with the real `<head>` (so new client assets change it too).
    pub(crate) fn version_of(&self, layout: &dyn Layout, head: &str, home: Option<&str>) -> String {
        if let Some(version) = &self.shell_version {
            return version.clone();
        }
        let probe = layout.render(&Page {
            title: None,
            view: "",
            head,
            path: "",
            home,
        });
        short_hash(&[probe.as_bytes()])
    }
}

impl Default for ServiceWorker {
    fn default() -> Self {
        Self::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::DefaultLayout;

    #[test]
    fn the_meta_tag_holds_the_options_as_escaped_json() {
        let meta = ServiceWorker::new().instant_shell(true).meta_tag();
        assert!(meta.starts_with("<meta name=\"djust-service-worker\" content=\"{&quot;"));
        assert!(meta.contains("&quot;instantShell&quot;:true"));
        assert!(!meta.contains("bufferCap") && !meta.contains("reconnectionBridge"));
        assert!(meta.contains("/static/djust/service-worker.js"));
        assert!(meta.contains("&quot;vdomCache&quot;:false"));
    }

    #[test]
    fn the_vdom_cache_config_reaches_the_page() {
        const CACHE: VdomCacheConfig = VdomCacheConfig::new(120, 30);
        let meta = ServiceWorker::new()
            .vdom_cache(CACHE)
            .state_snapshot(true)
            .meta_tag();
        for part in [
            "&quot;vdomCache&quot;:true",
            "&quot;vdomTtlSeconds&quot;:120",
            "&quot;vdomMaxEntries&quot;:30",
            "&quot;stateSnapshot&quot;:true",
        ] {
            assert!(meta.contains(part), "{part} missing in {meta}");
        }
    }

    #[test]
    fn the_version_follows_the_layout() {
        let sw = ServiceWorker::new();
        let a = sw.version_of(&DefaultLayout::new("a"), "<script></script>", None);
        assert_eq!(a.len(), 16);
        assert_eq!(
            a,
            sw.version_of(&DefaultLayout::new("a"), "<script></script>", None)
        );
        assert_ne!(
            a,
            sw.version_of(&DefaultLayout::new("b"), "<script></script>", None)
        );
        assert_ne!(
            a,
            sw.version_of(&DefaultLayout::new("a"), "<script>2</script>", None)
        );
        assert_eq!(
            sw.shell_version("r1")
                .version_of(&DefaultLayout::new("a"), "", None),
            "r1"
        );
    }
}
