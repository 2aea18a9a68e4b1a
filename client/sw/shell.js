/**
 * The instant shell, service worker half: one cached page shell for the whole scope.
 *
 * A navigation with no shell cached goes to the network and its response is returned
 * unchanged; the shell is cached from it only when it is a 200 `text/html` page carrying
 * `X-Djust-Shell-Version` (the server's instant shell is on) and holding a `<main>`. With a
 * shell cached, every navigation is answered at once with it. Shell operations run one after
 * the other, so a `DJUST_CLEAR_SHELL` is done before the next navigation reads the cache.
 *
 * A classic script (the worker loads it with `importScripts`): it defines `self.djustShell`.
 */
(function (scope) {
  "use strict";

  const SHELL_CACHE = "djust-shell-v1";
  const SHELL_KEY = "__djust_shell__";
  const VERSION_HEADER = "X-Djust-Shell-Version";
  const MAIN_ONLY_HEADER = "X-Djust-Main-Only";

  /** The queue of shell cache operations. */
  let queue = Promise.resolve();

  /** Runs `op` after every shell operation queued before it. */
  function serial(op) {
    const result = queue.then(op, op);
    queue = result.catch(() => undefined);
    return result;
  }

  /** Whether the worker answers `request`: a same-origin GET navigation, not main-only. */
  function intercepts(request) {
    if (request.mode !== "navigate" || request.method !== "GET") return false;
    if (request.headers.get(MAIN_ONLY_HEADER) === "1") return false;
    return new URL(request.url).origin === scope.location.origin;
  }

  /** The shell text of a network response, with its version, or `null` if it makes none. */
  async function shellOf(response) {
    const version = response.headers.get(VERSION_HEADER);
    const mime = (response.headers.get("Content-Type") || "").split(";")[0].trim().toLowerCase();
    if (response.status !== 200 || mime !== "text/html" || !version) return null;
    const { shell } = scope.djustHtmlScan.splitShellAndMain(await response.text(), version);
    return shell === null ? null : { shell, version };
  }

  /** Caches the shell made from `response` (a clone the page does not read), if any. */
  function store(response) {
    return serial(async () => {
      const made = await shellOf(response);
      if (!made) return;
      const cache = await scope.caches.open(SHELL_CACHE);
      const headers = {
        "Content-Type": "text/html; charset=utf-8",
        [VERSION_HEADER]: made.version,
        "X-Djust-Shell-Cached": "1",
      };
      await cache.put(SHELL_KEY, new scope.Response(made.shell, { status: 200, headers }));
    });
  }

  /** The cached shell, or `undefined`. */
  function cached() {
    return serial(async () => (await scope.caches.open(SHELL_CACHE)).match(SHELL_KEY));
  }

  /** Drops the cached shell. */
  function clear() {
    return serial(async () => {
      await (await scope.caches.open(SHELL_CACHE)).delete(SHELL_KEY);
    });
  }

  /** Answers a navigation `event` (see {@link intercepts}). */
  async function navigate(event) {
    let shell;
    try {
      shell = await cached();
    } catch (error) {
      console.warn("[djust] shell cache unavailable", error);
    }
    if (shell) return shell;
    const response = await scope.fetch(event.request);
    event.waitUntil(store(response.clone()).catch((error) => console.warn("[djust] shell not cached", error)));
    return response;
  }

  scope.djustShell = Object.freeze({ SHELL_CACHE, SHELL_KEY, intercepts, navigate, clear, cached, store });
})(typeof self !== "undefined" ? self : globalThis);
