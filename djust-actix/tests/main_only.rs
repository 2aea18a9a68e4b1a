//! The `MainOnly` middleware with `actix_web::test`: the trim, every pass-through rule, `Vary`,
//! the HTML-aware extraction, and both orders with `Compress`.

use std::io::Read as _;

use actix_web::{
    body::{BodySize, MessageBody as _, SizedStream},
    dev::{Service, ServiceResponse},
    http::{header, StatusCode},
    middleware::Compress,
    test, web, App, HttpResponse,
};
use djust_actix::MainOnly;

const PAGE: &str = "<!DOCTYPE html><html><head><title>Caf&eacute; &amp; co</title></head>\
                    <body><nav>n</nav><main id=\"m\" class=\"c\">HELLO</main><footer>f</footer>\
                    </body></html>";

/// One response the test application serves at `/`.
#[derive(Clone)]
struct Canned {
    status: StatusCode,
    content_type: &'static str,
    body: Vec<u8>,
    extra: Vec<(&'static str, &'static str)>,
}

fn html(body: &str) -> Canned {
    Canned {
        status: StatusCode::OK,
        content_type: "text/html; charset=utf-8",
        body: body.as_bytes().to_vec(),
        extra: Vec::new(),
    }
}

fn respond(canned: &Canned) -> HttpResponse {
    let mut response = HttpResponse::build(canned.status);
    response.insert_header((header::CONTENT_TYPE, canned.content_type));
    for &(name, value) in &canned.extra {
        response.insert_header((name, value));
    }
    response.body(canned.body.clone())
}

/// Calls `/` on an app serving `canned` through `MainOnly`, with `main_only` as the request
/// header value (or none).
async fn call(canned: Canned, main_only: Option<&str>) -> ServiceResponse {
    let app = test::init_service(
        App::new()
            .wrap(MainOnly)
            .app_data(web::Data::new(canned))
            .route(
                "/",
                web::get().to(|canned: web::Data<Canned>| async move { respond(&canned) }),
            ),
    )
    .await;
    let mut req = test::TestRequest::get().uri("/");
    if let Some(value) = main_only {
        req = req.insert_header(("X-Djust-Main-Only", value));
    }
    app.call(req.to_request()).await.unwrap()
}

fn header_of<'a>(res: &'a ServiceResponse, name: &str) -> Option<&'a str> {
    res.headers().get(name).map(|value| value.to_str().unwrap())
}

fn marked(res: &ServiceResponse) -> bool {
    header_of(res, "x-djust-main-only-response") == Some("1")
}

async fn body_of(res: ServiceResponse) -> Vec<u8> {
    test::read_body(res).await.to_vec()
}

#[actix_web::test]
async fn trims_to_the_inner_html_of_main_with_title_and_marker() {
    let res = call(html(PAGE), Some("1")).await;
    assert_eq!(res.status(), 200);
    assert!(marked(&res));
    assert_eq!(
        header_of(&res, "x-djust-title"),
        Some("Caf%C3%A9%20%26%20co")
    );
    assert_eq!(
        header_of(&res, "content-type"),
        Some("text/html; charset=utf-8")
    );
    assert_eq!(header_of(&res, "vary"), Some("X-Djust-Main-Only"));
    assert_eq!(res.response().body().size(), BodySize::Sized(5));
    assert_eq!(body_of(res).await, b"HELLO");
}

#[actix_web::test]
async fn multi_byte_content_keeps_its_bytes_and_content_length_counts_bytes() {
    let mut canned = html("<main>h\u{e9}llo \u{2603} \u{1f600}</main><p>\u{e9}</p>");
    canned.extra.push(("content-length", "999"));
    let res = call(canned, Some("1")).await;
    let inner = "h\u{e9}llo \u{2603} \u{1f600}";
    assert_eq!(inner.len(), 15);
    assert_eq!(
        header_of(&res, "content-length"),
        Some(inner.len().to_string().as_str())
    );
    assert_eq!(
        res.response().body().size(),
        BodySize::Sized(inner.len() as u64)
    );
    assert_eq!(body_of(res).await, inner.as_bytes());
}

#[actix_web::test]
async fn xhtml_and_content_type_parameters_are_trimmed() {
    let mut xhtml = html("<html><body><main>xhtml body</main></body></html>");
    xhtml.content_type = "application/xhtml+xml";
    assert_eq!(body_of(call(xhtml, Some("1")).await).await, b"xhtml body");
    let mut params = html("<html><body><main>hi</main></body></html>");
    params.content_type = "TEXT/HTML; charset=utf-8; boundary=xyz";
    assert_eq!(body_of(call(params, Some("1")).await).await, b"hi");
}

#[actix_web::test]
async fn extraction_is_html_aware() {
    let cases = [
        ("<!-- <main>c</main> --><main>ok</main>", "ok"),
        ("<svg><![CDATA[<main>x</main>]]></svg><main>ok</main>", "ok"),
        (
            "<script>let s = '<main>s</main>';</script><main>ok</main>",
            "ok",
        ),
        (
            "<style>main::before { content: '<main>' }</style><main>ok</main>",
            "ok",
        ),
        ("<textarea><main>t</main></textarea><main>ok</main>", "ok"),
        ("<div data-x=\"<main>a</main>\"></div><main>ok</main>", "ok"),
        (
            "<main>a<main>b</main>c</main><main>second</main>",
            "a<main>b</main>c",
        ),
        ("<BODY><MAIN ROLE=main>upper</MAIN></BODY>", "upper"),
    ];
    for (page, inner) in cases {
        let res = call(html(page), Some("1")).await;
        assert!(marked(&res), "{page}");
        assert_eq!(
            String::from_utf8(body_of(res).await).unwrap(),
            inner,
            "{page}"
        );
    }
}

/// Asserts that `res` is `canned` as it was: status, body, no marker.
async fn assert_untouched(res: ServiceResponse, canned: &Canned) {
    assert_eq!(res.status(), canned.status);
    assert!(!marked(&res));
    assert_eq!(header_of(&res, "x-djust-title"), None);
    assert_eq!(body_of(res).await, canned.body);
}

#[actix_web::test]
async fn passes_through_without_the_exact_header() {
    for value in [None, Some("true"), Some("0"), Some(" 1"), Some("1, 1")] {
        let canned = html(PAGE);
        let res = call(canned.clone(), value).await;
        // A page that may be trimmed says so, whatever the request asked.
        assert_eq!(header_of(&res, "vary"), Some("X-Djust-Main-Only"));
        assert_untouched(res, &canned).await;
    }
}

#[actix_web::test]
async fn passes_through_non_html() {
    for content_type in [
        "application/json",
        "application/rss+xml",
        "text/plain",
        "text/htmlx",
    ] {
        let mut canned = html(PAGE);
        canned.content_type = content_type;
        let res = call(canned.clone(), Some("1")).await;
        assert_eq!(header_of(&res, "vary"), None, "{content_type}");
        assert_untouched(res, &canned).await;
    }
}

#[actix_web::test]
async fn passes_through_errors_redirects_and_informational_statuses() {
    for status in [
        StatusCode::NOT_FOUND,
        StatusCode::INTERNAL_SERVER_ERROR,
        StatusCode::FOUND,
        StatusCode::NOT_MODIFIED,
    ] {
        let mut canned = html(PAGE);
        canned.status = status;
        let res = call(canned.clone(), Some("1")).await;
        assert_eq!(header_of(&res, "vary"), None, "{status}");
        assert_untouched(res, &canned).await;
    }
    // Every 2xx is trimmed.
    let mut accepted = html(PAGE);
    accepted.status = StatusCode::ACCEPTED;
    assert!(marked(&call(accepted, Some("1")).await));
}

#[actix_web::test]
async fn passes_through_bodies_that_are_not_utf8() {
    let mut canned = html("");
    canned.body = b"<main>\xff\xfe</main>".to_vec();
    let res = call(canned.clone(), Some("1")).await;
    assert_untouched(res, &canned).await;
}

#[actix_web::test]
async fn passes_through_content_encoded_bodies() {
    let mut canned = html(PAGE);
    canned.extra.push(("content-encoding", "gzip"));
    let res = call(canned.clone(), Some("1")).await;
    assert_eq!(header_of(&res, "vary"), None);
    assert_untouched(res, &canned).await;
    // `identity` is no encoding.
    let mut identity = html(PAGE);
    identity.extra.push(("content-encoding", "identity"));
    assert!(marked(&call(identity, Some("1")).await));
}

#[actix_web::test]
async fn passes_through_a_page_without_main() {
    // The client then loads the page normally instead of showing an empty <main>.
    let canned = html("<html><body><div>no main here</div><!-- <main> --></body></html>");
    let res = call(canned.clone(), Some("1")).await;
    assert_untouched(res, &canned).await;
}

#[actix_web::test]
async fn passes_through_streaming_bodies() {
    let app = test::init_service(App::new().wrap(MainOnly).route(
        "/",
        web::get().to(|| async {
            let chunks = futures_util::stream::iter([Ok::<_, actix_web::Error>(
                web::Bytes::from_static(b"<main>streamed</main>"),
            )]);
            HttpResponse::Ok()
                .content_type("text/html")
                .streaming(chunks)
        }),
    ))
    .await;
    let req = test::TestRequest::get()
        .uri("/")
        .insert_header(("X-Djust-Main-Only", "1"))
        .to_request();
    let res = app.call(req).await.unwrap();
    assert!(!marked(&res));
    assert_eq!(body_of(res).await, b"<main>streamed</main>");
}

#[actix_web::test]
async fn a_sized_stream_is_read_and_trimmed() {
    let app = test::init_service(App::new().wrap(MainOnly).route(
        "/",
        web::get().to(|| async {
            let chunks = futures_util::stream::iter([
                Ok::<_, actix_web::Error>(web::Bytes::from_static(b"<main>one ")),
                Ok(web::Bytes::from_static(b"two</main>")),
            ]);
            HttpResponse::Ok()
                .content_type("text/html")
                .body(SizedStream::new(20, chunks))
        }),
    ))
    .await;
    let req = test::TestRequest::get()
        .uri("/")
        .insert_header(("X-Djust-Main-Only", "1"))
        .to_request();
    let res = app.call(req).await.unwrap();
    assert!(marked(&res));
    assert_eq!(body_of(res).await, b"one two");
}

#[actix_web::test]
async fn vary_is_merged_not_duplicated() {
    let mut other = html(PAGE);
    other.extra.push(("vary", "Accept-Language"));
    let res = call(other, None).await;
    let vary: Vec<_> = res
        .headers()
        .get_all(header::VARY)
        .map(|value| value.to_str().unwrap().to_owned())
        .collect();
    assert_eq!(vary, ["Accept-Language", "X-Djust-Main-Only"]);

    let mut already = html(PAGE);
    already
        .extra
        .push(("vary", "accept-language, x-djust-main-only"));
    let res = call(already, Some("1")).await;
    assert_eq!(res.headers().get_all(header::VARY).count(), 1);
}

/// Calls `/` with `Accept-Encoding: gzip` and the main-only header through both middlewares
/// (`main_only_inside`: `.wrap(MainOnly).wrap(Compress)`, else the other order) and returns
/// its `Content-Encoding`, whether it is marked as trimmed, and its body, decoded.
async fn through_compress(main_only_inside: bool) -> (Option<String>, bool, String) {
    let page = format!("{PAGE}{}", "<p>padding</p>".repeat(200));
    let route = move || {
        let page = page.clone();
        async move { HttpResponse::Ok().content_type("text/html").body(page) }
    };
    let req = || {
        test::TestRequest::get()
            .uri("/")
            .insert_header(("X-Djust-Main-Only", "1"))
            .insert_header(("Accept-Encoding", "gzip"))
            .to_request()
    };
    let res = if main_only_inside {
        let app = test::init_service(
            App::new()
                .wrap(MainOnly)
                .wrap(Compress::default())
                .route("/", web::get().to(route)),
        )
        .await;
        app.call(req()).await.unwrap().map_into_boxed_body()
    } else {
        let app = test::init_service(
            App::new()
                .wrap(Compress::default())
                .wrap(MainOnly)
                .route("/", web::get().to(route)),
        )
        .await;
        app.call(req()).await.unwrap()
    };
    let encoding = header_of(&res, "content-encoding").map(str::to_owned);
    let marker = marked(&res);
    let bytes = test::read_body(res).await;
    let text = if encoding.as_deref() == Some("gzip") {
        let mut decoded = String::new();
        flate2::read::GzDecoder::new(&bytes[..])
            .read_to_string(&mut decoded)
            .expect("a decodable gzip body");
        decoded
    } else {
        String::from_utf8(bytes.to_vec()).unwrap()
    };
    (encoding, marker, text)
}

#[actix_web::test]
async fn main_only_inside_compress_trims_then_compresses() {
    let (encoding, marked, body) = through_compress(true).await;
    assert_eq!(encoding.as_deref(), Some("gzip"));
    assert!(marked);
    assert_eq!(body, "HELLO");
}

#[actix_web::test]
async fn main_only_outside_compress_passes_the_compressed_page_through() {
    let (encoding, marked, body) = through_compress(false).await;
    assert_eq!(encoding.as_deref(), Some("gzip"));
    assert!(!marked);
    assert!(body.starts_with("<!DOCTYPE html>") && body.contains("<main"));
}
