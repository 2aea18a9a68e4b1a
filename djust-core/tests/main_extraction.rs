//! The shared `<main>` extraction cases (`fixtures/main_extraction.json`): the client's service
//! worker scanner (`client/sw/html_scan.js`) reads the same file, so the server's `MainOnly`
//! and the worker's shell split cannot disagree silently.

use djust_core::vdom::landmarks::find_main;
use serde_json::Value;

#[test]
fn every_shared_case() {
    let cases: Vec<Value> =
        serde_json::from_str(include_str!("fixtures/main_extraction.json")).expect("valid JSON");
    assert!(cases.len() >= 30);
    for case in cases {
        let html = case["html"].as_str().expect("html");
        let expected = case["inner"].as_str();
        let inner = find_main(html).map(|main| main.inner.of(html));
        assert_eq!(inner, expected, "{}: {html}", case["name"]);
    }
}
