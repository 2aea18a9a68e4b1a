// Applying one golden fixture or property case: the DOM built from `before_html`, patched
// (or given its whole HTML: `"patches": null, "html": …` in fixtures, `"patches": {"html": …}`
// in property cases) against the DOM built from `after_html`.

import assert from "node:assert/strict";

import { applyPatches, indexIds, replaceHtml } from "../../src/dom_patch.js";
import { canonical, containerFrom } from "./dom.js";

/** Asserts that `testCase` turns `before_html` into `after_html`; `label` names it on failure. */
export function assertCase(doc, testCase, label) {
  const container = containerFrom(doc, testCase.before_html);
  doc.body.replaceChildren(container);
  const ids = indexIds(container);
  if (Array.isArray(testCase.patches)) {
    assert.equal(applyPatches(ids, testCase.patches), true, `${label}: a patch did not apply`);
  } else {
    const html = testCase.patches?.html ?? testCase.html;
    assert.equal(typeof html, "string", `${label}: neither patches nor html`);
    replaceHtml(ids, html);
  }
  const expected = containerFrom(doc, testCase.after_html);
  assert.equal(canonical(container), canonical(expected), `${label}: DOM differs from after_html`);
  assertSameIds(ids, indexIds(container), label);
}

/** The id map kept up to date by the patches equals the one built afresh. */
function assertSameIds(kept, fresh, label) {
  const stale = [...kept].filter(([id, el]) => fresh.get(id) !== el).map(([id]) => id);
  const missing = [...fresh.keys()].filter((id) => !kept.has(id));
  assert.deepEqual({ stale, missing }, { stale: [], missing: [] }, `${label}: id map out of date`);
}
