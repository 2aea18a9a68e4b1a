//! The offline mode over a real server: the worker's configuration, its versioned URL in the
//! page, the partition header, the manifest, and a fresh session for logins.

mod common;

use common::{app, config, get, TestServer};
use djust_actix::{new_session_cookie, Offline, ServiceWorker};

fn offline_server(offline: Offline) -> TestServer {
    TestServer::start(app(
        config().service_worker(ServiceWorker::new().offline(offline))
    ))
}

#[test]
fn the_worker_reads_its_configuration_and_the_page_registers_a_versioned_worker() {
    let server = offline_server(Offline::new().page("/counter/").precache("/static/a.1.css"));
    let settings = get(server.addr, "/static/djust/offline.json", &[]);
    assert_eq!(settings.status, 200);
    assert_eq!(settings.header("cache-control"), Some("no-store"));
    let json: serde_json::Value = serde_json::from_str(&settings.body).unwrap();
    let version = json["version"].as_str().unwrap().to_owned();
    assert_eq!(json["offlinePage"], "/counter/");
    assert!(json["precache"]
        .as_array()
        .unwrap()
        .iter()
        .any(|url| url == "/static/a.1.css"));

    let page = get(server.addr, "/counter/", &[]);
    assert!(
        page.body
            .contains(&format!("service-worker.js?v={version}&quot;")),
        "{}",
        page.body
    );
    assert!(page.body.contains("&quot;offline&quot;:true"));
    assert!(
        !page.body.contains("rel=\"manifest\""),
        "no manifest configured"
    );
    assert_eq!(get(server.addr, "/manifest.webmanifest", &[]).status, 404);
    let partition = page.header("x-djust-partition").unwrap();
    assert!(page.body.contains(&format!("dj-partition=\"{partition}\"")));
    server.stop();
}

#[test]
fn the_manifest_is_served_and_linked_when_configured() {
    let server = offline_server(Offline::new().manifest(serde_json::json!({"name": "t"})));
    let manifest = get(server.addr, "/manifest.webmanifest", &[]);
    assert_eq!(manifest.status, 200);
    assert_eq!(
        manifest.header("content-type"),
        Some("application/manifest+json")
    );
    assert_eq!(manifest.body, "{\"name\":\"t\"}");
    let page = get(server.addr, "/counter/", &[]);
    assert!(page
        .body
        .contains("<link rel=\"manifest\" href=\"/manifest.webmanifest\">"));
    server.stop();
}

#[test]
fn a_new_session_changes_the_partition() {
    let server = offline_server(Offline::new());
    let cookie = |set: String| set.split(';').next().unwrap().to_owned();
    let first = cookie(new_session_cookie());
    let second = cookie(new_session_cookie());
    assert!(first.starts_with("djust_session="));
    let partition = |session: &str| {
        get(server.addr, "/counter/", &[("Cookie", session)])
            .header("x-djust-partition")
            .unwrap()
            .to_owned()
    };
    assert_eq!(partition(&first), partition(&first));
    assert_ne!(partition(&first), partition(&second));
    server.stop();
}
