//! A fixed VDOM workload on the 1,000-row table, for instruction counts (deterministic, unlike
//! times on a shared machine): `vdom_work parse` parses the table 200 times, `vdom_work update`
//! runs 100 `LiveDom::update`s (parse + diff + encode) alternating between the table and the
//! table with every 10th label changed; `vdom_work wake` the same updates, each from a
//! hibernated (compact) kept tree (`LiveDom::hibernate` before each, not counted apart);
//! no argument does `parse` and `update`.
//!
//! ```text
//! cargo build --release -p djust-bench --bin vdom_work
//! valgrind --tool=cachegrind --cache-sim=no target/release/vdom_work parse
//! ```

use std::hint::black_box;

use djust_bench::{rows, rows_html, update_every};
use djust_core::vdom::{LiveDom, Tree};

fn main() {
    let only = std::env::args().nth(1).unwrap_or_default();
    let table = rows_html(&rows(1000), None);
    let changed = rows_html(&update_every(&rows(1000), 10, " !!!"), None);
    let mut nodes = 0;
    if only.is_empty() || only == "parse" {
        for _ in 0..200 {
            nodes += Tree::parse(black_box(table.clone())).len();
        }
    }
    if only != "parse" {
        let mut dom = LiveDom::new(table.clone());
        for i in 0..100 {
            let next = if i % 2 == 0 { &changed } else { &table };
            if only == "wake" {
                dom.hibernate();
            }
            black_box(dom.update(next.clone()));
        }
    }
    println!("{nodes} nodes parsed");
}
