//! [`Offline`]: the service worker's offline mode, configured on the server.
//!
//! With [`ServiceWorker::offline`](crate::ServiceWorker::offline), the worker precaches the
//! client files, the application's assets and an offline page when it installs, keeps the last
//! good copy of the pages visited (network first, with a timeout), and shows the offline page
//! for pages it never saw. The server tells the worker what to do at
//! `/static/djust/offline.json`; the worker's URL carries a version (`?v=`) derived from that
//! configuration and the client files, so any change installs a new worker whose caches replace
//! the old ones. See `docs/protocol.md` ("Offline mode").

use std::time::Duration;

use actix_web::{guard, http::header, web, HttpResponse};
use djust_core::contract;

use super::assets;
use crate::support::short_hash;

/// Response header of every page: the cache partition of its user (the worker clears every
/// user-bound cache when it changes).
pub const PARTITION_HEADER: &str = contract::header::PARTITION;

/// Where the worker reads its offline configuration.
pub(crate) const CONFIG_PATH: &str = contract::path::OFFLINE_CONFIG;

/// Where the web app manifest is served, when configured.
pub const MANIFEST_PATH: &str = contract::path::MANIFEST;

/// Options of the offline mode.
///
/// ```
/// use std::time::Duration;
/// use djust_actix::{Offline, ServiceWorker};
///
/// let sw = ServiceWorker::new().instant_shell(true).offline(
///     Offline::new()
///         .page("/offline/")
///         .precache("/static/app.3f2a9c.css")
///         .network_timeout(Duration::from_secs(2))
///         .max_pages(30),
/// );
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Offline {
    pub(crate) page: Option<String>,
    pub(crate) precache: Vec<String>,
    pub(crate) network_timeout: Duration,
    pub(crate) deny: Vec<String>,
    pub(crate) max_pages: usize,
    pub(crate) max_bytes: usize,
    pub(crate) version: String,
    pub(crate) update_prompt: bool,
    pub(crate) manifest: Option<serde_json::Value>,
}

impl Offline {
    /// No offline page, no application assets, a 3 s network timeout, login/logout/account
    /// pages never cached, at most 50 pages and 5 MiB of them, the default update prompt on.
    pub fn new() -> Self {
        Self {
            page: None,
            precache: Vec::new(),
            network_timeout: contract::defaults::NETWORK_TIMEOUT,
            deny: ["/login", "/logout", "/account"].map(String::from).to_vec(),
            max_pages: contract::defaults::MAX_PAGES,
            max_bytes: contract::defaults::MAX_BYTES,
            version: String::new(),
            update_prompt: true,
            manifest: None,
        }
    }

    /// The page shown for navigations that fail with no cached copy (precached on install).
    pub fn page(mut self, url: impl Into<String>) -> Self {
        self.page = Some(url.into());
        self
    }

    /// Precaches `url` on install and serves it cache-first: give content-hashed URLs only
    /// (a new hash is a new URL; the old one goes with the old worker's cache).
    pub fn precache(mut self, url: impl Into<String>) -> Self {
        self.precache.push(url.into());
        self
    }

    /// How long a page navigation waits for the network before the last good copy is shown.
    pub fn network_timeout(mut self, timeout: Duration) -> Self {
        self.network_timeout = timeout;
        self
    }

    /// Replaces the deny list: paths starting with one of `prefixes` are never cached.
    pub fn deny(mut self, prefixes: impl IntoIterator<Item = impl Into<String>>) -> Self {
        self.deny = prefixes.into_iter().map(Into::into).collect();
        self
    }

    /// How many pages the worker keeps (saved pages do not count and are never evicted).
    ///
    /// # Panics
    /// When `pages` is zero.
    pub fn max_pages(mut self, pages: usize) -> Self {
        assert!(pages > 0, "the page cache needs room for one page");
        self.max_pages = pages;
        self
    }

    /// How many bytes of pages the worker keeps.
    pub fn max_bytes(mut self, bytes: usize) -> Self {
        self.max_bytes = bytes;
        self
    }

    /// A release id mixed into the worker's version (e.g. the deployment), so that a new
    /// release installs a new worker even when nothing else changed.
    pub fn version(mut self, version: impl Into<String>) -> Self {
        self.version = version.into();
        self
    }

    /// Whether the page shows the default "new version" prompt (on by default); the
    /// `djust:sw-update` event is dispatched either way.
    pub fn update_prompt(mut self, on: bool) -> Self {
        self.update_prompt = on;
        self
    }

    /// Serves `manifest` at `/manifest.webmanifest` and links it from every page.
    pub fn manifest(mut self, manifest: serde_json::Value) -> Self {
        self.manifest = Some(manifest);
        self
    }

    /// What the worker reads at `/static/djust/offline.json`, without the version.
    fn settings(&self) -> serde_json::Value {
        let mut precache: Vec<String> = assets::ASSETS
            .iter()
            .filter(|asset| asset.path != "service-worker.js" && !asset.path.starts_with("sw/"))
            .filter_map(|asset| assets::asset_url(asset.path))
            .collect();
        precache.extend(self.precache.iter().cloned());
        serde_json::json!({
            "offlinePage": self.page,
            "precache": precache,
            "networkTimeoutMs": u64::try_from(self.network_timeout.as_millis()).unwrap_or(u64::MAX),
            "deny": self.deny,
            "maxPages": self.max_pages,
            "maxBytes": self.max_bytes,
        })
    }

    /// The worker's version: a hash of the settings (client files included) and the release.
    pub(crate) fn version_id(&self) -> String {
        let manifest = self
            .manifest
            .as_ref()
            .map(ToString::to_string)
            .unwrap_or_default();
        short_hash(&[
            self.settings().to_string().as_bytes(),
            self.version.as_bytes(),
            manifest.as_bytes(),
        ])
    }

    /// The worker's configuration document.
    pub(crate) fn worker_config(&self) -> serde_json::Value {
        let mut settings = self.settings();
        settings["version"] = self.version_id().into();
        settings
    }

    /// Tags for the page's `<head>`: the manifest link, when configured.
    pub(crate) fn head_tags(&self) -> String {
        if self.manifest.is_some() {
            format!("<link rel=\"manifest\" href=\"{MANIFEST_PATH}\">")
        } else {
            String::new()
        }
    }
}

impl Default for Offline {
    fn default() -> Self {
        Self::new()
    }
}

/// Registers `/static/djust/offline.json` and, when configured, the manifest.
pub(crate) fn configure(cfg: &mut web::ServiceConfig, offline: &Offline) {
    let get_or_head = || web::route().guard(guard::Any(guard::Get()).or(guard::Head()));
    let body = offline.worker_config().to_string();
    cfg.route(
        CONFIG_PATH,
        get_or_head().to(move || {
            let body = body.clone();
            async move {
                HttpResponse::Ok()
                    .content_type("application/json")
                    .insert_header((header::CACHE_CONTROL, "no-store"))
                    .body(body)
            }
        }),
    );
    if let Some(manifest) = &offline.manifest {
        let body = manifest.to_string();
        cfg.route(
            MANIFEST_PATH,
            get_or_head().to(move || {
                let body = body.clone();
                async move {
                    HttpResponse::Ok()
                        .content_type("application/manifest+json")
                        .insert_header((header::CACHE_CONTROL, "no-cache"))
                        .body(body)
                }
            }),
        );
    }
}

/// The URL the page registers the worker with: versioned when the offline mode is on.
pub(crate) fn worker_url(offline: Option<&Offline>) -> String {
    let url = contract::path::SERVICE_WORKER.to_owned();
    match offline {
        Some(offline) => format!("{url}?v={}", offline.version_id()),
        None => url,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_worker_config_lists_client_files_and_assets() {
        let config = Offline::new()
            .page("/offline/")
            .precache("/static/app.abc123.css")
            .worker_config();
        let precache: Vec<&str> = config["precache"]
            .as_array()
            .unwrap()
            .iter()
            .map(|url| url.as_str().unwrap())
            .collect();
        assert!(precache.contains(&assets::client_script_url().as_str()));
        assert!(precache.contains(&"/static/app.abc123.css"));
        assert!(!precache.iter().any(|url| url.contains("service-worker")));
        assert_eq!(config["offlinePage"], "/offline/");
        assert_eq!(config["networkTimeoutMs"], 3000);
        assert_eq!(config["deny"][0], "/login");
        assert_eq!(config["version"].as_str().unwrap().len(), 16);
    }

    #[test]
    fn the_version_follows_the_settings_and_the_release() {
        let a = Offline::new().version_id();
        assert_eq!(a, Offline::new().version_id());
        assert_ne!(a, Offline::new().version("r2").version_id());
        assert_ne!(a, Offline::new().precache("/x.1.js").version_id());
        assert_ne!(a, Offline::new().max_pages(3).version_id());
        assert!(worker_url(Some(&Offline::new())).ends_with(&format!("?v={a}")));
        assert_eq!(worker_url(None), "/static/djust/service-worker.js");
    }
}
