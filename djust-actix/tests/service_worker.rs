//! The service worker over a real server: its scripts at stable, revalidated URLs, and the
//! options and shell version a configured server renders into its pages.

mod common;

use common::{app, config, get, TestServer};
use djust_actix::{Djust, ServiceWorker};

#[test]
fn the_worker_and_its_imports_are_classic_scripts_revalidated_on_every_load() {
    let server = TestServer::start(app(config()));
    let worker = get(server.addr, "/static/djust/service-worker.js", &[]);
    assert_eq!(worker.status, 200);
    assert_eq!(worker.header("cache-control"), Some("no-cache"));
    assert_eq!(worker.header("service-worker-allowed"), Some("/"));
    assert_eq!(
        worker.header("content-type"),
        Some("text/javascript; charset=utf-8")
    );
    assert!(worker.body.contains("importScripts(\"sw/constants.js\""));
    assert!(!worker.body.contains("export "), "a classic script");
    for name in [
        "constants.js",
        "serial.js",
        "html_scan.js",
        "instant_shell.js",
        "page_cache.js",
    ] {
        let script = get(server.addr, &format!("/static/djust/sw/{name}"), &[]);
        assert_eq!(script.status, 200, "{name}");
        assert_eq!(script.header("cache-control"), Some("no-cache"), "{name}");
        assert!(
            !script.body.contains("export "),
            "{name} is a classic script"
        );
    }
    assert_eq!(
        get(server.addr, "/static/djust/sw/nope.js", &[]).status,
        404
    );
    server.stop();
}

fn configured(sw: ServiceWorker) -> Djust {
    app(config().service_worker(sw))
}

#[test]
fn a_configured_server_renders_the_options_and_sends_the_shell_version() {
    let server = TestServer::start(configured(ServiceWorker::new().instant_shell(true)));
    let page = get(server.addr, "/counter/", &[]);
    assert!(
        page.body
            .contains("<meta name=\"djust-service-worker\" content=\"{"),
        "{}",
        page.body
    );
    assert!(
        page.body.contains("&quot;instantShell&quot;:true"),
        "{}",
        page.body
    );
    let version = page
        .header("x-djust-shell-version")
        .expect("a shell version")
        .to_owned();
    assert_eq!(version.len(), 16);
    // The same layout gives the same version on every page.
    let other = get(server.addr, "/chat/", &[]);
    assert_eq!(
        other.header("x-djust-shell-version"),
        Some(version.as_str())
    );
    server.stop();

    let pinned = TestServer::start(configured(
        ServiceWorker::new()
            .instant_shell(true)
            .shell_version("release-7"),
    ));
    let page = get(pinned.addr, "/counter/", &[]);
    assert_eq!(page.header("x-djust-shell-version"), Some("release-7"));
    pinned.stop();
}

#[test]
fn without_the_instant_shell_no_version_and_without_a_worker_no_options() {
    let snapshots_only = TestServer::start(configured(ServiceWorker::new().state_snapshot(true)));
    let page = get(snapshots_only.addr, "/counter/", &[]);
    assert!(page.body.contains("djust-service-worker"));
    assert_eq!(page.header("x-djust-shell-version"), None);
    snapshots_only.stop();

    let plain = TestServer::start(app(config()));
    let page = get(plain.addr, "/counter/", &[]);
    assert!(!page.body.contains("djust-service-worker"));
    assert_eq!(page.header("x-djust-shell-version"), None);
    plain.stop();
}
