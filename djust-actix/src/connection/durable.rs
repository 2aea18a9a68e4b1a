//! Answers held until what they tell the client is durable. With view sessions in Redis, the
//! state an answer reveals (its revision, its `ack`) is written there first, so that a takeover
//! by another node resumes at least what the client saw. The write does not block the
//! connection: it is queued for the Redis writer, and every action decided from then on waits
//! here, in order, until the writer confirms it ([`Confirmed`], delivered through the
//! connection's mailbox). Meanwhile the connection goes on with its next inputs; their answers
//! queue up behind. A write refused because another node owns the session now drops what
//! waits behind it and closes the connection, unanswered.

use std::collections::VecDeque;

use super::{Action, Connection};
use crate::view::{Done, ViewMessage, Written};

/// The outcome of one write of the connection, for [`Connection::deliver`].
#[derive(Debug)]
pub(crate) struct Confirmed {
    ticket: u64,
    written: Written,
    /// The target of the view whose session was written.
    target: String,
}

/// The writes in flight and the actions waiting for them.
#[derive(Debug, Default)]
pub(super) struct Held {
    /// The last write queued, and the last one confirmed (confirmations come in order).
    issued: u64,
    confirmed: u64,
    /// Actions decided while a write was in flight, each with the write it waits for.
    waiting: VecDeque<(u64, Action)>,
}

impl Held {
    /// Whether a write is in flight (actions decided now wait).
    pub(super) fn is_waiting(&self) -> bool {
        self.issued > self.confirmed
    }

    /// Holds `action` until the last write queued is confirmed.
    pub(super) fn hold(&mut self, action: Action) {
        self.waiting.push_back((self.issued, action));
    }

    /// Forgets everything in flight (the connection closed).
    pub(super) fn clear(&mut self) {
        self.waiting.clear();
        self.confirmed = self.issued;
    }
}

impl Connection {
    /// Whether `message` is a write confirmation (handled without view code).
    pub(crate) fn is_confirmation(message: &ViewMessage) -> bool {
        message.info.is::<Confirmed>()
    }

    /// The ticket of the next write.
    pub(super) fn next_ticket(&self) -> u64 {
        self.held.issued + 1
    }

    /// The `done` of write `ticket` of the session attached as `target`: tells this
    /// connection, through its mailbox.
    pub(super) fn confirmation(&self, ticket: u64, target: &str) -> Done {
        let mailbox = std::sync::Arc::clone(&self.mailbox);
        let target = target.to_owned();
        Box::new(move |written| {
            let confirmed = Confirmed {
                ticket,
                written,
                target,
            };
            mailbox(ViewMessage {
                session: String::new(),
                info: Box::new(confirmed),
            });
        })
    }

    /// Write `ticket` was queued: what follows waits for it.
    pub(super) fn queued(&mut self, ticket: u64) {
        self.held.issued = ticket;
    }

    /// A write was confirmed: releases what waited for it; a refused one (another node owns
    /// the session) closes the connection instead.
    pub(super) fn confirmed(&mut self, confirmed: Confirmed) {
        let Confirmed {
            ticket,
            written,
            target,
        } = confirmed;
        if ticket <= self.held.confirmed {
            return; // cleared meanwhile
        }
        if written == Written::Fenced {
            self.held.clear();
            self.taken_over(&target);
            return;
        }
        self.held.confirmed = ticket;
        while self
            .held
            .waiting
            .front()
            .is_some_and(|(waits_for, _)| *waits_for <= ticket)
        {
            if let Some((_, action)) = self.held.waiting.pop_front() {
                self.actions.push(action);
            }
        }
    }
}
