//! The topic's own rules, with the in-process backend (the Redis backend is tested against a
//! real redis-server in `tests/pubsub_redis.rs`).

use std::sync::{Arc, Mutex};

use djust_core::ViewHandle;

use super::PubSub;

fn recorder() -> (ViewHandle<String>, Arc<Mutex<Vec<String>>>) {
    let seen = Arc::new(Mutex::new(Vec::new()));
    let sink = Arc::clone(&seen);
    let handle = ViewHandle::new(move |message: String| {
        sink.lock().unwrap().push(message);
        true
    });
    (handle, seen)
}

#[test]
fn topics_of_one_name_share_their_subscribers() {
    let pubsub = PubSub::local();
    let (handle, seen) = recorder();
    pubsub.topic::<String>("room").subscribe(handle);
    assert_eq!(pubsub.topic::<String>("room").broadcast(&"hi".into()), 1);
    assert_eq!(pubsub.topic::<String>("other").broadcast(&"no".into()), 0);
    assert_eq!(*seen.lock().unwrap(), ["hi"]);
    assert!(pubsub.is_connected());
    assert!(!pubsub.is_distributed());
}

#[test]
#[should_panic(expected = "another type")]
fn a_name_keeps_its_message_type() {
    let pubsub = PubSub::local();
    let _ = pubsub.topic::<String>("room");
    let _ = pubsub.topic::<u32>("room");
}

#[test]
fn gone_subscribers_are_dropped() {
    let pubsub = PubSub::local();
    let topic = pubsub.topic::<String>("room");
    topic.subscribe(ViewHandle::new(|_| false));
    assert_eq!(topic.broadcast(&"x".into()), 0);
    assert_eq!(topic.local_subscribers(), 0);
}
