// The cross-language property test: random old/new trees, diffed by the Rust side, applied
// here in jsdom, must give the new tree. The cases file comes from the Rust example
// `prop_cases`; this test fails (never skips) without it.

import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { test } from "node:test";

import { assertCase } from "../helpers/cases.js";
import { makeDocument } from "../helpers/dom.js";

const REPO_ROOT = fileURLToPath(new URL("../../../", import.meta.url));
const CASES = resolve(REPO_ROOT, process.env.DJUST_PROP_CASES ?? "target/djust-prop-cases.json");
const MIN_CASES = 500;
const GENERATE =
  "cargo run -q -p djust-core --release --example prop_cases -- --count 500 --seed <n> --out target/djust-prop-cases.json";

test(`random diffs from the Rust side apply (${CASES})`, () => {
  assert.ok(existsSync(CASES), `missing ${CASES}; generate it from the repo root with:\n  ${GENERATE}`);
  const cases = JSON.parse(readFileSync(CASES, "utf8"));
  assert.ok(Array.isArray(cases), `${CASES} must hold a JSON array of cases`);
  assert.ok(cases.length >= MIN_CASES, `${cases.length} cases in ${CASES}, expected at least ${MIN_CASES}`);
  const doc = makeDocument();
  for (const [index, testCase] of cases.entries()) {
    assertCase(doc, testCase, `case ${index} (seed ${testCase.seed})`);
  }
});
