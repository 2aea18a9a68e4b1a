//! The page handler and the static assets, over a real server.

mod common;

use common::{app, config, container, get, views::Counter, TestServer};
use djust_actix::{
    client_script_url,
    core::{
        token::{verify_view_token, SigningKey},
        vdom::LiveDom,
        LiveView,
    },
};

#[test]
fn page_renders_the_view_in_its_container_inside_the_layout() {
    let server = TestServer::start(app(config()));
    let page = get(server.addr, "/counter/?start=5", &[]);

    assert_eq!(page.status, 200);
    assert_eq!(
        page.header("content-type"),
        Some("text/html; charset=utf-8")
    );
    assert_eq!(page.header("vary"), Some("X-Djust-Main-Only"));
    assert_eq!(page.header("cache-control"), Some("no-store"));
    for landmark in [
        "<nav>",
        "<main>",
        "</main>",
        "<footer>",
        "<title>Counter 5</title>",
    ] {
        assert!(
            page.body.contains(landmark),
            "{landmark} missing:\n{}",
            page.body
        );
    }
    let script = format!(
        "<script type=\"module\" src=\"{}\"></script>",
        client_script_url()
    );
    assert!(page.body.contains(&script), "{}", page.body);
    assert!(
        page.body.find("<main>").unwrap() < page.body.find("<div id=\"dj-v-counter\"").unwrap()
    );

    let view = container(server.addr, "/counter/?start=5");
    assert_eq!(view.target, "dj-v-counter");
    assert_eq!(view.view, Counter::NAME);
    // The inner HTML is exactly the server's DOM: the render with ids stamped.
    let expected = "<h1>Count: 5</h1><button dj-click=\"increment\">+</button>";
    assert_eq!(view.html, LiveDom::new(expected.to_owned()).html());
    assert!(
        view.html.contains("<h1 dj-id=\""),
        "ids are stamped: {}",
        view.html
    );
    // The token is bound to the view and the path (not the query).
    let key = SigningKey::new(common::SECRET).unwrap();
    let now = view.token.split('.').next().unwrap().parse().unwrap();
    assert_eq!(
        verify_view_token(&key, &view.token, Counter::NAME, "/counter/", now, 60),
        Ok(())
    );
    server.stop();
}

#[test]
fn a_refused_mount_is_an_opaque_500_in_production() {
    let server = TestServer::start(app(config().error_details(false)));
    let page = get(server.addr, "/counter/?fail=1", &[]);
    assert_eq!(page.status, 500);
    assert!(!page.body.contains("no such counter"), "{}", page.body);
    server.stop();
}

#[test]
fn hashed_assets_are_immutable_and_other_hashes_are_not_found() {
    let server = TestServer::start(app(config()));
    let url = client_script_url();
    let script = get(server.addr, &url, &[]);
    assert_eq!(script.status, 200);
    assert_eq!(
        script.header("content-type"),
        Some("text/javascript; charset=utf-8")
    );
    assert_eq!(
        script.header("cache-control"),
        Some("public, max-age=31536000, immutable")
    );
    assert!(!script.body.is_empty());
    let etag = script.header("etag").expect("etag").to_owned();
    let again = get(server.addr, &url, &[("If-None-Match", &etag)]);
    assert_eq!(again.status, 304);
    // The client's modules are served next to it, so its relative imports resolve.
    let module = djust_actix::asset_url("src/constants.js").expect("client modules embedded");
    assert!(
        module.starts_with(url.trim_end_matches("client.js")),
        "{module}"
    );
    assert_eq!(get(server.addr, &module, &[]).status, 200);
    let stale = url
        .replace("/static/djust/", "/static/djust/0000")
        .replace("/client.js", "0/client.js");
    // An older deployment's URL is sent to the current one.
    let redirected = get(server.addr, &stale, &[]);
    assert_eq!(redirected.status, 307);
    assert_eq!(redirected.header("location"), Some(url.as_str()));
    assert_eq!(redirected.header("cache-control"), Some("no-store"));
    let missing = url.replace("client.js", "no-such-file.js");
    assert_eq!(get(server.addr, &missing, &[]).status, 404);
    server.stop();
}

#[test]
fn the_service_worker_has_a_stable_url_when_it_exists() {
    let server = TestServer::start(app(config()));
    let worker = get(server.addr, "/static/djust/service-worker.js", &[]);
    match djust_actix::asset_url("service-worker.js") {
        Some(_) => {
            assert_eq!(worker.status, 200);
            assert_eq!(worker.header("cache-control"), Some("no-cache"));
            assert_eq!(worker.header("service-worker-allowed"), Some("/"));
        }
        None => assert_eq!(worker.status, 404),
    }
    server.stop();
}

#[test]
fn the_default_layout_links_only_to_a_home_page_that_exists() {
    let without_home = TestServer::start(app(config()));
    let page = get(without_home.addr, "/counter/", &[]);
    assert_eq!(page.status, 200);
    assert!(
        page.body.contains("<nav><span>djust</span></nav>"),
        "{}",
        page.body
    );
    assert!(!page.body.contains("href=\"/\""), "{}", page.body);
    assert_eq!(
        get(without_home.addr, "/", &[]).status,
        404,
        "indeed no home page"
    );
    without_home.stop();

    let with_home = TestServer::start(app(config()).view::<Counter>("/"));
    let page = get(with_home.addr, "/counter/", &[]);
    assert!(
        page.body.contains("<nav><a href=\"/\">djust</a></nav>"),
        "{}",
        page.body
    );
    with_home.stop();
}
