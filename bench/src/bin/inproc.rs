//! In-process cost per event of the example's views (handler + render + diff + encode), the
//! number `bench/run.sh` compares with djust's `diff_html` on the same HTML.
//!
//! `inproc [ITERS] [OUT_DIR]` prints one line of `name value` pairs; with `OUT_DIR` it also
//! writes `rows_old.html` and `rows_new.html`, the update-every-10th pair, for the peer.

use djust_bench::views::{median_update, render, Mounted};
use djust_core::Params;
use djust_example::views::{counter::Counter, rows::Rows};

fn main() {
    let mut args = std::env::args().skip(1);
    let iters: usize = args.next().and_then(|n| n.parse().ok()).unwrap_or(200);
    let out = args.next();
    let none = Params::new();

    let mut rows = Mounted::<Rows>::new("/rows/");
    rows.event("create", &none);
    if let Some(dir) = &out {
        let old = render(&rows.view);
        let mut probe = Mounted::<Rows>::new("/rows/");
        probe.event("create", &none);
        probe.event("update_every_10th", &none);
        let new = render(&probe.view);
        std::fs::write(format!("{dir}/rows_old.html"), old).expect("write rows_old.html");
        std::fs::write(format!("{dir}/rows_new.html"), new).expect("write rows_new.html");
    }
    let (update, bytes) = median_update(iters, || rows.event("update_every_10th", &none));
    let mut counter = Mounted::<Counter>::new("/counter/");
    let (increment, _) = median_update(iters * 10, || counter.event("increment", &none));
    println!(
        "inproc iters {iters} rows_update10_us {update:.1} rows_update10_bytes {bytes} \
         counter_increment_us {increment:.2}"
    );
}
