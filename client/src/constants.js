/**
 * Every name the client shares with the server, the service worker or the page: DOM
 * attributes, CSS classes, frame types, wire keys, patch ops, headers, paths, messages, timings
 * and texts. `docs/protocol.md` is the contract; the Rust side spells the names it shares in
 * `djust-core/src/protocol.rs` and `djust-core/src/contract.rs` (`djust-core/tests/contract.rs`
 * compares them), the worker in `client/sw/constants.js`. Other modules import these, never
 * the literals.
 * @module constants
 */

/** Attributes the server renders and the client reads. */
export const ATTR = Object.freeze({
  VIEW: "dj-view",
  TOKEN: "dj-token",
  ID: "dj-id",
  CLICK: "dj-click",
  SUBMIT: "dj-submit",
  CHANGE: "dj-change",
  INPUT: "dj-input",
  KEYDOWN: "dj-keydown",
  KEYUP: "dj-keyup",
  BLUR: "dj-blur",
  FOCUS: "dj-focus",
  /** Only send dj-keydown/dj-keyup for this `KeyboardEvent.key` (`dj-key` is the list key). */
  KEY_FILTER: "dj-key-filter",
  /** Milliseconds, or `"blur"` to send when the element loses focus. */
  DEBOUNCE: "dj-debounce",
  /** Milliseconds. */
  THROTTLE: "dj-throttle",
  /** `dj-value-<name>` attributes become event params (`-` in the name becomes `_`). */
  VALUE_PREFIX: "dj-value-",
  /** On a `dj-submit` form: reset the form once the server accepted the submit. */
  SUBMIT_RESET: "dj-submit-reset",
  /** Set by the client on a container while its view is mounted over the live connection. */
  MOUNTED: "dj-mounted",
  /** On a field (or an ancestor): form recovery never sends it after a reconnect. */
  NO_RECOVER: "dj-no-recover",
  /** `dj-auto-recover="handler"` on a container: after a reconnect, `handler` gets its values. */
  AUTO_RECOVER: "dj-auto-recover",
  /** On a button: disable it and show this text while its form's submit is in flight. */
  DISABLE_WITH: "dj-disable-with",
  /** On `<body>` while reconnecting: the attempt number. */
  RECONNECT_ATTEMPT: "data-dj-reconnect-attempt",
  /** On a lazy view's container: `viewport` (default), `click`, `hover` or `idle`. */
  LAZY: "dj-lazy",
  /** Set by the client on a lazy container once its mount was sent. */
  HYDRATED: "data-live-hydrated",
  /** Set by the client on a lazy container whose mount failed (the server's message). */
  MOUNT_FAILED: "dj-mount-failed",
  /** On an `<a href>`: navigate to its page over the open connection. */
  LINK: "dj-link",
  /** `dj-hook="Name"` on an element with an `id`: the client hook `Name` runs for it. */
  HOOK: "dj-hook",
  /** `ignore`, `append` or `prepend`: who owns the element's children (`dj_update.js`). */
  UPDATE: "dj-update",
  /** `dj-stream="name"`: the container of stream `name`; its children come from stream ops. */
  STREAM: "dj-stream",
  /** Window-level key bindings (any element may carry them; `dj-key-filter` applies). */
  WINDOW_KEYDOWN: "dj-window-keydown",
  WINDOW_KEYUP: "dj-window-keyup",
  /** On a flash message: its kind (`info`, `error`, …). */
  FLASH_KIND: "data-kind",
  /** A keyed row's key (the diff's `dj-key`): form recovery matches fields by it. */
  ROW_KEY: "dj-key",
});

/** Values of `dj-update`. */
export const UPDATE = Object.freeze({
  IGNORE: "ignore",
  APPEND: "append",
  PREPEND: "prepend",
});

/** Hook callbacks (Phoenix's names), called with `this` the hook instance. */
export const HOOK_CALLBACK = Object.freeze({
  MOUNTED: "mounted",
  BEFORE_UPDATE: "beforeUpdate",
  UPDATED: "updated",
  DESTROYED: "destroyed",
  DISCONNECTED: "disconnected",
  RECONNECTED: "reconnected",
});

/** `window.DjustHooks = {Name: {...}}`, set before the client loads, registers hooks. */
export const HOOKS_GLOBAL = "DjustHooks";

/**
 * JS commands: a binding attribute whose value starts with `[` holds a JSON list of
 * `[kind, args]` (`djust_core::js::JS` renders it); `JS_OP` names the kinds.
 */
export const JS_OP = Object.freeze({
  SHOW: "show",
  HIDE: "hide",
  TOGGLE: "toggle",
  ADD_CLASS: "add_class",
  REMOVE_CLASS: "remove_class",
  TOGGLE_CLASS: "toggle_class",
  TRANSITION: "transition",
  SET_ATTR: "set_attr",
  REMOVE_ATTR: "remove_attr",
  DISPATCH: "dispatch",
  PUSH: "push",
  FOCUS: "focus",
  NAVIGATE: "navigate",
});

/** Argument names of JS commands. */
export const JS_ARG = Object.freeze({
  TO: "to",
  NAMES: "names",
  DISPLAY: "display",
  TIME: "time",
  ATTR: "attr",
  VALUE: "value",
  EVENT: "event",
  DETAIL: "detail",
  HREF: "href",
  REPLACE: "replace",
});

/** The first character of a binding value holding JS commands. */
export const JS_PREFIX = "[";

/** Keys of the toolbox fields an answer or render frame may carry (`docs/protocol.md`). */
export const TOOLBOX = Object.freeze({
  REPLY: "reply",
  FLASH: "flash",
  STREAMS: "streams",
  KIND: "kind",
  MESSAGE: "message",
  STREAM: "stream",
  OP: "op",
  AT: "at",
  LIMIT: "limit",
  ITEMS: "items",
  ID: "id",
  HTML: "html",
  IDS: "ids",
});

/** Stream operations (`streams.js`). */
export const STREAM_OP = Object.freeze({
  INSERT: "insert",
  DELETE: "delete",
  RESET: "reset",
});

/** Flash messages (`flash.js`). */
export const FLASH = Object.freeze({
  /** The page's flash region's id; the client creates `<div id="dj-flash">` when missing. */
  REGION_ID: "dj-flash",
  REGION_CLASS: "dj-flash-region",
  /** Each message's class, and `dj-flash-<kind>`. */
  MESSAGE_CLASS: "dj-flash",
  KIND_CLASS_PREFIX: "dj-flash-",
  DISMISS_CLASS: "dj-flash-dismiss",
  /** A message disappears after this long, or when the user dismisses it. */
  TIMEOUT_MS: 6_000,
  /** Kinds that are class-name safe; anything else is shown as `info`. */
  KIND_PATTERN: /^[a-z][a-z0-9_-]{0,31}$/,
  DEFAULT_KIND: "info",
  MAX_MESSAGES: 5,
});

/** Prefix of the `window` DOM event a `push_event` frame is dispatched as (`dj:<event>`). */
export const PUSH_EVENT_PREFIX = "dj:";

/** Classes the client sets. */
export const CLASS = Object.freeze({
  CONNECTED: "dj-connected",
  DISCONNECTED: "dj-disconnected",
  LOADING: "dj-loading",
  /** The banner shown while reconnecting (`#dj-reconnecting-banner`). */
  RECONNECTING_BANNER: "dj-reconnecting-banner",
  /** The banner of the final state: no more attempts, the page needs a reload. */
  LOST_BANNER: "dj-connection-lost-banner",
  /** On `<body>` in the final state. */
  CONNECTION_LOST: "dj-connection-lost",
});

/** DOM events the client dispatches on a view's container (`detail` is the frame). */
export const DOM_EVENT = Object.freeze({
  PUSH: "djust:push",
  ERROR: "djust:error",
  /** The view's `mount` frame was applied. */
  MOUNTED: "djust:mounted",
  /** A lazy view could not be mounted (`detail`: its `failed` entry). */
  MOUNT_FAILED: "djust:mount-failed",
  /** An event of the view will never be applied (`detail: {event, params, reason}`). */
  NOT_APPLIED: "dj:event-not-applied",
});

/** Events of live navigation, dispatched on `window` (`detail: {fromUrl, toUrl}`). */
export const NAV_EVENT = Object.freeze({
  /** Before the URL changes. */
  BEFORE: "djust:before-navigate",
  /** The URL changed and the new page's view is mounted. */
  NAVIGATED: "djust:navigated",
});

/** Frame `type`s, both directions. */
export const FRAME = Object.freeze({
  CONNECT: "connect",
  MOUNT: "mount",
  /** The answer to a `mount` whose view session was found: state kept, missed frames. */
  RESUMED: "resumed",
  EVENT: "event",
  REQUEST_HTML: "request_html",
  PING: "ping",
  PONG: "pong",
  PATCH: "patch",
  HTML_UPDATE: "html_update",
  NOOP: "noop",
  HTML_RECOVERY: "html_recovery",
  PUSH_EVENT: "push_event",
  ERROR: "error",
  MOUNT_BATCH: "mount_batch",
  LIVE_REDIRECT: "live_redirect",
  NAVIGATE: "navigate",
  LIVE_PATCH: "live_patch",
});

/** Keys of frames, both directions. */
export const WIRE = Object.freeze({
  TYPE: "type",
  SESSION_ID: "session_id",
  TARGET: "target",
  VIEW: "view",
  TOKEN: "token",
  URL: "url",
  EVENT: "event",
  PARAMS: "params",
  REF: "ref",
  VERSION: "version",
  HTML: "html",
  TITLE: "title",
  PATCHES: "patches",
  /** Why a `request_html` is sent: a value of `REQUEST_HTML_REASON`. */
  REASON: "reason",
  PAYLOAD: "payload",
  CODE: "code",
  ERROR: "error",
  SNAPSHOT: "snapshot",
  RESTORED: "restored",
  VIEWS: "views",
  FAILED: "failed",
  NAVIGATE: "navigate",
  LEFT: "left",
  LAZY: "lazy",
  /** A view session's token (`mount`, `resumed`). */
  VS: "vs",
  /** A view session's revision (`mount`, `resumed`, `patch`, `html_update`, `html_recovery`). */
  REV: "rev",
  /** The highest `seq` up to which every event of the view session was applied. */
  ACK: "ack",
  /** An event's number in its view session, from 1. */
  SEQ: "seq",
  /** In a `mount`: `{vs, rev}` of the view session to resume. */
  RESUME: "resume",
  /** In an event sent again after a remount: `{rev}`, the revision it was issued against. */
  REPLAY: "replay",
  /** In a `mount` answering a resume that failed: `expired`, `evicted`, `unknown`, `refused`. */
  REMOUNTED: "remounted",
  /** In a `noop`: the event had been applied already. */
  DUPLICATE: "duplicate",
  /** In a `live_patch`: fresh page tokens for the new URL, by container id. */
  TOKENS: "tokens",
});

/** Error codes the client acts on. */
export const ERROR_CODE = Object.freeze({
  UNKNOWN_TYPE: "unknown_type",
  NOT_FOUND: "not_found",
  /** A view of a `mount_batch` (or a lazy mount) that could not be mounted. */
  MOUNT_FAILED: "mount_failed",
  /** An event replayed after a remount that the view refuses (`after_remount = "drop"`). */
  NOT_APPLIED: "not_applied",
  /** A mount's page token was refused (the connection closes with 4403). */
  BAD_TOKEN: "bad_token",
});

/**
 * The outbox (`outbox.js`): every event of a view is kept until acknowledged, at most
 * `MAX_EVENTS` events and `MAX_BYTES` (UTF-16 code units of their params' JSON) per view, none
 * older than `MAX_AGE_MS`. `REASON`s are the `reason` of a `dj:event-not-applied` notice.
 */
export const OUTBOX = Object.freeze({
  MAX_EVENTS: 200,
  MAX_BYTES: 256 * 1024,
  MAX_AGE_MS: 10 * 60_000,
  /** Views' outboxes kept in IndexedDB at most (over every tab; `outbox_store.js`). */
  MAX_RECORDS: 100,
  REASON: Object.freeze({
    /** The server refused the event replayed after a remount. */
    NOT_APPLIED: "not_applied",
    FULL: "outbox_full",
    TOO_OLD: "too_old",
    /** Made in a `dj-no-recover` field, not sent after a reconnect. */
    NO_RECOVER: "no_recover",
    /** The page navigated away from the view before it was delivered. */
    LEFT: "left",
  }),
});

/** Lazy hydration and mount batching (`lazy.js`). */
export const LAZY = Object.freeze({
  VIEWPORT: "viewport",
  CLICK: "click",
  HOVER: "hover",
  IDLE: "idle",
  /** `IntersectionObserver` margin: hydrate a little before the container is visible. */
  ROOT_MARGIN: "50px",
  IDLE_TIMEOUT_MS: 5_000,
  /** Without `requestIdleCallback`. */
  IDLE_FALLBACK_MS: 2_000,
  /** `window.DJUST_USE_MOUNT_BATCH = false` mounts lazy views one by one. */
  BATCH_SWITCH: "DJUST_USE_MOUNT_BATCH",
  /** An old server's answer to `mount_batch`. */
  FALLBACK_PATTERN: /mount_batch|unknown\s+message\s+type/i,
});

/** The page half of the worker's VDOM cache and snapshot store (`page_cache.js`). */
export const PAGE_CACHE = Object.freeze({
  /** On the page's view container: the key entries are partitioned by (user and language). */
  PARTITION_ATTR: "dj-partition",
  /** A lookup the worker does not answer in time is a miss. */
  LOOKUP_TIMEOUT_MS: 500,
  /** On the element showing a page's cached HTML until its containers arrive. */
  PAINTED_ATTR: "data-djust-vdom-painted",
  /** Dispatched on `window` when cached HTML was painted (`detail.url`). */
  APPLIED_EVENT: "djust:vdom-cache-applied",
});

/** State snapshots kept by the client (`snapshot.js`). */
export const SNAPSHOT = Object.freeze({
  /** sessionStorage key prefix (one entry per URL). */
  STORAGE_PREFIX: "djust:snapshot:",
  /** Snapshots larger than this are not kept (the server refuses them anyway). */
  MAX_CHARS: 96 * 1024,
  MAX_ENTRIES: 50,
});

/** Event param names the client fills in besides `dj-value-*` and form fields. */
export const PARAM = Object.freeze({
  VALUE: "value",
  FIELD: "field",
  KEY: "key",
});

/** Patch operations (`op`). */
export const OP = Object.freeze({
  TEXT: "text",
  ATTR: "attr",
  RMATTR: "rmattr",
  INSERT: "insert",
  REMOVE: "remove",
  MOVE: "move",
  HTML: "html",
});

/** Keys of a patch operation. */
export const PATCH = Object.freeze({
  OP: "op",
  /** `dj-id` of the element the op is about; `0` is the view container. */
  ID: "d",
  INDEX: "i",
  VALUE: "v",
  /** Raw HTML text the client decodes (entities). */
  RAW: "h",
  KEY: "k",
  TEXT: "t",
  COUNT: "n",
  /** The number of children the op's element has before it (index-addressed ops). */
  CHILDREN: "c",
  FROM: "from",
  TO: "to",
  HTML: "html",
});

/** Values of `reason` in `request_html`. */
export const REQUEST_HTML_REASON = Object.freeze({
  /** A patch did not fit the DOM: the page's tree is not the server's. */
  PATCH_REFUSED: "patch_refused",
  /** A frame's version was not the next one. */
  VERSION_GAP: "version_gap",
});

/** `dj-id` the patches use for the view container itself. */
export const CONTAINER_ID = "0";

/** Value of `dj-debounce` that sends on blur instead of after a delay. */
export const DEBOUNCE_BLUR = "blur";

/** Path of the WebSocket endpoint on the page's host. */
export const SOCKET_PATH = "/ws/live/";

/** `WebSocket.OPEN`. */
export const SOCKET_OPEN = 1;

/**
 * Liveness of an open connection (`liveness.js`): a `ping` after `IDLE_MS` of silence from the
 * server; closed when nothing arrives within `TIMEOUT_MS` of it (a half-open socket is noticed
 * within 30 s); a probe (on `online`, `visibilitychange` to visible, `pageshow`) must be
 * answered within `PROBE_TIMEOUT_MS`. Each may be overridden through the `Socket` options.
 */
export const LIVENESS = Object.freeze({
  IDLE_MS: 10_000,
  TIMEOUT_MS: 20_000,
  PROBE_TIMEOUT_MS: 3_000,
});

/**
 * Reconnection (full jitter): attempt n waits a uniformly random delay between
 * `MIN_DELAY_MS` and min(`BASE_DELAY_MS`·2^(n−1), `MAX_DELAY_MS`); at most `MAX_ATTEMPTS`
 * attempts. Each may be overridden through the `Socket` options.
 */
export const RECONNECT = Object.freeze({
  MAX_ATTEMPTS: 10,
  MIN_DELAY_MS: 500,
  BASE_DELAY_MS: 1_000,
  MAX_DELAY_MS: 30_000,
});

/** Close codes the server uses for policy: never retried, the page needs a reload. */
export const CLOSE_CODE = Object.freeze({
  /** Origin not allowed, or a view token refused. */
  FORBIDDEN: 4403,
  /** A view the server does not serve. */
  VIEW_NOT_ALLOWED: 4404,
  /** Over the server's frame rate limit. */
  RATE_LIMITED: 4429,
  /** The connection held more bytes (views and queued output) than its memory budget. */
  OVER_BUDGET: 4413,
});

/** The SSE transport: `<meta name="djust-sse-prefix" content="/djust/">` offers it. */
export const SSE = Object.freeze({
  PREFIX_META: "djust-sse-prefix",
  /** `<prefix>sse/<id>/` is the stream, `<prefix>sse/<id>/message/` takes POSTed frames. */
  PATH: "sse/",
  MESSAGE_PATH: "message/",
  /** The named event carrying the server's close code. */
  CLOSE_EVENT: "close",
  /**
   * How long the browser's own EventSource retry (`Last-Event-ID`, the server asks for one a
   * second) may try to bring a broken stream back before the transport ends.
   */
  RESUME_WINDOW_MS: 10_000,
  /** How long a POST the network failed waits for the stream to break too before it ends. */
  POST_FAILURE_GRACE_MS: 1_000,
});

/** DOM events the client dispatches on the document. */
export const DOCUMENT_EVENT = Object.freeze({
  /** A connection opened again after a loss (`detail.transport`). */
  RECONNECTED: "djust:reconnected",
});

// The tables from here to `SW_DEFAULTS` are shared with the service worker, name for name and
// value for value: its copy is `client/sw/constants.js` (`test/unit/sw_constants_test.js`
// compares them).

/** Messages between the page and the service worker (`docs/protocol.md`). */
export const SW_MESSAGE = Object.freeze({
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
export const HEADER = Object.freeze({
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
export const STATIC_PATH = Object.freeze({
  /** Every client file is under it. */
  PREFIX: "/static/djust/",
  /** The worker itself (a stable URL; `?v=` carries the offline mode's version). */
  SERVICE_WORKER: "/static/djust/service-worker.js",
  /** The offline mode's settings (the worker's install reads them; the page probes it). */
  OFFLINE_CONFIG: "/static/djust/offline.json",
});

/** Attributes of the shell's empty `<main>`. */
export const SHELL_ATTR = Object.freeze({
  PLACEHOLDER: "data-djust-shell-placeholder",
  VERSION: "data-djust-shell-version",
});

/** How a document answered from a copy is marked: `<meta name="djust-offline" content="1">`. */
export const OFFLINE_MARK = Object.freeze({
  META: "djust-offline",
});

/**
 * What the worker applies when the server sends nothing (the server's defaults are the
 * same, `djust_core::contract::defaults`).
 */
export const SW_DEFAULTS = Object.freeze({
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

/** The registration and the instant shell in the page. */
export const SW = Object.freeze({
  /** `<meta name="djust-service-worker" content="{…}">`: the server's registration options. */
  OPTIONS_META: "djust-service-worker",
  SCOPE: "/",
  /** sessionStorage key of the instant shell's last fallback reload: `<url> <time>`. */
  RELOAD_KEY: "djust:shell-reload",
  /** The instant shell reloads a URL at most once in this while (no reload loop). */
  RELOAD_GUARD_MS: 10_000,
  /** Dispatched on `window` once the shell's `<main>` is filled (`detail.url`). */
  SWAPPED_EVENT: "djust:shell-swapped",
});

/** Offline mode, what the page shows while its content came from a copy (`offline_status.js`). */
export const OFFLINE = Object.freeze({
  /** On `<body>` while the server cannot be reached. */
  CLASS: "dj-offline",
  BANNER_CLASS: "dj-offline-banner",
  BANNER_ID: "dj-offline-banner",
  BANNER_TEXT: "You are offline. This page may be out of date.",
  STYLE_ID: "dj-offline-style",
  /** On the submit buttons the page disabled (and enables again). */
  DISABLED_ATTR: "data-dj-offline-disabled",
  /** The submit buttons of live views. */
  SUBMITS: "[dj-view] button[type=submit], [dj-view] input[type=submit], [dj-view] form button:not([type])",
  /** First delay between reachability probes; it doubles up to `PROBE_MAX_MS`. */
  PROBE_FIRST_MS: 1_000,
  PROBE_MAX_MS: 15_000,
});

/** Offline mode, the saved pages and the update prompt (`offline_pages.js`). */
export const OFFLINE_PAGES = Object.freeze({
  /** Elements filled with links to the saved pages. */
  LIST_ATTR: "dj-offline-pages",
  EMPTY_TEXT: "No pages saved for offline.",
  /** A request the worker does not answer in time fails (`{ok: false}`). */
  REPLY_TIMEOUT_MS: 10_000,
  /** Dispatched on `window` (cancelable) when a new worker version waits. */
  UPDATE_EVENT: "djust:sw-update",
  UPDATE_CLASS: "dj-sw-update",
  UPDATE_TEXT: "A new version is available. ",
  RELOAD_TEXT: "Reload",
});

/** The connection banners' shared parts (`connection_ui.js`; the banners' ids are their classes). */
export const CONNECTION_UI = Object.freeze({
  STYLE_ID: "dj-connection-style",
  /** The custom property on `<body>` while reconnecting: the attempt number. */
  ATTEMPT_PROPERTY: "--dj-reconnect-attempt",
});
