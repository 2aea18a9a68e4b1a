//! `/rows/`: the js-framework-benchmark operations on a keyed 1,000-row table.

use djust_actix::prelude::*;

/// The most rows a table holds: enough for the benchmark's "append to 10,000 rows".
pub const MAX_ROWS: usize = 11_000;

const ADJECTIVES: &[&str] = &[
    "pretty",
    "large",
    "big",
    "small",
    "tall",
    "short",
    "long",
    "handsome",
    "plain",
    "quaint",
    "clean",
    "elegant",
    "easy",
    "angry",
    "crazy",
    "helpful",
    "mushy",
    "odd",
    "unsightly",
    "adorable",
    "important",
    "inexpensive",
    "cheap",
    "expensive",
    "fancy",
];
const COLOURS: &[&str] = &[
    "red", "yellow", "blue", "green", "pink", "brown", "purple", "brown", "white", "black",
    "orange",
];
const NOUNS: &[&str] = &[
    "table", "chair", "house", "bbq", "desk", "car", "pony", "cookie", "sandwich", "burger",
    "pizza", "mouse", "keyboard",
];

/// One table row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    /// Stable id, also the row's `dj-key`.
    pub id: u64,
    /// Random label.
    pub label: String,
}

/// The rows table.
#[live_view(template = "rows.html", title = "Rows")]
#[derive(Debug, Default)]
pub struct Rows {
    /// The rows, in display order.
    pub rows: Vec<Row>,
    /// The selected row's id.
    pub selected: Option<u64>,
    next_id: u64,
    seed: u64,
}

impl Rows {
    fn random(&mut self, below: usize) -> usize {
        // xorshift64*: deterministic labels, no dependency.
        self.seed ^= self.seed << 13;
        self.seed ^= self.seed >> 7;
        self.seed ^= self.seed << 17;
        (self.seed.wrapping_mul(0x2545_f491_4f6c_dd1d) >> 33) as usize % below
    }

    fn build(&mut self, count: usize) -> Vec<Row> {
        (0..count)
            .map(|_| {
                self.next_id += 1;
                let label = format!(
                    "{} {} {}",
                    ADJECTIVES[self.random(ADJECTIVES.len())],
                    COLOURS[self.random(COLOURS.len())],
                    NOUNS[self.random(NOUNS.len())]
                );
                Row {
                    id: self.next_id,
                    label,
                }
            })
            .collect()
    }
}

#[events]
impl Rows {
    fn mount(_ctx: &mut MountContext<'_, ()>) -> Result<Self, MountError> {
        Ok(Self {
            seed: 0x9e37_79b9_7f4a_7c15,
            ..Self::default()
        })
    }

    /// Replaces the table with 1,000 new rows.
    #[event]
    fn create(&mut self) {
        self.rows = self.build(1000);
        self.selected = None;
    }

    /// Appends 1,000 rows, up to [`MAX_ROWS`].
    #[event]
    fn append(&mut self) -> Result<(), String> {
        if self.rows.len() + 1000 > MAX_ROWS {
            return Err(format!("the table holds at most {MAX_ROWS} rows"));
        }
        let more = self.build(1000);
        self.rows.extend(more);
        Ok(())
    }

    /// Marks every 10th row's label with " !!!" (or unmarks it, so that repeating the
    /// operation in a benchmark keeps the same cost instead of growing the labels).
    #[event]
    fn update_every_10th(&mut self) {
        for row in self.rows.iter_mut().step_by(10) {
            match row.label.strip_suffix(" !!!") {
                Some(plain) => row.label.truncate(plain.len()),
                None => row.label.push_str(" !!!"),
            }
        }
    }

    /// Swaps the second and the second-to-last rows.
    #[event]
    fn swap_rows(&mut self) {
        let len = self.rows.len();
        if len > 998 {
            self.rows.swap(1, 998);
        } else if len > 2 {
            self.rows.swap(1, len - 2);
        }
    }

    /// Highlights one row.
    #[event]
    fn select(&mut self, id: u64) {
        self.selected = Some(id);
    }

    /// Removes one row.
    #[event]
    fn remove(&mut self, id: u64) {
        self.rows.retain(|row| row.id != id);
    }

    /// Removes every row.
    #[event]
    fn clear(&mut self) {
        self.rows.clear();
        self.selected = None;
    }
}
