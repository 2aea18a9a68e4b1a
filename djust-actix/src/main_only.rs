//! [`MainOnly`]: answers `X-Djust-Main-Only: 1` requests with the inner HTML of `<main>`.
//!
//! The service worker's instant shell paints a cached page whose `<main>` is empty, then asks
//! for the same URL with `X-Djust-Main-Only: 1` and swaps the answer in. This middleware cuts
//! the full page down to the content of its first top-level `<main>`
//! ([`find_main`](djust_core::vdom::landmarks::find_main), HTML-aware).

use std::{
    future::{ready, Future, Ready},
    pin::Pin,
    rc::Rc,
};

use actix_web::{
    body::{self, BodySize, BoxBody, MessageBody},
    dev::{Service, ServiceRequest, ServiceResponse, Transform},
    http::{
        header::{self, HeaderMap, HeaderName, HeaderValue},
        StatusCode,
    },
    Error, HttpResponse,
};
use djust_core::{
    contract,
    vdom::landmarks::{find_main, find_title},
};

/// Request header asking for `<main>`'s inner HTML only; the value must be exactly `1`.
pub const MAIN_ONLY_HEADER: &str = contract::header::MAIN_ONLY;
/// Response header marking a trimmed response (value `1`).
pub const MAIN_ONLY_RESPONSE_HEADER: &str = contract::header::MAIN_ONLY_RESPONSE;
/// Response header of a trimmed response carrying the page's `<title>` (entities decoded,
/// whitespace collapsed), percent-encoded as by JavaScript's `encodeURIComponent`.
pub const TITLE_HEADER: &str = contract::header::TITLE;
/// [`MAIN_ONLY_HEADER`] as every page's `Vary` names it.
pub(crate) const MAIN_ONLY_VARY: &str = contract::header::VARY_MAIN_ONLY;

/// Middleware answering `X-Djust-Main-Only: 1` requests with the inner HTML of the page's
/// first top-level `<main>`.
///
/// A response is trimmed when **all** of these hold, and passes through untouched otherwise:
///
/// 1. the request has `X-Djust-Main-Only: 1` (exactly `1`);
/// 2. the status is 2xx;
/// 3. the `Content-Type` is `text/html` or `application/xhtml+xml` (parameters ignored);
/// 4. the body is not content-encoded (no `Content-Encoding` other than `identity`);
/// 5. the body has a known size (not a stream);
/// 6. the body is UTF-8;
/// 7. the page has a `<main>`.
///
/// The trimmed response keeps its status and headers, with `Content-Length` (when set) updated
/// to the new size in bytes, `X-Djust-Main-Only-Response: 1` and `X-Djust-Title` (the
/// percent-encoded page title, when the page has one). Every response passing rules 2–4 (the
/// ones that may be trimmed) carries `Vary: X-Djust-Main-Only`, so HTTP caches never serve one
/// form for the other.
///
/// # Ordering with `Compress`
///
/// Register `MainOnly` **inside** `Compress` (actix runs the last `wrap` first on the request
/// and last on the response), so that it sees the page before it is compressed:
///
/// ```
/// use actix_web::{middleware::Compress, App};
/// use djust_actix::MainOnly;
///
/// let app = App::new().wrap(MainOnly).wrap(Compress::default());
/// ```
///
/// The other order is safe but useless for clients that accept an encoding: the response is
/// already compressed (rule 4) or streamed (rule 5) when `MainOnly` sees it, so it passes
/// through whole and without the marker header, and the client falls back to a full load.
#[derive(Debug, Clone, Copy, Default)]
pub struct MainOnly;

impl<S, B> Transform<S, ServiceRequest> for MainOnly
where
    S: Service<ServiceRequest, Response = ServiceResponse<B>, Error = Error> + 'static,
    B: MessageBody + 'static,
{
    type Response = ServiceResponse<BoxBody>;
    type Error = Error;
    type Transform = MainOnlyService<S>;
    type InitError = ();
    type Future = Ready<Result<Self::Transform, Self::InitError>>;

    fn new_transform(&self, service: S) -> Self::Future {
        ready(Ok(MainOnlyService {
            service: Rc::new(service),
        }))
    }
}

/// The service [`MainOnly`] wraps around the application.
#[derive(Debug)]
pub struct MainOnlyService<S> {
    service: Rc<S>,
}

impl<S, B> Service<ServiceRequest> for MainOnlyService<S>
where
    S: Service<ServiceRequest, Response = ServiceResponse<B>, Error = Error> + 'static,
    B: MessageBody + 'static,
{
    type Response = ServiceResponse<BoxBody>;
    type Error = Error;
    type Future = Pin<Box<dyn Future<Output = Result<Self::Response, Error>>>>;

    actix_web::dev::forward_ready!(service);

    fn call(&self, req: ServiceRequest) -> Self::Future {
        let wanted = req
            .headers()
            .get(MAIN_ONLY_HEADER)
            .is_some_and(|value| value.as_bytes() == b"1");
        let response = self.service.call(req);
        Box::pin(async move {
            let response = response.await?.map_into_boxed_body();
            if !may_trim(response.status(), response.headers()) {
                return Ok(response);
            }
            let mut response = response;
            add_vary(response.headers_mut());
            if !wanted || !matches!(response.response().body().size(), BodySize::Sized(_)) {
                return Ok(response);
            }
            trim(response).await
        })
    }
}

/// Rules 2–4: a 2xx HTML response whose body is not content-encoded.
fn may_trim(status: StatusCode, headers: &HeaderMap) -> bool {
    let html = headers
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .map(|value| value.split(';').next().unwrap_or("").trim())
        .is_some_and(|mime| {
            mime.eq_ignore_ascii_case("text/html")
                || mime.eq_ignore_ascii_case("application/xhtml+xml")
        });
    let encoded = headers
        .get_all(header::CONTENT_ENCODING)
        .any(|value| !value.as_bytes().eq_ignore_ascii_case(b"identity"));
    status.is_success() && html && !encoded
}

/// Adds `X-Djust-Main-Only` to `Vary` unless it is there already (or `Vary: *`).
fn add_vary(headers: &mut HeaderMap) {
    let present = headers
        .get_all(header::VARY)
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
        .any(|name| {
            let name = name.trim();
            name == "*" || name.eq_ignore_ascii_case(MAIN_ONLY_HEADER)
        });
    if !present {
        headers.append(header::VARY, HeaderValue::from_static(MAIN_ONLY_VARY));
    }
}

/// Rules 6–7 and the cut itself.
async fn trim(response: ServiceResponse<BoxBody>) -> Result<ServiceResponse<BoxBody>, Error> {
    let (request, response) = response.into_parts();
    let (mut head, body) = response.into_parts();
    let bytes = match body.try_into_bytes() {
        Ok(bytes) => bytes,
        Err(body) => body::to_bytes(body).await.map_err(|error| {
            actix_web::error::ErrorInternalServerError(format!("reading the page body: {error}"))
        })?,
    };
    let Ok(html) = std::str::from_utf8(&bytes) else {
        log::warn!("MainOnly: {} is not UTF-8; sent whole", request.path());
        return Ok(ServiceResponse::new(
            request,
            head.set_body(bytes).map_into_boxed_body(),
        ));
    };
    let Some(main) = find_main(html) else {
        return Ok(ServiceResponse::new(
            request,
            head.set_body(bytes).map_into_boxed_body(),
        ));
    };
    let title = find_title(html);
    let inner = bytes.slice(main.inner.range());
    let headers = head.headers_mut();
    if headers.contains_key(header::CONTENT_LENGTH) {
        headers.insert(header::CONTENT_LENGTH, HeaderValue::from(inner.len()));
    }
    headers.insert(
        HeaderName::from_static(MAIN_ONLY_RESPONSE_HEADER),
        HeaderValue::from_static("1"),
    );
    if let Some(title) = title {
        let encoded = HeaderValue::try_from(encode_uri_component(&title))
            .expect("percent-encoded text is a valid header value");
        headers.insert(HeaderName::from_static(TITLE_HEADER), encoded);
    }
    let response: HttpResponse = head.set_body(inner).map_into_boxed_body();
    Ok(ServiceResponse::new(request, response))
}

/// Percent-encodes `text` as JavaScript's `encodeURIComponent` does.
fn encode_uri_component(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || b"-_.!~*'()".contains(&byte) {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::encode_uri_component;

    #[test]
    fn titles_are_encoded_like_encode_uri_component() {
        assert_eq!(encode_uri_component("Café & co"), "Caf%C3%A9%20%26%20co");
        assert_eq!(
            encode_uri_component("a-b_c.d!e~f*g'h(i)"),
            "a-b_c.d!e~f*g'h(i)"
        );
    }
}
