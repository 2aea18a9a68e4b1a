//! [`Ring`]: the last revisions of a view session, so a resume replays what the client
//! missed instead of sending the whole view.

use std::collections::VecDeque;

/// Revisions kept.
const MAX_REVISIONS: usize = 64;
/// Bytes of patch lists kept.
const MAX_BYTES: usize = 64 * 1024;

/// What one revision changed.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Change {
    /// A patch list (JSON).
    Patches(String),
    /// The whole HTML was sent (not replayable as patches).
    Whole,
}

/// The recent revisions of one view session.
#[derive(Debug, Default)]
pub(crate) struct Ring {
    /// `(revision, change)`, oldest first; revisions are consecutive.
    revisions: VecDeque<(u64, Change)>,
    bytes: usize,
}

impl Ring {
    /// Records revision `rev` as the patch list `patches`.
    pub(crate) fn patches(&mut self, rev: u64, patches: &str) {
        self.bytes += patches.len();
        self.revisions
            .push_back((rev, Change::Patches(patches.to_owned())));
        self.trim();
    }

    /// Records revision `rev` as a whole-HTML change.
    pub(crate) fn whole(&mut self, rev: u64) {
        self.revisions.push_back((rev, Change::Whole));
        self.trim();
    }

    /// The patch lists of the revisions after `rev` up to `current`, in order, when the ring
    /// holds all of them as patches; `None` when the client needs the whole HTML.
    pub(crate) fn since(&self, rev: u64, current: u64) -> Option<Vec<&str>> {
        if rev >= current {
            return Some(Vec::new());
        }
        let first = self.revisions.front()?.0;
        if first > rev + 1 {
            return None;
        }
        self.revisions
            .iter()
            .filter(|(number, _)| *number > rev)
            .map(|(_, change)| match change {
                Change::Patches(patches) => Some(patches.as_str()),
                Change::Whole => None,
            })
            .collect()
    }

    /// Bytes held.
    pub(crate) fn bytes(&self) -> usize {
        self.bytes
    }

    fn trim(&mut self) {
        while self.revisions.len() > MAX_REVISIONS || self.bytes > MAX_BYTES {
            match self.revisions.pop_front() {
                Some((_, Change::Patches(patches))) => self.bytes -= patches.len(),
                Some((_, Change::Whole)) => {}
                None => break,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replays_the_missed_revisions_or_asks_for_the_whole_view() {
        let mut ring = Ring::default();
        ring.patches(1, "[1]");
        ring.patches(2, "[2]");
        assert_eq!(ring.since(0, 2), Some(vec!["[1]", "[2]"]));
        assert_eq!(ring.since(1, 2), Some(vec!["[2]"]));
        assert_eq!(ring.since(2, 2), Some(vec![]));
        ring.whole(3);
        assert_eq!(ring.since(1, 3), None);
        ring.patches(4, "[4]");
        assert_eq!(ring.since(3, 4), Some(vec!["[4]"]));
    }

    #[test]
    fn is_bounded_and_knows_when_it_does_not_reach_back() {
        let mut ring = Ring::default();
        for rev in 1..=(MAX_REVISIONS as u64 + 10) {
            ring.patches(rev, "[]");
        }
        assert_eq!(ring.revisions.len(), MAX_REVISIONS);
        assert_eq!(ring.since(0, MAX_REVISIONS as u64 + 10), None);
        assert_eq!(
            ring.since(9, MAX_REVISIONS as u64 + 10).map(|p| p.len()),
            None
        );
        assert!(ring.since(10, MAX_REVISIONS as u64 + 10).is_some());
        let mut big = Ring::default();
        big.patches(1, &"x".repeat(MAX_BYTES));
        big.patches(2, "[]");
        assert!(big.bytes() <= MAX_BYTES);
    }
}
