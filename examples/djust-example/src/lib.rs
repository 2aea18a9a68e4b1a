//! The example application as a library: its views, its layout and [`routes`], so the server
//! binary, the benchmarks and the tests all serve exactly the same thing.

pub mod layout;
pub mod slow;
pub mod views;

use std::sync::Arc;

use djust_actix::{Djust, DjustConfig, Hydrate, ServiceWorker, VdomCacheConfig};

use crate::views::{
    cart::Cart,
    chat::{Chat, ChatRoom},
    counter::Counter,
    dashboard::{Dashboard, Errors, Latency, Reports, Sales, Signups, Visitors},
    form::Form,
    home::Home,
    rows::Rows,
    slow::Slow,
    tally::{Tally, TallyLog},
};

/// The VDOM cache of the example's pages: 5 minutes, 100 pages (checked at compile time).
const VDOM_CACHE: VdomCacheConfig = VdomCacheConfig::new(300, 100);

/// Every page of the example, on top of `config` (the chat room and the tally log are added to
/// its data; the pages register the service worker with the instant shell and the
/// reconnection bridge, so the app must be wrapped in `djust_actix::MainOnly`).
pub fn routes(config: DjustConfig) -> Djust {
    let config = config
        .data(Arc::new(ChatRoom::default()))
        .data(Arc::new(TallyLog::default()))
        .service_worker(
            ServiceWorker::new()
                .instant_shell(true)
                .reconnection_bridge(true)
                .vdom_cache(VDOM_CACHE)
                .state_snapshot(true),
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
        .view::<Dashboard>("/dashboard/")
        .lazy::<Visitors>(Hydrate::Viewport)
        .lazy::<Sales>(Hydrate::Viewport)
        .lazy::<Signups>(Hydrate::Viewport)
        .lazy::<Latency>(Hydrate::Viewport)
        .lazy::<Errors>(Hydrate::Viewport)
        .lazy::<Reports>(Hydrate::Viewport)
        .layout(layout::SiteLayout)
}
