//! Golden patch fixtures, shared with the client's test suite.
//!
//! Each `tests/fixtures/patches/*.json` is checked exactly (format: that folder's README.md).
//! `UPDATE_GOLDEN=1 cargo test -p djust-core --test golden` rewrites them from `before` and
//! `after`; review every change by eye for minimality before committing.

mod support;

use std::path::{Path, PathBuf};

use djust_core::vdom::{LiveDom, Update};
use serde_json::value::RawValue;
use serde_json::Value;
use support::dom::{apply, from_html};

fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/patches")
}

/// What the server produces for a fixture.
struct Outcome {
    before_html: String,
    after_html: String,
    /// The patch array (`[]` when unchanged); `None` when the whole HTML is sent.
    patches: Option<String>,
    html: Option<String>,
}

fn run(before: &str, after: &str) -> Outcome {
    let mut live = LiveDom::new(before.to_owned());
    let before_html = live.html();
    let update = live.update(after.to_owned());
    let after_html = live.html();
    let (patches, html) = match update {
        Update::Unchanged => (Some("[]".to_owned()), None),
        Update::Patches(p) => (Some(p), None),
        Update::Html(h) => (None, Some(h)),
    };
    Outcome {
        before_html,
        after_html,
        patches,
        html,
    }
}

fn js(s: &str) -> String {
    serde_json::to_string(s).expect("string")
}

fn render(name: &str, before: &str, after: &str, o: &Outcome) -> String {
    let mut out = format!(
        "{{\n  \"name\": {},\n  \"before\": {},\n  \"after\": {},\n  \"before_html\": {},\n  \"after_html\": {},\n",
        js(name),
        js(before),
        js(after),
        js(&o.before_html),
        js(&o.after_html)
    );
    match (&o.patches, &o.html) {
        (Some(p), _) => {
            let ops: Vec<&RawValue> = serde_json::from_str(p).expect("patch array");
            if ops.is_empty() {
                out.push_str("  \"patches\": []\n");
            } else {
                out.push_str("  \"patches\": [\n");
                let lines: Vec<String> = ops.iter().map(|op| format!("    {}", op.get())).collect();
                out.push_str(&lines.join(",\n"));
                out.push_str("\n  ]\n");
            }
        }
        (None, Some(h)) => {
            out.push_str(&format!("  \"patches\": null,\n  \"html\": {}\n", js(h)));
        }
        (None, None) => unreachable!(),
    }
    out.push_str("}\n");
    out
}

#[test]
fn golden_fixtures() {
    let update = std::env::var("UPDATE_GOLDEN").is_ok_and(|v| v == "1");
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir())
        .expect("fixtures folder")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    assert!(files.len() >= 20, "fixtures missing");
    let mut failures = Vec::new();
    for path in &files {
        let text = std::fs::read_to_string(path).expect("readable fixture");
        let f: Value = serde_json::from_str(&text).expect("fixture is JSON");
        let name = f["name"].as_str().expect("name");
        assert_eq!(
            path.file_stem().and_then(|s| s.to_str()),
            Some(name),
            "file name is the fixture name"
        );
        let (before, after) = (
            f["before"].as_str().expect("before"),
            f["after"].as_str().expect("after"),
        );
        let o = run(before, after);

        // The update, applied to the stamped old HTML, gives the stamped new HTML.
        let mut dom = from_html(&o.before_html);
        match (&o.patches, &o.html) {
            (Some(p), _) => {
                let v: Value = serde_json::from_str(p).expect("patch array");
                if let Err(e) = apply(&mut dom, &v) {
                    failures.push(format!("{name}: patches do not apply: {e}"));
                }
            }
            (None, Some(h)) => dom = from_html(h),
            (None, None) => unreachable!(),
        }
        if dom != from_html(&o.after_html) {
            failures.push(format!("{name}: patched DOM differs from after_html"));
        }

        let rendered = render(name, before, after, &o);
        if update {
            if rendered != text {
                std::fs::write(path, &rendered).expect("writable fixture");
                eprintln!("updated {}", path.display());
            }
            continue;
        }
        let expected: Value = serde_json::from_str(&rendered).expect("rendered JSON");
        if expected != f {
            failures.push(format!(
                "{name}: fixture differs (UPDATE_GOLDEN=1 to rewrite)\n  expected: {rendered}\n  found:    {text}"
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
