//! In-process cost per event of the example's views (handler + render + diff + encode), the
//! number `bench/run.sh` compares with djust's `diff_html` on the same HTML.
//!
//! `inproc [ITERS] [OUT_DIR]` prints one line of `name value` pairs; with `OUT_DIR` it also
//! writes `rows_old.html` and `rows_new.html`, the update-every-10th pair, for the peer.

use std::time::Instant;

use djust_bench::views::{render, Mounted};
use djust_core::{vdom::Update, Params};
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
    let (update, bytes) = time(iters, || rows.event("update_every_10th", &none));
    let mut counter = Mounted::<Counter>::new("/counter/");
    let (increment, _) = time(iters * 10, || counter.event("increment", &none));
    println!(
        "inproc iters {iters} rows_update10_us {update:.1} rows_update10_bytes {bytes} \
         counter_increment_us {increment:.2}"
    );
}

/// Median µs of `iters` calls of `f` (after 5 untimed ones) and the last update's size.
fn time(iters: usize, mut f: impl FnMut() -> Update) -> (f64, usize) {
    for _ in 0..5 {
        f();
    }
    let mut micros = Vec::with_capacity(iters);
    let mut bytes = 0;
    for _ in 0..iters {
        let started = Instant::now();
        let update = f();
        micros.push(started.elapsed().as_secs_f64() * 1e6);
        bytes = match update {
            Update::Patches(json) | Update::Html(json) => json.len(),
            Update::Unchanged => 0,
        };
    }
    micros.sort_by(f64::total_cmp);
    (micros[micros.len() / 2], bytes)
}
