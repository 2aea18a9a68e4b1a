//! Live navigation, state snapshots and mount batching over a real server and WebSocket.

mod common;
#[path = "nav/views.rs"]
mod views;

use std::sync::Arc;

use base64::{engine::general_purpose::URL_SAFE_NO_PAD, Engine as _};
use common::{attr, config, get, Client, TestServer};
use djust_actix::{prelude::LiveView as _, Djust, Hydrate};
use serde_json::{json, Value};
use tokio_tungstenite::tungstenite::client::IntoClientRequest as _;
use views::{Cart, Mounts, Panics, Plain, Refuses, WidgetOne, WidgetThree, WidgetTwo};

/// The app: a snapshot-enabled cart, a plain page, and a dashboard with lazy widgets.
fn start() -> (TestServer, Arc<Mounts>) {
    let mounts = Arc::new(Mounts::default());
    let djust = Djust::new(config().data(Arc::clone(&mounts)))
        .view::<Cart>("/cart/")
        .view::<Plain>("/plain/")
        .view::<WidgetOne>("/dash/")
        .lazy::<WidgetTwo>(Hydrate::Viewport)
        .lazy::<WidgetThree>(Hydrate::Click)
        .lazy::<Refuses>(Hydrate::Idle)
        .lazy::<Panics>(Hydrate::Hover);
    (TestServer::start(djust), mounts)
}

/// A browser session: its cookie, from the first page it loaded.
fn session(server: &TestServer) -> String {
    let page = get(server.addr, "/plain/", &[]);
    let cookie = page
        .header("set-cookie")
        .expect("a new browser gets a session");
    assert!(cookie.contains("HttpOnly"), "{cookie}");
    cookie.split(';').next().unwrap().to_owned()
}

/// A same-origin socket carrying `cookie`; the `connect` frame is read.
async fn connect(server: &TestServer, cookie: &str) -> Client {
    let mut request = format!("ws://{}/ws/live/", server.addr)
        .into_client_request()
        .unwrap();
    let headers = request.headers_mut();
    headers.insert("origin", server.origin().parse().unwrap());
    headers.insert("cookie", cookie.parse().unwrap());
    let (socket, _) = tokio_tungstenite::connect_async(request).await.unwrap();
    let mut client = Client::from_socket(socket);
    assert_eq!(client.recv().await["type"], "connect");
    client
}

/// The containers of the page at `url`, from a `live_redirect`.
async fn navigate(client: &mut Client, url: &str) -> Value {
    client
        .send(json!({"type": "live_redirect", "url": url}))
        .await;
    let frame = client.recv().await;
    assert_eq!(frame["type"], "navigate", "{frame}");
    assert_eq!(frame["url"], url, "{frame}");
    frame
}

async fn mount(client: &mut Client, container: &Value, url: &str, snapshot: Option<&str>) -> Value {
    let mut frame = json!({
        "type": "mount",
        "target": container["target"],
        "view": container["view"],
        "token": container["token"],
        "url": url,
    });
    if let Some(snapshot) = snapshot {
        frame["snapshot"] = json!(snapshot);
    }
    client.send(frame).await;
    client.recv().await
}

/// Mounts the cart over `client`, adds `items`, leaves for `/plain/`; returns the cart's
/// snapshot from the `navigate` frame, and the cart's container.
async fn fill_and_leave(client: &mut Client, items: &[&str]) -> (String, Value) {
    let page = navigate(client, "/cart/").await;
    let cart = page["views"][0].clone();
    let mounted = mount(client, &cart, "/cart/", None).await;
    assert!(mounted["snapshot"].is_string(), "{mounted}");
    assert!(mounted.get("restored").is_none(), "{mounted}");
    for (reference, item) in items.iter().enumerate() {
        client
            .event(
                cart["target"].as_str().unwrap(),
                "add",
                json!({"item": item}),
                reference as u64,
            )
            .await;
    }
    let left = navigate(client, "/plain/").await;
    assert_eq!(left["left"][0]["view"], Cart::NAME, "{left}");
    (
        left["left"][0]["snapshot"].as_str().unwrap().to_owned(),
        cart,
    )
}

#[tokio::test]
async fn back_navigation_restores_public_state_without_mount() {
    let (server, mounts) = start();
    let cookie = session(&server);
    let mut client = connect(&server, &cookie).await;
    let (snapshot, _) = fill_and_leave(&mut client, &["tea", "cake"]).await;
    assert_eq!(mounts.count(), 1);

    // The snapshot carries the public items, never the private secret.
    let state = snapshot.split('.').nth(1).unwrap();
    let state: Value = serde_json::from_slice(&URL_SAFE_NO_PAD.decode(state).unwrap()).unwrap();
    assert_eq!(state, json!({"items": ["tea", "cake"]}));

    let back = navigate(&mut client, "/cart/").await;
    let restored = mount(&mut client, &back["views"][0], "/cart/", Some(&snapshot)).await;
    assert_eq!(restored["type"], "mount", "{restored}");
    assert_eq!(restored["restored"], true, "{restored}");
    let html = restored["html"].as_str().unwrap();
    assert!(
        html.contains("restored") && html.contains("tea") && html.contains("cake"),
        "{html}"
    );
    assert!(!html.contains("secret"), "private state came back: {html}");
    assert_eq!(mounts.count(), 1, "mount ran on restore");
    server.stop();
}

#[tokio::test]
async fn bad_snapshots_fall_back_to_a_fresh_mount() {
    let (server, mounts) = start();
    let cookie = session(&server);
    let mut client = connect(&server, &cookie).await;
    let (snapshot, _) = fill_and_leave(&mut client, &["tea"]).await;
    let (issued, rest) = snapshot.split_once('.').unwrap();
    let (_, mac) = rest.split_once('.').unwrap();
    let forged = format!(
        "{issued}.{}.{mac}",
        URL_SAFE_NO_PAD.encode(br#"{"items":["free","stuff"]}"#)
    );

    // Tampered; a snapshot of another view; garbage: each is a plain mount, no error frame.
    let cases = [
        (forged.as_str(), "/cart/"),
        (snapshot.as_str(), "/plain/"),
        ("junk", "/cart/"),
    ];
    for (blob, url) in cases {
        let page = navigate(&mut client, url).await;
        let before = mounts.count();
        let mounted = mount(&mut client, &page["views"][0], url, Some(blob)).await;
        assert_eq!(mounted["type"], "mount", "{mounted}");
        assert!(mounted.get("restored").is_none(), "{mounted}");
        assert!(
            !mounted["html"].as_str().unwrap().contains("free"),
            "{mounted}"
        );
        if url == "/cart/" {
            assert_eq!(mounts.count(), before + 1);
        }
    }

    // Another browser session cannot restore this one's snapshot.
    let mut other = connect(&server, &session(&server)).await;
    let page = navigate(&mut other, "/cart/").await;
    let mounted = mount(&mut other, &page["views"][0], "/cart/", Some(&snapshot)).await;
    assert!(mounted.get("restored").is_none(), "{mounted}");
    assert!(
        !mounted["html"].as_str().unwrap().contains("tea"),
        "{mounted}"
    );
    server.stop();
}

#[tokio::test]
async fn navigation_replaces_the_views_and_lists_lazy_containers() {
    let (server, _) = start();
    let mut client = connect(&server, &session(&server)).await;
    let page = navigate(&mut client, "/cart/").await;
    let cart = page["views"][0].clone();
    mount(&mut client, &cart, "/cart/", None).await;

    let dash = navigate(&mut client, "/dash/").await;
    let lazy: Vec<_> = dash["views"]
        .as_array()
        .unwrap()
        .iter()
        .map(|view| (view["view"].as_str().unwrap(), view["lazy"].as_str()))
        .collect();
    assert_eq!(
        lazy,
        [
            (WidgetOne::NAME, None),
            (WidgetTwo::NAME, Some("viewport")),
            (WidgetThree::NAME, Some("click")),
            (Refuses::NAME, Some("idle")),
            (Panics::NAME, Some("hover")),
        ]
    );
    // The cart was dropped with the navigation.
    let stale = client
        .event(cart["target"].as_str().unwrap(), "add", json!({}), 1)
        .await;
    assert_eq!(stale["code"], "not_mounted", "{stale}");

    client
        .send(json!({"type": "live_redirect", "url": "/nowhere/"}))
        .await;
    let missing = client.recv().await;
    assert_eq!(
        (&missing["code"], &missing["recoverable"]),
        (&json!("not_found"), &json!(false))
    );

    // The HTML page has the same lazy containers, empty, with tokens.
    let html = get(server.addr, "/dash/", &[]).body;
    let lazy_div = &html[html.find("dj-lazy=\"click\"").unwrap() - 200..];
    assert!(!attr(lazy_div, "dj-token").is_empty());
    let partition = attr(&html, "dj-partition");
    assert_eq!(partition.len(), 22, "{html}");
    // Same session, same partition; another session, another.
    let cookie = session(&server);
    let mine = |cookie: &str| {
        attr(
            &get(server.addr, "/dash/", &[("cookie", cookie)]).body,
            "dj-partition",
        )
        .to_owned()
    };
    assert_eq!(mine(&cookie), mine(&cookie));
    assert_ne!(mine(&cookie), mine(&session(&server)));
    server.stop();
}

#[tokio::test]
async fn server_initiated_live_redirect_and_live_patch() {
    let (server, _) = start();
    let mut client = connect(&server, &session(&server)).await;
    let page = navigate(&mut client, "/cart/").await;
    let cart = page["views"][0].clone();
    mount(&mut client, &cart, "/cart/", None).await;
    client
        .event(cart["target"].as_str().unwrap(), "leave", json!({}), 1)
        .await; // noop answer
    let frame = client.recv().await;
    assert_eq!(frame["type"], "navigate", "{frame}");
    assert_eq!(frame["url"], "/plain/");
    assert_eq!(frame["left"][0]["view"], Cart::NAME, "{frame}");

    let plain = frame["views"][0].clone();
    mount(&mut client, &plain, "/plain/", None).await;
    client
        .event(plain["target"].as_str().unwrap(), "patch", json!({}), 2)
        .await;
    let mut frame = client.recv().await;
    // A fresh token for the new URL (a reconnect there mounts with it).
    let tokens = frame
        .as_object_mut()
        .and_then(|frame| frame.remove("tokens"))
        .expect("live_patch carries fresh tokens");
    assert!(
        tokens[plain["target"].as_str().unwrap()].is_string(),
        "{tokens}"
    );
    assert_eq!(
        frame,
        json!({"type": "live_patch", "target": plain["target"], "url": "/plain/?tab=2"})
    );
    server.stop();
}

#[tokio::test]
async fn a_batch_mounts_each_view_and_reports_failures() {
    let (server, _) = start();
    let mut client = connect(&server, &session(&server)).await;
    let page = navigate(&mut client, "/dash/").await;
    let views = page["views"].as_array().unwrap();
    let mut entries: Vec<Value> = views
        .iter()
        .map(|v| json!({"target": v["target"], "view": v["view"], "token": v["token"], "url": "/dash/"}))
        .collect();
    entries.push(json!({"target": "x", "view": "tests::Nope", "token": "1.x", "url": "/dash/"}));
    entries.push(json!({"target": "y", "view": WidgetTwo::NAME, "token": "1.x", "url": "/dash/"}));
    client
        .send(json!({"type": "mount_batch", "views": entries}))
        .await;
    let batch = client.recv().await;
    assert_eq!(batch["type"], "mount_batch", "{batch}");

    let mounted: Vec<_> = batch["views"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| {
            (
                m["type"].as_str().unwrap(),
                m["view"].as_str().unwrap(),
                m["version"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        mounted,
        [
            ("mount", WidgetOne::NAME, 1),
            ("mount", WidgetTwo::NAME, 2),
            ("mount", WidgetThree::NAME, 3),
        ]
    );
    let failed: Vec<_> = batch["failed"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["view"].as_str().unwrap(),
                f["code"].as_str().unwrap(),
                f["error"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        failed,
        [
            (Refuses::NAME, "mount_failed", "the stock service is down"),
            (
                Panics::NAME,
                "mount_failed",
                "the view panicked while mounting"
            ),
            ("tests::Nope", "unknown_view", "unknown view `tests::Nope`"),
            (
                WidgetTwo::NAME,
                "bad_token",
                "view token does not match this view and page"
            ),
        ]
    );
    assert!(batch.get("navigate").is_none(), "{batch}");

    server.stop();
}

#[tokio::test]
async fn many_views_on_one_connection_each_receive_their_own_events() {
    let (server, _) = start();
    let mut client = connect(&server, &session(&server)).await;
    let page = navigate(&mut client, "/dash/").await;
    for (index, view) in page["views"].as_array().unwrap()[..3].iter().enumerate() {
        let mounted = mount(&mut client, view, "/dash/", None).await;
        assert_eq!(mounted["version"], index + 1, "{mounted}");
    }
    let bumps = [
        "dj-v-widget-three",
        "dj-v-widget-one",
        "dj-v-widget-three",
        "dj-v-widget-three",
    ];
    for (reference, target) in bumps.iter().enumerate() {
        let answer = client
            .event(target, "bump", json!({}), reference as u64)
            .await;
        assert_eq!(answer["target"], *target, "{answer}");
        assert_eq!(answer["ref"], reference, "{answer}");
    }
    for (target, expected) in [
        ("dj-v-widget-one", "widget 1 count 1"),
        ("dj-v-widget-two", "widget 2 count 0"),
        ("dj-v-widget-three", "widget 3 count 3"),
    ] {
        client
            .send(json!({"type": "request_html", "target": target}))
            .await;
        let html = client.recv().await;
        assert!(html["html"].as_str().unwrap().contains(expected), "{html}");
    }
    server.stop();
}
