/**
 * Every name the client shares with the server or the page: DOM attributes, CSS classes,
 * frame types, wire keys, patch ops, timings. `docs/protocol.md` is the contract; the Rust side
 * spells the same names in `djust-core/src/protocol.rs`. Other modules import these, never
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
  /** The page's flash region; the client creates `<div id="dj-flash">` when the page has none. */
  FLASH_REGION: "dj-flash",
  /** On a flash message: its kind (`info`, `error`, …). */
  FLASH_KIND: "data-kind",
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
});

/** Error codes the client acts on. */
export const ERROR_CODE = Object.freeze({
  UNKNOWN_TYPE: "unknown_type",
  NOT_FOUND: "not_found",
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

/** Messages of the worker's VDOM cache and snapshot store (`sw_page_cache.js`). */
export const PAGE_CACHE = Object.freeze({
  CONFIG: "VDOM_CONFIG",
  VDOM: "VDOM_CACHE",
  VDOM_LOOKUP: "VDOM_CACHE_LOOKUP",
  STATE: "STATE_SNAPSHOT",
  STATE_LOOKUP: "STATE_SNAPSHOT_LOOKUP",
  /** On the page's view container: the key entries are partitioned by (user and language). */
  PARTITION_ATTR: "dj-partition",
  /** A lookup the worker does not answer in time is a miss. */
  LOOKUP_TIMEOUT_MS: 500,
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
  FROM: "from",
  TO: "to",
  HTML: "html",
});

/** `dj-id` the patches use for the view container itself. */
export const CONTAINER_ID = "0";

/** Value of `dj-debounce` that sends on blur instead of after a delay. */
export const DEBOUNCE_BLUR = "blur";

/** Path of the WebSocket endpoint on the page's host. */
export const SOCKET_PATH = "/ws/live/";

/** `WebSocket.OPEN`. */
export const SOCKET_OPEN = 1;

/** How often the client sends `ping`. */
export const PING_INTERVAL_MS = 25_000;

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
});

/** The SSE transport: `<meta name="djust-sse-prefix" content="/djust/">` offers it. */
export const SSE = Object.freeze({
  PREFIX_META: "djust-sse-prefix",
  /** `<prefix>sse/<id>/` is the stream, `<prefix>sse/<id>/message/` takes POSTed frames. */
  PATH: "sse/",
  MESSAGE_PATH: "message/",
  /** The named event carrying the server's close code. */
  CLOSE_EVENT: "close",
});

/** DOM events the client dispatches on the document. */
export const DOCUMENT_EVENT = Object.freeze({
  /** A connection opened again after a loss (`detail.transport`). */
  RECONNECTED: "djust:reconnected",
});

/** Messages between the page and the service worker (`docs/protocol.md`). */
export const SW_MESSAGE = Object.freeze({
  /** page → worker: `{type, connectionId, payload, cap?}`, a frame the page could not send. */
  BUFFER: "DJUST_BUFFER",
  /** page → worker: `{type, connectionId}`, asks for the kept frames. */
  DRAIN: "DJUST_DRAIN",
  /** worker → page: `{type, connectionId, messages, dropped}`. */
  DRAIN_REPLY: "DJUST_DRAIN_REPLY",
  /** page → worker: `{type}`, drop the cached shell. */
  CLEAR_SHELL: "DJUST_CLEAR_SHELL",
});

/** HTTP headers of the instant shell and the main-only responses. */
export const HEADER = Object.freeze({
  MAIN_ONLY: "X-Djust-Main-Only",
  MAIN_ONLY_RESPONSE: "X-Djust-Main-Only-Response",
  TITLE: "X-Djust-Title",
  SHELL_VERSION: "X-Djust-Shell-Version",
});

/** The instant shell and the reconnection bridge in the page. */
export const SW = Object.freeze({
  /** `<meta name="djust-service-worker" content="{…}">`: the server's registration options. */
  OPTIONS_META: "djust-service-worker",
  URL: "/static/djust/service-worker.js",
  SCOPE: "/",
  /** On the shell's empty `<main>`. */
  PLACEHOLDER_ATTR: "data-djust-shell-placeholder",
  VERSION_ATTR: "data-djust-shell-version",
  /** Dispatched on `window` once the shell's `<main>` is filled (`detail.url`). */
  SWAPPED_EVENT: "djust:shell-swapped",
  /** Dispatched on `document` when the bridge had to drop events (`detail.dropped`). */
  DROPPED_EVENT: "djust:events-dropped",
  /** The notice telling the user how many events were dropped. */
  DROPPED_NOTICE_ID: "dj-events-dropped",
  BUFFER_CAP: 50,
  /** How long the page waits for `DJUST_DRAIN_REPLY`. */
  DRAIN_TIMEOUT_MS: 3_000,
});
