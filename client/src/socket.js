/**
 * The page's live connection, whatever its transport (WebSocket `transport.js`, or SSE
 * `sse.js`): it routes frames to the joined views by `target`, tracks the connection's version
 * counter, (re)mounts every view each time a connection opens, closes a connection that went
 * silent (`liveness.js`), and
 * reconnects after an unexpected close with full-jitter backoff (`backoff.js`), showing it
 * (`connection_ui.js`). Policy close codes (4403, 4404, 4413, 4429) are not retried; after the last
 * attempt it falls back to SSE once when the server offers it, else shows the final state.
 * @module socket
 */

import { Backoff, fullJitterDelay } from "./backoff.js";
import ConnectionUi from "./connection_ui.js";
import {
  ATTR,
  CLOSE_CODE,
  DOCUMENT_EVENT,
  ERROR_CODE,
  FRAME,
  LIVENESS,
  RECONNECT,
  SOCKET_PATH,
  WIRE,
} from "./constants.js";
import Liveness from "./liveness.js";
import { SseTransport } from "./sse.js";
import { WebSocketTransport } from "./transport.js";

/** Close codes after which no reconnection is attempted. */
const POLICY_CODES = new Set(Object.values(CLOSE_CODE));

/**
 * The socket URL for a page: `ws(s)://<host>/ws/live/`.
 * @param {Location} location the page's location
 * @returns {string}
 */
export function socketUrl(location) {
  const scheme = location.protocol === "https:" ? "wss" : "ws";
  return `${scheme}://${location.host}${SOCKET_PATH}`;
}

/**
 * What the socket needs from a view.
 * @typedef {object} Joinable
 * @property {string} target the container id
 * @property {(options?: {reconnect?: boolean, send?: boolean}) => void} mount a connection
 *   opened: send the `mount` frame (unless the transport already did) and note whether this
 *   is a reconnection
 * @property {() => object} [mountFrame] the `mount` frame (for transports that mount on open)
 * @property {(frame: object, inOrder: boolean) => void} receive handles a frame for this view;
 *   `inOrder` tells whether a versioned frame's version is exactly last + 1
 * @property {() => void} disconnected the connection closed
 */

export default class Socket {
  /**
   * @param {object} options
   * @param {string} options.url the WebSocket URL (see {@link socketUrl})
   * @param {Document} options.document the page (its `<body>` shows the connection state)
   * @param {typeof WebSocket} [options.WebSocket] the WebSocket implementation
   * @param {(attempt: number) => number} [options.retryDelay] the delay before attempt n
   *   (default: full jitter, `backoff.js`)
   * @param {number} [options.maxAttempts] attempts after a loss before giving up
   * @param {string | null} [options.ssePrefix] the server's SSE prefix, `null` if not offered
   * @param {"websocket" | "sse"} [options.transport] the transport to start with
   * @param {typeof EventSource} [options.EventSource]
   * @param {typeof fetch} [options.fetch]
   * @param {Partial<typeof LIVENESS>} [options.liveness] overrides of {@link LIVENESS}
   */
  constructor({
    url,
    document,
    WebSocket = globalThis.WebSocket,
    retryDelay = (attempt) => fullJitterDelay(attempt),
    maxAttempts = RECONNECT.MAX_ATTEMPTS,
    ssePrefix = null,
    transport = "websocket",
    EventSource = globalThis.EventSource,
    fetch = globalThis.fetch?.bind(globalThis),
    liveness = {},
  }) {
    this.url = url;
    this.document = document;
    this.WebSocket = WebSocket;
    this.EventSource = EventSource;
    this.fetch = fetch;
    this.ssePrefix = ssePrefix;
    this.mode = transport === "sse" && ssePrefix ? "sse" : "websocket";
    this.backoff = new Backoff({ maxAttempts, delay: retryDelay });
    this.ui = new ConnectionUi(document, maxAttempts);
    /** @type {Map<string, Joinable>} */
    this.views = new Map();
    /** @type {import("./transport.js").Transport | null} */
    this.transport = null;
    this.lastRef = 0;
    this.lastVersion = 0;
    this.sessionId = null;
    this.everOpened = false;
    /** `"intentional"` (disconnect), `"policy"` (a policy close code), `"lost"`, or null. */
    this.stopped = null;
    this.timers = { retry: null };
    const bounds = { ...LIVENESS, ...liveness };
    this.liveness = new Liveness({
      ping: () => this.send({ [WIRE.TYPE]: FRAME.PING }),
      onDead: () => this.silent(),
      idleMs: bounds.IDLE_MS,
      timeoutMs: bounds.TIMEOUT_MS,
      probeMs: bounds.PROBE_TIMEOUT_MS,
    });
    /** A `bad_token` error came on this page: a 4403 close then means "reload". */
    this.tokenRefused = false;
    /** What to do when the page's token is refused (client.js: one guarded full reload). */
    this.onTokenRefused = null;
    /** Keeps the views' outboxes across reloads of the tab (`outbox_store.js`), when set. */
    this.outboxStore = null;
    /** Handlers of frames no view takes, by type (see {@link on}). @type {Map<string, Function[]>} */
    this.handlers = new Map();
    /** Called after every open, once the views are mounted. @type {Function[]} */
    this.openListeners = [];
    /** Called when the connection is lost (see {@link onLost}). */
    this.lostListeners = [];
  }

  /**
   * Handles frames of `type` that no joined view takes (`navigate`, `mount_batch`, errors
   * without a target, …): `handler(frame)` returns `true` when it took the frame.
   * @param {string} type
   * @param {(frame: object) => boolean | Promise<boolean>} handler
   */
  on(type, handler) {
    if (!this.handlers.has(type)) this.handlers.set(type, []);
    this.handlers.get(type).push(handler);
  }

  /** Calls `listener({reconnect})` after every open, once the views are mounted. */
  onOpen(listener) {
    this.openListeners.push(listener);
  }

  /** Calls `listener()` when an open connection is lost, after the views heard of it. */
  onLost(listener) {
    this.lostListeners.push(listener);
  }

  /** @returns {number} attempts made since the last open */
  get attempts() {
    return this.backoff.attempts;
  }

  /**
   * Adds a view; it is mounted on every connection from the next one on (or now, if open).
   * @param {Joinable} view
   */
  join(view) {
    this.views.set(view.target, view);
    if (this.isOpen()) view.mount({ reconnect: false });
  }

  /**
   * The joined view whose container holds `el`.
   * @param {Element} el
   * @returns {Joinable | undefined}
   */
  viewFor(el) {
    const container = el.closest(`[${ATTR.VIEW}]`);
    return container ? this.views.get(container.id) : undefined;
  }

  /**
   * Opens a connection (no-op while one is open or opening). After the client gave up (final
   * state, or a policy close), attempts count from 1 again.
   */
  connect() {
    if (this.stopped === "lost" || this.stopped === "policy") this.backoff.reset();
    this.open();
  }

  /** Opens a connection now (a due or woken-up attempt, or {@link connect}). */
  open() {
    this.clearRetry();
    if (this.transport) return;
    this.stopped = null;
    const transport = this.createTransport();
    this.transport = transport;
    const mounts =
      transport.name === "sse"
        ? [...this.views.values()].filter((view) => view.mountFrame).map((view) => view.mountFrame())
        : [];
    transport.open(
      {
        onopen: () => this.opened(transport),
        onmessage: (data) => {
          if (transport === this.transport) this.received(data);
        },
        onclose: (close) => this.closed(transport, close),
        onpause: () => this.paused(transport),
      },
      mounts,
    );
  }

  /** Closes the connection for good (no reconnection until {@link connect}). */
  disconnect() {
    this.clearRetry();
    this.stopped = "intentional";
    const transport = this.transport;
    if (transport) {
      this.lost(transport);
      transport.close();
    }
    this.ui.clear();
    this.ui.disconnected();
  }

  /**
   * The tab became visible, was shown again, or the browser went back online: an open
   * connection is probed at once (it may have died unnoticed), a reconnection waiting out its
   * delay happens now.
   */
  wake() {
    if (this.isOpen()) this.liveness.probe();
    else if (this.timers.retry !== null) this.open();
  }

  /**
   * Calls {@link wake} on `visibilitychange` (to visible), `pageshow` and `online`.
   * @param {Window} window
   */
  watch(window) {
    const doc = window.document;
    doc.addEventListener("visibilitychange", () => {
      if (doc.visibilityState === "visible") this.wake();
    });
    window.addEventListener("pageshow", () => this.wake());
    window.addEventListener("online", () => this.wake());
  }

  /** @returns {boolean} whether frames can be sent now */
  isOpen() {
    return this.transport?.isOpen() ?? false;
  }

  /**
   * Sends a frame as JSON.
   * @param {object} frame
   * @returns {boolean} `false` when the connection is not open (the frame is dropped)
   */
  send(frame) {
    if (!this.isOpen()) return false;
    return this.transport.send(frame);
  }

  /** @returns {number} the next event `ref` (increasing over the page's life) */
  nextRef() {
    this.lastRef += 1;
    return this.lastRef;
  }

  createTransport() {
    if (this.mode === "sse") {
      return new SseTransport({
        prefix: this.ssePrefix,
        EventSource: this.EventSource,
        fetch: this.fetch,
      });
    }
    return new WebSocketTransport({ url: this.url, WebSocket: this.WebSocket });
  }

  opened(transport) {
    if (transport !== this.transport) return;
    const reconnect = this.everOpened;
    this.everOpened = true;
    this.backoff.reset();
    this.lastVersion = 0;
    this.tokenRefused = false;
    this.ui.connected();
    this.liveness.start();
    for (const view of this.views.values()) {
      view.mount({ reconnect, send: !transport.premounted.has(view.target) });
    }
    for (const listener of this.openListeners) listener({ reconnect });
    if (reconnect) {
      const { CustomEvent } = this.document.defaultView;
      const detail = { transport: transport.name };
      this.document.dispatchEvent(new CustomEvent(DOCUMENT_EVENT.RECONNECTED, { detail }));
    }
  }

  received(data) {
    this.liveness.heard();
    let frame;
    try {
      frame = JSON.parse(data);
    } catch {
      console.error("[djust] unreadable frame", data);
      return;
    }
    this.deliver(frame);
  }

  /** Handles one parsed frame: to its view, or to the handlers of its type ({@link on}). */
  deliver(frame) {
    const type = frame[WIRE.TYPE];
    if (type === FRAME.CONNECT) this.sessionId = frame[WIRE.SESSION_ID];
    if (type === FRAME.CONNECT || type === FRAME.PONG) return;
    if (type === FRAME.ERROR && frame[WIRE.CODE] === ERROR_CODE.BAD_TOKEN) this.tokenRefused = true;
    const inOrder = this.noteVersion(frame[WIRE.VERSION]);
    const handled = () => (this.handlers.get(type) ?? []).some((handler) => handler(frame));
    // Errors about a view go to it; other frames with handlers (live_patch) go to them first.
    const view = this.views.get(frame[WIRE.TARGET]);
    if (view && (type === FRAME.ERROR || !this.handlers.has(type))) view.receive(frame, inOrder);
    else if (handled()) return;
    else if (type === FRAME.ERROR) console.error(`[djust] ${frame[WIRE.CODE]}: ${frame[WIRE.ERROR]}`);
  }

  /** Every versioned frame moves the connection's counter, whichever view it is for. */
  noteVersion(version) {
    if (typeof version !== "number") return true;
    const inOrder = version === this.lastVersion + 1;
    this.lastVersion = version;
    return inOrder;
  }

  /** The transport ended on its own: reconnect, fall back, or stop. */
  closed(transport, { code } = { code: 1006 }) {
    if (transport !== this.transport) return; // already given up by disconnect()
    this.lost(transport);
    if (code === CLOSE_CODE.FORBIDDEN && this.tokenRefused && this.onTokenRefused) {
      // The page's token is stale (another URL, too old): a fresh page has a good one.
      console.warn("[djust] the server refused the page's token; loading the page again");
      this.stopped = "policy";
      this.ui.lost();
      this.onTokenRefused();
      return;
    }
    if (POLICY_CODES.has(code)) {
      console.error(`[djust] the server refused the connection (close code ${code}); reload the page`);
      this.stopped = "policy";
      this.ui.lost();
      return;
    }
    this.scheduleReconnect();
  }

  /**
   * The transport broke but reconnects by itself, resuming its views where its last frame left
   * them (SSE's own retry): the views wait for its next open as after a close. Refused (the
   * transport then ends) unless the views and the URL are still the ones it mounted.
   * @returns {boolean} whether the socket waits for the transport to reopen
   */
  paused(transport) {
    if (transport !== this.transport || !transport.mountedViews) return false;
    const { pathname, search } = this.document.location;
    for (const [target, { view, url }] of transport.mountedViews) {
      const joined = this.views.get(target);
      if (joined?.container?.getAttribute(ATTR.VIEW) !== view || url !== pathname + search) return false;
    }
    this.liveness.stop();
    this.ui.disconnected();
    for (const view of this.views.values()) view.disconnected();
    return true;
  }

  /** The open connection went silent past its bound: close it and reconnect. */
  silent() {
    const transport = this.transport;
    if (!transport) return;
    console.warn("[djust] no answer from the server; reconnecting");
    transport.close();
    this.closed(transport, { code: 1006 });
  }

  /** Forgets `transport`: views and body learn the connection is gone. */
  lost(transport) {
    if (transport !== this.transport) return;
    this.transport = null;
    this.liveness.stop();
    this.ui.disconnected();
    for (const view of this.views.values()) view.disconnected();
    for (const listener of this.lostListeners) listener();
  }

  scheduleReconnect() {
    const next = this.backoff.next();
    if (next) {
      this.ui.reconnecting(next.attempt);
      this.timers.retry = setTimeout(() => {
        this.timers.retry = null;
        this.open();
      }, next.delay);
      return;
    }
    if (this.mode === "websocket" && this.ssePrefix && this.EventSource) {
      console.warn("[djust] WebSocket attempts exhausted; falling back to SSE");
      this.mode = "sse";
      this.backoff.reset();
      this.open();
      return;
    }
    this.stopped = "lost";
    this.ui.lost();
  }

  clearRetry() {
    clearTimeout(this.timers.retry);
    this.timers.retry = null;
  }
}
