/**
 * The reconnection bridge, page half: while the connection is not open, the events the page
 * would send are kept — in the service worker (`DJUST_BUFFER`, per-page connection id) when
 * one controls the page, else in page memory — at most `cap` of them, the oldest dropped.
 * On every (re)open, once the views are mounted again, the socket calls {@link Bridge#reopened}:
 * it drains the kept events (`DJUST_DRAIN` → `DJUST_DRAIN_REPLY`) and sends them in order
 * before any new event, and tells the user how many were dropped. Works over any transport:
 * it only needs the socket's `isOpen()` and `send(frame)`. The worker half is `sw/bridge.js`.
 * @module bridge
 */

import { SW, SW_DEFAULTS, SW_MESSAGE } from "./constants.js";

/** A connection id for one page load: `dj-<time>-<random>`. */
export function newConnectionId() {
  return `dj-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
}

/** Drops the oldest entries of `list` beyond `cap`; returns how many. */
function trim(list, cap) {
  const excess = Math.max(0, list.length - cap);
  list.splice(0, excess);
  return excess;
}

export default class Bridge {
  /**
   * @param {object} options
   * @param {{isOpen: () => boolean, send: (frame: object) => boolean}} options.socket
   * @param {Document} options.document where the user is told about dropped events
   * @param {ServiceWorkerContainer | null} [options.serviceWorker] `navigator.serviceWorker`
   * @param {number} [options.cap] events kept at most (50)
   * @param {string} [options.connectionId]
   * @param {number} [options.drainTimeoutMs]
   */
  constructor({
    socket,
    document,
    serviceWorker = null,
    cap = SW_DEFAULTS.BUFFER_CAP,
    connectionId = newConnectionId(),
    drainTimeoutMs = SW.DRAIN_TIMEOUT_MS,
  }) {
    this.socket = socket;
    this.document = document;
    this.serviceWorker = serviceWorker;
    this.cap = Number.isInteger(cap) && cap > 0 ? cap : SW_DEFAULTS.BUFFER_CAP;
    this.connectionId = connectionId;
    this.drainTimeoutMs = drainTimeoutMs;
    /** Frames kept in page memory (JSON strings), oldest first. */
    this.memory = [];
    /** Frames dropped from page memory since the last drain. */
    this.dropped = 0;
    /** Frames handed to the worker since the last drain. */
    this.inWorker = 0;
    /**
     * A copy of what the worker keeps (same cap): the browser may stop an idle worker and its
     * memory with it, or it may not answer; then the page replays its copy.
     */
    this.mirror = { messages: [], dropped: 0 };
    /** Frames the user sent while a replay was under way: they go after it. */
    this.later = [];
    this.replaying = false;
    /** The pending drain: `{resolve, timer}`. */
    this.pendingDrain = null;
    serviceWorker?.addEventListener("message", (event) => this.onMessage(event.data));
  }

  /**
   * Takes `frame` when it cannot be sent now (connection not open, or a replay under way).
   * @param {object} frame an `event` frame
   * @returns {boolean} whether the bridge kept it (else the caller sends it)
   */
  holds(frame) {
    if (this.replaying) {
      this.later.push(frame);
      return true;
    }
    if (this.socket.isOpen()) return false;
    this.keep(JSON.stringify(frame));
    return true;
  }

  /** Keeps one frame: in the worker while one controls the page (and memory is empty, to
   * keep the order), else in memory. */
  keep(payload) {
    const controller = this.serviceWorker?.controller;
    if (controller && this.memory.length === 0) {
      controller.postMessage({
        type: SW_MESSAGE.BUFFER,
        connectionId: this.connectionId,
        payload,
        cap: this.cap,
      });
      this.inWorker += 1;
      this.mirror.messages.push(payload);
      this.mirror.dropped += trim(this.mirror.messages, this.cap);
      return;
    }
    this.memory.push(payload);
    this.dropped += trim(this.memory, this.cap);
  }

  /** The connection is open again and the views are mounted: replay, then let new events
   * through. */
  async reopened() {
    if (this.replaying) return;
    this.replaying = true;
    try {
      const { messages, dropped } = await this.drain();
      if (dropped > 0) this.tellDropped(dropped, messages.length);
      const frames = [...messages.map((payload) => JSON.parse(payload)), ...this.later.splice(0)];
      for (let i = 0; i < frames.length; i += 1) {
        if (!this.socket.send(frames[i])) {
          // Lost again mid-replay: keep the rest, in order, for the next open.
          for (const frame of frames.slice(i)) this.memory.push(JSON.stringify(frame));
          break;
        }
      }
    } finally {
      this.replaying = false;
    }
    // Events that arrived while the last sends were going out.
    for (const frame of this.later.splice(0)) if (!this.holds(frame)) this.socket.send(frame);
  }

  /** Takes every kept frame: the worker's first (they are older), then memory's. */
  async drain() {
    const memory = this.memory.splice(0);
    const memoryDropped = this.dropped;
    this.dropped = 0;
    const worker = await this.drainWorker();
    return { messages: [...worker.messages, ...memory], dropped: worker.dropped + memoryDropped };
  }

  /**
   * Asks the worker for its frames (`DJUST_DRAIN`). When it answers with fewer than it was
   * given (it was restarted), does not answer, or no longer controls the page, the page's
   * copy is used instead.
   */
  async drainWorker() {
    const controller = this.serviceWorker?.controller;
    const expected = this.inWorker;
    const mirror = this.mirror;
    this.inWorker = 0;
    this.mirror = { messages: [], dropped: 0 };
    const reply = controller ? await this.askWorker(controller) : null;
    if (reply && reply.messages.length + reply.dropped >= expected) return reply;
    if (expected > 0) {
      console.warn(`[djust] the service worker lost the events it kept; replaying the page's copy`);
    }
    return mirror;
  }

  /** Posts `DJUST_DRAIN`; resolves the reply, or `null` after the timeout. */
  askWorker(controller) {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.pendingDrain = null;
        resolve(null);
      }, this.drainTimeoutMs);
      this.pendingDrain = { resolve, timer };
      controller.postMessage({ type: SW_MESSAGE.DRAIN, connectionId: this.connectionId });
    });
  }

  onMessage(data) {
    if (data?.type !== SW_MESSAGE.DRAIN_REPLY || data.connectionId !== this.connectionId) return;
    const pending = this.pendingDrain;
    if (!pending) return;
    this.pendingDrain = null;
    clearTimeout(pending.timer);
    const messages = Array.isArray(data.messages) ? data.messages.filter((m) => typeof m === "string") : [];
    pending.resolve({ messages, dropped: Number.isInteger(data.dropped) ? data.dropped : 0 });
  }

  /** Tells the user that `dropped` events were lost: a notice, an event, a console line. */
  tellDropped(dropped, replayed) {
    const doc = this.document;
    const text =
      `${dropped} ${dropped === 1 ? "action" : "actions"} made while offline could not be sent ` +
      `(only the last ${this.cap} are kept); ${replayed} sent now.`;
    console.warn(`[djust] ${text}`);
    let notice = doc.getElementById(SW.DROPPED_NOTICE_ID);
    if (!notice) {
      notice = doc.createElement("div");
      notice.id = SW.DROPPED_NOTICE_ID;
      notice.className = SW.DROPPED_NOTICE_ID;
      notice.setAttribute("role", "alert");
      doc.body.append(notice);
    }
    notice.textContent = text;
    notice.dataset.dropped = String(dropped);
    const { CustomEvent } = doc.defaultView;
    doc.dispatchEvent(new CustomEvent(SW.DROPPED_EVENT, { detail: { dropped, replayed } }));
  }
}
