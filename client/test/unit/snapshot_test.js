import assert from "node:assert/strict";
import { test } from "node:test";

import { SNAPSHOT } from "../../src/constants.js";
import { SessionSnapshotStore } from "../../src/snapshot.js";
import { makeDocument } from "../helpers/dom.js";

test("keeps one snapshot per URL in sessionStorage", async () => {
  const storage = makeDocument().defaultView.sessionStorage;
  const store = new SessionSnapshotStore(storage);
  await store.put("/cart/", "app::Cart", "b1");
  await store.put("/cart/", "app::Cart", "b2");
  assert.deepEqual(await store.get("/cart/"), { view: "app::Cart", blob: "b2" });
  assert.equal(await store.get("/other/"), null);
  // A new store on the same storage (a reload of the tab) still has it.
  assert.deepEqual(await new SessionSnapshotStore(storage).get("/cart/"), { view: "app::Cart", blob: "b2" });
});

test("refuses oversized blobs, drops the oldest beyond the cap, survives bad entries", async () => {
  const store = new SessionSnapshotStore(null);
  await store.put("/big/", "v", "x".repeat(SNAPSHOT.MAX_CHARS + 1));
  assert.equal(await store.get("/big/"), null);
  for (let i = 0; i <= SNAPSHOT.MAX_ENTRIES; i += 1) {
    store.memory.set(`${SNAPSHOT.STORAGE_PREFIX}/p${i}/`, JSON.stringify({ view: "v", blob: `b${i}`, at: i }));
  }
  await store.put("/new/", "v", "fresh");
  assert.equal(await store.get("/p0/"), null);
  assert.equal(await store.get("/p1/"), null);
  assert.deepEqual(await store.get("/new/"), { view: "v", blob: "fresh" });
  store.memory.set(`${SNAPSHOT.STORAGE_PREFIX}/bad/`, "{nope");
  assert.equal(await store.get("/bad/"), null);
});
