// The worker's contract names (`sw/constants.js`) against the page's (`src/constants.js`):
// every table the worker shares equals the page's deep, the worker loads them first, and no
// other client file spells one of their names.

import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";

import * as page from "../../src/constants.js";
import { loadServiceWorker } from "../helpers/sw_env.js";

const clientDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const read = (name) => fs.readFileSync(path.join(clientDir, name), "utf8");

/** The tables both files define, and the worker's own. */
const SHARED = ["SW_MESSAGE", "HEADER", "STATIC_PATH", "SHELL_ATTR", "OFFLINE_MARK", "SW_DEFAULTS"];
const WORKER_ONLY = ["SW_CACHE"];

/** `sw/constants.js` run in this realm (so that prototypes compare equal). */
function workerConstants() {
  const scope = {};
  new Function("self", read("sw/constants.js"))(scope);
  return scope.djustConstants;
}

test("every table the worker shares with the page is the page's, deep", () => {
  const worker = workerConstants();
  assert.deepEqual(Object.keys(worker).sort(), [...SHARED, ...WORKER_ONLY].sort());
  for (const name of SHARED) {
    assert.ok(page[name], `src/constants.js exports ${name}`);
    assert.deepStrictEqual(worker[name], page[name], name);
    assert.ok(Object.isFrozen(worker[name]) && Object.isFrozen(page[name]), `${name} is frozen`);
  }
  for (const name of WORKER_ONLY) assert.equal(page[name], undefined, `${name} is the worker's only`);
});

test("the worker's Cache Storage names stay put (a new name orphans the old caches)", () => {
  assert.deepStrictEqual({ ...workerConstants().SW_CACHE }, {
    SHELL: "djust-shell-v1",
    PAGES: "djust-pages-v1",
    VDOM: "djust-vdom-cache-v1",
    STATE: "djust-state-cache-v1",
    PRECACHE_PREFIX: "djust-precache-",
  });
});

test("the worker loads its constants and its queue before every other script", () => {
  const calls = [...read("service-worker.js").matchAll(/importScripts\(([^)]*)\)/g)].map((m) => m[1]);
  assert.equal(calls[0], '"sw/constants.js", "sw/serial.js"');
  const sw = loadServiceWorker().self;
  assert.deepStrictEqual(structuredClone(sw.djustConstants), structuredClone(workerConstants()));
  const imported = calls.join(",").match(/sw\/[a-z_]+\.js/g);
  const files = fs.readdirSync(path.join(clientDir, "sw")).map((name) => `sw/${name}`);
  assert.deepEqual([...imported].sort(), files.sort(), "every sw/ file is imported, once");
});

/** The source without comments. */
function code(name) {
  return read(name).replace(/\/\*[\s\S]*?\*\//g, "").replace(/^\s*\/\/.*$/gm, "");
}

/** Whether `source` has `name` as a string literal, or starting or ending one. */
function spells(source, name) {
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  return new RegExp(`["'\`]${escaped}|${escaped}["'\`]`).test(source);
}

/** Every string value of `tables` that names a contract (not a bare word or a number). */
function names(tables) {
  return Object.values(tables)
    .flatMap((table) => Object.values(table))
    .filter((value) => typeof value === "string" && /djust|dj-|[A-Z]_[A-Z]|^\//i.test(value) && value.length >= 6);
}

test("no worker script spells a name of sw/constants.js", () => {
  const worker = workerConstants();
  const spelled = names(worker);
  assert.ok(spelled.includes("X-Djust-Main-Only") && spelled.includes("DJUST_CLEAR_SHELL"));
  const scripts = ["service-worker.js", ...fs.readdirSync(path.join(clientDir, "sw")).map((n) => `sw/${n}`)];
  for (const script of scripts.filter((name) => name !== "sw/constants.js")) {
    const source = code(script);
    for (const name of spelled) assert.ok(!spells(source, name), `${script} spells ${JSON.stringify(name)}`);
  }
});

test("no page module spells a name of src/constants.js", () => {
  const tables = Object.fromEntries(Object.entries(page).filter(([, value]) => value && typeof value === "object"));
  const spelled = names(tables);
  assert.ok(spelled.includes("dj-offline-pages") && spelled.includes("DJUST_SAVE_OFFLINE"));
  const modules = ["client.js", ...fs.readdirSync(path.join(clientDir, "src")).map((n) => `src/${n}`)];
  for (const module of modules.filter((name) => name !== "src/constants.js")) {
    const source = code(module);
    for (const name of spelled) assert.ok(!spells(source, name), `${module} spells ${JSON.stringify(name)}`);
  }
});
