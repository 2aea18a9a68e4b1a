// The durable outbox: IndexedDB (fake-indexeddb's implementation of the standard API), keyed by
// the tab's id in sessionStorage; a reload of the tab takes the kept events over.

import assert from "node:assert/strict";
import { afterEach, test } from "node:test";

import { IDBFactory } from "fake-indexeddb";

import { OutboxStore } from "../../src/outbox_store.js";
import Outbox from "../../src/outbox.js";
import { closePages, livePage } from "../helpers/dom.js";

afterEach(() => closePages());

/** A sessionStorage stand-in (one per tab). */
function tabStorage() {
  const items = new Map();
  return {
    getItem: (key) => items.get(key) ?? null,
    setItem: (key, value) => items.set(key, String(value)),
    removeItem: (key) => items.delete(key),
  };
}

const VIEW = '<div id="dj-v-c" dj-view="c" dj-token="t"><button dj-id="1" dj-click="inc">+</button></div>';
const HTML = '<button dj-id="1" dj-click="inc">+</button>';

test("without IndexedDB or sessionStorage there is no store", () => {
  assert.equal(OutboxStore.open({ indexedDB: undefined, sessionStorage: tabStorage() }), null);
  assert.equal(OutboxStore.open({ indexedDB: new IDBFactory(), sessionStorage: undefined }), null);
});

test("what one page of a tab kept, the next page of the same tab loads; another tab does not", async () => {
  const indexedDB = new IDBFactory();
  const tab = tabStorage();
  const first = OutboxStore.open({ indexedDB, sessionStorage: tab });
  const outbox = new Outbox();
  outbox.onChange = () => first.save("/counter/#dj-v-c", outbox.record());
  outbox.add({ event: "inc", params: { n: 1 }, ref: 1, rev: 2, el: {} });
  outbox.add({ event: "inc", params: { n: 2 }, ref: 2, rev: 2, el: {} });
  await first.queue;

  const reloaded = OutboxStore.open({ indexedDB, sessionStorage: tab });
  const kept = await reloaded.load("/counter/#dj-v-c");
  assert.deepEqual(kept.map((entry) => [entry.event, entry.params, entry.rev]), [
    ["inc", { n: 1 }, 2],
    ["inc", { n: 2 }, 2],
  ]);
  assert.ok(kept.every((entry) => !("el" in entry)), "elements are not kept");
  const otherTab = OutboxStore.open({ indexedDB, sessionStorage: tabStorage() });
  assert.deepEqual(await otherTab.load("/counter/#dj-v-c"), []);

  // Acknowledged: the record goes.
  outbox.begin("vs-1");
  outbox.acknowledge(2);
  await first.queue;
  assert.deepEqual(await reloaded.load("/counter/#dj-v-c"), []);
});

test("opening the store deletes records older than the age bound", async () => {
  const indexedDB = new IDBFactory();
  const tab = tabStorage();
  const store = OutboxStore.open({ indexedDB, sessionStorage: tab, maxAgeMs: 60_000 });
  await store.save("/a/#v", [{ event: "x", params: {}, ref: 1, rev: 0 }]);
  const realNow = Date.now;
  try {
    Date.now = () => realNow() + 120_000;
    const later = OutboxStore.open({ indexedDB, sessionStorage: tab, maxAgeMs: 60_000 });
    assert.deepEqual(await later.load("/a/#v"), []);
  } finally {
    Date.now = realNow;
  }
});

test("a reloaded page replays the kept events in its new view session, once", async () => {
  const indexedDB = new IDBFactory();
  const tab = tabStorage();
  const store = OutboxStore.open({ indexedDB, sessionStorage: tab });
  await store.save("/items/#dj-v-c", [
    { event: "inc", params: {}, ref: 4, rev: 7, seq: 3, at: Date.now(), recovery: false, noRecover: false, field: "1", replay: null },
  ]);
  const page = livePage(VIEW, { live: false, store: OutboxStore.open({ indexedDB, sessionStorage: tab }) });
  await page.views[0].delivery.loaded;
  page.ws().receive({ type: "mount", target: "dj-v-c", view: "c", version: 1, html: HTML, vs: "vs-new", rev: 0, ack: 0 });
  assert.deepEqual(page.ws().sentOf("event").map((frame) => [frame.event, frame.seq, frame.replay]), [["inc", 1, { rev: 7 }]]);
  page.ws().receive({ type: "noop", target: "dj-v-c", ref: page.ws().sentOf("event")[0].ref, event: "inc", ack: 1 });
  await page.views[0].delivery.store.queue;
  assert.deepEqual(await store.load("/items/#dj-v-c"), [], "delivered: forgotten");
});

test("a reload resumes the earlier page's view session: its events keep their numbers, the DOM is asked for whole", async () => {
  const indexedDB = new IDBFactory();
  const tab = tabStorage();
  const first = livePage(VIEW, { live: false, store: OutboxStore.open({ indexedDB, sessionStorage: tab }) });
  await first.views[0].delivery.loaded;
  first.ws().receive({ type: "mount", target: "dj-v-c", view: "c", version: 1, html: HTML, vs: "vs-1", rev: 0, ack: 0 });
  const button = first.doc.querySelector("button");
  for (let i = 0; i < 3; i += 1) first.views[0].pushEvent("inc", {}, button);
  first.ws().receive({ type: "patch", target: "dj-v-c", version: 2, rev: 1, patches: [], ack: 1 });
  first.views[0].delivery.hide(); // pagehide: seq 2 and 3 unacknowledged
  await first.views[0].delivery.store.save("/items/#dj-v-c", first.views[0].delivery.outbox.record());

  const page = livePage(VIEW, { live: false, store: OutboxStore.open({ indexedDB, sessionStorage: tab }) });
  assert.deepEqual(page.ws().sentOf("mount")[0].resume, { vs: "vs-1", rev: 1 });
  await page.views[0].delivery.loaded;
  page.views[0].pushEvent("inc", {}, page.doc.querySelector("button")); // made on the new page
  page.ws().receive({ type: "resumed", target: "dj-v-c", view: "c", version: 1, vs: "vs-1", rev: 3, ack: 2, patches: [[], []] });
  assert.deepEqual(page.ws().sentOf("request_html"), [{ type: "request_html", target: "dj-v-c" }], "its DOM is a fresh render: all of it asked for");
  assert.deepEqual(page.ws().sentOf("event").map((frame) => [frame.seq, frame.replay]), [
    [3, undefined],
    [4, undefined],
  ], "seq 2 was acknowledged; 3 goes again under its number (deduplicated), then the new one");
});
