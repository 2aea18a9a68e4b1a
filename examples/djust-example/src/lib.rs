//! The example application as a library: its views, its layout and [`routes`], so the server
//! binary, the benchmarks and the tests all serve exactly the same thing.

pub mod accounts;
pub mod downloads;
pub mod layout;
pub mod redirects;
pub mod slow;
pub mod views;

use std::sync::Arc;

use djust_actix::{Djust, DjustConfig, Hydrate, Offline, ServiceWorker, VdomCacheConfig};

use crate::views::{
    cart::Cart,
    chat::{Chat, ChatRoom},
    counter::Counter,
    dashboard::{Dashboard, Errors, Latency, Reports, Sales, Signups, Visitors},
    feed::Feed,
    form::Form,
    home::Home,
    hooks::Hooks,
    notes::Notes,
    offline::OfflinePage,
    rows::Rows,
    slow::Slow,
    stream_rows::StreamRows,
    tally::{Tally, TallyLog},
    todos::{TodoDetail, TodoStore, Todos},
};

/// The VDOM cache of the example's pages: 5 minutes, 100 pages (checked at compile time).
const VDOM_CACHE: VdomCacheConfig = VdomCacheConfig::new(300, 100);

/// Every page of the example, on top of `config` (the chat room and the tally log are added to
/// its data; the pages register the service worker with the instant shell, so the app must be
/// wrapped in `djust_actix::MainOnly`).
pub fn routes(config: DjustConfig) -> Djust {
    let room = ChatRoom::new(config.pubsub_backend());
    let config = config
        .data(Arc::new(room))
        .data(Arc::new(TallyLog::default()))
        .data(Arc::new(TodoStore::default()))
        .service_worker(
            ServiceWorker::new()
                .instant_shell(true)
                .vdom_cache(VDOM_CACHE)
                .state_snapshot(true)
                .offline(offline()),
        );
    Djust::new(config)
        .view::<Home>("/")
        .view::<Counter>("/counter/")
        .view::<Form>("/form/")
        .view::<Rows>("/rows/")
        .view::<Chat>("/chat/")
        .view::<Tally>("/tally/")
        .view::<Slow>(slow::SLOW_PATH)
        .view::<Cart>("/cart/")
        .view::<OfflinePage>("/offline/")
        .view::<Notes>("/notes/")
        .view::<Todos>("/todos/")
        .view::<TodoDetail>("/todos/{id}/")
        .view::<Hooks>("/hooks/")
        .view::<Feed>("/feed/")
        .view::<StreamRows>("/rows-stream/")
        // The lazy views below belong to the dashboard: it is registered last.
        .view::<Dashboard>("/dashboard/")
        .lazy::<Visitors>(Hydrate::Viewport)
        .lazy::<Sales>(Hydrate::Viewport)
        .lazy::<Signups>(Hydrate::Viewport)
        .lazy::<Latency>(Hydrate::Viewport)
        .lazy::<Errors>(Hydrate::Viewport)
        .lazy::<Reports>(Hydrate::Viewport)
        .layout(layout::SiteLayout)
}

/// The offline mode: `/offline/` for pages never seen, the release in the worker's version (a
/// new `DJUST_EXAMPLE_RELEASE` is a new worker), and an installable app manifest. The login
/// pages of [`accounts`] are on the default deny list.
fn offline() -> Offline {
    Offline::new()
        .page("/offline/")
        .version(layout::release())
        .manifest(serde_json::json!({
            "name": "djust example",
            "short_name": "djust",
            "start_url": "/",
            "display": "standalone",
            "background_color": "#ffffff",
            "theme_color": "#1f2933",
            "icons": [],
        }))
}
