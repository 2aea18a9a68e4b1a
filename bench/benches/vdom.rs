//! Per-event VDOM cost on the 1,000-row table: `LiveDom::update` (parse + diff + encode) from
//! pre-rendered HTML strings, and each part alone (tokenize, parse, diff, encode).
//!
//! `cargo bench -p djust-bench --bench vdom -- --warm-up-time 1 --measurement-time 2`

use criterion::{black_box, criterion_group, criterion_main, BatchSize, Criterion};
use djust_bench::{row_ops, rows, rows_html, update_every};
use djust_core::vdom::{diff, encode, tokenizer::Tokenizer, IdAllocator, LiveDom, Tree, Update};

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
    group.bench_function("tokenize 1k", |b| {
        b.iter(|| {
            let mut tokens = Tokenizer::new(&html);
            let mut n = 0_usize;
            while let Some(token) = tokens.next_token() {
                n += 1;
                black_box(token);
            }
            n
        });
    });
    let updated = rows_html(&update_every(&rows(1000), 10, " !!!"), None);
    let mut ids = IdAllocator::new();
    let mut old = Tree::parse(html.clone());
    old.assign_ids(&mut ids);
    let new = Tree::parse(updated);
    group.bench_function("diff 1k update every 10th", |b| {
        b.iter_batched(
            || (new.clone(), ids.clone()),
            |(mut new, mut ids)| black_box(diff(&old, &mut new, &mut ids)),
            BatchSize::LargeInput,
        );
    });
    let patches = diff(&old, &mut new.clone(), &mut ids.clone()).patches;
    group.bench_function("encode 100 patches", |b| {
        b.iter(|| black_box(encode(&patches)));
    });
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
        dom.heap_bytes() / 1024
    );
    group.bench_function("stamped html 1k", |b| b.iter(|| black_box(dom.html())));
    group.finish();
}

criterion_group!(benches, update, parts);
criterion_main!(benches);
