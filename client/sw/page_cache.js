/**
 * The VDOM cache and the state snapshot store, service worker half. Entries live in Cache
 * Storage under a key made of the page's partition (a keyed hash of the user's session and
 * language the server puts in the page) and the URL (path and query), so one user never gets
 * another's page on a shared browser.
 *
 * - VDOM cache: the HTML of a page's view, painted at once on back/forward when younger than
 *   the TTL (300 s by default), at most `max_entries` pages (100). Both come from the server
 *   (`VDOM_CONFIG`).
 * - State snapshots: the signed blobs of the views a page left (at most 50; a blob over
 *   256 KiB is refused). The server checks signature and age; the worker keeps no TTL.
 *
 * Each store keeps its least-recently-used order (touched on read and write) in an index entry
 * of its own cache, so eviction goes on right after a worker restart. Operations on a store run
 * one after the other. The page half is `src/page_cache.js`.
 *
 * A classic script (the worker loads it with `importScripts`): it defines `self.djustPageCache`.
 */
(function (scope) {
  "use strict";

  const { SW_CACHE, SW_DEFAULTS } = scope.djustConstants;
  const INDEX_KEY = "__djust_index__";

  /** The current time in ms (tests replace `self.djustClock`). */
  const now = () => (scope.djustClock || Date.now)();

  /** One Cache Storage cache with a persisted LRU index. */
  class Store {
    constructor(name, maxEntries) {
      this.name = name;
      this.maxEntries = maxEntries;
      /** key → last use (ms), least recently used first; `null` until read from the cache. */
      this.index = null;
      /** Runs an operation on this store after every one queued before it. */
      this.serial = scope.djustSerial();
    }

    /** The cache key of `url` in `partition`: a URL inside the worker's scope. */
    key(partition, url) {
      const base = (scope.registration && scope.registration.scope) || scope.location.origin + "/";
      return `${base}__djust/${this.name}/${encodeURIComponent(partition || "")}/${encodeURIComponent(url)}`;
    }

    async open() {
      const cache = await scope.caches.open(this.name);
      if (this.index === null) {
        const saved = await cache.match(INDEX_KEY);
        const order = saved ? await saved.json().catch(() => []) : [];
        this.index = new Map(Array.isArray(order) ? order.filter((e) => Array.isArray(e)) : []);
      }
      return cache;
    }

    async saveIndex(cache) {
      const body = JSON.stringify([...this.index]);
      await cache.put(INDEX_KEY, new scope.Response(body, { headers: { "Content-Type": "application/json" } }));
    }

    /** Stores `body` (JSON) under `key`, evicting the least recently used beyond the cap. */
    put(key, body) {
      return this.serial(async () => {
        const cache = await this.open();
        this.index.delete(key);
        this.index.set(key, now());
        await cache.put(key, new scope.Response(JSON.stringify(body), { headers: { "Content-Type": "application/json" } }));
        while (this.index.size > this.maxEntries) {
          const oldest = this.index.keys().next().value;
          this.index.delete(oldest);
          await cache.delete(oldest);
        }
        await this.saveIndex(cache);
      });
    }

    /** The body under `key` (touching it), or `null`; `drop(body)` true deletes it instead. */
    get(key, drop = () => false) {
      return this.serial(async () => {
        const cache = await this.open();
        const response = await cache.match(key);
        const body = response ? await response.json().catch(() => null) : null;
        const kept = body !== null && !drop(body);
        this.index.delete(key);
        if (kept) this.index.set(key, now());
        else await cache.delete(key);
        await this.saveIndex(cache);
        return kept ? body : null;
      });
    }

    clear() {
      return this.serial(async () => {
        await scope.caches.delete(this.name);
        this.index = new Map();
      });
    }
  }

  const vdom = new Store(SW_CACHE.VDOM, SW_DEFAULTS.VDOM_MAX_ENTRIES);
  const state = new Store(SW_CACHE.STATE, SW_DEFAULTS.STATE_MAX_ENTRIES);
  let ttlSeconds = SW_DEFAULTS.VDOM_TTL_SECONDS;

  const inRange = (value, [low, high]) => Number.isInteger(value) && value >= low && value <= high;

  /** `VDOM_CONFIG`: the server's TTL and size (out-of-range values are ignored). */
  function configure({ ttl_seconds: ttl, max_entries: max }) {
    if (inRange(ttl, SW_DEFAULTS.VDOM_TTL_RANGE)) ttlSeconds = ttl;
    if (inRange(max, SW_DEFAULTS.VDOM_ENTRIES_RANGE)) vdom.maxEntries = max;
  }

  /** `VDOM_CACHE`: keeps the HTML of `url`. */
  function putVdom({ url, html, version, partition }) {
    if (typeof url !== "string" || !url || typeof html !== "string") return Promise.resolve();
    const body = { url, html, version: Number.isInteger(version) ? version : 0, ts: now() };
    return vdom.put(vdom.key(partition, url), body);
  }

  /** `VDOM_CACHE_LOOKUP`: `{hit, stale, html, version, ts}`; a stale entry is dropped. */
  async function lookupVdom({ url, partition }) {
    let stale = false;
    const entry = await vdom.get(vdom.key(partition, url), (body) => {
      stale = now() - (body.ts || 0) > ttlSeconds * 1000;
      return stale;
    });
    if (!entry) return { hit: false, stale, html: null, version: null, ts: 0 };
    return { hit: true, stale: false, html: entry.html, version: entry.version, ts: entry.ts };
  }

  /** `STATE_SNAPSHOT`: keeps the blob of `view_slug` left at `url`. */
  function putState({ url, view_slug: view, state_json: blob, partition }) {
    if (typeof url !== "string" || !url || typeof blob !== "string") return Promise.resolve();
    if (blob.length > SW_DEFAULTS.STATE_MAX_CHARS) return Promise.resolve();
    const body = { url, view_slug: typeof view === "string" ? view : "", state_json: blob, ts: now() };
    return state.put(state.key(partition, url), body);
  }

  /** `STATE_SNAPSHOT_LOOKUP`: `{hit, view_slug, state_json, ts}`. */
  async function lookupState({ url, partition }) {
    const entry = await state.get(state.key(partition, url));
    if (!entry) return { hit: false, view_slug: null, state_json: null, ts: 0 };
    return { hit: true, view_slug: entry.view_slug, state_json: entry.state_json, ts: entry.ts };
  }

  scope.djustPageCache = Object.freeze({
    configure,
    putVdom,
    lookupVdom,
    putState,
    lookupState,
    clearVdom: () => vdom.clear(),
    clearState: () => state.clear(),
    settings: () => ({ ttlSeconds, maxEntries: vdom.maxEntries }),
  });
})(typeof self !== "undefined" ? self : globalThis);
