//! What every transport reads off the HTTP request that opens it.

use actix_web::{http::header, HttpRequest};

/// Request headers passed on to `MountContext::header` (page and connections alike).
const MOUNT_HEADERS: [header::HeaderName; 4] = [
    header::USER_AGENT,
    header::ACCEPT_LANGUAGE,
    header::COOKIE,
    header::HOST,
];

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
