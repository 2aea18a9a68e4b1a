/**
 * Offline mode, the fetch strategies and the saved pages' messages (on only when the worker has
 * a version, see `precache.js`):
 *
 * - precached URLs and hashed client files: cache-first;
 * - navigations: through the instant shell when it has one (`instant_shell.js`), else
 *   network-first with the server's timeout (`SW_DEFAULTS.NETWORK_TIMEOUT_MS`, 3 s), falling
 *   back to the last good copy of the URL, then to the offline page; URLs on the deny list go to
 *   the network only and are never kept;
 * - main-only requests (the instant shell filling `<main>`): the same, with the main-only copies.
 *
 * Answers from a copy carry `X-Djust-Offline: 1` (a whole document also gets
 * `<meta name="djust-offline" content="1">`), so the page can tell the user. Every answer from
 * the network is checked for `X-Djust-Partition`: when it differs from the partition the copies
 * belong to, the pages, the VDOM cache, the snapshots and the shell are cleared and every page
 * is told (`DJUST_PARTITION_CHANGED`). Copies are kept by `offline_pages.js`; on the page,
 * `src/offline_status.js` tells the user and `src/offline_pages.js` lists the saved pages.
 *
 * A classic script (the worker loads it with `importScripts`): it defines
 * `self.djustOfflineFetch`.
 */
(function (scope) {
  "use strict";

  const { HEADER, OFFLINE_MARK, SW_DEFAULTS, SW_MESSAGE } = scope.djustConstants;
  const FAILED = Symbol("failed");
  const TIMEOUT = Symbol("timeout");

  const precache = () => scope.djustPrecache;
  const store = () => scope.djustOfflinePages;
  const isMainOnly = (request) => request.headers.get(HEADER.MAIN_ONLY) === "1";

  /** Whether the worker answers `request` in offline mode (decided without waiting). */
  function intercepts(request) {
    if (precache().version() === null || request.method !== "GET") return false;
    const url = new URL(request.url);
    if (url.origin !== scope.location.origin) return false;
    return request.mode === "navigate" || isMainOnly(request) || precache().serves(url);
  }

  /** Whether `url` is on the deny list (never cached). */
  function denied(config, url) {
    const list = Array.isArray(config.deny) ? config.deny : [];
    return list.some((prefix) => url.pathname.startsWith(prefix));
  }

  /** Whether a network answer is a page worth keeping. */
  function keepable(response) {
    const mime = (response.headers.get("Content-Type") || "").split(";")[0].trim().toLowerCase();
    return response.status === 200 && mime === "text/html" && !response.redirected;
  }

  /** Checks the partition `response` declares; clears every user-bound cache when it changed. */
  async function checkPartition(response) {
    const partition = response.headers.get(HEADER.PARTITION);
    if (!partition || !(await store().notePartition(partition))) return;
    await Promise.all([
      scope.djustPageCache?.clearVdom(),
      scope.djustPageCache?.clearState(),
      scope.djustInstantShell?.clear(),
    ]);
    for (const client of await scope.clients.matchAll({ type: "window" })) {
      client.postMessage({ type: SW_MESSAGE.PARTITION_CHANGED, partition });
    }
  }

  /** After a network answer: the partition check, then the copy (unless denied). */
  async function remember(response, path, kind, keep) {
    await checkPartition(response);
    if (keep && keepable(response)) await store().put(path, kind, response);
  }

  /** `response` marked as a copy shown offline. */
  async function marked(response, kind) {
    const headers = new scope.Headers(response.headers);
    headers.set(HEADER.OFFLINE, "1");
    let body = await response.text();
    if (kind === "full") {
      const meta = `<meta name="${OFFLINE_MARK.META}" content="1">`;
      const head = /<head(?:\s[^>]*)?>/i.exec(body);
      body = head ? body.slice(0, head.index + head[0].length) + meta + body.slice(head.index + head[0].length) : meta + body;
    }
    return new scope.Response(body, { status: 200, headers });
  }

  /** A main-only answer cut from the whole copy of `path` (a page the shell never filled), or `null`. */
  async function mainOfFull(path) {
    const full = await store().match(path, "full");
    if (!full) return null;
    const html = await full.text();
    const { main } = scope.djustHtmlScan.splitShellAndMain(html);
    if (main === null) return null;
    const headers = new scope.Headers(full.headers);
    headers.set(HEADER.MAIN_ONLY_RESPONSE, "1");
    const title = /<title[^>]*>([^<]*)<\/title>/i.exec(html);
    if (title) headers.set(HEADER.TITLE, encodeURIComponent(title[1].trim()));
    return new scope.Response(main, { status: 200, headers });
  }

  /** The offline page (marked), or a network error page. */
  async function offlinePage(kind) {
    const page = await precache().offlinePage(kind);
    if (page) return marked(page, kind);
    return kind === "main" ? new scope.Response("offline", { status: 503 }) : scope.Response.error();
  }

  /**
   * Network-first: `load()`'s answer if it comes within the timeout; else the last good copy;
   * else (after a timeout) the network's late answer; else the offline page.
   */
  async function networkFirst(event, config, load, path, kind, keep) {
    const answer = Promise.resolve().then(load).then((response) => {
      if (response.headers.get(HEADER.SHELL_CACHED) !== "1") {
        event.waitUntil(remember(response.clone(), path, kind, keep).catch((error) => console.warn("[djust] offline:", error)));
      }
      return response;
    });
    let timer;
    const ms = Number.isInteger(config.networkTimeoutMs) ? config.networkTimeoutMs : SW_DEFAULTS.NETWORK_TIMEOUT_MS;
    const timeout = new Promise((resolve) => {
      timer = scope.setTimeout(() => resolve(TIMEOUT), ms);
    });
    const first = await Promise.race([answer.catch(() => FAILED), timeout]);
    scope.clearTimeout(timer);
    if (first !== FAILED && first !== TIMEOUT) return first;
    const copy = keep ? ((await store().match(path, kind)) ?? (kind === "main" ? await mainOfFull(path) : null)) : null;
    if (copy) return marked(copy, kind);
    if (first === TIMEOUT) {
      const late = await answer.catch(() => FAILED);
      if (late !== FAILED) return late;
    }
    return offlinePage(kind);
  }

  /** Answers a request {@link intercepts} took. */
  async function respond(event) {
    const request = event.request;
    const url = new URL(request.url);
    const config = await precache().config();
    const navigating = request.mode === "navigate";
    if (!config) {
      if (navigating && scope.djustInstantShell.intercepts(request)) return scope.djustInstantShell.navigate(event);
      return scope.fetch(request);
    }
    store().configure(config);
    if (!navigating && !isMainOnly(request)) return precache().cacheFirst(request);
    const path = url.pathname + url.search;
    const keep = !denied(config, url);
    const viaShell = navigating && keep && scope.djustInstantShell.intercepts(request);
    const load = viaShell ? () => scope.djustInstantShell.navigate(event) : () => scope.fetch(request);
    return networkFirst(event, config, load, path, navigating ? "full" : "main", keep);
  }

  /** `DJUST_SAVE_OFFLINE`: fetches `url` (whole and main-only) and pins both copies. */
  async function save(url) {
    const config = await precache().config();
    const target = new URL(url, scope.location.origin);
    if (!config || target.origin !== scope.location.origin || denied(config, target)) return false;
    store().configure(config);
    const path = target.pathname + target.search;
    const get = (headers) => scope.fetch(new scope.Request(target.href, { headers, credentials: "same-origin", cache: "no-store" }));
    const [full, main] = await Promise.all([get({}), get({ [HEADER.MAIN_ONLY]: "1" })]);
    if (!keepable(full) || !keepable(main)) return false;
    await checkPartition(full);
    const kept = await store().put(path, "full", full, { saved: true });
    return kept && (await store().put(path, "main", main, { saved: true }));
  }

  /** `DJUST_REMOVE_OFFLINE`: drops the copies of `url`. */
  async function remove(url) {
    const target = new URL(url, scope.location.origin);
    await store().remove(target.pathname + target.search);
    return true;
  }

  scope.djustOfflineFetch = Object.freeze({ intercepts, respond, save, remove, saved: () => store().saved() });
})(typeof self !== "undefined" ? self : globalThis);
