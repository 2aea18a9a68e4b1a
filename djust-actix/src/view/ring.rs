//! [`Ring`]: the last revisions of a view session, so a resume replays what the client
//! missed instead of sending the whole view.

use std::collections::VecDeque;

use djust_core::{stream::StreamOp, toolbox::Flash};

/// Revisions kept.
const MAX_REVISIONS: usize = 64;
/// Bytes of patch lists, flash messages and stream operations kept.
const MAX_BYTES: usize = 64 * 1024;

/// What a revision changed besides the DOM: a resume replays it with the patches.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Carried {
    /// Flash messages, in order.
    pub(crate) flash: Vec<Flash>,
    /// Stream operations, in order.
    pub(crate) streams: Vec<StreamOp>,
}

impl Carried {
    /// What `flash` and `streams` would replay (clones: the frame that carried them is gone).
    pub(crate) fn of(flash: &[Flash], streams: &[StreamOp]) -> Self {
        Self {
            flash: flash.to_vec(),
            streams: streams.to_vec(),
        }
    }

    /// `true` when there is nothing to replay.
    pub(crate) fn is_empty(&self) -> bool {
        self.flash.is_empty() && self.streams.is_empty()
    }

    /// Bytes held, roughly (the size of their JSON).
    fn bytes(&self) -> usize {
        if self.is_empty() {
            return 0;
        }
        let flash: usize = self
            .flash
            .iter()
            .map(|flash| flash.kind.len() + flash.message.len() + 24)
            .sum();
        let streams: usize = self
            .streams
            .iter()
            .map(|op| serde_json::to_string(op).map_or(0, |json| json.len()))
            .sum();
        flash + streams
    }
}

/// One recorded revision.
#[derive(Debug, Clone, PartialEq)]
struct Revision {
    number: u64,
    /// The patch list (JSON); `None` when the whole HTML was sent (not replayable).
    patches: Option<String>,
    carried: Carried,
    bytes: usize,
}

/// What a client at some revision missed, in order.
#[derive(Debug, Default, PartialEq)]
pub(crate) struct Missed<'a> {
    /// The patch lists.
    pub(crate) patches: Vec<&'a str>,
    /// The flash messages.
    pub(crate) flash: Vec<Flash>,
    /// The stream operations.
    pub(crate) streams: Vec<StreamOp>,
}

/// The recent revisions of one view session.
#[derive(Debug, Default)]
pub(crate) struct Ring {
    /// Oldest first; revision numbers are consecutive.
    revisions: VecDeque<Revision>,
    bytes: usize,
}

impl Ring {
    /// Records revision `rev` as the patch list `patches` (`"[]"` for a revision that only
    /// carried flash messages or stream operations) with what it `carried`.
    pub(crate) fn patches(&mut self, rev: u64, patches: &str, carried: Carried) {
        self.push(rev, Some(patches.to_owned()), carried);
    }

    /// Records revision `rev` as a whole-HTML change.
    pub(crate) fn whole(&mut self, rev: u64) {
        self.push(rev, None, Carried::default());
    }

    /// What the revisions after `rev` up to `current` changed, when the ring holds all of
    /// them as patches; `None` when the client needs the whole HTML.
    pub(crate) fn since(&self, rev: u64, current: u64) -> Option<Missed<'_>> {
        if rev >= current {
            return Some(Missed::default());
        }
        if self.revisions.front()?.number > rev + 1 {
            return None;
        }
        let mut missed = Missed::default();
        for revision in self.revisions.iter().filter(|r| r.number > rev) {
            missed.patches.push(revision.patches.as_deref()?);
            missed.flash.extend_from_slice(&revision.carried.flash);
            missed.streams.extend_from_slice(&revision.carried.streams);
        }
        Some(missed)
    }

    /// Bytes held.
    pub(crate) fn bytes(&self) -> usize {
        self.bytes
    }

    fn push(&mut self, number: u64, patches: Option<String>, carried: Carried) {
        let bytes = patches.as_ref().map_or(0, String::len) + carried.bytes();
        self.bytes += bytes;
        self.revisions.push_back(Revision {
            number,
            patches,
            carried,
            bytes,
        });
        while self.revisions.len() > MAX_REVISIONS || self.bytes > MAX_BYTES {
            match self.revisions.pop_front() {
                Some(revision) => self.bytes -= revision.bytes,
                None => break,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn patched(ring: &mut Ring, rev: u64, patches: &str) {
        ring.patches(rev, patches, Carried::default());
    }

    fn lists(missed: Option<Missed<'_>>) -> Option<Vec<&str>> {
        missed.map(|missed| missed.patches)
    }

    #[test]
    fn replays_the_missed_revisions_or_asks_for_the_whole_view() {
        let mut ring = Ring::default();
        patched(&mut ring, 1, "[1]");
        patched(&mut ring, 2, "[2]");
        assert_eq!(lists(ring.since(0, 2)), Some(vec!["[1]", "[2]"]));
        assert_eq!(lists(ring.since(1, 2)), Some(vec!["[2]"]));
        assert_eq!(lists(ring.since(2, 2)), Some(vec![]));
        ring.whole(3);
        assert_eq!(ring.since(1, 3), None);
        patched(&mut ring, 4, "[4]");
        assert_eq!(lists(ring.since(3, 4)), Some(vec!["[4]"]));
    }

    #[test]
    fn replays_the_flash_and_stream_operations_of_the_missed_revisions_in_order() {
        let flash = |message: &str| Flash {
            kind: "info".into(),
            message: message.into(),
        };
        let reset = |stream: &str| StreamOp::Reset {
            stream: stream.into(),
        };
        let mut ring = Ring::default();
        ring.patches(1, "[1]", Carried::of(&[flash("one")], &[]));
        ring.patches(2, "[]", Carried::of(&[flash("two")], &[reset("a")]));
        ring.patches(3, "[3]", Carried::of(&[], &[reset("b")]));
        let missed = ring.since(1, 3).expect("the ring reaches back");
        assert_eq!(missed.patches, vec!["[]", "[3]"]);
        assert_eq!(missed.flash, vec![flash("two")]);
        assert_eq!(missed.streams, vec![reset("a"), reset("b")]);
        assert!(ring.bytes() > "[1][][3]".len());
    }

    #[test]
    fn is_bounded_and_knows_when_it_does_not_reach_back() {
        let mut ring = Ring::default();
        let last = MAX_REVISIONS as u64 + 10;
        for rev in 1..=last {
            patched(&mut ring, rev, "[]");
        }
        assert_eq!(ring.revisions.len(), MAX_REVISIONS);
        assert_eq!(ring.since(0, last), None);
        assert_eq!(ring.since(9, last), None);
        assert!(ring.since(10, last).is_some());
        let mut big = Ring::default();
        patched(&mut big, 1, &"x".repeat(MAX_BYTES));
        patched(&mut big, 2, "[]");
        assert!(big.bytes() <= MAX_BYTES);
    }
}
