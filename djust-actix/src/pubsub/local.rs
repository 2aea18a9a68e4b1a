//! The in-process backend: nothing leaves the process.

use super::{Backend, Inbound, RedisLink};
use std::sync::Arc;

/// Delivers to this process's subscribers only (the topic does that itself).
#[derive(Debug)]
pub(super) struct Local {
    node: String,
}

impl Local {
    pub(super) fn new() -> Self {
        Self {
            node: crate::support::random_id(12),
        }
    }
}

impl Backend for Local {
    fn node(&self) -> &str {
        &self.node
    }

    fn subscribe(&self, _channel: &str, _inbound: Inbound) {}

    fn unsubscribe(&self, _channel: &str) {}

    fn publish(&self, _channel: &str, _payload: Vec<u8>) {}

    fn redis(&self) -> Option<&Arc<RedisLink>> {
        None
    }
}
