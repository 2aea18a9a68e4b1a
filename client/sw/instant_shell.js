/**
 * The instant shell, service worker half: one cached page shell for the whole scope.
 *
 * A navigation with no shell cached goes to the network and its response is returned
 * unchanged; the shell is cached from it only when it is a 200 `text/html` page carrying
 * `X-Djust-Shell-Version` (the server's instant shell is on) and holding a `<main>`. With a
 * shell cached, every navigation to a page (not to a file such as `/export.csv`) is answered
 * at once with it; the page half turns a redirected answer into a full navigation to where it
 * went and marks the current page's links (`src/instant_shell.js`). Shell operations run one after
 * the other, so a `DJUST_CLEAR_SHELL` is done before the next navigation reads the cache.
 *
 * A classic script (the worker loads it with `importScripts`): it defines
 * `self.djustInstantShell`. The page half is `src/instant_shell.js`.
 */
(function (scope) {
  "use strict";

  const { HEADER, SW_CACHE } = scope.djustConstants;
  const SHELL_KEY = "__djust_shell__";

  /** Runs a shell cache operation after every one queued before it. */
  const serial = scope.djustSerial();

  /** The last path segment names a file that is not a page (`/export.csv`, `/a.pdf`). */
  const NOT_A_PAGE = /\.(?!html?$)[A-Za-z0-9]{1,8}$/;

  /**
   * Whether the worker answers `request`: a same-origin GET navigation, not main-only, to a
   * page — a download or another non-HTML file goes to the network untouched (the shell first
   * would end in a clear-and-reload).
   */
  function intercepts(request) {
    if (request.mode !== "navigate" || request.method !== "GET") return false;
    if (request.headers.get(HEADER.MAIN_ONLY) === "1") return false;
    const url = new URL(request.url);
    return url.origin === scope.location.origin && !NOT_A_PAGE.test(url.pathname);
  }

  /** The shell text of a network response, with its version, or `null` if it makes none. */
  async function shellOf(response) {
    const version = response.headers.get(HEADER.SHELL_VERSION);
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
      const cache = await scope.caches.open(SW_CACHE.SHELL);
      const headers = {
        "Content-Type": "text/html; charset=utf-8",
        [HEADER.SHELL_VERSION]: made.version,
        [HEADER.SHELL_CACHED]: "1",
      };
      await cache.put(SHELL_KEY, new scope.Response(made.shell, { status: 200, headers }));
    });
  }

  /** The cached shell, or `undefined`. */
  function cached() {
    return serial(async () => (await scope.caches.open(SW_CACHE.SHELL)).match(SHELL_KEY));
  }

  /** Drops the cached shell. */
  function clear() {
    return serial(async () => {
      await (await scope.caches.open(SW_CACHE.SHELL)).delete(SHELL_KEY);
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

  scope.djustInstantShell = Object.freeze({ SHELL_KEY, intercepts, navigate, clear, cached, store });
})(typeof self !== "undefined" ? self : globalThis);
