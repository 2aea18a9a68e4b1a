//! The example's views in process, per event: handler + render + diff + encode (what the
//! socket actor does before writing the frame), and the render alone.
//!
//! `cargo bench -p djust-bench --bench render -- --warm-up-time 1 --measurement-time 2`

use criterion::{black_box, criterion_group, criterion_main, Criterion};
use djust_bench::views::{param, render, Mounted};
use djust_core::Params;
use djust_example::views::{counter::Counter, home::Home, rows::Rows};

fn events(c: &mut Criterion) {
    let none = Params::new();
    let mut group = c.benchmark_group("event");
    let mut counter = Mounted::<Counter>::new("/counter/");
    group.bench_function("counter increment", |b| {
        b.iter(|| black_box(counter.event("increment", &none)));
    });
    let mut rows = Mounted::<Rows>::new("/rows/");
    rows.event("create", &none);
    // update_every_10th and swap_rows toggle, so every iteration costs the same.
    group.bench_function("rows update every 10th", |b| {
        b.iter(|| black_box(rows.event("update_every_10th", &none)));
    });
    group.bench_function("rows swap", |b| {
        b.iter(|| black_box(rows.event("swap_rows", &none)));
    });
    let (seven, eight) = (param("id", "7"), param("id", "8"));
    let mut flip = false;
    group.bench_function("rows select", |b| {
        b.iter(|| {
            flip = !flip;
            black_box(rows.event("select", if flip { &seven } else { &eight }))
        });
    });
    group.finish();
}

fn renders(c: &mut Criterion) {
    let mut group = c.benchmark_group("render");
    let home = Mounted::<Home>::new("/");
    group.bench_function("home", |b| b.iter(|| black_box(render(&home.view))));
    let counter = Mounted::<Counter>::new("/counter/");
    group.bench_function("counter", |b| b.iter(|| black_box(render(&counter.view))));
    let mut rows = Mounted::<Rows>::new("/rows/");
    rows.event("create", &Params::new());
    group.bench_function("rows 1k", |b| b.iter(|| black_box(render(&rows.view))));
    group.finish();
}

criterion_group!(benches, events, renders);
criterion_main!(benches);
