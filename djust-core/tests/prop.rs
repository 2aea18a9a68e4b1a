//! Random old/new trees, diffed and applied to a reference DOM, give the new tree.

mod support;

use djust_core::vdom::{LiveDom, Update};
use support::dom::{apply, from_html, ids, RNode};
use support::gen::case;

/// Checks one case; returns the failure, if any.
fn check(seed: u64) -> Result<(), String> {
    let (before, after) = case(seed);
    let mut live = LiveDom::new(before.clone());
    let before_html = live.html();
    let mut dom = from_html(&before_html);
    let update = live.update(after.clone());
    let after_html = live.html();
    let expected = from_html(&after_html);
    let ctx = || {
        format!("seed {seed}\nbefore: {before}\nafter: {after}\nbefore_html: {before_html}\nafter_html: {after_html}")
    };
    match &update {
        Update::Unchanged => {}
        Update::Patches(json) => {
            let v: serde_json::Value =
                serde_json::from_str(json).map_err(|e| format!("{e}: {json}\n{}", ctx()))?;
            apply(&mut dom, &v).map_err(|e| format!("{e}\npatches: {json}\n{}", ctx()))?;
        }
        Update::Html(h) => {
            if *h != after_html {
                return Err(format!("html update differs from html()\n{}", ctx()));
            }
            dom = from_html(h);
        }
    }
    if dom != expected {
        return Err(format!(
            "result differs\nupdate: {update:?}\ngot: {dom:?}\nwant: {expected:?}\n{}",
            ctx()
        ));
    }
    // Ids: unique, and matched nodes keep theirs (the kept tree equals what the client has).
    let mut all = Vec::new();
    ids(&expected, &mut all);
    let n = all.len();
    all.sort_unstable();
    all.dedup();
    if all.len() != n || all.contains(&0) {
        return Err(format!("duplicate or zero dj-id\n{}", ctx()));
    }
    // The same render with an extra comment is parsed and diffed to nothing.
    let mut again = LiveDom::new(after.clone());
    if again.update(format!("<!-- -->{after}<!-- -->")) != Update::Unchanged {
        return Err(format!("same html is not unchanged\n{}", ctx()));
    }
    Ok(())
}

/// Applies `update` to `dom`; then it must equal the kept tree's HTML.
fn step(live: &mut LiveDom, dom: &mut Vec<RNode>, next: &str) -> Result<(), String> {
    let update = live.update(next.to_owned());
    let after_html = live.html();
    match &update {
        Update::Unchanged => {}
        Update::Patches(json) => {
            let v: serde_json::Value = serde_json::from_str(json).map_err(|e| e.to_string())?;
            apply(dom, &v).map_err(|e| format!("{e}\npatches: {json}"))?;
        }
        Update::Html(h) => *dom = from_html(h),
    }
    if *dom != from_html(&after_html) {
        return Err(format!(
            "result differs after {next}\nupdate: {update:?}\ngot: {dom:?}\nwant: {:?}",
            from_html(&after_html)
        ));
    }
    Ok(())
}

/// Several updates in a row (back and forth, then to another case), every other one from a
/// hibernated (compact) kept tree.
fn check_chain(seed: u64) -> Result<(), String> {
    let (a, b) = case(seed);
    let (c, d) = case(seed ^ 0x9e37_79b9);
    let mut live = LiveDom::new(a.clone());
    let mut dom = from_html(&live.html());
    for (i, next) in [&b, &a, &b, &c, &d, &a].into_iter().enumerate() {
        // Every other update starts from the compact form of the kept tree.
        if i % 2 == 1 {
            let before = live.html();
            live.hibernate();
            if live.html() != before {
                return Err(format!("seed {seed}: html changed by hibernate"));
            }
        }
        step(&mut live, &mut dom, next).map_err(|e| format!("seed {seed}: {e}"))?;
    }
    // The kept tree, written out, is the render it was built from.
    let fresh = LiveDom::new(a.clone());
    if without_ids(&fresh.html()) != without_ids(&live.html()) {
        return Err(format!(
            "seed {seed}: kept html differs from a fresh render's"
        ));
    }
    Ok(())
}

/// `html` without its ` dj-id="…"` attributes.
fn without_ids(html: &str) -> String {
    let mut out = String::new();
    let mut rest = html;
    while let Some(at) = rest.find(" dj-id=\"") {
        out.push_str(&rest[..at]);
        let after = &rest[at + 8..];
        rest = &after[after.find('"').map_or(after.len(), |q| q + 1)..];
    }
    out.push_str(rest);
    out
}

#[test]
fn chains_of_updates_apply_to_the_new_tree() {
    let count: u64 = std::env::var("PROP_COUNT")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(500);
    let failures: Vec<String> = (0..count)
        .filter_map(|i| check_chain(0xc4a1 + i).err())
        .collect();
    assert!(
        failures.is_empty(),
        "{} of {count} chains failed; first:\n{}",
        failures.len(),
        failures[0]
    );
}

#[test]
fn random_cases_apply_to_the_new_tree() {
    let base: u64 = std::env::var("PROP_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(0x5eed);
    let count: u64 = std::env::var("PROP_COUNT")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(2000);
    let mut failures = Vec::new();
    for i in 0..count {
        if let Err(e) = check(base.wrapping_add(i)) {
            failures.push(e);
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {count} cases failed; first:\n{}",
        failures.len(),
        failures[0]
    );
}
