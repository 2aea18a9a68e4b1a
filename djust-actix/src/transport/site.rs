//! [`Site`]: the scheme and host a request was addressed to, and the host allow-list that
//! refuses DNS rebinding (`Host: attacker.example`) on pages, the WebSocket and SSE.
//!
//! `Forwarded` and `X-Forwarded-Host`/`-Proto`/`-For` are read only when the request comes
//! from a configured proxy (`DjustConfig::trusted_proxy`); that proxy's own entry is the last
//! one, so the last value is used. From anyone else they are ignored: the `Host` header and the
//! connection itself say what the request addressed.

use std::net::IpAddr;

use actix_web::{
    http::{header, StatusCode},
    HttpRequest, HttpResponse,
};

use crate::config::DjustConfig;

/// What the client addressed: `scheme` is `http` or `https`, `host` is `name[:port]` in lower
/// case (empty when the request named none).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Site {
    pub(crate) scheme: String,
    pub(crate) host: String,
}

impl Site {
    /// The site of `req`, through the forwarded headers of a trusted proxy only.
    pub(crate) fn of(req: &HttpRequest, config: &DjustConfig) -> Self {
        let forwarded = from_trusted_proxy(req, config);
        let (mut scheme, mut host) = (None, None);
        if forwarded {
            (scheme, host) = forwarded_header(req);
            scheme = scheme.or_else(|| last_value(req, "x-forwarded-proto"));
            host = host.or_else(|| last_value(req, "x-forwarded-host"));
        }
        let scheme = scheme.unwrap_or_else(|| {
            let secure = req.uri().scheme_str() == Some("https") || req.app_config().secure();
            (if secure { "https" } else { "http" }).to_owned()
        });
        let host = host
            .or_else(|| {
                let host = req.headers().get(header::HOST)?.to_str().ok()?;
                Some(host.to_owned())
            })
            .or_else(|| req.uri().authority().map(|authority| authority.to_string()))
            .unwrap_or_default();
        Self {
            scheme: scheme.to_ascii_lowercase(),
            host: host.to_ascii_lowercase(),
        }
    }

    /// `scheme://host`, as an `Origin` header of a page of this site reads.
    pub(crate) fn origin(&self) -> String {
        format!("{}://{}", self.scheme, self.host)
    }
}

/// The client's address: the peer, or the last `X-Forwarded-For`/`Forwarded: for=` entry of a
/// trusted proxy.
pub(crate) fn client_ip(req: &HttpRequest, config: &DjustConfig) -> Option<IpAddr> {
    let peer = req.peer_addr().map(|addr| addr.ip());
    if !from_trusted_proxy(req, config) {
        return peer;
    }
    let forwarded_for = req
        .headers()
        .get_all(header::FORWARDED)
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
        .filter_map(|element| parameter(element, "for"))
        .last()
        .or_else(|| last_value(req, "x-forwarded-for"));
    forwarded_for.as_deref().and_then(parse_ip).or(peer)
}

/// The request's site, `None` (logged) when its host is not one the site serves.
pub(crate) fn check_host(req: &HttpRequest, config: &DjustConfig) -> Option<Site> {
    let site = Site::of(req, config);
    if host_allowed(&site.host, config) {
        Some(site)
    } else {
        log::warn!("djust: refused a request for host {:?}", site.host);
        None
    }
}

/// The answer to a request for a host the site does not serve.
pub(crate) fn host_refused() -> HttpResponse {
    HttpResponse::build(StatusCode::BAD_REQUEST)
        .force_close()
        .json(serde_json::json!({ "error": "host not allowed" }))
}

/// Whether `host` (`name[:port]`, lower case) is allowed: a configured host (any port when the
/// entry names none), or a loopback name (`localhost`, `127.0.0.1`, `[::1]`) in a debug build.
pub(crate) fn host_allowed(host: &str, config: &DjustConfig) -> bool {
    let name = host_name(host);
    if name.is_empty() {
        return false;
    }
    let listed = config.allowed_hosts.iter().any(|allowed| {
        let with_port = host_name(allowed) != allowed;
        allowed == if with_port { host } else { name }
    });
    listed || cfg!(debug_assertions) && is_loopback(name)
}

/// `host` without its port (`[::1]:80` → `[::1]`).
fn host_name(host: &str) -> &str {
    if host.starts_with('[') {
        return host.find(']').map_or(host, |end| &host[..=end]);
    }
    host.rsplit_once(':').map_or(host, |(name, _)| name)
}

fn is_loopback(name: &str) -> bool {
    name == "localhost"
        || name.ends_with(".localhost")
        || parse_ip(name).is_some_and(|ip| ip.is_loopback())
}

fn from_trusted_proxy(req: &HttpRequest, config: &DjustConfig) -> bool {
    req.peer_addr()
        .is_some_and(|peer| config.trusted_proxies.contains(&peer.ip()))
}

/// `proto` and `host` of the last `Forwarded` element.
fn forwarded_header(req: &HttpRequest) -> (Option<String>, Option<String>) {
    let last = req
        .headers()
        .get_all(header::FORWARDED)
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
        .last();
    match last {
        Some(element) => (parameter(element, "proto"), parameter(element, "host")),
        None => (None, None),
    }
}

/// Parameter `name` of one `Forwarded` element (`for=1.2.3.4;proto=https;host=a.example`).
fn parameter(element: &str, name: &str) -> Option<String> {
    element.split(';').find_map(|pair| {
        let (key, value) = pair.trim().split_once('=')?;
        key.trim()
            .eq_ignore_ascii_case(name)
            .then(|| value.trim().trim_matches('"').to_owned())
    })
}

/// The last comma-separated value of header `name`.
fn last_value(req: &HttpRequest, name: &str) -> Option<String> {
    req.headers()
        .get_all(name)
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
        .map(str::trim)
        .filter(|value| !value.is_empty())
        .last()
        .map(str::to_owned)
}

/// An address as `Forwarded`/`X-Forwarded-For` write it: `1.2.3.4`, `1.2.3.4:80`, `[::1]:80`.
fn parse_ip(value: &str) -> Option<IpAddr> {
    let value = value.trim();
    if let Ok(ip) = value.parse() {
        return Some(ip);
    }
    let bare = match value.strip_prefix('[') {
        Some(rest) => rest.split(']').next()?,
        None => value.rsplit_once(':')?.0,
    };
    bare.parse().ok()
}

#[cfg(test)]
mod tests {
    use std::net::SocketAddr;

    use actix_web::test::TestRequest;

    use super::*;

    const PROXY: &str = "10.0.0.1:4000";

    fn config() -> DjustConfig {
        DjustConfig::new()
            .allowed_host("app.example")
            .allowed_host("api.example:8443")
            .trusted_proxy("10.0.0.1".parse().expect("ip"))
    }

    fn request(peer: &str, headers: &[(&str, &str)]) -> HttpRequest {
        let mut req = TestRequest::get().peer_addr(peer.parse::<SocketAddr>().expect("addr"));
        for &(name, value) in headers {
            req = req.insert_header((name, value));
        }
        req.to_http_request()
    }

    #[test]
    fn hosts_match_by_name_or_by_name_and_port() {
        let config = config();
        assert!(host_allowed("app.example", &config));
        assert!(host_allowed("app.example:8080", &config));
        assert!(host_allowed("api.example:8443", &config));
        assert!(!host_allowed("api.example:8444", &config));
        assert!(!host_allowed("attacker.example:8080", &config));
        assert!(!host_allowed("app.example.attacker.example", &config));
        assert!(!host_allowed("", &config));
    }

    #[test]
    fn loopback_is_allowed_in_debug_builds() {
        let config = DjustConfig::new();
        for host in [
            "localhost:8000",
            "127.0.0.1:8000",
            "[::1]:8000",
            "127.0.0.1",
        ] {
            assert_eq!(
                host_allowed(host, &config),
                cfg!(debug_assertions),
                "{host}"
            );
        }
        assert!(!host_allowed("127.0.0.1.attacker.example:8000", &config));
    }

    #[test]
    fn forwarded_headers_count_only_from_a_trusted_proxy() {
        let headers = [
            ("host", "internal:9000"),
            ("x-forwarded-host", "app.example"),
            ("x-forwarded-proto", "https"),
            ("x-forwarded-for", "203.0.113.9"),
        ];
        let config = config();
        let proxied = request(PROXY, &headers);
        assert_eq!(Site::of(&proxied, &config).origin(), "https://app.example");
        assert_eq!(client_ip(&proxied, &config), "203.0.113.9".parse().ok());
        let direct = request("198.51.100.7:5000", &headers);
        assert_eq!(Site::of(&direct, &config).origin(), "http://internal:9000");
        assert_eq!(client_ip(&direct, &config), "198.51.100.7".parse().ok());
    }

    #[test]
    fn the_proxys_own_forwarded_entry_is_the_last() {
        let headers = [
            ("host", "internal:9000"),
            (
                "forwarded",
                "for=1.1.1.1;host=attacker.example, for=\"[2001:db8::1]:4711\";proto=https;host=app.example",
            ),
        ];
        let req = request(PROXY, &headers);
        assert_eq!(Site::of(&req, &config()).origin(), "https://app.example");
        assert_eq!(client_ip(&req, &config()), "2001:db8::1".parse().ok());
    }
}
