//! Writes random diff cases for the client's property test (jsdom applies them).
//!
//! Run with
//! `cargo run -q -p djust-core --release --example prop_cases -- --count 500 --seed 1 --out cases.json`
//!
//! Output: a JSON array of `{"seed", "before", "after", "before_html", "after_html", "patches"}`:
//! `before`/`after` are template outputs (no ids), `before_html` the stamped HTML the client
//! starts from, `after_html` the stamped HTML it must end with, and `patches` the update: a
//! patch array (`[]` when nothing changed) or `{"html": "…"}` when the server sends the whole
//! HTML instead. A case is reproduced with `--count 1 --seed <its seed>`.

#[path = "../tests/support/gen.rs"]
mod gen;

use djust_core::vdom::{LiveDom, Update};
use serde_json::{json, Value};

fn main() {
    let mut count = 500u64;
    let mut seed = 1u64;
    let mut out: Option<String> = None;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        let mut value = || {
            args.next()
                .unwrap_or_else(|| usage(&format!("{a} needs a value")))
        };
        match a.as_str() {
            "--count" => count = value().parse().unwrap_or_else(|_| usage("bad --count")),
            "--seed" => seed = value().parse().unwrap_or_else(|_| usage("bad --seed")),
            "--out" => out = Some(value()),
            _ => usage(&format!("unknown argument {a}")),
        }
    }
    let cases: Vec<Value> = (0..count)
        .map(|i| {
            let s = seed.wrapping_add(i);
            let (before, after) = gen::case(s);
            let mut live = LiveDom::new(before.clone());
            let before_html = live.html();
            let patches = match live.update(after.clone()) {
                Update::Unchanged => json!([]),
                Update::Patches(p) => serde_json::from_str(&p).expect("patches are JSON"),
                Update::Html(html) => json!({ "html": html }),
            };
            json!({
                "seed": s,
                "before": before,
                "after": after,
                "before_html": before_html,
                "after_html": live.html(),
                "patches": patches,
            })
        })
        .collect();
    let text = serde_json::to_string_pretty(&cases).expect("serializable");
    match out {
        Some(path) => std::fs::write(&path, text + "\n")
            .unwrap_or_else(|e| usage(&format!("cannot write {path}: {e}"))),
        None => println!("{text}"),
    }
}

fn usage(msg: &str) -> ! {
    eprintln!("{msg}\nusage: prop_cases [--count N] [--seed U64] [--out PATH]");
    std::process::exit(2)
}
