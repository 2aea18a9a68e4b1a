//! View sessions in Redis: two nodes (two servers in one process, each with its own
//! `PubSub::redis`) on a real redis-server. A reconnect on the other node takes the session
//! over (public state, ledger, revision), the former owner is fenced off, nothing is applied
//! twice; with Redis down, a node keeps its sessions in memory.

mod common;
mod redis_server;

use common::{container, Client, Container, TestServer, SECRET};
use djust_actix::{prelude::*, Djust, DjustConfig, PubSub};
use redis_server::{wait_for, RedisServer};
use serde_json::{json, Value};

/// A basket whose public `items` travel in snapshots; `note` is private.
#[live_view(
    inline = r#"<ul>{% for item in items %}<li>{{ item }}</li>{% endfor %}</ul><p>{{ note }}</p>"#,
    enable_state_snapshot
)]
struct Basket {
    pub items: Vec<String>,
    note: String,
}

#[events]
impl Basket {
    fn mount() -> Self {
        Self {
            items: Vec::new(),
            note: "private-note".into(),
        }
    }

    #[event]
    fn add(&mut self, item: String) {
        self.items.push(item);
    }
}

fn node(redis: &RedisServer) -> (TestServer, PubSub) {
    let pubsub = PubSub::redis(&redis.url()).unwrap();
    wait_for("the node to reach redis", || pubsub.is_connected());
    let config = DjustConfig::new().secret(SECRET).pubsub(pubsub.clone());
    let server = TestServer::start(Djust::new(config).view::<Basket>("/basket/"));
    (server, pubsub)
}

async fn add(client: &mut Client, target: &str, item: &str, seq: u64) -> Value {
    client
        .send(json!({"type": "event", "target": target, "event": "add",
                     "params": {"item": item}, "ref": seq, "seq": seq}))
        .await;
    client.recv().await
}

/// Mounts `page`'s view on `client` resuming session `vs` from revision `rev`; the answer.
async fn resume(client: &mut Client, page: &Container, vs: &str, rev: u64) -> Value {
    client
        .send(
            json!({"type": "mount", "target": page.target, "view": page.view,
                     "token": page.token, "url": "/basket/",
                     "resume": {"vs": vs, "rev": rev}}),
        )
        .await;
    client.recv().await
}

fn items_in(html: &str) -> usize {
    html.matches("<li").count()
}

#[actix_rt::test]
async fn a_reconnect_on_another_node_takes_the_session_over_exactly_once() {
    let redis = RedisServer::start();
    let (a, _on_a) = node(&redis);
    let (b, _on_b) = node(&redis);
    let page = container(a.addr, "/basket/");
    let mut on_a = Client::connect(&a).await;
    let mounted = on_a.mount(&page, "/basket/").await;
    assert_eq!(mounted["type"], "mount", "{mounted}");
    let vs = mounted["vs"].as_str().unwrap().to_owned();
    for (seq, item) in [(1, "tea"), (2, "cake"), (3, "scone")] {
        let answer = add(&mut on_a, &page.target, item, seq).await;
        assert_eq!(answer["type"], "patch", "{answer}");
        assert_eq!(answer["ack"], seq);
    }

    // What Redis holds: the public fields, the mark, the revision; never the private note.
    let id = vs.split('.').next().unwrap();
    let key = format!("djust:vs:{id}");
    let state = redis.command(&["HGET", &key, "state"]).unwrap();
    assert!(
        state.contains("scone") && !state.contains("private-note"),
        "{state}"
    );
    assert!(redis
        .command(&["HGET", &key, "ack"])
        .unwrap()
        .ends_with("\r\n3\r\n"));
    let ttl = redis.command(&["PTTL", &key]).unwrap();
    let ttl: i64 = ttl.trim().trim_start_matches(':').parse().unwrap();
    assert!(
        ttl > 0 && ttl <= 30_000,
        "the TTL is the grace window: {ttl}"
    );

    // The client reconnects through node B (A is still up: its socket was not closed).
    let mut on_b = Client::connect(&b).await;
    let resumed = resume(&mut on_b, &page, &vs, 3).await;
    assert_eq!(resumed["type"], "resumed", "{resumed}");
    assert_eq!(
        (resumed["rev"].as_u64(), resumed["ack"].as_u64()),
        (Some(3), Some(3))
    );
    let html = resumed["html"].as_str().expect("a full render");
    assert_eq!(items_in(html), 3, "{html}");
    assert!(
        !html.contains("private-note"),
        "private fields are not carried: {html}"
    );

    // A's stale socket: its next event cannot be stored (fenced), so it is not answered and
    // the socket closes for the client to reconnect.
    on_a.send(
        json!({"type": "event", "target": page.target, "event": "add",
                     "params": {"item": "never"}, "ref": 4, "seq": 4}),
    )
    .await;
    let (after, code) = on_a.recv_until_close().await;
    assert_eq!(code, Some(1012), "{after:?}");
    assert!(
        after.iter().all(|frame| frame["type"] != "patch"),
        "{after:?}"
    );

    // On B: a replay of 3 is a duplicate; 4 is applied once.
    let duplicate = add(&mut on_b, &page.target, "scone", 3).await;
    assert_eq!(
        (duplicate["type"].as_str(), duplicate["duplicate"].as_bool()),
        (Some("noop"), Some(true))
    );
    let applied = add(&mut on_b, &page.target, "jam", 4).await;
    assert_eq!(
        (applied["type"].as_str(), applied["ack"].as_u64()),
        (Some("patch"), Some(4))
    );
    let state = redis.command(&["HGET", &key, "state"]).unwrap();
    assert!(state.contains("jam") && !state.contains("never"), "{state}");
    assert_eq!(state.matches("scone").count(), 1, "{state}");

    // Back to A, which still has its stale copy parked: it is not A's any more, so A takes
    // the session over from Redis instead of resuming its copy.
    let mut back = Client::connect(&a).await;
    let resumed = resume(&mut back, &page, &vs, 4).await;
    assert_eq!(resumed["type"], "resumed", "{resumed}");
    assert_eq!(resumed["ack"], 4);
    assert_eq!(items_in(resumed["html"].as_str().unwrap()), 4, "{resumed}");
}

/// The integer of a RESP answer (`:12` or `$2\r\n12`).
fn resp_number(answer: &str) -> Option<u64> {
    answer
        .trim()
        .rsplit("\r\n")
        .next()?
        .trim_start_matches(':')
        .parse()
        .ok()
}

#[actix_rt::test]
async fn pipelined_events_are_answered_in_order_each_once_its_state_is_in_redis() {
    let redis = RedisServer::start();
    let (a, _on_a) = node(&redis);
    let page = container(a.addr, "/basket/");
    let mut client = Client::connect(&a).await;
    let mounted = client.mount(&page, "/basket/").await;
    let vs = mounted["vs"].as_str().unwrap().to_owned();
    let key = format!("djust:vs:{}", vs.split('.').next().unwrap());
    const EVENTS: u64 = 40;
    // Sent without waiting: the connection handles the next ones while writes are in flight.
    for seq in 1..=EVENTS {
        client
            .send(
                json!({"type": "event", "target": page.target, "event": "add",
                         "params": {"item": format!("i{seq}")}, "ref": seq, "seq": seq}),
            )
            .await;
    }
    for seq in 1..=EVENTS {
        let answer = client.recv().await;
        assert_eq!(
            (
                answer["type"].as_str(),
                answer["ref"].as_u64(),
                answer["ack"].as_u64()
            ),
            (Some("patch"), Some(seq), Some(seq)),
            "answers in order: {answer}"
        );
        // What the client was just told is already in Redis (a takeover resumes it).
        let stored = resp_number(&redis.command(&["HGET", &key, "ack"]).unwrap()).unwrap();
        assert!(
            stored >= seq,
            "answer {seq} arrived before its write ({stored})"
        );
    }
    let state = redis.command(&["HGET", &key, "state"]).unwrap();
    for seq in 1..=EVENTS {
        assert_eq!(state.matches(&format!("\"i{seq}\"")).count(), 1, "{state}");
    }
    // A mount of the same target ends the session: its copy is deleted, after its writes.
    assert_eq!(client.mount(&page, "/basket/").await["type"], "mount");
    wait_for("the ended session's copy to be deleted", || {
        redis.command(&["EXISTS", &key]).as_deref() == Some(":0\r\n")
    });
}

#[actix_rt::test]
async fn an_answer_waits_until_its_state_is_in_redis() {
    let redis = RedisServer::start();
    let (a, _on_a) = node(&redis);
    let page = container(a.addr, "/basket/");
    let mut client = Client::connect(&a).await;
    let mounted = client.mount(&page, "/basket/").await;
    let key = format!(
        "djust:vs:{}",
        mounted["vs"].as_str().unwrap().split('.').next().unwrap()
    );
    assert_eq!(add(&mut client, &page.target, "tea", 1).await["ack"], 1);

    // Redis holds every write (reads go on) for longer than the test needs.
    assert!(redis
        .command(&["CLIENT", "PAUSE", "20000", "WRITE"])
        .unwrap()
        .starts_with("+OK"));
    client
        .send(
            json!({"type": "event", "target": page.target, "event": "add",
                     "params": {"item": "cake"}, "ref": 2, "seq": 2}),
        )
        .await;
    // Nothing may arrive while the write waits (an absence: checked over a window shorter
    // than the write's bound, after which the node would fall back to its memory).
    let early = tokio::time::timeout(std::time::Duration::from_millis(150), client.recv()).await;
    assert!(early.is_err(), "answered before its write: {early:?}");
    assert_eq!(
        resp_number(&redis.command(&["HGET", &key, "ack"]).unwrap()),
        Some(1)
    );
    assert!(redis
        .command(&["CLIENT", "UNPAUSE"])
        .unwrap()
        .starts_with("+OK"));
    let answer = client.recv().await;
    assert_eq!(
        (answer["type"].as_str(), answer["ack"].as_u64()),
        (Some("patch"), Some(2)),
        "{answer}"
    );
    assert_eq!(
        resp_number(&redis.command(&["HGET", &key, "ack"]).unwrap()),
        Some(2)
    );
}

#[actix_rt::test]
async fn a_session_idle_longer_than_the_snapshot_age_is_still_taken_over() {
    let redis = RedisServer::start();
    let (a, _on_a) = node(&redis);
    let (b, _on_b) = node(&redis);
    let page = container(a.addr, "/basket/");
    let mut on_a = Client::connect(&a).await;
    let mounted = on_a.mount(&page, "/basket/").await;
    let vs = mounted["vs"].as_str().unwrap().to_owned();
    for (seq, item) in [(1, "tea"), (2, "cake")] {
        assert_eq!(add(&mut on_a, &page.target, item, seq).await["ack"], seq);
    }
    // Last written an hour ago (the owner's heartbeats kept its TTL alive since): far older
    // than the five minutes a client's snapshot may be, but within its grace window.
    let key = format!("djust:vs:{}", vs.split('.').next().unwrap());
    let hour_ago = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis()
        - 3_600_000;
    assert!(redis
        .command(&["HSET", &key, "at", &hour_ago.to_string()])
        .is_some());
    let mut on_b = Client::connect(&b).await;
    let resumed = resume(&mut on_b, &page, &vs, 2).await;
    assert_eq!(
        (resumed["type"].as_str(), resumed["ack"].as_u64()),
        (Some("resumed"), Some(2)),
        "{resumed}"
    );
    assert_eq!(items_in(resumed["html"].as_str().unwrap()), 2, "{resumed}");
}

#[actix_rt::test]
async fn with_redis_down_sessions_live_in_the_nodes_memory() {
    let mut redis = RedisServer::start();
    let (a, pubsub) = node(&redis);
    let page = container(a.addr, "/basket/");
    let mut client = Client::connect(&a).await;
    let mounted = client.mount(&page, "/basket/").await;
    let vs = mounted["vs"].as_str().unwrap().to_owned();
    assert_eq!(add(&mut client, &page.target, "tea", 1).await["ack"], 1);
    redis.kill();
    wait_for("the node to notice", || !pubsub.is_connected());
    for (seq, item) in [(2, "cake"), (3, "scone")] {
        let answer = add(&mut client, &page.target, item, seq).await;
        assert_eq!(
            (answer["type"].as_str(), answer["ack"].as_u64()),
            (Some("patch"), Some(seq))
        );
    }
    drop(client);
    // A reconnect to the same node resumes from its memory.
    let mut again = Client::connect(&a).await;
    let resumed = resume(&mut again, &page, &vs, 0).await;
    assert_eq!(resumed["type"], "resumed", "{resumed}");
    assert_eq!(resumed["ack"], 3);
}

/// An SSE stream, read line by line (HTTP/1.0: no chunked encoding).
struct SseStream {
    reader: std::io::BufReader<std::net::TcpStream>,
    cookie: String,
}

impl SseStream {
    fn open(addr: std::net::SocketAddr, id: &str, mounts: &Value) -> Self {
        use std::io::{BufRead as _, Write as _};
        let mounts: String = mounts
            .to_string()
            .bytes()
            .map(|b| match b {
                b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' => (b as char).to_string(),
                _ => format!("%{b:02X}"),
            })
            .collect();
        let mut tcp = std::net::TcpStream::connect(addr).unwrap();
        tcp.set_read_timeout(Some(std::time::Duration::from_secs(20)))
            .unwrap();
        write!(
            tcp,
            "GET /djust/sse/{id}/?mounts={mounts} HTTP/1.0\r\nHost: {addr}\r\n\r\n"
        )
        .unwrap();
        let mut reader = std::io::BufReader::new(tcp);
        let mut cookie = String::new();
        loop {
            let mut line = String::new();
            reader.read_line(&mut line).unwrap();
            if line.trim().is_empty() {
                break;
            }
            if line.to_ascii_lowercase().starts_with("set-cookie:") {
                let value = &line["set-cookie:".len()..];
                cookie = value.trim().split(';').next().unwrap().to_owned();
            }
        }
        Self { reader, cookie }
    }

    /// The next `data:` frame.
    fn frame(&mut self) -> Value {
        use std::io::BufRead as _;
        loop {
            let mut line = String::new();
            assert!(
                self.reader.read_line(&mut line).unwrap() > 0,
                "the stream ended"
            );
            if let Some(data) = line.trim_end().strip_prefix("data: ") {
                return serde_json::from_str(data).unwrap();
            }
        }
    }
}

/// `POST /djust/sse/<id>/message/` of `frame` with the owner `cookie`; the status.
fn sse_post(server: &TestServer, id: &str, frame: &Value, cookie: &str) -> u16 {
    use std::io::{Read as _, Write as _};
    let body = frame.to_string();
    let mut tcp = std::net::TcpStream::connect(server.addr).unwrap();
    write!(
        tcp,
        "POST /djust/sse/{id}/message/ HTTP/1.1\r\nHost: {}\r\nOrigin: {}\r\nCookie: {cookie}\r\n\
         Content-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        server.addr,
        server.origin(),
        body.len()
    )
    .unwrap();
    let mut answer = String::new();
    tcp.read_to_string(&mut answer).unwrap();
    answer.split(' ').nth(1).unwrap().parse().unwrap()
}

#[test]
fn an_sse_post_to_another_node_is_refused_and_the_reconnect_there_resumes() {
    let redis = RedisServer::start();
    let (a, _on_a) = node(&redis);
    let (b, _on_b) = node(&redis);
    let page = container(a.addr, "/basket/");
    let mount = json!({"type": "mount", "target": page.target, "view": page.view,
                       "token": page.token, "url": "/basket/"});
    let stream_id = "5a1e2b3c4d5e6f708192a3b4c5d6e7f8";
    let mut on_a = SseStream::open(a.addr, stream_id, &json!([mount]));
    assert_eq!(on_a.frame()["type"], "connect");
    let mounted = on_a.frame();
    let vs = mounted["vs"].as_str().unwrap().to_owned();
    let add = |item: &str, seq: u64| {
        json!({"type": "event", "target": page.target, "event": "add",
               "params": {"item": item}, "ref": seq, "seq": seq})
    };
    assert_eq!(sse_post(&a, stream_id, &add("tea", 1), &on_a.cookie), 202);
    assert_eq!(on_a.frame()["ack"], 1);

    // The balancer sends the next POST to B, which has no such stream: 404, nothing applied.
    assert_eq!(sse_post(&b, stream_id, &add("cake", 2), &on_a.cookie), 404);
    // The client reconnects (through the balancer, to B) and resumes; then sends event 2 again.
    let mut resume = mount;
    resume["resume"] = json!({"vs": vs, "rev": 1});
    let fresh_id = "6b2f3c4d5e6f708192a3b4c5d6e7f809";
    let mut on_b = SseStream::open(b.addr, fresh_id, &json!([resume]));
    assert_eq!(on_b.frame()["type"], "connect");
    let resumed = on_b.frame();
    assert_eq!(
        (resumed["type"].as_str(), resumed["ack"].as_u64()),
        (Some("resumed"), Some(1))
    );
    assert_eq!(sse_post(&b, fresh_id, &add("cake", 2), &on_b.cookie), 202);
    let applied = on_b.frame();
    assert_eq!(
        (applied["type"].as_str(), applied["ack"].as_u64()),
        (Some("patch"), Some(2))
    );
    let id = vs.split('.').next().unwrap();
    let state = redis
        .command(&["HGET", &format!("djust:vs:{id}"), "state"])
        .unwrap();
    assert!(state.contains(r#"["tea","cake"]"#), "{state}");
}
