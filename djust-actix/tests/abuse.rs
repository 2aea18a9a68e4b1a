//! Each attack of issue 13, reproduced against a real server in this process, with the bound
//! it must respect (memory growth, answer size, the server closing within a generous ceiling).
//! The tests run one at a time: a peak-memory bound is over the whole process.

mod common;
mod hostile;

use std::{io::Write as _, time::Duration};

use common::{app, config, TestServer};
use hostile::{frame, frame_header, memory, RawHttp, RawSocket, PATIENCE};
use serde_json::Value;

const MIB: u64 = 1024 * 1024;

fn error_code(text: &str) -> String {
    let frame: Value = serde_json::from_str(text).expect("JSON frame");
    assert_eq!(frame["type"], "error", "{frame}");
    frame["code"].as_str().expect("code").to_owned()
}

/// Writes `total` bytes of payload in 1 MiB pieces until the server stops taking them.
fn flood(socket: &RawSocket, total: u64) -> std::thread::JoinHandle<u64> {
    let mut stream = socket.stream.try_clone().expect("clone the socket");
    stream.set_write_timeout(Some(PATIENCE)).expect("timeout");
    std::thread::spawn(move || {
        let piece = vec![b'x'; MIB as usize];
        let mut sent = 0;
        while sent < total && stream.write_all(&piece).is_ok() {
            sent += MIB;
        }
        sent
    })
}

#[test]
fn a_lying_frame_header_is_refused_before_its_payload_is_buffered() {
    let _serial = memory::serial();
    let server = TestServer::start(app(config()));
    let mut socket = RawSocket::open(server.addr, &server.addr.to_string(), &server.origin());
    let baseline = memory::reset_peak();
    // A ping answered first shows the frames before the lie are still handled.
    let mut attack = frame(true, 0x1, br#"{"type":"ping"}"#);
    attack.extend(frame_header(true, 0x1, 1 << 40));
    socket.write(&attack);
    let writer = flood(&socket, 65_536 * MIB);
    let closing = socket.read_until_closed();
    let grew = memory::peak().saturating_sub(baseline);
    let sent = writer.join().expect("writer");

    assert_eq!(closing.texts.len(), 3, "{closing:?}");
    assert!(closing.texts[1].contains(r#""type":"pong""#), "{closing:?}");
    assert_eq!(error_code(&closing.texts[2]), "frame_too_large");
    assert_eq!(closing.code, Some(1009));
    assert!(closing.ended, "the server ends the connection");
    assert!(closing.took < PATIENCE);
    // The server drains for its client-disconnect timeout (1 s), then drops the connection.
    assert!(
        sent < 65_536 * MIB,
        "the server dropped the connection before the payload ended"
    );
    assert!(grew < 16 * MIB, "peak RSS grew by {} MiB", grew / MIB);
    server.stop();
}

#[test]
fn fragments_adding_up_over_the_limit_are_refused_at_the_header_that_crosses_it() {
    let _serial = memory::serial();
    let server = TestServer::start(app(config()));
    let mut socket = RawSocket::open(server.addr, &server.addr.to_string(), &server.origin());
    let baseline = memory::reset_peak();
    let mut attack = frame(false, 0x1, &[b' '; 60 * 1024]);
    attack.extend(frame_header(false, 0x0, 8 * 1024));
    socket.write(&attack);
    let writer = flood(&socket, 256 * MIB);
    let closing = socket.read_until_closed();
    let grew = memory::peak().saturating_sub(baseline);
    writer.join().expect("writer");

    assert_eq!(closing.texts.len(), 2, "{closing:?}");
    assert_eq!(error_code(&closing.texts[1]), "frame_too_large");
    assert_eq!(closing.code, Some(1009));
    assert!(closing.ended);
    assert!(grew < 16 * MIB, "peak RSS grew by {} MiB", grew / MIB);
    server.stop();
}

#[test]
fn an_oversized_control_frame_is_a_protocol_error() {
    let _serial = memory::serial();
    let server = TestServer::start(app(config()));
    let mut socket = RawSocket::open(server.addr, &server.addr.to_string(), &server.origin());
    socket.write(&frame_header(true, 0x9, 1 << 20));
    let _writer = flood(&socket, 4 * MIB);
    let closing = socket.read_until_closed();
    assert_eq!(closing.code, Some(1002), "{closing:?}");
    assert!(closing.ended);
    server.stop();
}

#[test]
fn the_server_keeps_serving_after_each_attack() {
    let _serial = memory::serial();
    let server = TestServer::start(app(config()));
    for _ in 0..3 {
        let mut socket = RawSocket::open(server.addr, &server.addr.to_string(), &server.origin());
        socket.write(&frame_header(true, 0x2, u64::MAX >> 1));
        assert_eq!(socket.read_until_closed().code, Some(1009));
    }
    let mut socket = RawSocket::open(server.addr, &server.addr.to_string(), &server.origin());
    socket.write(&frame(true, 0x1, br#"{"type":"ping"}"#));
    let (_, connect) = socket.read_frame().expect("connect");
    assert!(String::from_utf8_lossy(&connect).contains("connect"));
    let (_, pong) = socket.read_frame().expect("pong");
    assert!(String::from_utf8_lossy(&pong).contains("pong"));
    server.stop();
}

// ---- Host allow-list, forwarded headers, Origin (DNS rebinding) ----

fn upgrade_head(host: &str, origin: &str, extra: &str) -> String {
    format!(
        "GET /ws/live/ HTTP/1.1\r\nHost: {host}\r\nOrigin: {origin}\r\nUpgrade: websocket\r\n\
         Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\
         Sec-WebSocket-Version: 13{extra}"
    )
}

#[test]
fn dns_rebinding_is_refused_on_the_websocket_and_sse() {
    let _serial = memory::serial();
    let server = TestServer::start(app(config()));
    let port = server.addr.port();
    let host = format!("attacker.example:{port}");
    let origin = format!("http://{host}");
    let upgrade = RawHttp::send(server.addr, &upgrade_head(&host, &origin, ""), b"").status();
    assert_eq!(upgrade, 400);
    let sse_get = format!(
        "GET /djust/sse/{}/ HTTP/1.1\r\nHost: {host}\r\nOrigin: {origin}",
        "a".repeat(32)
    );
    assert_eq!(RawHttp::send(server.addr, &sse_get, b"").status(), 400);
    let sse_post = format!(
        "POST /djust/sse/{}/message/ HTTP/1.1\r\nHost: {host}\r\nOrigin: {origin}\r\n\
         Content-Type: application/json\r\nContent-Length: 15",
        "a".repeat(32)
    );
    let post = RawHttp::send(server.addr, &sse_post, br#"{"type":"ping"}"#).status();
    assert_eq!(post, 400);
    // The same requests for the site's own host still work.
    let own = server.addr.to_string();
    let upgrade = upgrade_head(&own, &server.origin(), "");
    assert_eq!(RawHttp::send(server.addr, &upgrade, b"").status(), 101);
    server.stop();
}

#[test]
fn forwarded_headers_are_believed_only_from_a_trusted_proxy() {
    let _serial = memory::serial();
    let untrusted = TestServer::start(app(config().allowed_host("app.example")));
    let own = untrusted.addr.to_string();
    let forged = "\r\nX-Forwarded-Host: app.example\r\nX-Forwarded-Proto: https";
    let head = upgrade_head(&own, "https://app.example", forged);
    let mut socket = RawHttp::send(untrusted.addr, &head, b"");
    assert_eq!(socket.status(), 101, "upgraded, then closed 4403");
    let mut raw = RawSocket {
        stream: socket.stream,
    };
    assert_eq!(raw.read_until_closed().code, Some(4403));
    untrusted.stop();

    let proxy = "127.0.0.1".parse().expect("ip");
    let config = config().allowed_host("app.example").trusted_proxy(proxy);
    let proxied = TestServer::start(app(config));
    let head = upgrade_head(&proxied.addr.to_string(), "https://app.example", forged);
    let mut socket = RawHttp::send(proxied.addr, &head, b"");
    assert_eq!(socket.status(), 101);
    let mut raw = RawSocket {
        stream: socket.stream,
    };
    raw.write(&frame(true, 0x1, br#"{"type":"ping"}"#));
    let connect = raw.read_frame().expect("a frame");
    assert!(String::from_utf8_lossy(&connect.1).contains("connect"));
    // The proxy says which host it was asked for: one the site does not serve is refused.
    let rebound = "\r\nX-Forwarded-Host: attacker.example\r\nX-Forwarded-Proto: https";
    let head = upgrade_head(
        &proxied.addr.to_string(),
        "https://attacker.example",
        rebound,
    );
    assert_eq!(RawHttp::send(proxied.addr, &head, b"").status(), 400);
    proxied.stop();
}

#[test]
fn the_sse_get_refuses_other_origins() {
    let _serial = memory::serial();
    let server = TestServer::start(app(config()));
    let own = server.addr.to_string();
    let id = "b".repeat(32);
    let cross = format!("GET /djust/sse/{id}/ HTTP/1.1\r\nHost: {own}\r\nOrigin: http://evil.test");
    assert_eq!(RawHttp::send(server.addr, &cross, b"").status(), 403);
    let fetch_site =
        format!("GET /djust/sse/{id}/ HTTP/1.1\r\nHost: {own}\r\nSec-Fetch-Site: cross-site");
    assert_eq!(RawHttp::send(server.addr, &fetch_site, b"").status(), 403);
    let same =
        format!("GET /djust/sse/{id}/ HTTP/1.1\r\nHost: {own}\r\nSec-Fetch-Site: same-origin");
    assert_eq!(RawHttp::send(server.addr, &same, b"").status(), 200);
    server.stop();
}

// ---- SSE: sessions per client, slow bodies ----

fn open_sse(addr: std::net::SocketAddr, id: usize, forwarded_for: Option<&str>) -> RawHttp {
    let extra = forwarded_for.map_or(String::new(), |ip| format!("\r\nX-Forwarded-For: {ip}"));
    let head = format!("GET /djust/sse/session-{id:024}/ HTTP/1.1\r\nHost: {addr}{extra}");
    RawHttp::send(addr, &head, b"")
}

#[test]
fn one_client_cannot_take_all_sse_sessions() {
    let _serial = memory::serial();
    let proxy = "127.0.0.1".parse().expect("ip");
    let config = config()
        .max_sse_sessions(50)
        .trusted_proxy(proxy)
        .heartbeat(Duration::from_millis(50), Duration::from_secs(30));
    let server = TestServer::start(app(config));
    let mut held = Vec::new();
    let mut refused = 0;
    for id in 0..50 {
        let mut stream = open_sse(server.addr, id, Some("203.0.113.1"));
        match stream.status() {
            200 => held.push(stream),
            429 => refused += 1,
            other => panic!("status {other}"),
        }
    }
    assert_eq!(
        (held.len(), refused),
        (5, 45),
        "a tenth of the sessions each"
    );
    for id in 50..55 {
        let mut stream = open_sse(server.addr, id, Some("203.0.113.2"));
        assert_eq!(stream.status(), 200, "another client still gets a session");
        held.push(stream);
    }
    drop(held.drain(..5));
    let mut again = None;
    for attempt in 0..200 {
        let mut stream = open_sse(server.addr, 100 + attempt, Some("203.0.113.1"));
        if stream.status() == 200 {
            again = Some(stream);
            break;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    assert!(again.is_some(), "a closed session gives its slot back");
    server.stop();
}

#[test]
fn slow_credential_less_posts_are_answered_and_closed_at_once() {
    let _serial = memory::serial();
    let server = TestServer::start(app(config()));
    let own = server.addr.to_string();
    let mut posts: Vec<RawHttp> = (0..150)
        .map(|n| {
            let head = format!(
                "POST /djust/sse/session-{n:024}/message/ HTTP/1.1\r\nHost: {own}\r\n\
                 Origin: {}\r\nContent-Type: application/json\r\nContent-Length: 60000",
                server.origin()
            );
            RawHttp::send(server.addr, &head, b"{\"type\":")
        })
        .collect();
    for post in &mut posts {
        assert_eq!(
            post.status(),
            404,
            "no such session: refused before the body"
        );
        let took = post
            .until_closed()
            .expect("the server closes the connection");
        assert!(took < PATIENCE);
    }
    server.stop();
}

#[test]
fn a_slow_body_of_the_sessions_owner_times_out() {
    let _serial = memory::serial();
    let config = config().sse_body_timeout(Duration::from_millis(300));
    let server = TestServer::start(app(config));
    let mut stream = open_sse(server.addr, 1, None);
    assert_eq!(stream.status(), 200);
    let cookie = stream
        .header("set-cookie")
        .and_then(|cookie| cookie.split(';').next())
        .expect("owner cookie")
        .to_owned();
    let post = format!(
        "POST /djust/sse/session-{:024}/message/ HTTP/1.1\r\nHost: {}\r\nOrigin: {}\r\n\
         Cookie: {cookie}\r\nContent-Type: application/json\r\nContent-Length: 15",
        1,
        server.addr,
        server.origin()
    );
    let mut slow = RawHttp::send(server.addr, &post, b"{\"ty");
    assert_eq!(slow.status(), 408);
    assert!(slow.until_closed().expect("closed") < PATIENCE);
    let mut whole = RawHttp::send(server.addr, &post, br#"{"type":"ping"}"#);
    assert_eq!(whole.status(), 202, "the session still takes frames");
    drop(stream);
    server.stop();
}

// ---- caps on one connection ----

fn send_json(socket: &mut RawSocket, frame: &Value) {
    socket.write(&frame_bytes(frame));
}

fn frame_bytes(value: &Value) -> Vec<u8> {
    frame(true, 0x1, value.to_string().as_bytes())
}

fn read_json(socket: &mut RawSocket) -> Value {
    loop {
        let (opcode, payload) = socket.read_frame().expect("a frame");
        if opcode == 0x1 {
            return serde_json::from_slice(&payload).expect("JSON");
        }
    }
}

fn mount_frame(page: &common::Container, target: &str) -> Value {
    serde_json::json!({
        "type": "mount", "target": target, "view": page.view, "token": page.token,
        "url": "/counter/",
    })
}

#[test]
fn one_connection_cannot_hold_views_without_limit() {
    let _serial = memory::serial();
    // Without the rate limit: what is under test is the view cap.
    let server = TestServer::start(app(config().without_rate_limit()));
    let page = common::container(server.addr, "/counter/");
    let mut socket = RawSocket::open(server.addr, &server.addr.to_string(), &server.origin());
    let _connect = read_json(&mut socket);
    // The attack: 5,000 mounts of distinct targets, sent at once.
    let attack: Vec<u8> = (0..5_000)
        .flat_map(|n| frame_bytes(&mount_frame(&page, &format!("t{n}"))))
        .collect();
    socket.write(&attack);
    let (mut mounted, mut refused) = (0, 0);
    for _ in 0..5_000 {
        let answer = read_json(&mut socket);
        match answer["type"].as_str() {
            Some("mount") => mounted += 1,
            Some("error") if answer["code"] == "too_many_views" => refused += 1,
            _ => panic!("{answer}"),
        }
    }
    assert_eq!(
        (mounted, refused),
        (100, 4_900),
        "the default cap is 100 views"
    );
    // Replacing a mounted target is still allowed, and the connection serves on.
    send_json(&mut socket, &mount_frame(&page, "t0"));
    assert_eq!(read_json(&mut socket)["type"], "mount");
    send_json(&mut socket, &serde_json::json!({"type": "ping"}));
    assert_eq!(read_json(&mut socket)["type"], "pong");
    server.stop();
}

#[test]
fn a_mount_batch_over_the_cap_is_refused_whole() {
    let _serial = memory::serial();
    let server = TestServer::start(app(config()));
    let page = common::container(server.addr, "/counter/");
    let mut socket = RawSocket::open(server.addr, &server.addr.to_string(), &server.origin());
    let _connect = read_json(&mut socket);
    let entries = |count: usize| -> Vec<Value> {
        (0..count)
            .map(|n| {
                serde_json::json!({"target": format!("b{n}"), "view": page.view,
                    "token": page.token, "url": "/counter/"})
            })
            .collect()
    };
    send_json(
        &mut socket,
        &serde_json::json!({"type": "mount_batch", "views": entries(33)}),
    );
    let answer = read_json(&mut socket);
    assert_eq!(answer["code"], "batch_too_large", "{answer}");
    send_json(
        &mut socket,
        &serde_json::json!({"type": "mount_batch", "views": entries(32)}),
    );
    let answer = read_json(&mut socket);
    assert_eq!(answer["type"], "mount_batch", "{answer}");
    assert_eq!(answer["views"].as_array().map(Vec::len), Some(32));
    server.stop();
}

/// A raw socket with two views of the chat room mounted (so that recoveries alternate and none
/// is coalesced), each 1 MB after 25 messages of 40 KB; their targets.
fn two_large_chat_views(server: &TestServer) -> (RawSocket, [&'static str; 2]) {
    let page = common::container(server.addr, "/chat/");
    let mut socket = RawSocket::open(server.addr, &server.addr.to_string(), &server.origin());
    let _connect = read_json(&mut socket);
    let targets = ["chat-a", "chat-b"];
    for target in targets {
        send_json(
            &mut socket,
            &serde_json::json!({"type": "mount", "target": target, "view": page.view,
                "token": page.token, "url": "/chat/"}),
        );
        assert_eq!(read_json(&mut socket)["type"], "mount");
    }
    let said = "x".repeat(40 * 1024);
    for n in 0..25 {
        send_json(
            &mut socket,
            &serde_json::json!({"type": "event", "target": targets[0], "event": "say",
                "params": {"text": said}, "ref": n}),
        );
    }
    send_json(&mut socket, &serde_json::json!({"type": "ping"}));
    while read_json(&mut socket)["type"] != "pong" {}
    (socket, targets)
}

#[test]
fn a_client_that_stops_reading_cannot_make_the_server_hold_its_answers() {
    let _serial = memory::serial();
    let server = TestServer::start(app(config().without_rate_limit()));
    let (mut socket, targets) = two_large_chat_views(&server);
    let baseline = memory::reset_peak();
    // The attack: 500 requests for a whole HTML (1 MB each), without reading.
    let attack: Vec<u8> = (0..500)
        .flat_map(|n| {
            let target = targets[n % 2];
            frame_bytes(&serde_json::json!({"type": "request_html", "target": target}))
        })
        .collect();
    socket.write(&attack);
    // Read nothing until the server stops sending: the bytes waiting in the kernel for this
    // connection stay the same for a second. The server then holds a bounded amount for it:
    // it closes the client with 1008 when its queue is over budget (`socket.rs` tests the
    // code), and reads no more of its requests while it cannot queue their answers.
    let client = socket.stream.local_addr().expect("local address");
    let started = std::time::Instant::now();
    let (mut last, mut still) = (0, 0);
    while still < 20 {
        assert!(started.elapsed() < PATIENCE, "the server keeps sending");
        std::thread::sleep(Duration::from_millis(50));
        let now = hostile::bytes_in_flight(server.addr, client);
        still = if now == last && now > 0 { still + 1 } else { 0 };
        last = now;
    }
    let grew = memory::peak().saturating_sub(baseline);
    // The server keeps serving others meanwhile.
    let mut other = RawSocket::open(server.addr, &server.addr.to_string(), &server.origin());
    let _connect = read_json(&mut other);
    send_json(&mut other, &serde_json::json!({"type": "ping"}));
    assert_eq!(read_json(&mut other)["type"], "pong");
    assert!(grew < 64 * MIB, "peak RSS grew by {} MiB", grew / MIB);
    server.stop();
}

#[test]
fn a_client_that_stops_reading_reads_the_servers_1008_close_frame_when_it_reads_again() {
    let _serial = memory::serial();
    let djust = app(config().without_rate_limit());
    let server = TestServer::start(djust.clone());
    let (mut socket, targets) = two_large_chat_views(&server);
    // 500 requests for a 1 MB answer, none read: the socket fills, then the server's queue.
    let attack: Vec<u8> = (0..500)
        .flat_map(|n| {
            let target = targets[n % 2];
            frame_bytes(&serde_json::json!({"type": "request_html", "target": target}))
        })
        .collect();
    socket.write(&attack);
    // The server gives up on the connection: its view sessions park.
    let started = std::time::Instant::now();
    while djust.parked_view_sessions().sessions < targets.len() {
        assert!(
            started.elapsed() < PATIENCE,
            "the server never closed the client"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    // The client goes on not reading for a while (the server keeps the socket up to 5 s for
    // its close frame), then reads what the socket held and the close frame.
    std::thread::sleep(Duration::from_secs(2));
    let closing = socket.read_until_closed();
    assert_eq!(
        closing.code,
        Some(1008),
        "{} text frames, then no close frame",
        closing.texts.len()
    );
    assert!(closing.ended);
    server.stop();
}

#[test]
fn repeated_recovery_requests_are_coalesced() {
    let _serial = memory::serial();
    let server = TestServer::start(app(config()));
    let page = common::container(server.addr, "/counter/");
    let mut socket = RawSocket::open(server.addr, &server.addr.to_string(), &server.origin());
    let _connect = read_json(&mut socket);
    send_json(&mut socket, &mount_frame(&page, &page.target));
    assert_eq!(read_json(&mut socket)["type"], "mount");
    let ask = frame_bytes(&serde_json::json!({"type": "request_html", "target": page.target}));
    let ping = frame_bytes(&serde_json::json!({"type": "ping"}));
    let burst: Vec<u8> = std::iter::repeat_n(ask.clone(), 250)
        .flatten()
        .chain(ping.iter().copied())
        .collect();
    socket.write(&burst);
    let recovery = read_json(&mut socket);
    assert_eq!(recovery["type"], "html_recovery", "{recovery}");
    assert_eq!(
        read_json(&mut socket)["type"],
        "pong",
        "one answer for 250 requests"
    );
    // Once anything else was sent, a new request gets a new answer.
    send_json(
        &mut socket,
        &serde_json::json!({"type": "event", "target": page.target, "event": "increment", "ref": 1}),
    );
    assert_eq!(read_json(&mut socket)["type"], "patch");
    socket.write(&ask);
    let again = read_json(&mut socket);
    assert_eq!(again["type"], "html_recovery");
    assert!(again["version"].as_u64() > recovery["version"].as_u64());
    server.stop();
}

#[tokio::test]
async fn a_connection_over_its_memory_budget_is_closed() {
    let server = TestServer::start(app(config().max_connection_bytes(2 * MIB as usize)));
    let page = common::container(server.addr, "/chat/");
    let mut client = common::Client::connect(&server).await;
    for target in ["chat-a", "chat-b", "chat-c"] {
        client
            .send(
                serde_json::json!({"type": "mount", "target": target, "view": page.view,
                "token": page.token, "url": "/chat/"}),
            )
            .await;
        assert_eq!(client.recv().await["type"], "mount");
    }
    // Each message lands in the three views: 20 of 40 KB are 2.4 MB of state.
    let said = "x".repeat(40 * 1024);
    for n in 0..20 {
        client
            .send(
                serde_json::json!({"type": "event", "target": "chat-a", "event": "say",
                "params": {"text": said}, "ref": n}),
            )
            .await;
    }
    let (frames, code) = client.recv_until_close().await;
    assert_eq!(code, Some(4413), "over the budget");
    let last = frames.last().expect("an error before the close");
    assert_eq!(last["code"], "over_budget", "{last}");
    assert!(
        frames.len() < 3 * 20 + 20,
        "closed before all the messages landed"
    );
    // Under the default budget the same connection is served.
    let server = TestServer::start(app(config()));
    let page = common::container(server.addr, "/chat/");
    let mut client = common::Client::connect(&server).await;
    assert_eq!(client.mount(&page, "/chat/").await["type"], "mount");
    for n in 0..20 {
        let answer = client
            .event(&page.target, "say", serde_json::json!({"text": said}), n)
            .await;
        assert_ne!(answer["type"], "error", "{answer}");
    }
}
