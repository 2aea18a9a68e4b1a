/**
 * The djust client's entry point, loaded as `<script type="module">`. The only module with
 * side effects: it joins every `[dj-view]` container to one socket, listens for bindings,
 * connects, and exposes `window.djust`.
 * @module client
 */

import { ATTR, FRAME, PAGE_CACHE, SSE, SW } from "./src/constants.js";
import { bindEvents } from "./src/events.js";
import Socket, { socketUrl } from "./src/socket.js";
import View from "./src/view.js";
import { OutboxStore } from "./src/outbox_store.js";
import { fillShell, reloadFromNetwork } from "./src/instant_shell.js";
import LazyHydration from "./src/lazy.js";
import Navigation from "./src/navigation.js";
import { SessionSnapshotStore } from "./src/snapshot.js";
import ServiceWorkerPageCache from "./src/page_cache.js";
import { serverOptions, serviceWorkerRegistrar } from "./src/sw_registration.js";
import OfflineStatus from "./src/offline_status.js";
import OfflinePages from "./src/offline_pages.js";
import { toolboxFor } from "./src/toolbox.js";

/** The server offers SSE with `<meta name="djust-sse-prefix">`; djust's switch forces it. */
const ssePrefix = document.querySelector(`meta[name="${SSE.PREFIX_META}"]`)?.content || null;
const socket = new Socket({
  url: socketUrl(window.location),
  document,
  ssePrefix,
  transport: window.DJUST_USE_WEBSOCKET === false ? "sse" : "websocket",
});
socket.watch(window);
// A refused page token (another URL, too old) ends in one guarded reload, never a dead page.
socket.onTokenRefused = () => reloadFromNetwork(window);
// Unacknowledged events survive a reload of the tab (IndexedDB; in memory only without it).
socket.outboxStore = OutboxStore.open({ indexedDB: window.indexedDB, sessionStorage: window.sessionStorage });
// A reload of the tab resumes the views' sessions (their events keep their numbers).
window.addEventListener("pagehide", () => {
  for (const view of socket.views.values()) view.delivery.hide();
});
const toolbox = toolboxFor(document);
toolbox.navigate = (href) => navigation.go(href);
// Before live navigation takes the frame: the flash of the handler that navigated.
socket.on(FRAME.NAVIGATE, (frame) => toolbox.navigating(frame));
const makeView = (container) => new View(container, socket);
/** The cache partition of this user and language (`dj-partition`), once a page showed it. */
let partition = null;
const navigation = new Navigation({
  window,
  socket,
  makeView,
  lazy: new LazyHydration({ window, socket, makeView, navigate: (url) => navigation.go(url) }),
  snapshots: new SessionSnapshotStore(window.sessionStorage),
});
navigation.listen();
mountInside(document);
bindEvents(document, (el) => socket.viewFor(el), { navigate: toolbox.navigate });

/**
 * Joins the live views inside `root` (the page, or a shell's swapped-in `<main>`; lazy ones
 * wait for their trigger) and connects.
 */
function mountInside(root) {
  const containers = [...root.querySelectorAll(`[${ATTR.VIEW}]`)];
  partition = root.querySelector(`[${PAGE_CACHE.PARTITION_ATTR}]`)?.getAttribute(PAGE_CACHE.PARTITION_ATTR) ?? partition;
  for (const container of containers) {
    if (socket.views.has(container.id)) continue;
    if (container.hasAttribute(ATTR.LAZY)) navigation.lazy.register(container);
    else socket.join(makeView(container));
  }
  if (containers.length > 0) socket.connect();
}
const registerServiceWorker = serviceWorkerRegistrar({ navigator: window.navigator });
const swOptions = serverOptions(document);
if (swOptions) registerServiceWorker(swOptions);
usePageCache(swOptions);

/**
 * With the server's `vdomCache`/`stateSnapshot` options, the worker keeps cached pages and
 * snapshots (partitioned by the page's `dj-partition`) and gets the server's TTL and size.
 */
function usePageCache(options) {
  const serviceWorker = window.navigator.serviceWorker;
  if (!options || !serviceWorker || !(options.vdomCache || options.stateSnapshot)) return;
  const cache = new ServiceWorkerPageCache({ serviceWorker, partition: () => partition });
  if (options.stateSnapshot) navigation.snapshots = cache;
  if (options.vdomCache) {
    navigation.vdom = cache;
    cache.configure({ ttlSeconds: options.vdomTtlSeconds, maxEntries: options.vdomMaxEntries });
  }
}

/** Offline mode (`src/offline_status.js`, `src/offline_pages.js`): banner, saved pages, updates. */
const offlineStatus = new OfflineStatus({ window, socket });
const offlinePages = new OfflinePages({ window, partition: () => partition });
window.addEventListener(SW.SWAPPED_EVENT, (event) => {
  if (event.detail?.offline) offlineStatus.fromCache();
  offlinePages.fillLists();
});
if (OfflineStatus.servedFromCache(document)) offlineStatus.fromCache();
if (swOptions?.offline) {
  offlinePages.fillLists();
  socket.onOpen(() => offlinePages.fillLists()); // a mount may have re-rendered a list
  registerServiceWorker(swOptions).then((registration) => offlinePages.watchUpdates(registration, { prompt: swOptions.updatePrompt }));
}
fillShell({ window, mountInside });

/** The public API. */
window.djust = Object.freeze({
  /**
   * Sends event `event` with `params` to the view in container `target` (its id).
   * @param {string} target
   * @param {string} event
   * @param {object} [params]
   * @returns {number | null} the event's ref, or `null` (no such view, or not connected)
   */
  pushEvent(target, event, params = {}) {
    return socket.views.get(target)?.pushEvent(event, params) ?? null;
  },
  /**
   * Asks the server for the whole HTML of the view in container `target` (an `html_recovery`
   * answer replaces the view's DOM): re-synchronises a view whose DOM was changed by hand.
   * @param {string} target
   * @returns {boolean} whether a view of that target exists and the socket is open
   */
  requestHtml(target) {
    const view = socket.views.get(target);
    if (!view || !socket.isOpen()) return false;
    view.recover();
    return true;
  },
  /**
   * Registers the djust service worker (`src/sw_registration.js`): `{instantShell,
   * vdomCache, stateSnapshot, offline, updatePrompt, swUrl, scope}`, all off by
   * default. Pages whose server configures the worker call it by themselves.
   * @returns {Promise<ServiceWorkerRegistration | null>}
   */
  registerServiceWorker(options = {}) {
    return registerServiceWorker(options);
  },
  /**
   * Keeps `url` (this page by default) in the worker until removed (offline mode).
   * @returns {Promise<boolean>} whether it is saved
   */
  saveForOffline(url) {
    return offlinePages.save(url);
  },
  /** @returns {Promise<boolean>} whether `url` (this page by default) was removed */
  removeFromOffline(url) {
    return offlinePages.remove(url);
  },
  /** @returns {Promise<{url: string, title: string, ts: number}[]>} the pages saved for offline */
  offlinePages() {
    return offlinePages.list();
  },
  /**
   * Registers client hook `name` (`dj-hook="name"`, `src/hooks.js`); elements already on the
   * page are mounted now. Hooks set in `window.DjustHooks` before the client loads need no call.
   * @param {string} name
   * @param {object | Function} hook its callbacks (an object, or a class)
   */
  registerHook(name, hook) {
    toolbox.hooks.register(name, hook);
  },
  /** Opens the connection if it is closed (and re-mounts every view). */
  connect() {
    socket.connect();
  },
  /** Closes the connection; no reconnection until `connect()`. */
  disconnect() {
    socket.disconnect();
  },
  /** @returns {boolean} whether the socket is open */
  isConnected() {
    return socket.isOpen();
  },
  /** @returns {"websocket" | "sse"} the transport in use (or next to be used) */
  transport() {
    return socket.mode;
  },
});
