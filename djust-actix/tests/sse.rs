//! The SSE transport over a real server: the `GET` mounts and streams the same frames as the
//! WebSocket, `POST`s are checked (content type, origin, owner), policy closes arrive as a
//! `close` event, and a reconnect with `Last-Event-ID` resumes where the last event read left
//! the views.

mod common;

use std::{
    io::{BufRead as _, BufReader, Read as _, Write as _},
    net::{SocketAddr, TcpStream},
    time::Duration,
};

use common::{app, config, container, Container, TestServer};
use serde_json::{json, Value};

/// An open event stream.
struct Stream {
    reader: BufReader<TcpStream>,
    status: u16,
    headers: Vec<(String, String)>,
    /// The `id:` of the last event read.
    last_id: Option<String>,
}

impl Stream {
    /// `GET /djust/sse/<id>/` with `mounts`, over HTTP/1.0 (no chunked encoding).
    fn open(addr: SocketAddr, id: &str, mounts: &[Value]) -> Self {
        Self::open_with(addr, id, mounts, &[])
    }

    /// The same `GET` with more headers (`Last-Event-ID`, `Cookie`).
    fn open_with(addr: SocketAddr, id: &str, mounts: &[Value], more: &[(&str, &str)]) -> Self {
        let mounts = encode(&Value::from(mounts.to_vec()).to_string());
        let mut tcp = TcpStream::connect(addr).expect("connect");
        tcp.set_read_timeout(Some(Duration::from_secs(20)))
            .expect("timeout");
        let mut request = format!(
            "GET /djust/sse/{id}/?mounts={mounts} HTTP/1.0\r\nHost: {addr}\r\nAccept: text/event-stream\r\n"
        );
        for (name, value) in more {
            request.push_str(&format!("{name}: {value}\r\n"));
        }
        request.push_str("\r\n");
        tcp.write_all(request.as_bytes()).expect("send");
        let mut reader = BufReader::new(tcp);
        let mut status_line = String::new();
        reader.read_line(&mut status_line).expect("status line");
        let status = status_line
            .split(' ')
            .nth(1)
            .expect("status")
            .parse()
            .expect("number");
        let mut headers = Vec::new();
        loop {
            let mut line = String::new();
            reader.read_line(&mut line).expect("header");
            let line = line.trim_end();
            if line.is_empty() {
                break;
            }
            let (name, value) = line.split_once(':').expect("header line");
            headers.push((name.trim().to_ascii_lowercase(), value.trim().to_owned()));
        }
        Self {
            reader,
            status,
            headers,
            last_id: None,
        }
    }

    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
    }

    /// The owner cookie as `name=value`.
    fn cookie(&self) -> String {
        let set = self.header("set-cookie").expect("owner cookie");
        set.split(';').next().expect("pair").to_owned()
    }

    /// The next event (comments skipped): its name (`message` by default) and data; `None`
    /// at the end of the stream.
    fn next_event(&mut self) -> Option<(String, Value)> {
        let (mut name, mut data) = ("message".to_owned(), String::new());
        loop {
            let mut line = String::new();
            if self.reader.read_line(&mut line).expect("read") == 0 {
                return None;
            }
            let line = line.trim_end_matches('\n');
            if line.is_empty() {
                if data.is_empty() {
                    continue; // after a comment
                }
                return Some((name, serde_json::from_str(&data).expect("JSON data")));
            }
            if let Some(value) = line.strip_prefix("event: ") {
                name = value.to_owned();
            } else if let Some(value) = line.strip_prefix("id: ") {
                self.last_id = Some(value.to_owned());
            } else if let Some(value) = line.strip_prefix("data: ") {
                data.push_str(value);
            }
        }
    }

    /// The next data frame.
    fn frame(&mut self) -> Value {
        let (name, data) = self.next_event().expect("an event");
        assert_eq!(name, "message", "{data}");
        data
    }
}

/// Percent-encodes everything but unreserved characters.
fn encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// `POST /djust/sse/<id>/message/` with `body`; returns the status.
fn post(addr: SocketAddr, id: &str, body: &str, headers: &[(&str, &str)]) -> u16 {
    let mut tcp = TcpStream::connect(addr).expect("connect");
    tcp.set_read_timeout(Some(Duration::from_secs(20)))
        .expect("timeout");
    let mut request = format!(
        "POST /djust/sse/{id}/message/ HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\nContent-Length: {}\r\n",
        body.len()
    );
    for (name, value) in headers {
        request.push_str(&format!("{name}: {value}\r\n"));
    }
    request.push_str("\r\n");
    request.push_str(body);
    tcp.write_all(request.as_bytes()).expect("send");
    let mut raw = String::new();
    tcp.read_to_string(&mut raw).expect("response");
    raw.split(' ')
        .nth(1)
        .expect("status")
        .parse()
        .expect("number")
}

fn mount_frame(page: &Container, url: &str) -> Value {
    json!({"type": "mount", "target": page.target, "view": page.view, "token": page.token, "url": url})
}

const ID: &str = "0f8c2a4e7b1d4c3e9a6f2d5b8e1c4a7f";

#[test]
fn the_get_mounts_and_posts_are_answered_on_the_stream() {
    let server = TestServer::start(app(config()));
    let page = container(server.addr, "/counter/");
    let origin = server.origin();
    let mut stream = Stream::open(server.addr, ID, &[mount_frame(&page, "/counter/")]);
    assert_eq!(stream.status, 200);
    assert_eq!(
        stream.header("content-type"),
        Some("text/event-stream; charset=utf-8")
    );
    assert_eq!(stream.header("cache-control"), Some("no-cache"));
    let set_cookie = stream.header("set-cookie").expect("cookie").to_owned();
    assert!(
        set_cookie.contains(&format!("Path=/djust/sse/{ID}/")),
        "{set_cookie}"
    );
    assert!(set_cookie.contains("HttpOnly"), "{set_cookie}");
    let cookie = stream.cookie();

    assert_eq!(stream.frame()["type"], "connect");
    let mount = stream.frame();
    assert_eq!(mount["type"], "mount");
    assert_eq!(mount["version"], 1);
    assert_eq!(mount["html"], page.html);

    let event = json!({"type": "event", "target": page.target, "event": "increment",
        "params": {"step": "2"}, "ref": 7})
    .to_string();
    let owner = [
        ("Content-Type", "application/json"),
        ("Origin", origin.as_str()),
        ("Cookie", cookie.as_str()),
    ];
    assert_eq!(post(server.addr, ID, &event, &owner), 202);
    let answer = stream.frame();
    assert_eq!(answer["ref"], 7, "{answer}");
    assert_eq!(answer["version"], 2, "{answer}");
    assert!(
        answer["type"] == "patch" || answer["type"] == "html_update",
        "{answer}"
    );

    // The session id is taken while the stream lives.
    assert_eq!(Stream::open(server.addr, ID, &[]).status, 409);
    server.stop();
}

#[test]
fn posts_are_checked() {
    let server = TestServer::start(app(config()));
    let page = container(server.addr, "/counter/");
    let origin = server.origin();
    let mut stream = Stream::open(server.addr, ID, &[mount_frame(&page, "/counter/")]);
    let cookie = stream.cookie();
    assert_eq!(stream.frame()["type"], "connect");
    assert_eq!(stream.frame()["type"], "mount");
    let ping = r#"{"type":"ping"}"#;
    let json = ("Content-Type", "application/json");
    let from = ("Origin", origin.as_str());
    let owner = ("Cookie", cookie.as_str());

    assert_eq!(
        post(
            server.addr,
            ID,
            ping,
            &[("Content-Type", "text/plain"), from, owner]
        ),
        415
    );
    assert_eq!(
        post(
            server.addr,
            ID,
            ping,
            &[json, ("Origin", "http://evil.test"), owner]
        ),
        403
    );
    assert_eq!(
        post(server.addr, ID, ping, &[json, owner]),
        403,
        "no origin"
    );
    assert_eq!(post(server.addr, ID, ping, &[json, from]), 403, "no cookie");
    assert_eq!(
        post(
            server.addr,
            ID,
            ping,
            &[json, from, ("Cookie", "djust_sse=guess")]
        ),
        403
    );
    let other = "ffffffffffffffffffffffffffffffff";
    assert_eq!(post(server.addr, other, ping, &[json, from, owner]), 404);
    assert_eq!(Stream::open(server.addr, "bad id!", &[]).status, 400);
    // None of the refused posts reached the connection: the owner's ping is the next answer.
    assert_eq!(post(server.addr, ID, ping, &[json, from, owner]), 202);
    assert_eq!(stream.frame()["type"], "pong");
    server.stop();
}

#[test]
fn a_refused_token_closes_the_stream_with_4403() {
    let server = TestServer::start(app(config()));
    let page = container(server.addr, "/counter/");
    let mut stream = Stream::open(server.addr, ID, &[mount_frame(&page, "/chat/")]);
    assert_eq!(stream.frame()["type"], "connect");
    let error = stream.frame();
    assert_eq!(error["code"], "bad_token", "{error}");
    let (name, close) = stream.next_event().expect("a close event");
    assert_eq!(name, "close");
    assert_eq!(close["code"], 4403);
    assert!(stream.next_event().is_none(), "the stream ends");
    // Its session is gone: the id may be used again.
    std::thread::sleep(Duration::from_millis(100));
    assert_eq!(Stream::open(server.addr, ID, &[]).status, 200);
    server.stop();
}

#[test]
fn sessions_over_the_limit_are_refused_with_503() {
    let server = TestServer::start(app(config().max_sse_sessions(1)));
    let mut first = Stream::open(server.addr, ID, &[]);
    assert_eq!(first.status, 200);
    assert_eq!(first.frame()["type"], "connect");
    let other = "ffffffffffffffffffffffffffffffff";
    assert_eq!(Stream::open(server.addr, other, &[]).status, 503);
    server.stop();
}

/// POSTs `increment` events `refs` to session `ID` and reads their answers from `stream`.
fn increments(
    server: &TestServer,
    stream: &mut Stream,
    cookie: &str,
    page: &Container,
    refs: std::ops::Range<u64>,
) -> Vec<Value> {
    let origin = server.origin();
    let owner = [
        ("Content-Type", "application/json"),
        ("Origin", origin.as_str()),
        ("Cookie", cookie),
    ];
    refs.map(|reference| {
        let event = json!({"type": "event", "target": page.target, "event": "increment",
            "params": {}, "ref": reference, "seq": reference});
        assert_eq!(post(server.addr, ID, &event.to_string(), &owner), 202);
        let answer = stream.frame();
        assert_eq!(answer["ref"], reference, "{answer}");
        answer
    })
    .collect()
}

#[test]
fn a_reconnect_with_last_event_id_replays_exactly_the_revisions_after_it() {
    let server = TestServer::start(app(config()));
    let page = container(server.addr, "/counter/");
    let mounts = [mount_frame(&page, "/counter/")];
    let mut stream = Stream::open(server.addr, ID, &mounts);
    assert_eq!(
        stream.header("content-type"),
        Some("text/event-stream; charset=utf-8")
    );
    let cookie = stream.cookie();
    assert_eq!(stream.frame()["type"], "connect");
    assert_eq!(
        stream.last_id.as_deref(),
        Some("{}"),
        "every event has an id"
    );
    let mount = stream.frame();
    let vs = mount["vs"].as_str().expect("a view session").to_owned();
    let answers = increments(&server, &mut stream, &cookie, &page, 1..5);
    let revs: Vec<&Value> = answers.iter().map(|answer| &answer["rev"]).collect();
    assert_eq!(revs, [1, 2, 3, 4]);
    let id = stream.last_id.clone().expect("an id");
    let position: Value = serde_json::from_str(&id).expect("JSON");
    assert_eq!(
        position,
        json!({ (page.target.clone()): {"vs": vs, "rev": 4} })
    );

    // The client read up to rev 2, then its stream broke; it comes back with that event's id.
    let at_rev_2 = json!({ (page.target.clone()): {"vs": vs, "rev": 2} }).to_string();
    drop(stream);
    let mut again = Stream::open_with(
        server.addr,
        ID,
        &mounts,
        &[("Last-Event-ID", &at_rev_2), ("Cookie", &cookie)],
    );
    assert_eq!(again.status, 200);
    assert_eq!(again.frame()["type"], "connect");
    let resumed = again.frame();
    assert_eq!(resumed["type"], "resumed", "no mount ran: {resumed}");
    assert_eq!(resumed["vs"], vs);
    assert_eq!(resumed["rev"], 4);
    assert_eq!(resumed["ack"], 4);
    // Revisions 3 and 4, once each, exactly as the broken stream had sent them.
    let replayed = resumed["patches"]
        .as_array()
        .expect("patches from the ring");
    assert_eq!(
        replayed,
        &[answers[2]["patches"].clone(), answers[3]["patches"].clone()]
    );
    assert!(resumed.get("html").is_none());
    let position: Value = serde_json::from_str(again.last_id.as_deref().unwrap()).unwrap();
    assert_eq!(position[&page.target]["rev"], 4);

    // The session goes on under its new owner secret: the next event is revision 5, and a
    // replay of event 4 is a duplicate.
    let cookie = again.cookie();
    let next = increments(&server, &mut again, &cookie, &page, 5..6);
    assert_eq!(next[0]["rev"], 5);
    let duplicate = increments(&server, &mut again, &cookie, &page, 4..5);
    assert_eq!(duplicate[0]["type"], "noop", "{}", duplicate[0]);
    assert_eq!(duplicate[0]["duplicate"], true);
    // The state saw each event once: a whole render shows 5.
    let origin = server.origin();
    let whole = json!({"type": "request_html", "target": page.target}).to_string();
    let owner = [
        ("Content-Type", "application/json"),
        ("Origin", origin.as_str()),
        ("Cookie", cookie.as_str()),
    ];
    assert_eq!(post(server.addr, ID, &whole, &owner), 202);
    let recovery = again.frame();
    assert_eq!(recovery["type"], "html_recovery", "{recovery}");
    assert!(
        recovery["html"].as_str().unwrap().contains("Count: 5"),
        "{recovery}"
    );
    server.stop();
}

#[test]
fn when_the_ring_does_not_reach_back_the_resume_sends_the_whole_view() {
    let server = TestServer::start(app(config()));
    let page = container(server.addr, "/counter/");
    let mounts = [mount_frame(&page, "/counter/")];
    let mut stream = Stream::open(server.addr, ID, &mounts);
    let cookie = stream.cookie();
    stream.frame();
    let vs = stream.frame()["vs"].as_str().unwrap().to_owned();
    increments(&server, &mut stream, &cookie, &page, 1..71);
    let at_rev_1 = json!({ (page.target.clone()): {"vs": vs, "rev": 1} }).to_string();
    drop(stream);
    let mut again = Stream::open_with(
        server.addr,
        ID,
        &mounts,
        &[("Last-Event-ID", &at_rev_1), ("Cookie", &cookie)],
    );
    again.frame();
    let resumed = again.frame();
    assert_eq!(resumed["type"], "resumed", "{resumed}");
    assert_eq!(resumed["rev"], 70);
    assert!(
        resumed.get("patches").is_none(),
        "the ring holds 64 revisions"
    );
    let html = resumed["html"].as_str().expect("the whole view");
    assert!(html.contains("Count: 70"), "{html}");
    server.stop();
}

#[test]
fn a_live_session_is_taken_over_by_its_owner_only() {
    let server = TestServer::start(app(config()));
    let page = container(server.addr, "/counter/");
    let mounts = [mount_frame(&page, "/counter/")];
    let mut first = Stream::open(server.addr, ID, &mounts);
    let cookie = first.cookie();
    first.frame();
    first.frame();
    increments(&server, &mut first, &cookie, &page, 1..3);
    let id = first.last_id.clone().unwrap();
    // The first stream is still open (its server side has not noticed anything).
    let stranger = Stream::open_with(server.addr, ID, &mounts, &[("Last-Event-ID", &id)]);
    assert_eq!(stranger.status, 409, "not without the owner cookie");
    let mut second = Stream::open_with(
        server.addr,
        ID,
        &mounts,
        &[("Last-Event-ID", &id), ("Cookie", &cookie)],
    );
    assert_eq!(second.status, 200);
    second.frame();
    let resumed = second.frame();
    assert_eq!(resumed["type"], "resumed", "{resumed}");
    assert_eq!(resumed["patches"], json!([]), "nothing missed");
    // The replaced connection ends with a normal close.
    let (name, close) = first.next_event().expect("a close event");
    assert_eq!((name.as_str(), &close["code"]), ("close", &json!(1000)));
    assert!(first.next_event().is_none());
    // Only the new owner posts now.
    let origin = server.origin();
    let ping = r#"{"type":"ping"}"#;
    let json_type = ("Content-Type", "application/json");
    let from = ("Origin", origin.as_str());
    assert_eq!(
        post(
            server.addr,
            ID,
            ping,
            &[json_type, from, ("Cookie", &cookie)]
        ),
        403
    );
    let new_cookie = second.cookie();
    assert_eq!(
        post(
            server.addr,
            ID,
            ping,
            &[json_type, from, ("Cookie", &new_cookie)]
        ),
        202
    );
    assert_eq!(second.frame()["type"], "pong");
    server.stop();
}
