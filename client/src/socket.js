/**
 * The WebSocket transport: one connection to `/ws/live/` for the page, JSON frames, a `ping`
 * every 25 s, `dj-connected`/`dj-disconnected` on `<body>`, and reconnection. It routes frames
 * to the joined views by `target`, tracks the connection's version counter and (re)mounts every
 * view each time a connection opens.
 * @module socket
 */

import {
  ATTR,
  CLASS,
  FRAME,
  PING_INTERVAL_MS,
  RECONNECT_DELAY_MS,
  SOCKET_OPEN,
  SOCKET_PATH,
  WIRE,
} from "./constants.js";

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
 * The reconnection policy: how long to wait before attempt `attempt` (1, 2, …). A fixed
 * delay for now; pass another function as `retryDelay` to change it.
 * @param {number} _attempt
 * @returns {number} milliseconds
 */
export function fixedDelay(_attempt) {
  return RECONNECT_DELAY_MS;
}

/**
 * What the socket needs from a view.
 * @typedef {object} Joinable
 * @property {string} target the container id
 * @property {() => void} mount sends the `mount` frame
 * @property {(frame: object, inOrder: boolean) => void} receive handles a frame for this view;
 *   `inOrder` tells whether a versioned frame's version is exactly last + 1
 * @property {() => void} disconnected the connection closed
 */

export default class Socket {
  /**
   * @param {object} options
   * @param {string} options.url the WebSocket URL (see {@link socketUrl})
   * @param {Document} options.document the page (its `<body>` gets the connection classes)
   * @param {typeof WebSocket} [options.WebSocket] the WebSocket implementation
   * @param {(attempt: number) => number} [options.retryDelay] the reconnection policy
   */
  constructor({ url, document, WebSocket = globalThis.WebSocket, retryDelay = fixedDelay }) {
    this.url = url;
    this.document = document;
    this.WebSocket = WebSocket;
    this.retryDelay = retryDelay;
    /** @type {Map<string, Joinable>} */
    this.views = new Map();
    this.ws = null;
    this.lastRef = 0;
    this.lastVersion = 0;
    this.attempts = 0;
    this.sessionId = null;
    this.timers = { ping: null, retry: null };
    /** The reconnection bridge (`bridge.js`), when on: keeps events while not open. */
    this.bridge = null;
  }

  /**
   * Adds a view; it is mounted on every connection from the next one on (or now, if open).
   * @param {Joinable} view
   */
  join(view) {
    this.views.set(view.target, view);
    if (this.isOpen()) view.mount();
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

  /** Opens the connection (no-op while one is open or opening). */
  connect() {
    clearTimeout(this.timers.retry);
    if (this.ws) return;
    const ws = new this.WebSocket(this.url);
    this.ws = ws;
    ws.onopen = () => this.opened();
    ws.onmessage = (message) => this.received(message.data);
    ws.onclose = () => this.closed(ws, true);
  }

  /** Closes the connection for good (no reconnection until {@link connect}). */
  disconnect() {
    clearTimeout(this.timers.retry);
    const ws = this.ws;
    if (!ws) return;
    this.closed(ws, false);
    ws.close();
  }

  /** @returns {boolean} whether frames can be sent now */
  isOpen() {
    return this.ws?.readyState === SOCKET_OPEN;
  }

  /**
   * Sends a frame as JSON.
   * @param {object} frame
   * @returns {boolean} `false` when the socket is not open (the frame is dropped)
   */
  send(frame) {
    if (!this.isOpen()) return false;
    this.ws.send(JSON.stringify(frame));
    return true;
  }

  /** @returns {number} the next event `ref` (increasing over the page's life) */
  nextRef() {
    this.lastRef += 1;
    return this.lastRef;
  }

  opened() {
    this.attempts = 0;
    this.lastVersion = 0;
    this.setBodyClass(true);
    this.timers.ping = setInterval(() => this.send({ [WIRE.TYPE]: FRAME.PING }), PING_INTERVAL_MS);
    for (const view of this.views.values()) view.mount();
    // Events kept while disconnected go out now, in order, before any new one.
    this.bridge?.reopened();
  }

  received(data) {
    let frame;
    try {
      frame = JSON.parse(data);
    } catch {
      console.error("[djust] unreadable frame", data);
      return;
    }
    const type = frame[WIRE.TYPE];
    if (type === FRAME.CONNECT) this.sessionId = frame[WIRE.SESSION_ID];
    if (type === FRAME.CONNECT || type === FRAME.PONG) return;
    const inOrder = this.noteVersion(frame[WIRE.VERSION]);
    const view = this.views.get(frame[WIRE.TARGET]);
    if (view) view.receive(frame, inOrder);
    else if (type === FRAME.ERROR) console.error(`[djust] ${frame[WIRE.CODE]}: ${frame[WIRE.ERROR]}`);
  }

  /** Every versioned frame moves the connection's counter, whichever view it is for. */
  noteVersion(version) {
    if (typeof version !== "number") return true;
    const inOrder = version === this.lastVersion + 1;
    this.lastVersion = version;
    return inOrder;
  }

  closed(ws, reconnect) {
    if (ws !== this.ws) return; // a connection already given up by disconnect()
    this.ws = null;
    clearInterval(this.timers.ping);
    this.setBodyClass(false);
    for (const view of this.views.values()) view.disconnected();
    if (reconnect) this.scheduleReconnect();
  }

  scheduleReconnect() {
    this.attempts += 1;
    this.timers.retry = setTimeout(() => this.connect(), this.retryDelay(this.attempts));
  }

  setBodyClass(connected) {
    const body = this.document.body;
    body.classList.toggle(CLASS.CONNECTED, connected);
    body.classList.toggle(CLASS.DISCONNECTED, !connected);
  }
}
