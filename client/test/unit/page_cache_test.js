import assert from "node:assert/strict";
import { test } from "node:test";

import ServiceWorkerPageCache from "../../src/page_cache.js";

/** A `navigator.serviceWorker` whose worker answers with `respond(message)` (or not at all). */
function container(respond = () => null) {
  const posted = [];
  const listeners = [];
  const worker = {
    postMessage(message) {
      posted.push(message);
      const reply = respond(message);
      if (reply) setImmediate(() => listeners.forEach((listener) => listener({ data: { requestId: message.requestId, ...reply } })));
    },
  };
  return {
    posted,
    ready: Promise.resolve({ active: worker }),
    addEventListener: (type, listener) => type === "message" && listeners.push(listener),
  };
}

test("messages carry the partition; config, stores and lookups map to the worker's messages", async () => {
  const sw = container((message) => {
    if (message.type === "VDOM_CACHE_LOOKUP") return { hit: true, stale: false, html: "<p>x</p>" };
    if (message.type === "STATE_SNAPSHOT_LOOKUP") return { hit: true, view_slug: "app::Cart", state_json: "blob" };
    return null;
  });
  const cache = new ServiceWorkerPageCache({ serviceWorker: sw, partition: () => "part-1" });
  await cache.configure({ ttlSeconds: 120, maxEntries: 30 });
  await cache.storeVdom("/cart/", "<p>x</p>", 4);
  await cache.put("/cart/", "app::Cart", "blob");
  assert.deepEqual(sw.posted, [
    { type: "VDOM_CONFIG", ttl_seconds: 120, max_entries: 30, partition: "part-1" },
    { type: "VDOM_CACHE", url: "/cart/", html: "<p>x</p>", version: 4, partition: "part-1" },
    { type: "STATE_SNAPSHOT", url: "/cart/", view_slug: "app::Cart", state_json: "blob", partition: "part-1" },
  ]);
  assert.equal(await cache.lookupVdom("/cart/"), "<p>x</p>");
  assert.deepEqual(await cache.get("/cart/"), { view: "app::Cart", blob: "blob" });
  assert.equal(sw.posted.at(-1).partition, "part-1");
});

test("stale entries, misses and a silent worker are misses", async () => {
  const stale = new ServiceWorkerPageCache({ serviceWorker: container(() => ({ hit: false, stale: true, html: null })), partition: () => "p" });
  assert.equal(await stale.lookupVdom("/a/"), null);
  const silent = new ServiceWorkerPageCache({ serviceWorker: container(), partition: () => "p", timeoutMs: 5 });
  assert.equal(await silent.lookupVdom("/a/"), null);
  assert.equal(await silent.get("/a/"), null);
  assert.equal(silent.waiting.size, 0);
});

test("nothing is stored or found before the partition is known", async () => {
  const sw = container(() => ({ hit: true, stale: false, html: "<p>someone else's</p>" }));
  let partition = null;
  const cache = new ServiceWorkerPageCache({ serviceWorker: sw, partition: () => partition });
  await cache.storeVdom("/a/", "<p>x</p>", 1);
  assert.equal(await cache.lookupVdom("/a/"), null);
  assert.deepEqual(sw.posted, []);
  partition = "p";
  assert.equal(await cache.lookupVdom("/a/"), "<p>someone else's</p>");
});
