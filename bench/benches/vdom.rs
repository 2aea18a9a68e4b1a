//! Per-event VDOM cost on the 1,000-row table: `LiveDom::update` (parse + diff + encode) from
//! pre-rendered HTML strings.
//!
//! `cargo bench -p djust-bench --bench vdom -- --warm-up-time 1 --measurement-time 2`

use criterion::{black_box, criterion_group, criterion_main, BatchSize, Criterion};
use djust_bench::{row_ops, rows, rows_html};
use djust_core::vdom::{LiveDom, Tree, Update};

fn update(c: &mut Criterion) {
    let mut group = c.benchmark_group("rows");
    for (name, old, new) in row_ops() {
        let base = LiveDom::new(old.clone());
        // Report what the update is once.
        let mut probe = base.clone();
        let what = match probe.update(new.clone()) {
            Update::Unchanged => "unchanged".to_owned(),
            Update::Patches(p) => {
                let n = serde_json::from_str::<Vec<serde_json::Value>>(&p).map_or(0, |v| v.len());
                format!("{n} patches, {} bytes", p.len())
            }
            Update::Html(h) => format!("html_update, {} bytes", h.len()),
        };
        eprintln!(
            "{name}: {} -> {} bytes of html: {what}",
            old.len(),
            new.len()
        );
        group.bench_function(name, |b| {
            b.iter_batched(
                || (base.clone(), new.clone()),
                |(mut dom, html)| black_box(dom.update(html)),
                BatchSize::LargeInput,
            );
        });
    }
    group.finish();
}

fn parts(c: &mut Criterion) {
    let html = rows_html(&rows(1000), None);
    let mut group = c.benchmark_group("parts");
    group.bench_function("parse 1k", |b| {
        b.iter_batched(
            || html.clone(),
            |h| black_box(Tree::parse(h)),
            BatchSize::LargeInput,
        );
    });
    let dom = LiveDom::new(html);
    eprintln!(
        "LiveDom of 1k rows: {} nodes, {} KiB of heap",
        dom.tree().len(),
        dom.tree().heap_bytes() / 1024
    );
    group.bench_function("stamped html 1k", |b| b.iter(|| black_box(dom.html())));
    group.finish();
}

criterion_group!(benches, update, parts);
criterion_main!(benches);
