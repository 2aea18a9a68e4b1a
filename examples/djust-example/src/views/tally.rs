//! `/tally/`: a tally whose state lives in the application, not in the view, so that what the
//! server applied can be checked after any number of reconnections (the delivery browser tests
//! click while the connection is cut).

use std::{
    collections::VecDeque,
    sync::{Arc, Mutex},
};

use djust_actix::prelude::*;

/// How many of the latest entries the page shows.
const SHOWN: usize = 100;

/// How many numbers were ever added, and the last 100 (`SHOWN`) in the order the server applied
/// them (shared by all views; bounded however long the server runs).
#[derive(Debug, Default)]
pub struct TallyLog {
    entries: Mutex<Entries>,
}

#[derive(Debug, Default)]
struct Entries {
    count: usize,
    latest: VecDeque<u32>,
}

impl TallyLog {
    fn push(&self, n: u32) {
        let mut entries = self.lock();
        entries.count += 1;
        entries.latest.push_back(n);
        if entries.latest.len() > SHOWN {
            entries.latest.pop_front();
        }
    }

    /// How many entries there are and the last 100 (`SHOWN`) of them.
    fn snapshot(&self) -> (usize, Vec<u32>) {
        let entries = self.lock();
        (entries.count, entries.latest.iter().copied().collect())
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Entries> {
        self.entries
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

/// Buttons adding 1 to 5 to the shared log.
#[live_view(template = "tally.html", title = "Tally")]
#[derive(Debug)]
pub struct Tally {
    /// How many entries the log holds.
    pub count: usize,
    /// The latest entries, comma-separated.
    pub latest: String,
    log: Arc<TallyLog>,
}

#[events]
impl Tally {
    fn mount(ctx: &mut MountContext<'_, ()>) -> Result<Self, MountError> {
        let log = ctx
            .data::<Arc<TallyLog>>()
            .cloned()
            .ok_or_else(|| MountError::new("the tally log is not configured"))?;
        let mut tally = Self {
            count: 0,
            latest: String::new(),
            log,
        };
        tally.refresh();
        Ok(tally)
    }

    /// Appends `n` to the shared log.
    #[event]
    fn add(&mut self, n: u32) {
        self.log.push(n);
        self.refresh();
    }

    /// Shows the log as it is now (other tabs may have added to it).
    #[event]
    fn refresh(&mut self) {
        let (count, latest) = self.log.snapshot();
        self.count = count;
        self.latest = latest
            .iter()
            .map(u32::to_string)
            .collect::<Vec<_>>()
            .join(",");
    }
}
