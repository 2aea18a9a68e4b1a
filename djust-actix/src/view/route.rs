//! [`Route`]: how the messages of a view session's handles reach it — through the mailbox of
//! the connection it is attached to, or into a bounded queue while it waits in its grace
//! window, or nowhere once it ended.

use std::{
    any::Any,
    collections::VecDeque,
    fmt,
    sync::{Arc, Mutex, MutexGuard},
};

/// Messages queued for a view session in its grace window; past this the oldest are dropped.
const PARKED_MESSAGES: usize = 256;

/// A `handle_info` message for view session `session`.
pub(crate) struct ViewMessage {
    pub(crate) session: String,
    pub(crate) info: Box<dyn Any + Send>,
}

impl fmt::Debug for ViewMessage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ViewMessage({})", self.session)
    }
}

impl PartialEq for ViewMessage {
    /// Same addressee (the payloads are opaque).
    fn eq(&self, other: &Self) -> bool {
        self.session == other.session
    }
}

/// How a connection receives its views' messages from any thread: `false` when the connection
/// is gone. The transport provides it (an actor's address; a queue in tests).
pub(crate) type Mailbox = Arc<dyn Fn(ViewMessage) -> bool + Send + Sync>;

enum State {
    Attached(Mailbox),
    Parked(VecDeque<Box<dyn Any + Send>>),
    Ended,
}

/// Where one view session's messages go; shared by the session and its handles.
#[derive(Clone)]
pub(crate) struct Route {
    session: Arc<str>,
    state: Arc<Mutex<State>>,
}

impl fmt::Debug for Route {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Route({})", self.session)
    }
}

impl Route {
    /// The route of view session `session`, attached to `mailbox`.
    pub(crate) fn new(session: &str, mailbox: Mailbox) -> Self {
        Self {
            session: session.into(),
            state: Arc::new(Mutex::new(State::Attached(mailbox))),
        }
    }

    fn state(&self) -> MutexGuard<'_, State> {
        self.state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Sends `info` on: to the connection, into the grace queue, or nowhere (`false`).
    pub(crate) fn deliver(&self, info: Box<dyn Any + Send>) -> bool {
        let mailbox = match &mut *self.state() {
            State::Attached(mailbox) => Arc::clone(mailbox),
            State::Parked(queue) => {
                if queue.len() == PARKED_MESSAGES {
                    log::warn!(
                        "djust: view session {}: dropping a queued message",
                        self.session
                    );
                    queue.pop_front();
                }
                queue.push_back(info);
                return true;
            }
            State::Ended => return false,
        };
        // Called without the lock: a mailbox may run arbitrary code.
        mailbox(ViewMessage {
            session: self.session.to_string(),
            info,
        })
    }

    /// The session waits for a reconnect: messages queue up.
    pub(crate) fn park(&self) {
        let mut state = self.state();
        if matches!(*state, State::Attached(_)) {
            *state = State::Parked(VecDeque::new());
        }
    }

    /// The session is attached to the connection of `mailbox`; returns the messages queued
    /// while it was parked, in order.
    pub(crate) fn attach(&self, mailbox: Mailbox) -> Vec<Box<dyn Any + Send>> {
        let mut state = self.state();
        match std::mem::replace(&mut *state, State::Attached(mailbox)) {
            State::Parked(queue) => queue.into(),
            State::Attached(_) | State::Ended => Vec::new(),
        }
    }

    /// The session is over: its handles' sends fail from now on.
    pub(crate) fn end(&self) {
        *self.state() = State::Ended;
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};

    use super::*;

    #[test]
    fn attached_parked_and_ended_routes() {
        let received = Arc::new(AtomicUsize::new(0));
        let counter = Arc::clone(&received);
        let mailbox: Mailbox = Arc::new(move |message| {
            assert_eq!(message.session, "s1");
            counter.fetch_add(1, Ordering::SeqCst);
            true
        });
        let route = Route::new("s1", Arc::clone(&mailbox));
        assert!(route.deliver(Box::new(1)));
        assert_eq!(received.load(Ordering::SeqCst), 1);
        route.park();
        assert!(route.deliver(Box::new(2)));
        assert!(route.deliver(Box::new(3)));
        let queued = route.attach(mailbox);
        let values: Vec<i32> = queued
            .into_iter()
            .map(|info| *info.downcast().unwrap())
            .collect();
        assert_eq!(values, [2, 3]);
        assert_eq!(received.load(Ordering::SeqCst), 1);
        route.end();
        assert!(!route.deliver(Box::new(4)));
    }
}
