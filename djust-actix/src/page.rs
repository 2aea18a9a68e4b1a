//! The page handler: the first, plain-HTTP render of a live view.
//!
//! It mounts the view (disconnected), renders it inside its container with a signed token and
//! puts the container into the application's [`Layout`](crate::Layout). The browser's client
//! then opens the socket and mounts the same view live.

use std::{
    sync::Arc,
    time::{SystemTime, UNIX_EPOCH},
};

use actix_web::{http::header, HttpRequest, HttpResponse};
use djust_core::token::sign_view_token;

use crate::{
    app::{PageRoute, Runtime},
    assets,
    error::PageError,
    layout::{escape, Page},
    mounted::MountRequest,
    service_worker::SHELL_VERSION_HEADER,
};

/// Request headers passed on to `MountContext::header` (page and socket alike).
const MOUNT_HEADERS: [header::HeaderName; 4] = [
    header::USER_AGENT,
    header::ACCEPT_LANGUAGE,
    header::COOKIE,
    header::HOST,
];

/// Renders the page of `route`.
pub(crate) async fn render(
    runtime: Arc<Runtime>,
    route: Arc<PageRoute>,
    req: HttpRequest,
) -> Result<HttpResponse, PageError> {
    let path = req.path();
    let url = req
        .uri()
        .path_and_query()
        .map_or(path, |path_and_query| path_and_query.as_str());
    let headers = mount_headers(&req);
    let mounted = (route.factory)(MountRequest {
        url,
        headers: &headers,
        data: &runtime.config.data,
        deliver: None,
        snapshot: None,
    })
    .map_err(|cause| PageError::new(route.name, path, cause))?;

    let (session, new_session) = match crate::session::from_headers(&headers) {
        Some(session) => (session.to_owned(), false),
        None => (crate::session::new_id(), true),
    };
    let partition = partition_key(&runtime, &req, &session);
    let token = sign_view_token(runtime.config.key(), route.name, path, unix_now());
    // The partition is on the container, inside `<main>`: never in a cached shell.
    let container = format!(
        "<div id=\"{target}\" dj-view=\"{view}\" dj-token=\"{token}\" \
         dj-partition=\"{partition}\">{html}</div>",
        target = route.target,
        view = escape(route.name),
        token = escape(&token),
        html = mounted.html,
    );
    let lazy = crate::navigation::lazy_containers(&runtime, &route, path);
    let container = lazy
        .iter()
        .fold(container, |page, lazy| page + &lazy.empty_html());
    let sse = if runtime.config.sse {
        format!(
            "<meta name=\"djust-sse-prefix\" content=\"{}\">",
            crate::sse::SSE_PREFIX
        )
    } else {
        String::new()
    };
    let head = format!(
        "{sse}<script type=\"module\" src=\"{}\"></script>",
        assets::client_script_url()
    );
    let head = head + &service_worker_tags(&runtime);
    let document = runtime.layout.render(&Page {
        title: mounted.title.as_deref(),
        view: &container,
        head: &head,
        path,
    });
    let mut response = HttpResponse::Ok();
    response
        .content_type("text/html; charset=utf-8")
        .insert_header((header::VARY, "X-Djust-Main-Only"))
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .insert_header((crate::offline::PARTITION_HEADER, partition.as_str()));
    if new_session {
        response.insert_header((header::SET_COOKIE, crate::session::set_cookie(&session)));
    }
    if let Some(sw) = runtime.config.service_worker.as_ref() {
        if sw.instant_shell {
            let version = runtime
                .shell_version
                .get_or_init(|| sw.version_of(runtime.layout.as_ref(), &head));
            response.insert_header((SHELL_VERSION_HEADER, version.as_str()));
        }
    }
    Ok(response.body(document))
}

/// The tag for `<head>` with the service worker options, when configured.
fn service_worker_tags(runtime: &Runtime) -> String {
    runtime
        .config
        .service_worker
        .as_ref()
        .map_or_else(String::new, |sw| {
            let manifest = sw.offline.as_ref().map(|o| o.head_tags());
            sw.meta_tag() + &manifest.unwrap_or_default()
        })
}

/// The key the service worker partitions its caches by (`dj-partition` on the container).
fn partition_key(runtime: &Runtime, req: &HttpRequest, session: &str) -> String {
    let language = req
        .headers()
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|value| value.to_str().ok())
        .unwrap_or("");
    crate::session::partition_key(runtime.config.key(), session, language)
}

/// The headers a view may read on mount.
pub(crate) fn mount_headers(req: &HttpRequest) -> Vec<(String, String)> {
    MOUNT_HEADERS
        .iter()
        .filter_map(|name| {
            let value = req.headers().get(name)?.to_str().ok()?;
            Some((name.as_str().to_owned(), value.to_owned()))
        })
        .collect()
}

/// Seconds since the Unix epoch.
pub(crate) fn unix_now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |elapsed| elapsed.as_secs())
}
