//! View sessions in Redis: two nodes (two servers in one process, each with its own
//! `PubSub::redis`) on a real redis-server. A reconnect on the other node takes the session
//! over (public state, ledger, revision), the former owner is fenced off, nothing is applied
//! twice; with Redis down, a node keeps its sessions in memory.

mod common;
mod redis_server;

use common::{container, Client, TestServer, SECRET};
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
    on_b.send(
        json!({"type": "mount", "target": page.target, "view": page.view,
                     "token": page.token, "url": "/basket/",
                     "resume": {"vs": vs, "rev": 3}}),
    )
    .await;
    let resumed = on_b.recv().await;
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
    back.send(
        json!({"type": "mount", "target": page.target, "view": page.view,
                     "token": page.token, "url": "/basket/",
                     "resume": {"vs": vs, "rev": 4}}),
    )
    .await;
    let resumed = back.recv().await;
    assert_eq!(resumed["type"], "resumed", "{resumed}");
    assert_eq!(resumed["ack"], 4);
    assert_eq!(items_in(resumed["html"].as_str().unwrap()), 4, "{resumed}");
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
    again
        .send(
            json!({"type": "mount", "target": page.target, "view": page.view,
                     "token": page.token, "url": "/basket/",
                     "resume": {"vs": vs, "rev": 0}}),
        )
        .await;
    let resumed = again.recv().await;
    assert_eq!(resumed["type"], "resumed", "{resumed}");
    assert_eq!(resumed["ack"], 3);
}
