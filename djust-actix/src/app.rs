//! [`Djust`]: the views of an application and the routes that serve them.

use std::{fmt, sync::Arc};

use actix_web::{dev::ResourceDef, guard, web, HttpRequest};
use djust_core::LiveView;

use crate::{
    assets,
    config::DjustConfig,
    layout::{DefaultLayout, Layout},
    navigation::{Hydrate, LazyView},
    page,
    registry::{Factory, Registry},
    socket, sse,
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
}

/// What the handlers share: read-only once the server runs.
#[derive(Clone)]
pub(crate) struct Runtime {
    pub(crate) config: DjustConfig,
    pub(crate) registry: Registry,
    pub(crate) layout: Arc<dyn Layout>,
    /// The shell version, computed on first use (see [`crate::ServiceWorker`]).
    pub(crate) shell_version: std::sync::OnceLock<String>,
    /// Live SSE sessions (shared by every worker).
    pub(crate) sse: Arc<sse::Sessions>,
    /// The page routes, in registration order (live navigation resolves URLs with them).
    pub(crate) pages: Vec<Arc<PageRoute>>,
}

/// A page route: the view it serves and the container it renders.
#[derive(Debug, Clone)]
pub(crate) struct PageRoute {
    path: String,
    /// `path` as a matcher, for live navigation.
    pub(crate) pattern: ResourceDef,
    pub(crate) name: &'static str,
    /// The container's id: `dj-v-<slug>`.
    pub(crate) target: String,
    pub(crate) factory: Factory,
    /// The page's lazy views, rendered as empty containers after its view.
    pub(crate) lazy: Vec<LazyView>,
}

impl Djust {
    /// An application with no views yet and the [`DefaultLayout`].
    pub fn new(config: DjustConfig) -> Self {
        Self {
            runtime: Arc::new(Runtime {
                config: config.resolve(),
                registry: Registry::default(),
                layout: Arc::new(DefaultLayout::default()),
                shell_version: std::sync::OnceLock::new(),
                sse: Arc::default(),
                pages: Vec::new(),
            }),
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
        runtime.pages.push(Arc::new(PageRoute {
            path: path.to_owned(),
            pattern: ResourceDef::new(path),
            name: V::NAME,
            target: format!("dj-v-{}", slug(V::NAME)),
            factory,
            lazy: Vec::new(),
        }));
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
        Arc::make_mut(page).lazy.push(LazyView {
            name: V::NAME,
            target: format!("dj-v-{}", slug(V::NAME)),
            hydrate,
        });
        self
    }

    /// Renders pages through `layout` instead of the [`DefaultLayout`].
    pub fn layout(mut self, layout: impl Layout) -> Self {
        Arc::make_mut(&mut self.runtime).layout = Arc::new(layout);
        self
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
            socket::SOCKET_PATH,
            web::get().to(move |req: HttpRequest, body: web::Payload| {
                socket::upgrade(req, body, Arc::clone(&runtime))
            }),
        );
        if self.runtime.config.sse {
            sse::configure(cfg, &self.runtime);
        }
        let offline = self.runtime.config.service_worker.as_ref();
        if let Some(offline) = offline.and_then(|sw| sw.offline.as_ref()) {
            crate::offline::configure(cfg, offline);
        }
        assets::configure(cfg);
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

/// The container slug of a view name: its type name in kebab case (`app::TodoList` →
/// `todo-list`).
fn slug(name: &str) -> String {
    let type_name = name.rsplit("::").next().unwrap_or(name);
    let mut slug = String::with_capacity(type_name.len() + 4);
    let mut previous_lower = false;
    for ch in type_name.chars() {
        if ch.is_ascii_alphanumeric() {
            if ch.is_ascii_uppercase() && previous_lower {
                slug.push('-');
            }
            slug.push(ch.to_ascii_lowercase());
            previous_lower = ch.is_ascii_lowercase() || ch.is_ascii_digit();
        } else {
            if !slug.is_empty() && !slug.ends_with('-') {
                slug.push('-');
            }
            previous_lower = false;
        }
    }
    slug
}

#[cfg(test)]
mod tests {
    use super::slug;

    #[test]
    fn slugs_are_kebab_case_type_names() {
        assert_eq!(slug("example::Counter"), "counter");
        assert_eq!(slug("app::views::TodoList"), "todo-list");
        assert_eq!(slug("Rows2Table"), "rows2-table");
        assert_eq!(slug("HTTPView"), "httpview");
    }
}
