//! Topics across two nodes (two `PubSub`s in one process) on a real redis-server.

mod redis_server;

use std::sync::{Arc, Mutex};

use djust_actix::{core::ViewHandle, metric, PubSub};
use metrics_util::debugging::{DebugValue, DebuggingRecorder};
use redis_server::{wait_for, RedisServer};

type Seen = Arc<Mutex<Vec<u32>>>;

/// A subscriber recording what it gets, and a switch that makes it "go away".
fn subscriber() -> (ViewHandle<u32>, Seen, Arc<Mutex<bool>>) {
    let seen = Seen::default();
    let alive = Arc::new(Mutex::new(true));
    let (sink, live) = (Arc::clone(&seen), Arc::clone(&alive));
    let handle = ViewHandle::new(move |n| {
        if !*live.lock().unwrap() {
            return false;
        }
        sink.lock().unwrap().push(n);
        true
    });
    (handle, seen, alive)
}

fn len(seen: &Seen) -> usize {
    seen.lock().unwrap().len()
}

fn connected(node: &PubSub) {
    wait_for("the node to reach redis", || node.is_connected());
}

/// `PUBSUB NUMSUB channel` as the number Redis answers.
fn subscribers_in_redis(redis: &RedisServer, channel: &str) -> Option<u32> {
    let answer = redis.command(&["PUBSUB", "NUMSUB", channel])?;
    answer.lines().last()?.trim_start_matches(':').parse().ok()
}

#[test]
fn messages_cross_nodes_in_order_and_reach_the_publisher_once() {
    let redis = RedisServer::start();
    let (a, b) = (
        PubSub::redis(&redis.url()).unwrap(),
        PubSub::redis(&redis.url()).unwrap(),
    );
    connected(&a);
    connected(&b);
    assert_ne!(a.node(), b.node());
    let (on_a, seen_a, _) = subscriber();
    let (on_b, seen_b, _) = subscriber();
    a.topic::<u32>("numbers").subscribe(on_a);
    b.topic::<u32>("numbers").subscribe(on_b);
    wait_for("both nodes to subscribe", || {
        subscribers_in_redis(&redis, "djust:topic:numbers") == Some(2)
    });

    for n in 1..=200 {
        assert_eq!(
            a.topic::<u32>("numbers").broadcast(&n),
            1,
            "delivered on A at once"
        );
    }
    wait_for("B to get all 200", || len(&seen_b) == 200);
    assert_eq!(*seen_b.lock().unwrap(), (1..=200).collect::<Vec<_>>());
    // B answers after everything of A went through Redis: when A has B's message, A's own
    // echoes came back before it (and were skipped).
    b.topic::<u32>("numbers").broadcast(&1000);
    wait_for("A to get B's message", || len(&seen_a) == 201);
    let mut expected: Vec<u32> = (1..=200).collect();
    expected.push(1000);
    assert_eq!(
        *seen_a.lock().unwrap(),
        expected,
        "A got its own once, and B's"
    );
    assert_eq!(len(&seen_b), 201);
}

#[test]
fn a_channel_is_subscribed_while_the_node_has_subscribers() {
    let redis = RedisServer::start();
    let node = PubSub::redis(&redis.url()).unwrap();
    connected(&node);
    let topic = node.topic::<u32>("rooms");
    assert_eq!(subscribers_in_redis(&redis, "djust:topic:rooms"), Some(0));
    let (handle, _, alive) = subscriber();
    topic.subscribe(handle);
    wait_for("the subscription", || {
        subscribers_in_redis(&redis, "djust:topic:rooms") == Some(1)
    });
    *alive.lock().unwrap() = false;
    assert_eq!(topic.broadcast(&1), 0);
    wait_for("the unsubscription", || {
        subscribers_in_redis(&redis, "djust:topic:rooms") == Some(0)
    });
}

#[test]
fn redis_down_local_delivery_goes_on_failures_are_counted_and_subscriptions_come_back() {
    let mut redis = RedisServer::start();
    let (a, b) = (
        PubSub::redis(&redis.url()).unwrap(),
        PubSub::redis(&redis.url()).unwrap(),
    );
    connected(&a);
    connected(&b);
    let (on_a, seen_a, _) = subscriber();
    let (on_b, seen_b, _) = subscriber();
    a.topic::<u32>("t").subscribe(on_a);
    b.topic::<u32>("t").subscribe(on_b);
    wait_for("both subscribed", || {
        subscribers_in_redis(&redis, "djust:topic:t") == Some(2)
    });

    redis.kill();
    wait_for("A to notice", || !a.is_connected());
    let recorder = DebuggingRecorder::new();
    let snapshotter = recorder.snapshotter();
    let delivered = metrics::with_local_recorder(&recorder, || a.topic::<u32>("t").broadcast(&7));
    assert_eq!(delivered, 1, "A's own subscriber still gets it");
    assert_eq!(*seen_a.lock().unwrap(), [7]);
    let failed: Vec<_> = snapshotter
        .snapshot()
        .into_vec()
        .into_iter()
        .filter(|(key, ..)| key.key().name() == metric::PUBLISH_FAILED)
        .map(|(.., value)| value)
        .collect();
    assert_eq!(
        failed,
        [DebugValue::Counter(1)],
        "the unsent publish is counted"
    );

    redis.restart();
    connected(&a);
    connected(&b);
    wait_for("both subscribed again", || {
        subscribers_in_redis(&redis, "djust:topic:t") == Some(2)
    });
    b.topic::<u32>("t").broadcast(&8);
    wait_for("A to get B's message after the restart", || {
        len(&seen_a) == 2
    });
    assert_eq!(*seen_a.lock().unwrap(), [7, 8]);
    assert_eq!(
        *seen_b.lock().unwrap(),
        [8],
        "7 never reached B: it was not claimed sent"
    );
}
