//! The `Origin` checks: WebSocket upgrades (cross-site WebSocket hijacking) and the SSE
//! routes.
//!
//! Browsers always send `Origin` on a WebSocket handshake and pages cannot forge it, so an
//! upgrade is accepted only when `Origin` is the page's own origin (the request's [`Site`],
//! itself on the host allow-list) or one of the configured origins. A missing `Origin` (not a
//! browser, or a privacy-stripped request) is refused too. A same-origin `EventSource` `GET`
//! carries no `Origin`, so the SSE `GET` refuses a present one that is not allowed, and a
//! `Sec-Fetch-Site` other than `same-origin`.

use actix_web::{http::header, HttpRequest};

use super::site::Site;
use crate::config::DjustConfig;

/// `true` when the request's `Origin` is present and allowed.
pub(crate) fn is_allowed(req: &HttpRequest, config: &DjustConfig) -> bool {
    origin(req).is_some_and(|origin| allowed(req, config, &origin))
}

/// `true` unless the request says it comes from another site: an `Origin` that is not allowed,
/// or a `Sec-Fetch-Site` other than `same-origin` without an allowed `Origin`.
pub(crate) fn is_not_cross_site(req: &HttpRequest, config: &DjustConfig) -> bool {
    if let Some(origin) = origin(req) {
        return allowed(req, config, &origin);
    }
    req.headers()
        .get("sec-fetch-site")
        .and_then(|value| value.to_str().ok())
        .is_none_or(|site| site.eq_ignore_ascii_case("same-origin"))
}

fn origin(req: &HttpRequest) -> Option<String> {
    let origin = req.headers().get(header::ORIGIN)?.to_str().ok()?;
    Some(origin.trim_end_matches('/').to_ascii_lowercase())
}

fn allowed(req: &HttpRequest, config: &DjustConfig, origin: &str) -> bool {
    let site = Site::of(req, config);
    let own = match site.scheme.as_str() {
        "wss" => format!("https://{}", site.host),
        "ws" => format!("http://{}", site.host),
        _ => site.origin(),
    };
    origin == own
        || config
            .allowed_origins
            .iter()
            .any(|allowed| allowed == origin)
}

#[cfg(test)]
mod tests {
    use actix_web::test::TestRequest;

    use super::*;

    fn request(origin: Option<&str>, fetch_site: Option<&str>) -> HttpRequest {
        let mut req = TestRequest::get().insert_header((header::HOST, "app.test:8080"));
        if let Some(origin) = origin {
            req = req.insert_header((header::ORIGIN, origin));
        }
        if let Some(fetch_site) = fetch_site {
            req = req.insert_header(("sec-fetch-site", fetch_site));
        }
        req.to_http_request()
    }

    fn check(origin: Option<&str>, allowed: &[&str]) -> bool {
        let config = allowed.iter().fold(DjustConfig::new(), |config, &origin| {
            config.allowed_origin(origin)
        });
        is_allowed(&request(origin, None), &config)
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

    #[test]
    fn forwarded_headers_of_an_untrusted_peer_do_not_make_an_origin_own() {
        let req = TestRequest::get()
            .insert_header((header::HOST, "app.test:8080"))
            .insert_header(("x-forwarded-host", "evil.test"))
            .insert_header((header::ORIGIN, "http://evil.test"))
            .to_http_request();
        assert!(!is_allowed(&req, &DjustConfig::new()));
    }

    #[test]
    fn a_get_without_origin_is_refused_only_when_it_says_it_is_cross_site() {
        let config = DjustConfig::new();
        assert!(is_not_cross_site(&request(None, None), &config));
        assert!(is_not_cross_site(
            &request(None, Some("same-origin")),
            &config
        ));
        assert!(!is_not_cross_site(
            &request(None, Some("cross-site")),
            &config
        ));
        assert!(!is_not_cross_site(
            &request(None, Some("same-site")),
            &config
        ));
        assert!(!is_not_cross_site(
            &request(Some("http://evil.test"), None),
            &config
        ));
        let same = request(Some("http://app.test:8080"), Some("same-origin"));
        assert!(is_not_cross_site(&same, &config));
    }
}
