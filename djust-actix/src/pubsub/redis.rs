//! The Redis backend: [`RedisLink`] carries publishes and subscriptions.

use std::sync::Arc;

pub(crate) use super::link::RedisLink;
use super::{Backend, Inbound};

/// Publishes and subscribes through Redis.
#[derive(Debug)]
pub(super) struct RedisBackend {
    link: Arc<RedisLink>,
}

impl RedisBackend {
    pub(super) fn new(link: Arc<RedisLink>) -> Self {
        Self { link }
    }
}

impl Backend for RedisBackend {
    fn node(&self) -> &str {
        self.link.node()
    }

    fn subscribe(&self, channel: &str, inbound: Inbound) {
        self.link.subscribe(channel, inbound);
    }

    fn unsubscribe(&self, channel: &str) {
        self.link.unsubscribe(channel);
    }

    fn publish(&self, channel: &str, payload: Vec<u8>) {
        self.link.publish(channel, payload);
    }

    fn redis(&self) -> Option<&Arc<RedisLink>> {
        Some(&self.link)
    }
}
