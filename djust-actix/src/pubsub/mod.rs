//! Publish/subscribe across the nodes of a fleet: [`PubSub`] hands out [`NamedTopic`]s, which
//! fan a message out to the views that subscribed on this node and, through a backend, to the
//! other nodes.
//!
//! Two backends: [`PubSub::local`] (the default: one process, nothing leaves it) and
//! [`PubSub::redis`] (Redis pub/sub: one channel per topic, `djust:topic:<name>`, subscribed
//! while this node has local subscribers). A message is delivered to this node's subscribers at
//! once, in the publisher's thread; other nodes get it through Redis, serialized with serde
//! (JSON), in the order each node published. A node ignores its own messages coming back from
//! Redis, so nobody gets one twice. While Redis is unreachable local delivery goes on; messages
//! that could not be sent are counted ([`metric::PUBLISH_FAILED`]) and logged, and the
//! subscriptions come back with Redis.

mod link;
mod local;
mod redis;

use std::{
    any::Any,
    collections::HashMap,
    fmt,
    sync::{Arc, Mutex, Weak},
};

use djust_core::{pubsub::Topic, ViewHandle};
use serde::{de::DeserializeOwned, Serialize};

pub(crate) use self::redis::RedisLink;

/// The names of the pub/sub metrics (also in [`crate::metric`]).
pub(crate) mod metric {
    /// Counter: messages handed to Redis for the other nodes.
    pub const PUBLISHED: &str = "djust_pubsub_published_total";
    /// Counter: messages that could not be sent to the other nodes (Redis down, queue full).
    pub const PUBLISH_FAILED: &str = "djust_pubsub_publish_failed_total";
    /// Counter: messages from other nodes delivered to this node's subscribers.
    pub const RECEIVED: &str = "djust_pubsub_received_total";
}

/// The Redis channel of topic `name`.
fn channel_of(name: &str) -> String {
    format!("djust:topic:{name}")
}

/// Called with each payload another node published on a channel.
pub(crate) type Inbound = Arc<dyn Fn(&[u8]) + Send + Sync>;

/// Where a node's messages go besides its own subscribers.
pub(crate) trait Backend: Send + Sync + fmt::Debug {
    /// This node's id (it ignores payloads carrying it).
    fn node(&self) -> &str;
    /// Starts receiving what other nodes publish on `channel`.
    fn subscribe(&self, channel: &str, inbound: Inbound);
    /// Stops receiving `channel`.
    fn unsubscribe(&self, channel: &str);
    /// Sends `payload` to the other nodes, after what this node published before.
    fn publish(&self, channel: &str, payload: Vec<u8>);
    /// The Redis connection, if the backend has one (view sessions share it).
    fn redis(&self) -> Option<&Arc<RedisLink>>;
}

/// The pub/sub of a server: cheap to clone, all clones share topics and the connection.
#[derive(Clone)]
pub struct PubSub {
    backend: Arc<dyn Backend>,
    topics: Arc<Mutex<HashMap<String, Arc<dyn Any + Send + Sync>>>>,
}

/// Why [`PubSub::redis`] could not start.
#[derive(Debug)]
pub struct PubSubError(String);

impl fmt::Display for PubSubError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for PubSubError {}

impl PubSub {
    /// In-process only: messages reach the subscribers of this process.
    pub fn local() -> Self {
        Self::with(Arc::new(local::Local::new()))
    }

    /// Through Redis at `url` (`redis://host:port/db`, `rediss://` for TLS is not built in).
    /// Connects in the background and keeps reconnecting: a node starts, and serves its local
    /// subscribers, while Redis is down.
    ///
    /// # Errors
    /// When `url` is not a Redis URL.
    pub fn redis(url: &str) -> Result<Self, PubSubError> {
        let link = RedisLink::start(url).map_err(PubSubError)?;
        Ok(Self::with(Arc::new(redis::RedisBackend::new(link))))
    }

    fn with(backend: Arc<dyn Backend>) -> Self {
        Self {
            backend,
            topics: Arc::default(),
        }
    }

    /// This node's id, random per process.
    pub fn node(&self) -> &str {
        self.backend.node()
    }

    /// Whether messages go to other nodes (a Redis backend).
    pub fn is_distributed(&self) -> bool {
        self.backend.redis().is_some()
    }

    /// Whether messages can reach the other nodes now: Redis answers (always `true` for the
    /// local backend, which has no other nodes).
    pub fn is_connected(&self) -> bool {
        self.backend.redis().is_none_or(|link| link.is_up())
    }

    /// The Redis connection, when the backend is Redis.
    pub(crate) fn redis_link(&self) -> Option<&Arc<RedisLink>> {
        self.backend.redis()
    }

    /// Topic `name` with messages of type `T`; every call with the same name shares the same
    /// subscribers.
    ///
    /// # Panics
    /// When topic `name` was first asked for with another message type.
    pub fn topic<T>(&self, name: &str) -> NamedTopic<T>
    where
        T: Serialize + DeserializeOwned + Clone + Send + 'static,
    {
        let mut topics = self
            .topics
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let shared = topics
            .entry(name.to_owned())
            .or_insert_with(|| {
                Arc::new(Shared::<T> {
                    channel: channel_of(name),
                    local: Topic::new(),
                    backend: Arc::clone(&self.backend),
                    subscribed: Mutex::new(false),
                })
            })
            .clone();
        let inner = shared
            .downcast::<Shared<T>>()
            .unwrap_or_else(|_| panic!("topic `{name}` carries messages of another type"));
        NamedTopic { inner }
    }
}

impl Default for PubSub {
    fn default() -> Self {
        Self::local()
    }
}

impl fmt::Debug for PubSub {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PubSub")
            .field("backend", &self.backend)
            .finish_non_exhaustive()
    }
}

/// One topic of a [`PubSub`]: views of every node that subscribed receive what any node
/// broadcasts.
pub struct NamedTopic<T> {
    inner: Arc<Shared<T>>,
}

struct Shared<T> {
    channel: String,
    local: Topic<T>,
    backend: Arc<dyn Backend>,
    /// Whether the backend delivers this channel to us; changed under this lock only.
    subscribed: Mutex<bool>,
}

impl<T> NamedTopic<T>
where
    T: Serialize + DeserializeOwned + Clone + Send + 'static,
{
    /// Adds a subscriber on this node.
    pub fn subscribe(&self, handle: ViewHandle<T>) {
        let mut subscribed = self.inner.lock_subscribed();
        self.inner.local.subscribe(handle);
        if !*subscribed {
            *subscribed = true;
            let weak: Weak<Shared<T>> = Arc::downgrade(&self.inner);
            let inbound: Inbound = Arc::new(move |payload| {
                if let Some(shared) = weak.upgrade() {
                    shared.receive(payload);
                }
            });
            self.inner.backend.subscribe(&self.inner.channel, inbound);
        }
    }

    /// Delivers `message` to this node's live subscribers at once and sends it to the other
    /// nodes; returns how many subscribers of this node received it (what reaches other nodes
    /// is never counted: a publish Redis did not take is counted in
    /// [`metric::PUBLISH_FAILED`] and logged).
    pub fn broadcast(&self, message: &T) -> usize {
        let delivered = self.inner.local.broadcast(message);
        if self.inner.backend.redis().is_some() {
            match serde_json::to_vec(message) {
                Ok(json) => {
                    let node = self.inner.backend.node();
                    let mut payload = Vec::with_capacity(node.len() + 1 + json.len());
                    payload.extend_from_slice(node.as_bytes());
                    payload.push(b':');
                    payload.extend_from_slice(&json);
                    self.inner.backend.publish(&self.inner.channel, payload);
                }
                Err(error) => {
                    metrics::counter!(metric::PUBLISH_FAILED).increment(1);
                    log::error!(
                        "djust: {}: message not serializable, not sent to other nodes: {error}",
                        self.inner.channel
                    );
                }
            }
        }
        self.inner.unsubscribe_if_unused();
        delivered
    }

    /// How many subscribers this node keeps (some may have gone since the last message).
    pub fn local_subscribers(&self) -> usize {
        self.inner.local.len()
    }
}

impl<T: Clone + DeserializeOwned> Shared<T> {
    fn lock_subscribed(&self) -> std::sync::MutexGuard<'_, bool> {
        self.subscribed
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// A payload from Redis: `<node>:<json>`; our own are skipped (delivered when sent).
    fn receive(&self, payload: &[u8]) {
        let Some(colon) = payload.iter().position(|&byte| byte == b':') else {
            log::warn!(
                "djust: {}: a payload without a node id, ignored",
                self.channel
            );
            return;
        };
        if &payload[..colon] == self.backend.node().as_bytes() {
            return;
        }
        match serde_json::from_slice::<T>(&payload[colon + 1..]) {
            Ok(message) => {
                metrics::counter!(metric::RECEIVED).increment(1);
                self.local.broadcast(&message);
                self.unsubscribe_if_unused();
            }
            Err(error) => {
                log::warn!(
                    "djust: {}: a message of another shape, ignored: {error}",
                    self.channel
                );
            }
        }
    }

    fn unsubscribe_if_unused(&self) {
        let mut subscribed = self.lock_subscribed();
        if *subscribed && self.local.is_empty() {
            *subscribed = false;
            self.backend.unsubscribe(&self.channel);
        }
    }
}

impl<T> Clone for NamedTopic<T> {
    fn clone(&self) -> Self {
        Self {
            inner: Arc::clone(&self.inner),
        }
    }
}

impl<T> fmt::Debug for NamedTopic<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("NamedTopic")
            .field("channel", &self.inner.channel)
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests;
