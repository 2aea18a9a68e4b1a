//! The `Origin` check on WebSocket upgrades (cross-site WebSocket hijacking).
//!
//! Browsers always send `Origin` on a WebSocket handshake and pages cannot forge it, so an
//! upgrade is accepted only when `Origin` is the page's own origin (the request's scheme and
//! `Host`, as seen through `Forwarded`/`X-Forwarded-*` headers) or one of the configured
//! origins. A missing `Origin` (not a browser, or a privacy-stripped request) is refused too.

use actix_web::{http::header, HttpRequest};

/// `true` when the upgrade request's `Origin` may open a socket.
pub(crate) fn is_allowed(req: &HttpRequest, allowed: &[String]) -> bool {
    let Some(origin) = req
        .headers()
        .get(header::ORIGIN)
        .and_then(|value| value.to_str().ok())
    else {
        return false;
    };
    let origin = origin.trim_end_matches('/').to_ascii_lowercase();
    let info = req.connection_info();
    let scheme = match info.scheme() {
        "wss" => "https",
        "ws" => "http",
        other => other,
    };
    let own = format!("{scheme}://{}", info.host()).to_ascii_lowercase();
    origin == own || allowed.contains(&origin)
}

#[cfg(test)]
mod tests {
    use actix_web::test::TestRequest;

    use super::*;

    fn check(origin: Option<&str>, allowed: &[&str]) -> bool {
        let mut req = TestRequest::get().insert_header((header::HOST, "app.test:8080"));
        if let Some(origin) = origin {
            req = req.insert_header((header::ORIGIN, origin));
        }
        let allowed: Vec<String> = allowed.iter().map(|&origin| origin.to_owned()).collect();
        is_allowed(&req.to_http_request(), &allowed)
    }

    #[test]
    fn same_origin_is_allowed() {
        assert!(check(Some("http://app.test:8080"), &[]));
        assert!(check(Some("HTTP://App.Test:8080"), &[]));
    }

    #[test]
    fn other_and_missing_origins_are_refused() {
        assert!(!check(Some("http://evil.test:8080"), &[]));
        assert!(!check(Some("https://app.test:8080"), &[]));
        assert!(!check(Some("http://app.test"), &[]));
        assert!(!check(Some("null"), &[]));
        assert!(!check(None, &[]));
    }

    #[test]
    fn configured_origins_are_allowed() {
        assert!(check(Some("https://cdn.test"), &["https://cdn.test"]));
        assert!(!check(None, &["https://cdn.test"]));
    }
}
