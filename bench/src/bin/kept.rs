//! What one mounted 1,000-row view keeps (S8): its HTML's length, the kept tree's bytes as
//! parsed (after an update) and hibernated (compact, once idle), and roughly its state's.
//! `kept` prints one line of `name value` pairs.

use djust_bench::views::{render, Mounted};
use djust_core::Params;
use djust_example::views::rows::Rows;

fn main() {
    let mut rows = Mounted::<Rows>::new("/rows/");
    rows.event("create", &Params::new());
    let html = render(&rows.view);
    let state: usize = rows.view.rows.iter().map(|r| r.label.capacity() + 40).sum();
    let parsed = rows.dom.heap_bytes();
    rows.dom.hibernate();
    println!(
        "kept html_bytes {} nodes {} parsed_bytes {parsed} hibernated_bytes {} state_bytes_approx {state}",
        html.len(),
        rows.dom.tree().len(),
        rows.dom.heap_bytes(),
    );
}
