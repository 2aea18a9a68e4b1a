/**
 * Offline mode, precache: the worker's URL carries its version (`service-worker.js?v=…`, set
 * by the server when the offline mode is on; no `v`, no offline mode). On install the worker
 * reads `STATIC_PATH.OFFLINE_CONFIG` (`/static/djust/offline.json`) and caches every URL it lists (the client files and the
 * application's content-hashed assets) plus the offline page (whole and main-only) in
 * `djust-precache-<version>` (`SW_CACHE.PRECACHE_PREFIX`); the configuration is kept there too, so a restarted worker reads
 * it without the network. Those URLs are then served cache-first. On activate every other
 * `djust-precache-*` cache is deleted. A failed precache fails the install (the old worker
 * stays).
 *
 * A classic script (the worker loads it with `importScripts`): it defines `self.djustPrecache`.
 */
(function (scope) {
  "use strict";

  const { HEADER, STATIC_PATH, SW_CACHE } = scope.djustConstants;
  const PREFIX = SW_CACHE.PRECACHE_PREFIX;
  const CONFIG_URL = STATIC_PATH.OFFLINE_CONFIG;
  /** Hashed client files: `/static/djust/<12 hex>/…` (the directory after the prefix). */
  const HASH_DIR = /^[0-9a-f]{12}\//;
  const isClientFile = (path) => path.startsWith(STATIC_PATH.PREFIX) && HASH_DIR.test(path.slice(STATIC_PATH.PREFIX.length));

  const absolute = (url) => new URL(url, scope.location.origin).href;
  const key = (name) => absolute(`/__djust/precache/${name}`);
  const OFFLINE_KEYS = { full: key("offline-page"), main: key("offline-main") };
  const CONFIG_KEY = key("config");

  /** The configuration once read (`null`: none), and the precached URLs of it. */
  let loaded = null;
  let urls = new Set();

  /** This worker's version (`?v=` of its URL), or `null` when the offline mode is off. */
  function version() {
    return new URL(scope.location.href).searchParams.get("v");
  }

  /** The cache of this version. */
  function cacheName() {
    return PREFIX + version();
  }

  function remember(config) {
    urls = new Set((config?.precache ?? []).map(absolute));
    loaded = Promise.resolve(config);
    return config;
  }

  /** Fetches `url` (same origin, never the HTTP cache); throws unless 200. */
  async function fetchOk(url, headers = {}) {
    const response = await scope.fetch(new scope.Request(absolute(url), { headers, credentials: "same-origin", cache: "no-store" }));
    if (response.status !== 200) throw new Error(`precache: ${url} answered ${response.status}`);
    return response;
  }

  /** `install`: caches the configuration, its URLs and the offline page. */
  async function install() {
    if (version() === null) return;
    const config = await (await fetchOk(CONFIG_URL)).json();
    const cache = await scope.caches.open(cacheName());
    const list = Array.isArray(config.precache) ? config.precache : [];
    await Promise.all(list.map(async (url) => cache.put(absolute(url), await fetchOk(url))));
    if (typeof config.offlinePage === "string") {
      await cache.put(OFFLINE_KEYS.full, await fetchOk(config.offlinePage));
      await cache.put(OFFLINE_KEYS.main, await fetchOk(config.offlinePage, { [HEADER.MAIN_ONLY]: "1" }));
    }
    await cache.put(CONFIG_KEY, new scope.Response(JSON.stringify(config), { headers: { "Content-Type": "application/json" } }));
    remember(config);
  }

  /** `activate`: deletes the precache of every other version. */
  async function activate() {
    if (version() === null) return;
    for (const name of await scope.caches.keys()) {
      if (name.startsWith(PREFIX) && name !== cacheName()) await scope.caches.delete(name);
    }
  }

  /** The configuration (read from this version's cache once), or `null`. */
  function config() {
    if (loaded) return loaded;
    if (version() === null) return Promise.resolve(null);
    loaded = (async () => {
      const saved = await (await scope.caches.open(cacheName())).match(CONFIG_KEY);
      return remember(saved ? await saved.json() : null);
    })().catch(() => {
      loaded = null;
      return null;
    });
    return loaded;
  }

  /** Whether `url` is precached (or a hashed client file), known without waiting. */
  function serves(url) {
    return urls.has(url.href) || isClientFile(url.pathname);
  }

  /** Cache-first: the precached copy, else the network (kept when it is a 200). */
  async function cacheFirst(request) {
    const cache = await scope.caches.open(cacheName());
    const hit = await cache.match(request.url);
    if (hit) return hit;
    const response = await scope.fetch(request);
    if (response.status === 200) await cache.put(request.url, response.clone()).catch(() => undefined);
    return response;
  }

  /** The precached offline page, `kind` `"full"` or `"main"`, or `null`. */
  async function offlinePage(kind) {
    if (version() === null) return null;
    return (await (await scope.caches.open(cacheName())).match(OFFLINE_KEYS[kind])) ?? null;
  }

  scope.djustPrecache = Object.freeze({ PREFIX, CONFIG_URL, version, cacheName, install, activate, config, serves, cacheFirst, offlinePage });
})(typeof self !== "undefined" ? self : globalThis);
