//! How the cost of one table update grows with the table: `growth [ROWS…]` prints, for each
//! row count (default 100 1000 10000), the median µs of `update_every_10th` in process
//! (handler + render + diff + encode) and the size of its patch.
//!
//! Tables of 1,000 rows and more are built with `create` and `append` (1,000 rows each);
//! smaller ones are a `create` cut down to size, the kept tree updated to match.

use djust_bench::views::{median_update, render, Mounted};
use djust_core::Params;
use djust_example::views::rows::Rows;

fn main() {
    let counts: Vec<usize> = std::env::args()
        .skip(1)
        .filter_map(|n| n.parse().ok())
        .collect();
    let counts = if counts.is_empty() {
        vec![100, 1000, 10_000]
    } else {
        counts
    };
    let none = Params::new();
    for rows in counts {
        let mut table = table(rows, &none);
        let iters = (200_000 / rows).clamp(20, 500);
        let (micros, bytes) = median_update(iters, || table.event("update_every_10th", &none));
        println!("growth rows {rows} iters {iters} update10_us {micros:.1} patch_bytes {bytes}");
    }
}

/// A mounted table of exactly `rows` rows.
fn table(rows: usize, none: &Params) -> Mounted<Rows> {
    let mut table = Mounted::<Rows>::new("/rows/");
    table.event("create", none);
    while table.view.rows.len() < rows {
        table.event("append", none);
    }
    table.view.rows.truncate(rows);
    table.dom.update(render(&table.view));
    table
}
