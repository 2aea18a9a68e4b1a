//! Cost of the `MainOnly` trim on a 100 KB page: finding the first top-level `<main>` and the
//! `<title>` (what the middleware does besides copying headers; the body is cut by slicing
//! the same buffer), next to parsing the same page's view into a `LiveDom` and serializing it
//! with its ids (what the page handler does on every render, besides the template) for scale.
//!
//! `cargo bench -p djust-bench --bench main_only -- --warm-up-time 1 --measurement-time 4`
//!
//! Figures on the 2-core development machine (shared, so ±10 %): `trim_100kb` ≈ 111 µs for
//! 101 KB (≈ 850 MiB/s, one pass of the shared tokenizer), `page_render_parse_and_stamp`
//! ≈ 247 µs; the example's `/rows/` page with 1,000 rows (385 KB): rendering it ≈ 880 µs,
//! trimming it ≈ 444 µs. So the trim costs about half a render of such markup-dense pages —
//! not a small fraction; it runs only for main-only requests.

use criterion::{black_box, criterion_group, criterion_main, Criterion, Throughput};
use djust_bench::{
    rows, rows_html,
    views::{render, Mounted},
};
use djust_core::{
    vdom::{
        landmarks::{find_main, find_title},
        LiveDom,
    },
    Params,
};
use djust_example::views::rows::Rows;

/// A page of about 100 KB: a head with a style sheet and a script mentioning `<main>`, a
/// navigation bar, a `<main>` with a keyed table, a footer.
fn page() -> (String, String) {
    let view = rows_html(&rows(480), Some(7));
    let head = format!(
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Rows &middot; \
         djust</title><style>{}</style><script>document.querySelector('<main>');</script></head>",
        "main { padding: 1rem } td { border: 0 } ".repeat(20)
    );
    let nav = format!(
        "<body><nav>{}</nav><!-- <main>not this one</main> -->",
        "<a href=\"/x/\">Link</a> ".repeat(20)
    );
    let html = format!("{head}{nav}{view}<footer>footer</footer></body></html>");
    (html, view)
}

fn trim(c: &mut Criterion) {
    let (html, view) = page();
    eprintln!(
        "page: {} bytes, <main> content: {} bytes",
        html.len(),
        find_main(&html).map_or(0, |main| main.inner.len())
    );
    let mut group = c.benchmark_group("main_only");
    group.throughput(Throughput::Bytes(html.len() as u64));
    group.bench_function("trim_100kb", |b| {
        b.iter(|| {
            let html = black_box(html.as_str());
            let main = find_main(html).expect("the page has a <main>");
            (black_box(&html[main.inner.range()]), find_title(html))
        });
    });
    // For scale: what the page handler does with the same view's HTML on every page render
    // (parse it into a `LiveDom` to stamp `dj-id`s, serialize it), without the template.
    group.bench_function("page_render_parse_and_stamp", |b| {
        b.iter(|| black_box(LiveDom::new(black_box(view.clone())).html()));
    });
    group.finish();
}

/// The page handler's work for the example's `/rows/` page with 1,000 rows (template, id
/// stamping, container, a layout around it) against trimming the page it produces.
fn real_page(c: &mut Criterion) {
    let mut rows = Mounted::<Rows>::new("/rows/");
    rows.event("create", &Params::new());
    let page = |view: &Rows| {
        let dom = LiveDom::new(render(view));
        let container = format!(
            "<div id=\"dj-v-rows\" dj-view=\"djust_example::views::rows::Rows\" \
             dj-token=\"1.x\">{}</div>",
            dom.html()
        );
        format!(
            "<!DOCTYPE html><html><head><title>Rows</title></head><body><nav>n</nav>\
             <main id=\"content\">{container}</main><footer>f</footer></body></html>"
        )
    };
    let html = page(&rows.view);
    eprintln!("/rows/ with 1,000 rows: {} bytes", html.len());
    let mut group = c.benchmark_group("main_only_rows_page");
    group.bench_function("render_page", |b| b.iter(|| black_box(page(&rows.view))));
    group.bench_function("trim", |b| {
        b.iter(|| {
            let html = black_box(html.as_str());
            let main = find_main(html).expect("the page has a <main>");
            (black_box(&html[main.inner.range()]), find_title(html))
        });
    });
    group.finish();
}

criterion_group!(benches, trim, real_page);
criterion_main!(benches);
