/**
 * Offline mode, the offline pages store: the last good copy of each page (`full` document and `main`
 * main-only answer, by path and query) in Cache Storage (`SW_CACHE.PAGES`), with an index entry
 * (recency, size, title, saved flag, and the user partition the copies belong to) persisted in
 * the same cache. Pages saved for offline are never evicted; the others are bounded by
 * `maxPages` (distinct URLs) and `maxBytes`, least recently used first. A quota error on a write
 * evicts the oldest unsaved page and tries again instead of failing. Operations run one after
 * the other. The page half (saved pages, their lists) is `src/offline_pages.js`.
 *
 * A classic script (the worker loads it with `importScripts`): it defines
 * `self.djustOfflinePages`.
 */
(function (scope) {
  "use strict";

  const { HEADER, SW_CACHE, SW_DEFAULTS } = scope.djustConstants;
  const CACHE = SW_CACHE.PAGES;
  const INDEX_KEY = "__djust_pages_index__";

  const now = () => (scope.djustClock || Date.now)();
  const limits = { maxPages: SW_DEFAULTS.MAX_PAGES, maxBytes: SW_DEFAULTS.MAX_BYTES };
  /** `{partition, entries: Map(key → {url, kind, bytes, ts, saved, title})}`, oldest first. */
  let index = null;
  const serial = scope.djustSerial();

  function keyOf(url, kind) {
    const base = (scope.registration && scope.registration.scope) || scope.location.origin + "/";
    return `${base}__djust/pages/${kind}/${encodeURIComponent(url)}`;
  }

  async function open() {
    const cache = await scope.caches.open(CACHE);
    if (index === null) {
      const saved = await cache.match(INDEX_KEY);
      const body = saved ? await saved.json().catch(() => null) : null;
      index = { partition: body?.partition ?? null, entries: new Map(Array.isArray(body?.entries) ? body.entries : []) };
    }
    return cache;
  }

  function saveIndex(cache) {
    const body = JSON.stringify({ partition: index.partition, entries: [...index.entries] });
    return cache.put(INDEX_KEY, new scope.Response(body, { headers: { "Content-Type": "application/json" } }));
  }

  /** The oldest URL that is not saved, or `null`. */
  function oldestUnsaved() {
    for (const entry of index.entries.values()) if (!entry.saved) return entry.url;
    return null;
  }

  async function evictUrl(cache, url) {
    for (const kind of ["full", "main"]) {
      index.entries.delete(keyOf(url, kind));
      await cache.delete(keyOf(url, kind));
    }
  }

  /** Evicts unsaved pages, oldest first, while over `maxPages` or `maxBytes`. */
  async function enforce(cache) {
    for (;;) {
      const unsaved = [...index.entries.values()].filter((entry) => !entry.saved);
      const pages = new Set(unsaved.map((entry) => entry.url)).size;
      const bytes = unsaved.reduce((sum, entry) => sum + entry.bytes, 0);
      if (pages <= limits.maxPages && bytes <= limits.maxBytes) return;
      await evictUrl(cache, oldestUnsaved());
    }
  }

  const isQuota = (error) => error && (error.name === "QuotaExceededError" || error.code === 22);

  /** Writes with `write()`; on a quota error evicts the oldest unsaved page and retries. */
  async function withRoom(cache, write) {
    for (;;) {
      try {
        return await write();
      } catch (error) {
        const victim = isQuota(error) ? oldestUnsaved() : null;
        if (victim === null) throw error;
        await evictUrl(cache, victim);
      }
    }
  }

  function titleOf(response, text, kind) {
    const header = response.headers.get(HEADER.TITLE);
    if (kind === "main" && header !== null) return decodeURIComponent(header);
    const match = /<title[^>]*>([^<]*)<\/title>/i.exec(text);
    return match ? match[1].trim() : "";
  }

  /** Keeps `response` as the `kind` copy of `url`; `saved` pins it (an already saved page stays saved). */
  function put(url, kind, response, { saved = false } = {}) {
    return serial(async () => {
      const cache = await open();
      const key = keyOf(url, kind);
      const text = await response.text();
      const previous = index.entries.get(key);
      const entry = {
        url,
        kind,
        bytes: text.length,
        ts: now(),
        saved: saved || Boolean(previous?.saved),
        title: titleOf(response, text, kind),
      };
      const headers = new scope.Headers(response.headers);
      headers.set(HEADER.CACHED_AT, String(entry.ts));
      index.entries.delete(key);
      await withRoom(cache, () => cache.put(key, new scope.Response(text, { status: response.status, headers })));
      index.entries.set(key, entry);
      await enforce(cache);
      await withRoom(cache, () => saveIndex(cache));
      return true;
    }).catch((error) => {
      console.warn("[djust] page not kept for offline", error);
      return false;
    });
  }

  /** The `kind` copy of `url` (marked used), or `null`. */
  function match(url, kind) {
    return serial(async () => {
      const cache = await open();
      const key = keyOf(url, kind);
      const entry = index.entries.get(key);
      const response = entry ? await cache.match(key) : undefined;
      if (!entry || !response) return null;
      index.entries.delete(key);
      index.entries.set(key, { ...entry, ts: now() });
      return response;
    });
  }

  /** Unpins `url` and drops its copies. */
  function remove(url) {
    return serial(async () => {
      const cache = await open();
      await evictUrl(cache, url);
      await saveIndex(cache);
    });
  }

  /** The saved pages: `[{url, title, ts}]`, least recently used first. */
  function saved() {
    return serial(async () => {
      await open();
      const pages = new Map();
      for (const entry of index.entries.values()) {
        if (!entry.saved) continue;
        const page = pages.get(entry.url) ?? { url: entry.url, title: "", ts: entry.ts };
        pages.set(entry.url, { ...page, title: page.title || entry.title });
      }
      return [...pages.values()];
    });
  }

  /**
   * Notes the partition a response declared. Resolves `true` when it differs from the one the
   * copies belong to: then every copy (saved ones too) is already gone.
   */
  function notePartition(partition) {
    return serial(async () => {
      const cache = await open();
      if (index.partition === partition) return false;
      const changed = index.partition !== null;
      if (changed) {
        await scope.caches.delete(CACHE);
        index = { partition, entries: new Map() };
        await saveIndex(await scope.caches.open(CACHE));
      } else {
        index.partition = partition;
        await saveIndex(cache);
      }
      return changed;
    });
  }

  /** Sets the bounds (the server's `maxPages`, `maxBytes`). */
  function configure({ maxPages, maxBytes } = {}) {
    if (Number.isInteger(maxPages) && maxPages > 0) limits.maxPages = maxPages;
    if (Number.isInteger(maxBytes) && maxBytes > 0) limits.maxBytes = maxBytes;
  }

  scope.djustOfflinePages = Object.freeze({ CACHE, put, match, remove, saved, notePartition, configure, limits });
})(typeof self !== "undefined" ? self : globalThis);
