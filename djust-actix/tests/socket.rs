//! The WebSocket endpoint, over a real server and a real WebSocket client.
//!
//! Update frames are checked for what stays true whatever the diff decides: `patch` or
//! `html_update`, the version, and the echoed `ref` and `event`.

mod common;

use std::{
    io::{Read as _, Write as _},
    net::TcpStream,
    sync::{atomic::Ordering, Arc},
    time::Duration,
};

use common::{
    app, config, container, try_connect,
    views::{Counter, Room},
    Client, Container, TestServer,
};
use djust_actix::core::{vdom::LiveDom, LiveView as _};
use serde_json::{json, Value};
use tokio_tungstenite::tungstenite::Message;

fn counter_html(count: i64) -> String {
    let html = format!("<h1>Count: {count}</h1><button dj-click=\"increment\">+</button>");
    LiveDom::new(html).html()
}

/// An answer to an event that changed the view.
fn assert_update(frame: &Value, target: &str, version: u64, cause: Option<(&str, u64)>) {
    let kind = frame["type"].as_str().unwrap_or_default();
    assert!(
        kind == "patch" || kind == "html_update",
        "not an update: {frame}"
    );
    assert_eq!(frame["target"], target, "{frame}");
    assert_eq!(frame["version"], version, "{frame}");
    match cause {
        Some((event, reference)) => {
            assert_eq!(frame["event"], event, "{frame}");
            assert_eq!(frame["ref"], reference, "{frame}");
        }
        None => assert!(
            frame.get("ref").is_none() && frame.get("event").is_none(),
            "{frame}"
        ),
    }
}

fn assert_error(frame: &Value, code: &str, recoverable: bool) {
    assert_eq!(frame["type"], "error", "{frame}");
    assert_eq!(frame["code"], code, "{frame}");
    assert_eq!(frame["recoverable"], recoverable, "{frame}");
    assert!(
        frame["error"].as_str().is_some_and(|text| !text.is_empty()),
        "{frame}"
    );
}

/// A server, a connected client and a mounted counter.
async fn mounted_counter(server: &TestServer) -> (Client, Container) {
    let page = container(server.addr, "/counter/");
    let mut client = Client::connect(server).await;
    let mount = client.mount(&page, "/counter/").await;
    assert_eq!(mount["type"], "mount", "{mount}");
    (client, page)
}

async fn recover(client: &mut Client, target: &str) -> Value {
    client
        .send(json!({"type": "request_html", "target": target}))
        .await;
    client.recv().await
}

#[tokio::test]
async fn a_refused_origin_is_closed_with_4403_before_any_frame() {
    let server = TestServer::start(app(config()));
    let (mut bystander, bystander_page) = mounted_counter(&server).await;
    for origin in [Some("http://evil.test"), Some("null"), None] {
        let mut refused = try_connect(server.addr, origin)
            .await
            .expect("the upgrade completes");
        let (frames, code) = refused.recv_until_close().await;
        assert_eq!(frames, Vec::<Value>::new(), "{origin:?} got frames");
        assert_eq!(code, Some(4403), "{origin:?}");
    }
    assert_bystander_served(&mut bystander, &bystander_page.target).await;
    server.stop();

    let server = TestServer::start(app(config().allowed_origin("https://cdn.test")));
    assert!(try_connect(server.addr, Some("https://cdn.test"))
        .await
        .is_ok());
    server.stop();
}

#[tokio::test]
async fn connect_frame_names_the_session() {
    let server = TestServer::start(app(config()));
    let mut ids = Vec::new();
    for _ in 0..2 {
        let mut client = try_connect(server.addr, Some(&server.origin()))
            .await
            .unwrap();
        let connect = client.recv().await;
        assert_eq!(connect["type"], "connect");
        let id = connect["session_id"].as_str().unwrap().to_owned();
        assert!(id.starts_with("c-"), "{id}");
        ids.push(id);
    }
    assert_ne!(ids[0], ids[1]);
    server.stop();
}

#[tokio::test]
async fn mount_answers_with_the_pages_html_and_version_one() {
    let server = TestServer::start(app(config()));
    let page = container(server.addr, "/counter/?start=3");
    let mut client = Client::connect(&server).await;
    let mount = client.mount(&page, "/counter/?start=3").await;
    assert_eq!(mount["type"], "mount");
    assert_eq!(mount["target"], "dj-v-counter");
    assert_eq!(mount["view"], Counter::NAME);
    assert_eq!(mount["version"], 1);
    assert_eq!(mount["html"], page.html);
    assert_eq!(mount["title"], "Counter 3");
    server.stop();
}

#[tokio::test]
async fn mount_refusals() {
    let server = TestServer::start(app(config()));
    let page = container(server.addr, "/counter/");

    // A refused token or an unknown view: an error frame, then a policy close (a reload is
    // needed, retrying cannot help).
    let forged = Container {
        token: "1.AAAA".into(),
        ..container(server.addr, "/counter/")
    };
    let unknown = Container {
        view: "tests::Nope".into(),
        ..container(server.addr, "/counter/")
    };
    // A token is valid only for the path it was rendered at.
    let refusals = [
        (&page, "/chat/", "bad_token", 4403),
        (&forged, "/counter/", "bad_token", 4403),
        (&unknown, "/counter/", "unknown_view", 4404),
    ];
    for (refused, url, code, close) in refusals {
        let mut client = Client::connect(&server).await;
        let answer = client.mount(refused, url).await;
        assert_error(&answer, code, false);
        assert_eq!(answer["target"], page.target);
        assert_eq!(client.recv_until_close().await, (vec![], Some(close)));
    }

    // The view refuses to mount: its message is passed on, the connection lives on.
    let mut client = Client::connect(&server).await;
    let answer = client.mount(&page, "/counter/?fail=1").await;
    assert_error(&answer, "mount_failed", false);
    assert!(
        answer["error"]
            .as_str()
            .unwrap()
            .contains("no such counter"),
        "{answer}"
    );
    // None of that used a version.
    assert_eq!(client.mount(&page, "/counter/").await["version"], 1);
    server.stop();
}

#[tokio::test]
async fn events_update_noop_and_recover_with_increasing_versions() {
    let server = TestServer::start(app(config()));
    let (mut client, page) = mounted_counter(&server).await;
    let target = page.target.as_str();

    let answer = client
        .event(target, "increment", json!({"step": "2"}), 7)
        .await;
    assert_update(&answer, target, 2, Some(("increment", 7)));
    if answer["type"] == "html_update" {
        assert_eq!(answer["html"], counter_html(2));
    }

    let noop = client.event(target, "noop", json!({}), 8).await;
    assert_eq!(
        noop,
        json!({"type": "noop", "target": target, "ref": 8, "event": "noop", "ack": 0})
    );

    let answer = client.event(target, "increment", json!({}), 9).await;
    assert_update(&answer, target, 3, Some(("increment", 9)));

    let recovery = recover(&mut client, target).await;
    assert_eq!(
        recovery,
        json!({"type": "html_recovery", "target": target, "version": 4, "html": counter_html(3),
               "rev": 2, "ack": 0})
    );
    server.stop();
}

#[tokio::test]
async fn a_second_mount_of_a_target_replaces_the_view() {
    let server = TestServer::start(app(config()));
    let (mut client, page) = mounted_counter(&server).await;
    let again = client.mount(&page, "/counter/?start=9").await;
    assert_eq!(again["version"], 2);
    assert_eq!(
        recover(&mut client, &page.target).await["html"],
        counter_html(9)
    );
    server.stop();
}

#[tokio::test]
async fn bad_frames_get_error_frames_and_the_connection_lives_on() {
    let server = TestServer::start(app(config()));
    let (mut bystander, bystander_page) = mounted_counter(&server).await;
    let (mut client, page) = mounted_counter(&server).await;
    let target = page.target.as_str();

    client.send_text("{not json".into()).await;
    assert_error(&client.recv().await, "malformed_frame", true);
    client.send(json!({"type": "launch"})).await;
    let answer = client.recv().await;
    assert_error(&answer, "unknown_type", true);
    assert_eq!(answer["error"], "Unknown message type: launch");
    client
        .send(json!({"type": "event", "target": target}))
        .await;
    assert_error(&client.recv().await, "bad_frame", true);
    client.send_message(Message::Binary(vec![1, 2, 3])).await;
    let answer = client.recv().await;
    assert_error(&answer, "bad_frame", true);
    assert_eq!(answer["error"], "binary frames are not supported");

    let answer = client
        .event("dj-v-elsewhere", "increment", json!({}), 1)
        .await;
    assert_error(&answer, "not_mounted", true);
    assert_eq!(
        (answer["target"].as_str(), answer["ref"].as_u64()),
        (Some("dj-v-elsewhere"), Some(1))
    );
    assert_error(
        &recover(&mut client, "dj-v-elsewhere").await,
        "not_mounted",
        true,
    );

    client.send(json!({"type": "ping"})).await;
    assert_eq!(client.recv().await, json!({"type": "pong"}));

    // The connection that sent the garbage still works, and so does everyone else's.
    let answer = client.event(target, "increment", json!({}), 2).await;
    assert_update(&answer, target, 2, Some(("increment", 2)));
    assert_bystander_served(&mut bystander, &bystander_page.target).await;
    server.stop();
}

/// A connection that did nothing wrong still gets its events answered.
async fn assert_bystander_served(client: &mut Client, target: &str) {
    let answer = client.event(target, "increment", json!({}), 99).await;
    assert_eq!(answer["type"], "patch", "{answer}");
    assert_eq!(answer["ref"], 99, "{answer}");
}

#[tokio::test]
async fn event_errors_name_event_and_param_and_keep_the_state() {
    let server = TestServer::start(app(config()));
    let (mut client, page) = mounted_counter(&server).await;
    let target = page.target.as_str();

    let answer = client.event(target, "nope", json!({}), 3).await;
    assert_error(&answer, "unknown_event", true);
    assert_eq!(
        (answer["event"].as_str(), answer["ref"].as_u64()),
        (Some("nope"), Some(3))
    );

    let answer = client
        .event(target, "increment", json!({"step": "abc"}), 4)
        .await;
    assert_error(&answer, "invalid_param", true);
    assert_eq!(answer["event"], "increment");
    assert_eq!(answer["param"], "step");
    assert_eq!(answer["target"], target);
    assert_eq!(answer["ref"], 4);

    // Refused events never ran their handler: the state and the version are unchanged.
    let answer = client
        .event(target, "increment", json!({"step": 1}), 5)
        .await;
    assert_update(&answer, target, 2, Some(("increment", 5)));

    // A handler that changed the state and then failed: the error answers the event, and the
    // state it left arrives as a server-initiated update.
    let answer = client.event(target, "fail", json!({}), 6).await;
    assert_error(&answer, "handler_error", true);
    assert_eq!(answer["ref"], 6);
    let update = client.recv().await;
    assert_update(&update, target, 3, None);
    assert_eq!(
        recover(&mut client, target).await["html"],
        counter_html(101)
    );
    server.stop();
}

#[tokio::test]
async fn a_render_error_keeps_the_last_dom() {
    let server = TestServer::start(app(config()));
    let (mut client, page) = mounted_counter(&server).await;
    let answer = client
        .event(&page.target, "break_render", json!({}), 1)
        .await;
    assert_error(&answer, "render_failed", true);
    assert_eq!(
        recover(&mut client, &page.target).await["html"],
        counter_html(0)
    );
    server.stop();
}

#[tokio::test]
async fn a_panicking_handler_is_contained() {
    let server = TestServer::start(app(config()));
    let (mut client, page) = mounted_counter(&server).await;
    let target = page.target.as_str();

    let answer = client.event(target, "boom", json!({}), 1).await;
    assert_error(&answer, "handler_panicked", true);
    assert_eq!(
        (answer["event"].as_str(), answer["ref"].as_u64()),
        (Some("boom"), Some(1))
    );

    // The view keeps the state the handler left (sent as a server-initiated update), and
    // still answers.
    assert_update(&client.recv().await, target, 2, None);
    let answer = client.event(target, "increment", json!({}), 2).await;
    assert_update(&answer, target, 3, Some(("increment", 2)));
    assert_eq!(
        recover(&mut client, target).await["html"],
        counter_html(1001)
    );

    // The same connection mounts another view; a new connection works too.
    let chat = container(server.addr, "/chat/");
    assert_eq!(client.mount(&chat, "/chat/").await["type"], "mount");
    let (_other, _) = mounted_counter(&server).await;
    server.stop();
}

#[tokio::test]
async fn an_oversized_frame_is_refused_and_the_socket_closed() {
    let server = TestServer::start(app(config()));
    let (mut bystander, bystander_page) = mounted_counter(&server).await;
    let (mut client, page) = mounted_counter(&server).await;
    let big = "x".repeat(70 * 1024);
    client
        .send(json!({"type": "event", "target": page.target, "event": "noop", "params": {"big": big}}))
        .await;
    let (frames, code) = client.recv_until_close().await;
    assert_eq!(frames.len(), 1, "{frames:?}");
    assert_error(&frames[0], "frame_too_large", false);
    assert_eq!(code, Some(1009));
    assert_bystander_served(&mut bystander, &bystander_page.target).await;
    let (mut newcomer, newcomer_page) = mounted_counter(&server).await;
    assert_bystander_served(&mut newcomer, &newcomer_page.target).await;
    server.stop();
}

#[tokio::test]
async fn broadcasts_reach_other_connections() {
    let room = Arc::new(Room::default());
    let server = TestServer::start(app(config().data(Arc::clone(&room))));
    let page = container(server.addr, "/chat/");
    let mut alice = Client::connect(&server).await;
    let mut bob = Client::connect(&server).await;
    assert_eq!(alice.mount(&page, "/chat/").await["version"], 1);
    assert_eq!(bob.mount(&page, "/chat/").await["version"], 1);
    assert_eq!(room.subscribed.load(Ordering::SeqCst), 2);

    let answer = alice
        .event(&page.target, "say", json!({"text": "hello"}), 1)
        .await;
    assert_eq!(answer["type"], "noop", "{answer}");
    for client in [&mut alice, &mut bob] {
        let update = client.recv().await;
        assert_update(&update, &page.target, 2, None);
        if update["type"] == "html_update" {
            assert!(
                update["html"].as_str().unwrap().contains("hello"),
                "{update}"
            );
        }
    }
    server.stop();
}

#[tokio::test]
async fn timers_and_push_events_run_after_the_handler() {
    let server = TestServer::start(app(config()));
    let (mut client, page) = mounted_counter(&server).await;
    let target = page.target.as_str();

    let answer = client.event(target, "push", json!({}), 1).await;
    assert_eq!(answer["type"], "noop", "{answer}");
    assert_eq!(
        client.recv().await,
        json!({"type": "push_event", "target": target, "event": "scrolled", "payload": {"count": 0}})
    );

    let answer = client.event(target, "later", json!({}), 2).await;
    assert_eq!(answer["type"], "noop", "{answer}");
    let update = client.recv().await;
    assert_update(&update, target, 2, None);
    assert_eq!(recover(&mut client, target).await["html"], counter_html(10));
    server.stop();
}

#[tokio::test]
async fn a_client_that_cannot_keep_up_is_closed() {
    let server = TestServer::start(app(config().outbound_queue(8)));
    let (mut client, page) = mounted_counter(&server).await;
    // One event queues 64 frames at once: more than the queue holds.
    client
        .send(json!({"type": "event", "target": page.target, "event": "flood", "ref": 1}))
        .await;
    let (_frames, code) = client.recv_until_close().await;
    assert_eq!(code, Some(1008));
    server.stop();
}

#[test]
fn a_silent_client_is_closed_after_the_timeout() {
    let config = config().heartbeat(Duration::from_millis(20), Duration::from_millis(100));
    let server = TestServer::start(app(config));
    let mut stream = TcpStream::connect(server.addr).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(20)))
        .unwrap();
    write!(
        stream,
        "GET /ws/live/ HTTP/1.1\r\nHost: {addr}\r\nOrigin: http://{addr}\r\nUpgrade: websocket\r\n\
         Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\
         Sec-WebSocket-Version: 13\r\n\r\n",
        addr = server.addr
    )
    .unwrap();
    // Never write again (not even a pong): read frames until the server's close frame.
    let mut head = Vec::new();
    while !head.ends_with(b"\r\n\r\n") {
        let mut byte = [0];
        stream.read_exact(&mut byte).unwrap();
        head.push(byte[0]);
    }
    assert!(
        head.starts_with(b"HTTP/1.1 101"),
        "{}",
        String::from_utf8_lossy(&head)
    );
    let mut pings = 0;
    let code = loop {
        let mut header = [0; 2];
        stream.read_exact(&mut header).unwrap();
        let length = match header[1] & 0x7f {
            126 => {
                let mut extended = [0; 2];
                stream.read_exact(&mut extended).unwrap();
                usize::from(u16::from_be_bytes(extended))
            }
            127 => panic!("unexpectedly large frame"),
            length => usize::from(length),
        };
        let mut payload = vec![0; length];
        stream.read_exact(&mut payload).unwrap();
        match header[0] & 0x0f {
            0x8 => break u16::from_be_bytes([payload[0], payload[1]]),
            0x9 => pings += 1,
            _ => {}
        }
    };
    assert_eq!(code, 1001);
    assert!(pings >= 1);
    server.stop();
}

#[tokio::test]
async fn a_client_over_the_rate_limit_is_refused_then_closed_with_4429() {
    // No refill: a burst of 3 frames, whatever the clock.
    let server = TestServer::start(app(config().rate_limit(0, 3)));
    let (mut client, page) = mounted_counter(&server).await; // the mount took one frame
    for _ in 0..2 {
        client.send(json!({"type": "ping"})).await;
        assert_eq!(client.recv().await["type"], "pong");
    }
    let refused = client.event(&page.target, "increment", json!({}), 5).await;
    assert_eq!(refused["code"], "rate_limited", "{refused}");
    assert_eq!(
        (&refused["ref"], &refused["event"]),
        (&json!(5), &json!("increment"))
    );
    client.send(json!({"type": "ping"})).await;
    assert_eq!(client.recv().await["code"], "rate_limited");
    client.send(json!({"type": "ping"})).await;
    let (frames, code) = client.recv_until_close().await;
    assert_eq!(frames, Vec::<Value>::new());
    assert_eq!(code, Some(4429), "the third refusal in a row closes");
    server.stop();
}

/// A client that lost its connection mounts again on a new one: the view starts from its
/// `mount` (recovery brings the client's state back), nothing of the old connection is
/// replayed, so nothing is applied twice.
#[tokio::test]
async fn a_reconnect_mounts_afresh_and_applies_nothing_twice() {
    let server = TestServer::start(app(config()));
    let (mut first, page) = mounted_counter(&server).await;
    let target = page.target.as_str();
    for reference in 1..=2 {
        let answer = first
            .event(target, "increment", json!({"step": "1"}), reference)
            .await;
        assert_update(
            &answer,
            target,
            reference + 1,
            Some(("increment", reference)),
        );
    }
    drop(first);

    let mut second = Client::connect(&server).await;
    let mount = second.mount(&page, "/counter/").await;
    assert_eq!(mount["version"], 1);
    assert_eq!(mount["html"], page.html, "a fresh mount, not the old state");
    let answer = second
        .event(target, "increment", json!({"step": "1"}), 1)
        .await;
    assert_update(&answer, target, 2, Some(("increment", 1)));
    assert_eq!(recover(&mut second, target).await["html"], counter_html(1));
    server.stop();
}
