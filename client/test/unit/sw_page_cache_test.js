// The VDOM cache and state snapshot store of the real service worker under a stubbed `self`:
// put/lookup through messages, partitions, TTL, LRU touched on read, eviction after a worker
// restart, the snapshot cap, and the server's config message.

import assert from "node:assert/strict";
import { test } from "node:test";

import { FakeCaches, loadServiceWorker } from "../helpers/sw_env.js";

/** A worker whose clock the test sets (`sw.at(ms)`). */
function worker(caches = new FakeCaches()) {
  const sw = loadServiceWorker({ caches });
  let time = 1_000_000;
  sw.self.djustClock = () => time;
  sw.at = (ms) => {
    time = ms;
  };
  sw.now = () => time;
  return sw;
}

const cacheVdom = (sw, url, html, partition = "p1") => sw.message({ type: "VDOM_CACHE", url, html, version: 3, partition });
async function lookupVdom(sw, url, partition = "p1") {
  const [reply] = await sw.message({ type: "VDOM_CACHE_LOOKUP", requestId: `r-${url}`, url, partition });
  assert.equal(reply.type, "VDOM_CACHE_REPLY");
  assert.equal(reply.requestId, `r-${url}`);
  return reply;
}

test("a cached page is found by URL (path and query) within its partition only", async () => {
  const sw = worker();
  await cacheVdom(sw, "/orders/?page=2", "<p>two</p>");
  const hit = await lookupVdom(sw, "/orders/?page=2");
  assert.deepEqual({ ...hit }, { type: "VDOM_CACHE_REPLY", requestId: "r-/orders/?page=2", hit: true, stale: false, html: "<p>two</p>", version: 3, ts: sw.now() });
  assert.equal((await lookupVdom(sw, "/orders/")).hit, false);
  const other = await lookupVdom(sw, "/orders/?page=2", "p2");
  assert.deepEqual([other.hit, other.html], [false, null]);
});

test("entries older than the TTL are stale, then gone; the server's TTL applies", async () => {
  const sw = worker();
  const start = sw.now();
  await cacheVdom(sw, "/a/", "a");
  sw.at(start + 300_000);
  assert.equal((await lookupVdom(sw, "/a/")).hit, true);
  sw.at(start + 300_001);
  const hitAndStale = async () => {
    const reply = await lookupVdom(sw, "/a/");
    return [reply.hit, reply.stale, reply.html];
  };
  assert.deepEqual(await hitAndStale(), [false, true, null]);
  assert.deepEqual(await hitAndStale(), [false, false, null], "a stale entry is dropped");

  await sw.message({ type: "VDOM_CONFIG", ttl_seconds: 10, max_entries: 5 });
  await cacheVdom(sw, "/b/", "b");
  sw.at(sw.now() + 10_001);
  assert.equal((await lookupVdom(sw, "/b/")).stale, true);
});

test("out-of-range config values are ignored", async () => {
  const sw = worker();
  for (const config of [{ ttl_seconds: 0, max_entries: 0 }, { ttl_seconds: 86_401, max_entries: 10_001 }, { ttl_seconds: "9", max_entries: 1.5 }]) {
    await sw.message({ type: "VDOM_CONFIG", ...config });
  }
  assert.deepEqual({ ...sw.self.djustPageCache.settings() }, { ttlSeconds: 300, maxEntries: 100 });
  await sw.message({ type: "VDOM_CONFIG", ttl_seconds: 86_400, max_entries: 10_000 });
  assert.deepEqual({ ...sw.self.djustPageCache.settings() }, { ttlSeconds: 86_400, maxEntries: 10_000 });
});

test("the least recently used page goes first, reads count as use", async () => {
  const sw = worker();
  await sw.message({ type: "VDOM_CONFIG", ttl_seconds: 300, max_entries: 2 });
  await cacheVdom(sw, "/a/", "a");
  await cacheVdom(sw, "/b/", "b");
  assert.equal((await lookupVdom(sw, "/a/")).hit, true); // /a/ is now the most recent
  await cacheVdom(sw, "/c/", "c");
  assert.deepEqual(
    [(await lookupVdom(sw, "/a/")).hit, (await lookupVdom(sw, "/b/")).hit, (await lookupVdom(sw, "/c/")).hit],
    [true, false, true],
  );
});

test("eviction goes on after a worker restart", async () => {
  const caches = new FakeCaches();
  const first = worker(caches);
  await first.message({ type: "VDOM_CONFIG", ttl_seconds: 300, max_entries: 2 });
  await cacheVdom(first, "/a/", "a");
  first.at(first.now() + 1);
  await cacheVdom(first, "/b/", "b");

  const second = worker(caches); // same storage, fresh memory
  second.at(first.now() + 2);
  await second.message({ type: "VDOM_CONFIG", ttl_seconds: 300, max_entries: 2 });
  await cacheVdom(second, "/c/", "c");
  assert.equal((await lookupVdom(second, "/a/")).hit, false, "the oldest entry of the old worker is evicted");
  assert.equal((await lookupVdom(second, "/b/")).html, "b");
  assert.equal((await lookupVdom(second, "/c/")).html, "c");
  const store = caches.stores.get("djust-vdom-cache-v1");
  assert.equal([...store.keys()].filter((key) => key.includes("__djust/")).length, 2);
});

test("state snapshots: kept per URL and partition, over 256 KiB refused, clearable", async () => {
  const sw = worker();
  const snapshot = (url, blob, partition = "p1") =>
    sw.message({ type: "STATE_SNAPSHOT", url, view_slug: "app::Cart", state_json: blob, partition });
  const lookup = async (url, partition = "p1") =>
    (await sw.message({ type: "STATE_SNAPSHOT_LOOKUP", requestId: "s1", url, partition }))[0];
  await snapshot("/cart/", "1.e30.mac");
  const found = await lookup("/cart/");
  assert.deepEqual([found.type, found.requestId, found.hit, found.view_slug, found.state_json], ["STATE_SNAPSHOT_REPLY", "s1", true, "app::Cart", "1.e30.mac"]);
  assert.equal((await lookup("/cart/", "p2")).hit, false);

  await snapshot("/big/", "x".repeat(256 * 1024 + 1));
  assert.deepEqual([(await lookup("/big/")).hit, (await lookup("/big/")).state_json], [false, null]);
  await snapshot("/edge/", "x".repeat(256 * 1024));
  assert.equal((await lookup("/edge/")).hit, true);

  await sw.message({ type: "DJUST_CLEAR_STATE_CACHE" });
  assert.equal((await lookup("/cart/")).hit, false);
});

test("page cache messages from other origins are ignored", async () => {
  const sw = worker();
  await sw.message({ type: "VDOM_CACHE", url: "/a/", html: "evil", partition: "p1" }, {}, "https://evil.test");
  assert.equal((await lookupVdom(sw, "/a/")).hit, false);
});
