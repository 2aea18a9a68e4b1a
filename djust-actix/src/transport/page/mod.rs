//! The page handler: the first, plain-HTTP render of a live view.
//!
//! It mounts the view (disconnected), renders it inside its container with a signed token and
//! puts the container into the application's [`Layout`](crate::Layout). The browser's client
//! then opens the socket and mounts the same view live.

mod error;

use std::sync::Arc;

use actix_web::{http::header, HttpRequest, HttpResponse};

use error::PageError;

use super::{request::mount_headers, site, sse::SSE_PREFIX};
use crate::{
    browser_session,
    layout::Page,
    main_only::MAIN_ONLY_VARY,
    runtime::{containers, PageRoute, Runtime},
    service_worker::{client_script_url, PARTITION_HEADER, SHELL_VERSION_HEADER},
    view::MountRequest,
};

/// The home page a layout may link to, when the application serves it.
const HOME: &str = "/";

/// Renders the page of `route`.
pub(crate) async fn render(
    runtime: Arc<Runtime>,
    route: Arc<PageRoute>,
    req: HttpRequest,
) -> Result<HttpResponse, PageError> {
    if site::check_host(&req, &runtime.config).is_none() {
        return Ok(site::host_refused());
    }
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
        path_params: route.path_params(path),
    })
    .map_err(|cause| PageError::new(route.name, path, cause, runtime.config.error_details))?;

    let (session, new_session) = match browser_session::from_headers(&headers) {
        Some(session) => (session.to_owned(), false),
        None => (browser_session::new_id(), true),
    };
    let partition = partition_key(&runtime, &req, &session);
    let mut containers = containers(&runtime, &route, path).into_iter();
    // The page's own container first; the partition is on it, inside `<main>`: never in a
    // cached shell. Then the lazy views' empty containers.
    let main = containers.next().expect("a page has its own container");
    let mut view = String::new();
    main.write_html(&mut view, &mounted.html, Some(&partition));
    for lazy in containers {
        lazy.write_html(&mut view, "", None);
    }
    let head = runtime.page_head.get_or_init(|| page_head(&runtime));
    let home = runtime.page_of(HOME).is_some().then_some(HOME);
    let document = runtime.layout.render(&Page {
        title: mounted.title.as_deref(),
        view: &view,
        head,
        path,
        home,
    });
    let mut response = HttpResponse::Ok();
    response
        .content_type("text/html; charset=utf-8")
        .insert_header((header::VARY, MAIN_ONLY_VARY))
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .insert_header((PARTITION_HEADER, partition.as_str()));
    if new_session {
        response.insert_header((header::SET_COOKIE, browser_session::set_cookie(&session)));
    }
    if let Some(sw) = runtime.config.service_worker.as_ref() {
        if sw.instant_shell {
            let version = runtime
                .shell_version
                .get_or_init(|| sw.version_of(runtime.layout.as_ref(), head, home));
            response.insert_header((SHELL_VERSION_HEADER, version.as_str()));
        }
    }
    Ok(response.body(document))
}

/// What every page adds to `<head>`: the SSE meta tag (when on), the client script and the
/// service worker tags.
fn page_head(runtime: &Runtime) -> String {
    let sse = if runtime.config.sse {
        format!(
            "<meta name=\"{}\" content=\"{SSE_PREFIX}\">",
            djust_core::contract::meta::SSE_PREFIX
        )
    } else {
        String::new()
    };
    let head = format!(
        "{sse}<script type=\"module\" src=\"{}\"></script>",
        client_script_url()
    );
    head + &service_worker_tags(runtime)
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
    browser_session::partition_key(runtime.config.key(), session, language)
}
