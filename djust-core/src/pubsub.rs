//! [`Topic`]: fan one message out to every view that subscribed.

use std::{fmt, sync::Mutex};

use crate::ViewHandle;

/// A set of view handles that all receive each broadcast message.
///
/// Keep one in the application's shared data; views subscribe on a connected mount
/// (`ctx.context().handle()`), handlers broadcast. Handles of views that went away are dropped
/// on the next broadcast.
pub struct Topic<T> {
    subscribers: Mutex<Vec<ViewHandle<T>>>,
}

impl<T: Clone> Topic<T> {
    /// A topic with no subscribers.
    pub fn new() -> Self {
        Self {
            subscribers: Mutex::new(Vec::new()),
        }
    }

    /// Adds a subscriber.
    pub fn subscribe(&self, handle: ViewHandle<T>) {
        self.lock().push(handle);
    }

    /// Sends `message` to every live subscriber; returns how many received it.
    pub fn broadcast(&self, message: &T) -> usize {
        let mut subscribers = self.lock();
        subscribers.retain(|handle| handle.send(message.clone()));
        subscribers.len()
    }

    /// The number of subscribers kept (some may have gone away since the last broadcast).
    pub fn len(&self) -> usize {
        self.lock().len()
    }

    /// `true` when nobody subscribed.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Vec<ViewHandle<T>>> {
        // A poisoned list of handles is still a valid list of handles.
        self.subscribers
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

impl<T: Clone> Default for Topic<T> {
    fn default() -> Self {
        Self::new()
    }
}

impl<T> fmt::Debug for Topic<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Topic").finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::{
        atomic::{AtomicUsize, Ordering},
        Arc,
    };

    #[test]
    fn broadcast_reaches_live_subscribers_and_drops_gone_ones() {
        let topic = Topic::<u32>::new();
        let received = Arc::new(AtomicUsize::new(0));
        let counter = Arc::clone(&received);
        topic.subscribe(ViewHandle::new(move |n| {
            counter.fetch_add(n as usize, Ordering::SeqCst);
            true
        }));
        topic.subscribe(ViewHandle::new(|_| false));
        assert_eq!(topic.broadcast(&2), 1);
        assert_eq!(topic.broadcast(&3), 1);
        assert_eq!(received.load(Ordering::SeqCst), 5);
        assert_eq!(topic.len(), 1);
    }
}
