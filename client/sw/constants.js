/**
 * Every name the service worker shares with the page or the server: its messages, the headers
 * it reads and writes, the paths it fetches, the shell placeholder's attributes and the
 * defaults it applies when the server sends none. The worker cannot import ES modules, so this
 * classic script repeats the tables of `client/src/constants.js` that the worker uses, with the
 * same names and values (`test/unit/sw_constants_test.js` compares them deep); `SW_CACHE`, the
 * worker's own Cache Storage names, has no page twin. The Rust side spells the names shared with
 * the server in `djust_core::contract`.
 *
 * A classic script the worker loads first (`importScripts`): it defines `self.djustConstants`.
 */
(function (scope) {
  "use strict";

  /** Messages between the page and the service worker (`docs/protocol.md`). */
  const SW_MESSAGE = Object.freeze({
    /** page → worker: `{type}`, drop the cached shell. */
    CLEAR_SHELL: "DJUST_CLEAR_SHELL",
    /** page → worker: `{type, ttl_seconds, max_entries, partition}`. */
    VDOM_CONFIG: "VDOM_CONFIG",
    /** page → worker: `{type, url, html, version, partition}`. */
    VDOM_CACHE: "VDOM_CACHE",
    /** page → worker: `{type, url, partition, requestId}`; answered by `VDOM_CACHE_REPLY`. */
    VDOM_CACHE_LOOKUP: "VDOM_CACHE_LOOKUP",
    VDOM_CACHE_REPLY: "VDOM_CACHE_REPLY",
    /** page → worker: `{type, url, view_slug, state_json, partition}`. */
    STATE_SNAPSHOT: "STATE_SNAPSHOT",
    /** page → worker: `{type, url, partition, requestId}`; answered by `STATE_SNAPSHOT_REPLY`. */
    STATE_SNAPSHOT_LOOKUP: "STATE_SNAPSHOT_LOOKUP",
    STATE_SNAPSHOT_REPLY: "STATE_SNAPSHOT_REPLY",
    CLEAR_VDOM_CACHE: "DJUST_CLEAR_VDOM_CACHE",
    CLEAR_STATE_CACHE: "DJUST_CLEAR_STATE_CACHE",
    /** page → waiting worker: activate now (the update prompt's reload). */
    SKIP_WAITING: "DJUST_SKIP_WAITING",
    /** page → worker: `{type, url, requestId}`, keep `url` until removed. */
    SAVE_OFFLINE: "DJUST_SAVE_OFFLINE",
    /** page → worker: `{type, url, requestId}`. */
    REMOVE_OFFLINE: "DJUST_REMOVE_OFFLINE",
    /** page → worker: `{type, requestId}`, the saved pages. */
    OFFLINE_PAGES: "DJUST_OFFLINE_PAGES",
    /** worker → page: `{type, requestId, ok, pages?}`, the answer to the three above. */
    OFFLINE_REPLY: "DJUST_OFFLINE_REPLY",
    /** worker → every page: `{type, partition}`, another user's pages came from the server. */
    PARTITION_CHANGED: "DJUST_PARTITION_CHANGED",
  });

  /** HTTP headers of the instant shell, the main-only answers and the offline copies. */
  const HEADER = Object.freeze({
    /** Request: `1` asks for the inner HTML of the page's `<main>` only. */
    MAIN_ONLY: "X-Djust-Main-Only",
    /** Response: `1` marks a main-only answer. */
    MAIN_ONLY_RESPONSE: "X-Djust-Main-Only-Response",
    /** Response of a main-only answer: the page's title, percent-encoded. */
    TITLE: "X-Djust-Title",
    /** Response of every page while the instant shell is on: the shell version. */
    SHELL_VERSION: "X-Djust-Shell-Version",
    /** Response of every page: the user partition (keyed hash of session and language). */
    PARTITION: "X-Djust-Partition",
    /** Set by the worker on an answer taken from a copy: `1`. */
    OFFLINE: "X-Djust-Offline",
    /** Set by the worker on the cached shell: `1`. */
    SHELL_CACHED: "X-Djust-Shell-Cached",
    /** Set by the worker on a kept page copy: when it was kept (ms since the epoch). */
    CACHED_AT: "X-Djust-Cached-At",
  });

  /** Paths the server serves the client and the worker at. */
  const STATIC_PATH = Object.freeze({
    /** Every client file is under it. */
    PREFIX: "/static/djust/",
    /** The worker itself (a stable URL; `?v=` carries the offline mode's version). */
    SERVICE_WORKER: "/static/djust/service-worker.js",
    /** The offline mode's settings (the worker's install reads them; the page probes it). */
    OFFLINE_CONFIG: "/static/djust/offline.json",
  });

  /** Attributes of the shell's empty `<main>`. */
  const SHELL_ATTR = Object.freeze({
    PLACEHOLDER: "data-djust-shell-placeholder",
    VERSION: "data-djust-shell-version",
  });

  /** How a document answered from a copy is marked: `<meta name="djust-offline" content="1">`. */
  const OFFLINE_MARK = Object.freeze({
    META: "djust-offline",
  });

  /**
   * What the worker applies when the server sends nothing (the server's defaults are the
   * same, `djust_core::contract::defaults`).
   */
  const SW_DEFAULTS = Object.freeze({
    /** Offline mode: how long a navigation waits for the network before a copy is used. */
    NETWORK_TIMEOUT_MS: 3_000,
    /** Offline mode: pages kept (distinct URLs), saved pages aside. */
    MAX_PAGES: 50,
    /** Offline mode: bytes of kept pages, saved pages aside. */
    MAX_BYTES: 5 * 1024 * 1024,
    /** VDOM cache: how long a page's HTML may be painted. */
    VDOM_TTL_SECONDS: 300,
    /** VDOM cache: pages kept. */
    VDOM_MAX_ENTRIES: 100,
    /** The bounds the server checks at compile time (`VdomCacheConfig`); others are ignored. */
    VDOM_TTL_RANGE: Object.freeze([1, 86_400]),
    VDOM_ENTRIES_RANGE: Object.freeze([1, 10_000]),
    /** State snapshots kept. */
    STATE_MAX_ENTRIES: 50,
    /** A snapshot longer than this is not kept. */
    STATE_MAX_CHARS: 256 * 1024,
  });

  /** Cache Storage names of the worker (a new name is a new, empty cache). Worker only. */
  const SW_CACHE = Object.freeze({
    SHELL: "djust-shell-v1",
    PAGES: "djust-pages-v1",
    VDOM: "djust-vdom-cache-v1",
    STATE: "djust-state-cache-v1",
    /** `djust-precache-<version>`, one per offline-mode version. */
    PRECACHE_PREFIX: "djust-precache-",
  });

  scope.djustConstants = Object.freeze({
    SW_MESSAGE,
    HEADER,
    STATIC_PATH,
    SHELL_ATTR,
    OFFLINE_MARK,
    SW_DEFAULTS,
    SW_CACHE,
  });
})(typeof self !== "undefined" ? self : globalThis);
