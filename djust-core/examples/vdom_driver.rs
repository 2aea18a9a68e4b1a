//! Drives [`LiveDom`]s over stdin/stdout, for the browser test that compares the server's
//! trees and patches with Chromium's (`client/test/e2e/html5lib_test.js`).
//!
//! One JSON object per line in, one per line out:
//! - `{"id":1,"new":"<p>a"}` → `{"html", "tree", "divergence"}`: a view mounted with that
//!   render (`html`: the stamped HTML; `tree`: the server's tree, see [`dump`]);
//! - `{"id":1,"update":"<p>b"}` → `{"kind":"patches"|"html"|"unchanged", "patches"|"html",
//!   "tree", "after_html", "divergence"}`;
//! - `{"id":1,"refused":"reason"}` → `{"html"}`: the client refused a patch; the answer is the
//!   `html_recovery` HTML.
//!
//! Build with `cargo build -p djust-core --example vdom_driver`.

use std::collections::HashMap;
use std::io::{BufRead, Write};

use djust_core::vdom::{LiveDom, NodeIndex, Tree, Update};
use serde_json::{json, Value};

/// The tree as the browser test dumps a DOM: `ns:name#id(attr,attr)[children]`, text as JSON
/// strings; attribute names sorted, first of each name, in DOM case (`dj-id` left out).
fn dump(t: &Tree) -> String {
    fn node(t: &Tree, i: NodeIndex, out: &mut String) {
        if t.is_text(i) {
            let text = t
                .text(i)
                .map_or_else(|_| "?".to_owned(), |v| v.into_owned());
            out.push_str(&serde_json::to_string(&text).unwrap_or_default());
            return;
        }
        match t.namespace(i) {
            "html" => {}
            ns => {
                out.push_str(ns);
                out.push(':');
            }
        }
        out.push_str(&t.local_name(i));
        out.push('#');
        out.push_str(&t.id(i).to_string());
        let mut names: Vec<String> = Vec::new();
        for (k, _) in t.attributes(i) {
            let k = t.attribute_name(i, k).into_owned();
            if k != "dj-id" && !names.contains(&k) {
                names.push(k);
            }
        }
        names.sort();
        if !names.is_empty() {
            out.push('(');
            out.push_str(&names.join(","));
            out.push(')');
        }
        out.push('[');
        for c in t.children(i) {
            node(t, c, out);
        }
        out.push(']');
    }
    let mut out = String::new();
    for r in t.roots() {
        node(t, r, &mut out);
    }
    out
}

fn divergence(t: &Tree) -> Value {
    t.divergence()
        .map_or(Value::Null, |d| json!({"at": d.at, "what": d.what}))
}

fn main() {
    let mut views: HashMap<u64, LiveDom> = HashMap::new();
    let stdin = std::io::stdin();
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    for line in stdin.lock().lines() {
        let line = line.expect("stdin");
        let cmd: Value = serde_json::from_str(&line).expect("a JSON command");
        let id = cmd["id"].as_u64().expect("id");
        let answer = if let Some(html) = cmd["new"].as_str() {
            let live = LiveDom::new(html.to_owned());
            let a = json!({"html": live.html(), "tree": dump(&live.tree()), "divergence": divergence(&live.tree())});
            views.insert(id, live);
            a
        } else if let Some(html) = cmd["update"].as_str() {
            let live = views.get_mut(&id).expect("a mounted id");
            let (kind, body) = match live.update(html.to_owned()) {
                Update::Unchanged => ("unchanged", Value::Null),
                Update::Patches(p) => ("patches", serde_json::from_str(&p).expect("JSON")),
                Update::Html(h) => ("html", Value::String(h)),
            };
            json!({"kind": kind, "body": body, "after_html": live.html(), "tree": dump(&live.tree()),
                   "divergence": divergence(&live.tree())})
        } else if let Some(reason) = cmd["refused"].as_str() {
            let live = views.get_mut(&id).expect("a mounted id");
            live.refused(Some(reason));
            json!({"html": live.html()})
        } else if cmd["drop"].is_boolean() {
            views.remove(&id);
            json!({})
        } else {
            panic!("unknown command {line}");
        };
        serde_json::to_writer(&mut out, &answer).expect("stdout");
        out.write_all(b"\n").expect("stdout");
        out.flush().expect("stdout");
    }
}
