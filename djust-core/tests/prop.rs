//! Random old/new trees, diffed and applied to a reference DOM, give the new tree.

mod support;

use djust_core::vdom::{LiveDom, Update};
use support::dom::{apply, from_html, ids};
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
