//! The browser client, embedded at build time (see `build.rs`) and served from memory.
//!
//! - `/static/djust/<hash>/<path>`: every client file; `<hash>` changes whenever any client
//!   file changes, so responses are cached forever (`immutable`). A stale hash is redirected
//!   (307, `no-store`) to the current URL of the same file: a page shell cached by the service
//!   worker before a deployment still loads a client, which then replaces the shell.
//! - `/static/djust/service-worker.js`: the service worker at a stable URL (a worker's URL must
//!   not change between deployments), revalidated on every load, allowed to control `/`;
//!   the scripts it imports at `/static/djust/sw/<name>`, revalidated too.

use actix_web::{
    guard,
    http::header::{self, HeaderValue},
    web, HttpRequest, HttpResponse,
};

/// One embedded client file.
pub(crate) struct Asset {
    /// Path under `client/`, `/`-separated.
    pub(crate) path: &'static str,
    /// Strong ETag (quoted).
    pub(crate) etag: &'static str,
    pub(crate) body: &'static [u8],
}

include!(concat!(env!("OUT_DIR"), "/assets.rs"));

/// Where the assets are served.
pub const STATIC_PREFIX: &str = djust_core::contract::path::STATIC_PREFIX;

const SERVICE_WORKER: &str = "service-worker.js";

/// The URL of embedded client file `path` (`"client.js"`), or `None` when no such file was
/// embedded.
pub fn asset_url(path: &str) -> Option<String> {
    find(path).map(|asset| format!("{STATIC_PREFIX}/{ASSETS_HASH}/{}", asset.path))
}

/// The URL of the client script, for layouts: `/static/djust/<hash>/client.js`.
pub fn client_script_url() -> String {
    format!("{STATIC_PREFIX}/{ASSETS_HASH}/client.js")
}

/// Registers the asset routes.
pub(crate) fn configure(cfg: &mut web::ServiceConfig) {
    let get_or_head = || web::route().guard(guard::Any(guard::Get()).or(guard::Head()));
    cfg.route(
        &format!("{STATIC_PREFIX}/{SERVICE_WORKER}"),
        get_or_head().to(service_worker),
    )
    .route(
        &format!("{STATIC_PREFIX}/sw/{{name}}"),
        get_or_head().to(service_worker_script),
    )
    .route(
        &format!("{STATIC_PREFIX}/{{hash}}/{{path:.*}}"),
        get_or_head().to(hashed),
    );
}

async fn hashed(req: HttpRequest, path: web::Path<(String, String)>) -> HttpResponse {
    let (hash, path) = path.into_inner();
    match find(&path) {
        Some(asset) if hash == ASSETS_HASH => {
            respond(&req, asset, "public, max-age=31536000, immutable")
        }
        // An older deployment's URL (e.g. in a page shell a service worker cached): send the
        // browser to the current file, never cached, so the current client loads and can
        // notice that the page is out of date.
        Some(asset) => HttpResponse::TemporaryRedirect()
            .insert_header((
                header::LOCATION,
                format!("{STATIC_PREFIX}/{ASSETS_HASH}/{}", asset.path),
            ))
            .insert_header((header::CACHE_CONTROL, "no-store"))
            .finish(),
        None => not_found(),
    }
}

async fn service_worker(req: HttpRequest) -> HttpResponse {
    match find(SERVICE_WORKER) {
        Some(asset) => {
            let mut response = respond(&req, asset, "no-cache");
            response.headers_mut().insert(
                header::HeaderName::from_static("service-worker-allowed"),
                HeaderValue::from_static("/"),
            );
            response
        }
        None => not_found(),
    }
}

/// The scripts the worker imports (`importScripts("sw/…")`, from `client/sw/`): stable URLs,
/// revalidated like the worker itself (browsers compare them when checking for an update).
async fn service_worker_script(req: HttpRequest, name: web::Path<String>) -> HttpResponse {
    match find(&format!("sw/{name}")) {
        Some(asset) => respond(&req, asset, "no-cache"),
        None => not_found(),
    }
}

fn find(path: &str) -> Option<&'static Asset> {
    ASSETS.iter().find(|asset| asset.path == path)
}

fn respond(req: &HttpRequest, asset: &'static Asset, cache_control: &'static str) -> HttpResponse {
    let fresh = req
        .headers()
        .get(header::IF_NONE_MATCH)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|tags| {
            tags.split(',')
                .any(|tag| tag.trim() == asset.etag || tag.trim() == "*")
        });
    let mut response = if fresh {
        HttpResponse::NotModified()
    } else {
        HttpResponse::Ok()
    };
    response
        .insert_header((header::CACHE_CONTROL, cache_control))
        .insert_header((header::ETAG, asset.etag));
    if fresh {
        return response.finish();
    }
    response
        .content_type(content_type(asset.path))
        .insert_header((header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .body(asset.body)
}

fn content_type(path: &str) -> &'static str {
    match path.rsplit_once('.').map_or("", |(_, extension)| extension) {
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "map" => "application/json",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "ico" => "image/x-icon",
        "webmanifest" => "application/manifest+json",
        "wasm" => "application/wasm",
        "woff2" => "font/woff2",
        _ => "application/octet-stream",
    }
}

fn not_found() -> HttpResponse {
    HttpResponse::NotFound()
        .content_type("text/plain; charset=utf-8")
        .body("not found")
}
