//! A view's delivery state as the client keeps it (`client/src/delivery.js`, `outbox.js`;
//! `docs/protocol.md`, "Delivery"): its view session (`vs`), the revision its DOM shows
//! (`rev`), and the events not yet acknowledged, numbered in the session (`seq`), so that a
//! reconnect resumes the session and sends again what the server may not have applied.

use std::time::Duration;

use serde_json::{json, Value};

use super::dom::Handle;

/// Events kept per view at most (the client's `OUTBOX.MAX_EVENTS`).
const MAX_EVENTS: usize = 200;
/// Bytes of the kept events' params at most (`OUTBOX.MAX_BYTES`).
const MAX_BYTES: usize = 256 * 1024;
/// An event older than this (of the test's clock) is dropped (`OUTBOX.MAX_AGE_MS`).
const MAX_AGE: Duration = Duration::from_secs(10 * 60);

/// Why an event the page made will not be applied (`OUTBOX.REASON`, the `reason` of the
/// client's `dj:event-not-applied`).
pub(super) mod reason {
    /// The server refused the event replayed after a remount.
    pub(in crate::test) const NOT_APPLIED: &str = "not_applied";
    /// Over the outbox's count or byte bound.
    pub(in crate::test) const FULL: &str = "outbox_full";
    /// Older than the age bound when it could go.
    pub(in crate::test) const TOO_OLD: &str = "too_old";
    /// Made in a `dj-no-recover` field, not sent after a reconnect.
    pub(in crate::test) const NO_RECOVER: &str = "no_recover";
}

/// One event kept until the server acknowledged or answered it.
#[derive(Debug, Clone)]
pub(super) struct Entry {
    /// Its number in the view session (`None` until a session is known).
    pub(super) seq: Option<u64>,
    pub(super) event: String,
    pub(super) params: Value,
    pub(super) reference: u64,
    /// The revision the page showed when it was made.
    pub(super) rev: u64,
    /// When it was made (the test's clock).
    pub(super) at: Duration,
    /// Made by form recovery (made again after every remount, never replayed).
    pub(super) recovery: bool,
    /// Made in a `dj-no-recover` field (dropped at a reconnect).
    pub(super) no_recover: bool,
    /// The element it was made on.
    pub(super) field: Option<Handle>,
    /// Set when it goes again after a remount: the revision it was made against.
    pub(super) replay: Option<u64>,
}

impl Entry {
    fn bytes(&self) -> usize {
        self.params.to_string().len()
    }

    /// The `event` frame that sends it to the view in `target`.
    pub(super) fn frame(&self, target: &str) -> Value {
        let mut frame = json!({
            "type": "event", "target": target, "event": self.event, "params": self.params,
            "ref": self.reference,
        });
        if let Some(seq) = self.seq {
            frame["seq"] = json!(seq);
        }
        if let Some(rev) = self.replay {
            frame["replay"] = json!({ "rev": rev });
        }
        frame
    }
}

/// One view's session, revision and unacknowledged events.
#[derive(Debug, Default)]
pub(super) struct Outbox {
    /// The view session's token, `None` before its first `mount` answer.
    pub(super) vs: Option<String>,
    /// The revision of the view session the mirror DOM shows.
    pub(super) rev: u64,
    /// The highest acknowledged `seq`.
    ack: u64,
    next_seq: u64,
    /// Unacknowledged events, oldest first.
    pub(super) entries: Vec<Entry>,
}

impl Outbox {
    /// Keeps a new event (numbered when a session is known); `None` when it would go over
    /// the count or byte bound.
    pub(super) fn add(&mut self, mut entry: Entry) -> Option<&Entry> {
        let bytes: usize = self.entries.iter().map(Entry::bytes).sum();
        if self.entries.len() >= MAX_EVENTS || bytes + entry.bytes() > MAX_BYTES {
            return None;
        }
        if self.vs.is_some() {
            self.next_seq += 1;
            entry.seq = Some(self.next_seq);
        }
        self.entries.push(entry);
        self.entries.last()
    }

    /// What a frame for the view says: its revision (`mount` and `resumed` set it themselves),
    /// its `ack`, and the answer to an event (`ref`); the entry answered, if any.
    pub(super) fn received(&mut self, frame: &Value) -> Option<Entry> {
        let kind = frame["type"].as_str().unwrap_or_default();
        let opening = matches!(kind, "mount" | "resumed");
        if let (Some(rev), false) = (frame["rev"].as_u64(), opening) {
            self.rev = rev;
        }
        if opening {
            return None;
        }
        let answered = frame["ref"]
            .as_u64()
            .and_then(|reference| self.take(|entry| entry.reference == reference).pop());
        if let Some(ack) = frame["ack"].as_u64() {
            self.acknowledge(ack);
        }
        answered
    }

    fn acknowledge(&mut self, ack: u64) {
        if ack > self.ack {
            self.ack = ack;
            self.take(|entry| entry.seq.is_some_and(|seq| seq <= ack));
        }
    }

    /// A `mount` answer brought a view session (a fresh one: numbers start at 1). `reconnect`:
    /// it answers a reconnect. Numbers the kept events in it, as replays when the state they
    /// were made against is gone (events of form recovery are dropped then: recovery runs
    /// again). Returns whether the state was lost (remounted); the kept events then go.
    pub(super) fn mounted(&mut self, frame: &Value, reconnect: bool) -> bool {
        let vs = frame["vs"].as_str().map(str::to_owned);
        let previous = self.vs.take();
        let remounted = reconnect && (previous.is_none() || vs != previous);
        let replay = remounted || (previous.is_some() && vs != previous);
        self.rev = frame["rev"].as_u64().unwrap_or(0);
        if remounted {
            self.take(|entry| entry.recovery);
        }
        self.vs = vs;
        self.ack = 0;
        self.next_seq = 0;
        if self.vs.is_some() {
            for entry in &mut self.entries {
                self.next_seq += 1;
                entry.seq = Some(self.next_seq);
                if replay && entry.replay.is_none() {
                    entry.replay = Some(entry.rev);
                }
            }
        }
        remounted
    }

    /// A `resumed` answer: the same session goes on (its token may be renewed); the events
    /// it has not acknowledged then go again, in order, under their numbers.
    pub(super) fn resumed(&mut self, frame: &Value) {
        if let Some(vs) = frame["vs"].as_str() {
            self.vs = Some(vs.to_owned());
        }
        if let Some(rev) = frame["rev"].as_u64() {
            self.rev = rev;
        }
        if let Some(ack) = frame["ack"].as_u64() {
            self.acknowledge(ack);
        }
    }

    /// The `resume` field of a reconnect's `mount`, `None` before any session.
    pub(super) fn resume_field(&self) -> Option<Value> {
        self.vs
            .as_ref()
            .map(|vs| json!({ "vs": vs, "rev": self.rev }))
    }

    /// Removes the events older than the age bound at `now`.
    pub(super) fn expire(&mut self, now: Duration) -> Vec<Entry> {
        self.take(|entry| now.saturating_sub(entry.at) > MAX_AGE)
    }

    /// Removes the events `predicate` selects, oldest first.
    pub(super) fn take(&mut self, predicate: impl Fn(&Entry) -> bool) -> Vec<Entry> {
        let (taken, kept) = std::mem::take(&mut self.entries)
            .into_iter()
            .partition(predicate);
        self.entries = kept;
        taken
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(event: &str, reference: u64) -> Entry {
        Entry {
            seq: None,
            event: event.to_owned(),
            params: json!({}),
            reference,
            rev: 0,
            at: Duration::ZERO,
            recovery: false,
            no_recover: false,
            field: None,
            replay: None,
        }
    }

    #[test]
    fn events_are_numbered_in_their_session_and_forgotten_once_acknowledged() {
        let mut outbox = Outbox::default();
        outbox.mounted(&json!({"type": "mount", "vs": "a", "rev": 0}), false);
        outbox.add(entry("one", 1));
        outbox.add(entry("two", 2));
        let seqs: Vec<_> = outbox.entries.iter().map(|e| e.seq).collect();
        assert_eq!(seqs, [Some(1), Some(2)]);
        outbox.received(&json!({"type": "patch", "rev": 4, "ack": 1}));
        assert_eq!(outbox.rev, 4);
        assert_eq!(outbox.entries.len(), 1);
        assert_eq!(outbox.resume_field(), Some(json!({"vs": "a", "rev": 4})));
        outbox.received(&json!({"type": "noop", "ref": 2}));
        assert!(outbox.entries.is_empty(), "answered");
    }

    #[test]
    fn a_remount_renumbers_the_kept_events_as_replays_and_drops_recovery_events() {
        let mut outbox = Outbox::default();
        outbox.mounted(&json!({"type": "mount", "vs": "a", "rev": 0}), false);
        outbox.received(&json!({"type": "patch", "rev": 3}));
        outbox.add(entry("kept", 1));
        outbox.add(Entry {
            recovery: true,
            ..entry("recovered", 2)
        });
        outbox.entries[0].rev = 3;
        let remounted = outbox.mounted(&json!({"type": "mount", "vs": "b", "rev": 0}), true);
        assert!(remounted);
        assert_eq!(outbox.entries.len(), 1);
        let frame = outbox.entries[0].frame("v");
        assert_eq!(
            (&frame["seq"], &frame["replay"]),
            (&json!(1), &json!({"rev": 3}))
        );
    }

    #[test]
    fn a_resume_keeps_the_numbers_of_what_the_server_did_not_acknowledge() {
        let mut outbox = Outbox::default();
        outbox.mounted(&json!({"type": "mount", "vs": "a", "rev": 0}), false);
        outbox.add(entry("one", 1));
        outbox.add(entry("two", 2));
        outbox.resumed(&json!({"type": "resumed", "vs": "a2", "rev": 1, "ack": 1}));
        assert_eq!(outbox.vs.as_deref(), Some("a2"));
        let seqs: Vec<_> = outbox.entries.iter().map(|e| e.seq).collect();
        assert_eq!(seqs, [Some(2)]);
        assert!(outbox.entries[0].frame("v")["replay"].is_null());
    }
}
