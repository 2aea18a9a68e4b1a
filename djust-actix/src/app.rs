//! [`Djust`]: the views of an application and the routes that serve them. The top layer:
//! imported by nothing (the crate root re-exports it).

use std::{fmt, sync::Arc};

use actix_web::{guard, web, HttpRequest};
use djust_core::LiveView;

use crate::{
    config::DjustConfig,
    layout::{DefaultLayout, Layout},
    runtime::{Hydrate, PageRoute, Runtime},
    service_worker::{configure_assets, configure_offline},
    transport::{
        page,
        sse::{SseRegistry, SseTransport},
        websocket, SOCKET_PATH,
    },
    view::ParkedStats,
};

/// A djust application: its configuration, its views and their layout.
///
/// Build it once (it generates the signing secret when none is configured), then register its
/// routes in every worker's `App` with [`Djust::configure`]:
///
/// - `GET <path>` for each [`view`](Djust::view): the page, rendered through the layout;
/// - `GET /ws/live/`: the WebSocket the client mounts live views on;
/// - `GET /djust/sse/<id>/`, `POST /djust/sse/<id>/message/`: the SSE transport (unless
///   [`DjustConfig::sse`] turned it off);
/// - `GET /static/djust/…`: the embedded client (see [`client_script_url`](crate::client_script_url)).
#[derive(Clone)]
pub struct Djust {
    runtime: Arc<Runtime>,
    /// The live SSE connections, shared by every worker.
    sse: Arc<SseRegistry>,
}

impl Djust {
    /// An application with no views yet and the [`DefaultLayout`].
    pub fn new(config: DjustConfig) -> Self {
        let layout = Arc::new(DefaultLayout::default());
        Self {
            runtime: Arc::new(Runtime::new(config, layout)),
            sse: Arc::default(),
        }
    }

    /// Serves live view `V` at `path` (an actix-web route pattern, e.g. `"/counter/"`).
    /// A view may be served at several paths.
    ///
    /// # Panics
    /// When another view type has the same `LiveView::NAME`.
    pub fn view<V: LiveView>(mut self, path: &str) -> Self {
        let runtime = Arc::make_mut(&mut self.runtime);
        let factory = runtime.registry.register::<V>();
        let route = PageRoute::new(path, V::NAME, factory);
        runtime.pages.push(Arc::new(route));
        self
    }

    /// Adds lazy view `V` to the page registered last: an empty container after the page's
    /// view, mounted by the client when `hydrate` says (lazy views ready together are mounted
    /// with one `mount_batch` frame).
    ///
    /// # Panics
    /// When no page was registered yet, or another view type has the same `LiveView::NAME`.
    pub fn lazy<V: LiveView>(mut self, hydrate: Hydrate) -> Self {
        let runtime = Arc::make_mut(&mut self.runtime);
        runtime.registry.register::<V>();
        let page = runtime
            .pages
            .last_mut()
            .expect("Djust::lazy adds to the page registered last: call Djust::view first");
        Arc::make_mut(page).add_lazy(V::NAME, hydrate);
        self
    }

    /// What the application's handlers share (for the test kit, `crate::test`).
    #[cfg(feature = "test")]
    pub(crate) fn runtime(&self) -> &Arc<Runtime> {
        &self.runtime
    }

    /// Renders pages through `layout` instead of the [`DefaultLayout`].
    pub fn layout(mut self, layout: impl Layout) -> Self {
        Arc::make_mut(&mut self.runtime).layout = Arc::new(layout);
        self
    }

    /// The view sessions now waiting in their grace window for their client to reconnect
    /// (see [`DjustConfig::view_session_grace`]).
    pub fn parked_view_sessions(&self) -> ParkedStats {
        self.runtime.sessions.stats()
    }

    /// Registers the page routes, the socket and the assets: `App::new().configure(|cfg|
    /// djust.configure(cfg))`.
    pub fn configure(&self, cfg: &mut web::ServiceConfig) {
        for route in &self.runtime.pages {
            let (runtime, route) = (Arc::clone(&self.runtime), Arc::clone(route));
            cfg.route(
                &route.path.clone(),
                web::route()
                    .guard(guard::Any(guard::Get()).or(guard::Head()))
                    .to(move |req: HttpRequest| {
                        page::render(Arc::clone(&runtime), Arc::clone(&route), req)
                    }),
            );
        }
        let runtime = Arc::clone(&self.runtime);
        cfg.route(
            SOCKET_PATH,
            web::get().to(move |req: HttpRequest, body: web::Payload| {
                websocket::upgrade(req, body, Arc::clone(&runtime))
            }),
        );
        if self.runtime.config.sse {
            SseTransport::new(Arc::clone(&self.runtime), Arc::clone(&self.sse)).configure(cfg);
        }
        let offline = self.runtime.config.service_worker.as_ref();
        if let Some(offline) = offline.and_then(|sw| sw.offline.as_ref()) {
            configure_offline(cfg, offline);
        }
        configure_assets(cfg);
    }
}

impl fmt::Debug for Djust {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Djust")
            .field("config", &self.runtime.config)
            .field("views", &self.runtime.registry)
            .field("pages", &self.runtime.pages)
            .finish_non_exhaustive()
    }
}
