//! [`Ledger`]: which client events of a view session were applied — the high-water mark of
//! contiguous sequence numbers plus a small window above it — and the refusals they got, so a
//! duplicate is never applied again and is answered as the original was.

use std::collections::{BTreeSet, VecDeque};

/// Sequence numbers above the high-water mark remembered one by one; past this many the
/// oldest gap is given up (its numbers then count as applied).
const WINDOW: usize = 64;
/// Refusals remembered for answering duplicates.
const REFUSALS: usize = 32;

/// The `error` an event was refused with, to answer its duplicates the same way.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Refusal {
    pub(crate) code: &'static str,
    pub(crate) message: String,
    pub(crate) param: Option<String>,
}

/// Whether an event is to be applied.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Admission {
    /// Never seen: apply it, then [`Ledger::record`] it.
    Fresh,
    /// Seen before: do not apply; answer with the original's refusal if it had one.
    Duplicate(Option<Refusal>),
}

/// The applied events of one view session.
#[derive(Debug, Default)]
pub(crate) struct Ledger {
    high_water: u64,
    above: BTreeSet<u64>,
    refusals: VecDeque<(u64, Refusal)>,
}

impl Ledger {
    /// The high-water mark: every event numbered 1…ack was applied.
    pub(crate) fn ack(&self) -> u64 {
        self.high_water
    }

    /// A ledger that took over these applied events: all up to `high_water`, and `above`
    /// (another node's ledger, from Redis; its refusals are not carried over).
    pub(crate) fn restored(high_water: u64, above: impl IntoIterator<Item = u64>) -> Self {
        let mut ledger = Self {
            high_water,
            ..Self::default()
        };
        for seq in above {
            ledger.record(seq, None);
        }
        ledger
    }

    /// The applied sequence numbers above the high-water mark.
    pub(crate) fn above(&self) -> impl Iterator<Item = u64> + '_ {
        self.above.iter().copied()
    }

    /// Whether event `seq` is new.
    pub(crate) fn admit(&self, seq: u64) -> Admission {
        if seq > self.high_water && !self.above.contains(&seq) {
            return Admission::Fresh;
        }
        let refusal = self
            .refusals
            .iter()
            .find(|(number, _)| *number == seq)
            .map(|(_, refusal)| refusal.clone());
        Admission::Duplicate(refusal)
    }

    /// Records that event `seq` was handled (applied, or refused with `refusal`).
    pub(crate) fn record(&mut self, seq: u64, refusal: Option<Refusal>) {
        if let Some(refusal) = refusal {
            if self.refusals.len() == REFUSALS {
                self.refusals.pop_front();
            }
            self.refusals.push_back((seq, refusal));
        }
        if seq <= self.high_water {
            return;
        }
        self.above.insert(seq);
        while self.above.remove(&(self.high_water + 1)) {
            self.high_water += 1;
        }
        while self.above.len() > WINDOW {
            // Give up the oldest gap: what it held will never be applied.
            let lowest = self.above.pop_first().expect("the window is not empty");
            self.high_water = lowest;
            while self.above.remove(&(self.high_water + 1)) {
                self.high_water += 1;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn in_order_events_advance_the_mark_and_repeats_are_duplicates() {
        let mut ledger = Ledger::default();
        assert_eq!(ledger.admit(1), Admission::Fresh);
        ledger.record(1, None);
        ledger.record(2, None);
        assert_eq!(ledger.ack(), 2);
        assert_eq!(ledger.admit(2), Admission::Duplicate(None));
        assert_eq!(ledger.admit(1), Admission::Duplicate(None));
        assert_eq!(ledger.admit(3), Admission::Fresh);
    }

    #[test]
    fn out_of_order_events_wait_in_the_window() {
        let mut ledger = Ledger::default();
        ledger.record(2, None);
        assert_eq!(ledger.ack(), 0);
        assert_eq!(ledger.admit(2), Admission::Duplicate(None));
        assert_eq!(ledger.admit(1), Admission::Fresh);
        ledger.record(1, None);
        assert_eq!(ledger.ack(), 2);
    }

    #[test]
    fn duplicates_of_refused_events_get_the_same_refusal() {
        let mut ledger = Ledger::default();
        let refusal = Refusal {
            code: "invalid_param",
            message: "bad".into(),
            param: Some("by".into()),
        };
        ledger.record(1, Some(refusal.clone()));
        assert_eq!(ledger.admit(1), Admission::Duplicate(Some(refusal)));
    }

    #[test]
    fn a_restored_ledger_knows_what_was_applied() {
        let mut ledger = Ledger::default();
        for seq in [1, 2, 4, 6] {
            ledger.record(seq, None);
        }
        let restored = Ledger::restored(ledger.ack(), ledger.above());
        assert_eq!(restored.ack(), 2);
        for seq in [1, 2, 4, 6] {
            assert_eq!(restored.admit(seq), Admission::Duplicate(None));
        }
        assert_eq!(restored.admit(3), Admission::Fresh);
        assert_eq!(restored.admit(5), Admission::Fresh);
    }

    #[test]
    fn the_window_is_bounded() {
        let mut ledger = Ledger::default();
        for seq in 2..=(WINDOW as u64 + 2) {
            ledger.record(seq, None);
        }
        assert!(ledger.above.len() <= WINDOW);
        assert_eq!(ledger.ack(), WINDOW as u64 + 2);
    }
}
