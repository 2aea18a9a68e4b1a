//! `/rows-stream/?count=N`: the rows table with its rows as a stream, to measure what a
//! connection keeps. The mount streams `count` rows (1,000 by default, at most 10,000): the
//! server renders them once and keeps none, so a connection's memory does not grow with
//! `count`. With `&kept=1` the same rows are state rendered by the template (as `/rows/` does),
//! for comparison.

use std::fmt::Write as _;

use djust_actix::prelude::*;

/// The most rows one mount streams.
const MAX_ROWS: u64 = 10_000;

/// One streamed row.
struct StreamedRow(u64);

impl StreamItem for StreamedRow {
    fn dom_id(&self) -> String {
        format!("row-{}", self.0)
    }

    fn render_item(&self, out: &mut String) -> Result<(), RenderError> {
        let id = self.0;
        let _ = write!(
            out,
            "<tr><td class=\"col-md-1\">{id}</td><td class=\"col-md-4\"><a>{}</a></td></tr>",
            label(id)
        );
        Ok(())
    }
}

/// A row's label: deterministic words.
fn label(id: u64) -> String {
    const WORDS: &[&str] = &["pretty", "red", "table", "large", "blue", "chair", "odd"];
    let word = |n: u64| WORDS[usize::try_from(n % 7).unwrap_or(0)];
    format!("{} {} {}", word(id), word(id / 7), word(id / 49))
}

/// The streamed (or, with `kept`, stateful) table.
#[live_view(template = "stream_rows.html", title = "Streamed rows")]
#[derive(Debug)]
pub struct StreamRows {
    /// Rows streamed by the mount.
    pub count: u64,
    /// The rows as state (`kept=1` only): `(id, label)`.
    pub kept: Vec<(u64, String)>,
}

#[events]
impl StreamRows {
    fn mount(ctx: &mut MountContext<'_, ()>) -> Result<Self, MountError> {
        let count = ctx
            .query("count")
            .and_then(|count| count.parse().ok())
            .unwrap_or(1_000)
            .min(MAX_ROWS);
        if ctx.query("kept") == Some("1") {
            let kept = (1..=count).map(|id| (id, label(id))).collect();
            return Ok(Self { count, kept });
        }
        ctx.context()
            .stream("rows", (1..=count).map(StreamedRow))
            .map_err(|error| MountError::new(error.to_string()))?;
        Ok(Self {
            count,
            kept: Vec::new(),
        })
    }
}
