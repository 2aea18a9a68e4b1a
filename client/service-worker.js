/**
 * The djust service worker (a classic script served at /static/djust/service-worker.js).
 *
 * - Instant shell (`sw/instant_shell.js`): navigations are answered at once from a cached page
 *   shell whose `<main>` the page then fills with a main-only fetch.
 * - VDOM cache and state snapshots (`sw/page_cache.js`): `VDOM_CONFIG`, `VDOM_CACHE`,
 *   `VDOM_CACHE_LOOKUP` → `VDOM_CACHE_REPLY`, `STATE_SNAPSHOT`, `STATE_SNAPSHOT_LOOKUP` →
 *   `STATE_SNAPSHOT_REPLY`, `DJUST_CLEAR_VDOM_CACHE`, `DJUST_CLEAR_STATE_CACHE`.
 * - Offline mode, when the URL carries a version (`sw/precache.js`, `sw/offline_pages.js`,
 *   `sw/offline_fetch.js`): precache, cache-first, network-first pages, offline page, saved pages
 *   (`DJUST_SAVE_OFFLINE`, `DJUST_REMOVE_OFFLINE`, `DJUST_OFFLINE_PAGES` →
 *   `DJUST_OFFLINE_REPLY`), updates wait for the page (`DJUST_SKIP_WAITING`).
 *
 * Every name it shares with the page comes from `sw/constants.js`, loaded first; operations that
 * must not interleave queue on `sw/serial.js`. Messages are accepted only from same-origin
 * window clients inside the worker's scope. `docs/protocol.md` lists every message.
 */
/* global importScripts */
"use strict";

importScripts("sw/constants.js", "sw/serial.js");
importScripts("sw/html_scan.js", "sw/instant_shell.js", "sw/page_cache.js");
importScripts("sw/precache.js", "sw/offline_pages.js", "sw/offline_fetch.js");

const { SW_MESSAGE } = self.djustConstants;

self.addEventListener("install", (event) => {
  // In offline mode a new version waits for the page's `DJUST_SKIP_WAITING` (an update prompt).
  const waits = self.djustPrecache.version() !== null && Boolean(self.registration && self.registration.active);
  event.waitUntil(self.djustPrecache.install().then(() => (waits ? undefined : self.skipWaiting())));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(Promise.all([self.clients.claim(), self.djustPrecache.activate()]));
});

self.addEventListener("fetch", (event) => {
  if (self.djustOfflineFetch.intercepts(event.request)) {
    event.respondWith(self.djustOfflineFetch.respond(event));
  } else if (self.djustInstantShell.intercepts(event.request)) {
    event.respondWith(self.djustInstantShell.navigate(event));
  }
});

/** Whether a message comes from a same-origin window client inside the scope. */
function trusted(event) {
  if (event.origin && event.origin !== self.location.origin) return false;
  const source = event.source;
  if (!source || source.type !== "window") return false;
  const scope = self.registration && self.registration.scope;
  if (scope && !(typeof source.url === "string" && source.url.startsWith(scope))) return false;
  const data = event.data;
  return data !== null && typeof data === "object" && typeof data.type === "string";
}

/** Sends `reply` to the message's sender, or to every controlled window if it is gone. */
async function answer(event, reply) {
  try {
    event.source.postMessage(reply);
  } catch {
    for (const client of await self.clients.matchAll({ type: "window" })) client.postMessage(reply);
  }
}

self.addEventListener("message", (event) => {
  if (!trusted(event)) return;
  const data = event.data;
  switch (data.type) {
    case SW_MESSAGE.CLEAR_SHELL:
      // The page waits for this acknowledgement before it reloads: a reload whose
      // navigation overtook the message would be answered with the stale shell again.
      event.waitUntil(self.djustInstantShell.clear().then(() => event.ports?.[0]?.postMessage({ type: SW_MESSAGE.CLEAR_SHELL, done: true })));
      break;
    case SW_MESSAGE.SKIP_WAITING:
    case SW_MESSAGE.SAVE_OFFLINE:
    case SW_MESSAGE.REMOVE_OFFLINE:
    case SW_MESSAGE.OFFLINE_PAGES:
      offlineMessage(event, data);
      break;
    default:
      pageCacheMessage(event, data);
      break;
  }
});

/** The VDOM cache and state snapshot messages (`sw/page_cache.js`); others are ignored. */
function pageCacheMessage(event, data) {
  const cache = self.djustPageCache;
  const lookup = async (find, type) => {
    const found = await find(data).catch(() => null);
    const miss = type === SW_MESSAGE.VDOM_CACHE_REPLY
      ? { hit: false, stale: false, html: null, version: null, ts: 0 }
      : { hit: false, view_slug: null, state_json: null, ts: 0 };
    await answer(event, { type, requestId: data.requestId, ...(found || miss) });
  };
  switch (data.type) {
    case SW_MESSAGE.VDOM_CONFIG:
      cache.configure(data);
      break;
    case SW_MESSAGE.VDOM_CACHE:
      event.waitUntil(cache.putVdom(data));
      break;
    case SW_MESSAGE.VDOM_CACHE_LOOKUP:
      event.waitUntil(lookup(cache.lookupVdom, SW_MESSAGE.VDOM_CACHE_REPLY));
      break;
    case SW_MESSAGE.STATE_SNAPSHOT:
      event.waitUntil(cache.putState(data));
      break;
    case SW_MESSAGE.STATE_SNAPSHOT_LOOKUP:
      event.waitUntil(lookup(cache.lookupState, SW_MESSAGE.STATE_SNAPSHOT_REPLY));
      break;
    case SW_MESSAGE.CLEAR_VDOM_CACHE:
      event.waitUntil(cache.clearVdom());
      break;
    case SW_MESSAGE.CLEAR_STATE_CACHE:
      event.waitUntil(cache.clearState());
      break;
    default:
      break; // unknown types are ignored
  }
}

/** The offline mode's messages (`sw/offline_fetch.js`); replies `DJUST_OFFLINE_REPLY`. */
function offlineMessage(event, data) {
  const offline = self.djustOfflineFetch;
  const reply = (work) =>
    event.waitUntil(
      work
        .catch((error) => {
          console.warn("[djust] offline:", error);
          return { ok: false };
        })
        .then((result) => answer(event, { type: SW_MESSAGE.OFFLINE_REPLY, requestId: data.requestId, ...result })),
    );
  switch (data.type) {
    case SW_MESSAGE.SKIP_WAITING:
      event.waitUntil(self.skipWaiting());
      break;
    case SW_MESSAGE.SAVE_OFFLINE:
      reply(offline.save(String(data.url)).then((ok) => ({ ok })));
      break;
    case SW_MESSAGE.REMOVE_OFFLINE:
      reply(offline.remove(String(data.url)).then((ok) => ({ ok })));
      break;
    default:
      reply(offline.saved().then((pages) => ({ ok: true, pages })));
      break;
  }
}
