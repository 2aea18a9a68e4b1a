//! `/offline/`: the page the service worker shows for pages it never saw while the server is
//! unreachable. It lists the pages saved for offline (`[dj-offline-pages]`, filled by the
//! client from the worker).

use djust_actix::prelude::*;

/// The offline page: a static live view.
#[live_view(template = "offline.html", title = "Offline")]
#[derive(Debug, Default)]
pub struct OfflinePage {}

#[events]
impl OfflinePage {}
