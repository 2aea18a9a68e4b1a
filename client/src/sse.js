/**
 * The SSE transport: an `EventSource` on `<prefix>sse/<id>/` (the `GET` mounts the views whose
 * mount frames it carries) brings the server's frames; the client's frames are POSTed as JSON
 * to `<prefix>sse/<id>/message/`, one at a time so they arrive in order. When an open stream
 * breaks, the browser's own EventSource retry gets a short window (`SSE.RESUME_WINDOW_MS`): it
 * repeats the GET with `Last-Event-ID` (every event's `id:` names the view sessions and
 * revisions read so far) and the server resumes the views from there, the missed revisions
 * replayed. The socket agrees to wait (`onpause`) only while its views are the ones the GET
 * mounted; otherwise, and after the window, the transport ends and the socket's backoff
 * decides, exactly as for the WebSocket. A server close arrives as an `event: close` with the
 * same code a WebSocket would get.
 * @module sse
 */

import { CLOSE_CODE, SSE } from "./constants.js";

/**
 * The longest `?mounts=` query the GET carries; beyond it (many views) the views are mounted by
 * POSTed `mount` frames once the stream is open, as over the WebSocket.
 */
export const MAX_MOUNTS_QUERY = 6_000;

/** `EventSource.readyState` while the browser (re)connects. */
const CONNECTING = 0;

/** A random session id: 32 hex digits (works without a secure context). */
export function randomSessionId(crypto = globalThis.crypto) {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return [...bytes].map((byte) => byte.toString(16).padStart(2, "0")).join("");
}

/** @implements {import("./transport.js").Transport} */
export class SseTransport {
  /**
   * @param {object} options
   * @param {string} options.prefix the SSE prefix (`/djust/`)
   * @param {typeof EventSource} options.EventSource
   * @param {typeof fetch} options.fetch
   * @param {() => string} [options.sessionId]
   */
  constructor({ prefix, EventSource, fetch, sessionId = randomSessionId }) {
    this.name = "sse";
    this.prefix = prefix;
    this.EventSource = EventSource;
    this.fetch = fetch;
    this.sessionId = sessionId;
    this.source = null;
    this.handlers = null;
    this.opened = false;
    this.ended = false;
    /** JSON bodies waiting for the POST before them. */
    this.queue = [];
    this.posting = false;
    this.premounted = new Set();
    /** What the GET mounted: target → `{view, url}` (its own retry mounts the same). */
    this.mountedViews = new Map();
    /** The end of the browser's retry window while it reconnects by itself, if it does. */
    this.resumeTimer = null;
    /** Set while a POST failed on the network and the stream has not broken (yet). */
    this.failing = null;
  }

  open(handlers, mounts = []) {
    this.handlers = handlers;
    this.base = `${this.prefix}${SSE.PATH}${this.sessionId()}/`;
    let query = mounts.length ? `?mounts=${encodeURIComponent(JSON.stringify(mounts))}` : "";
    if (query.length > MAX_MOUNTS_QUERY) query = "";
    else {
      for (const frame of mounts) {
        this.premounted.add(frame.target);
        this.mountedViews.set(frame.target, { view: frame.view, url: frame.url });
      }
    }
    const source = new this.EventSource(this.base + query);
    this.source = source;
    source.onopen = () => {
      if (this.ended) return;
      this.stopTimers();
      this.opened = true;
      handlers.onopen();
    };
    source.onmessage = (event) => {
      if (!this.ended) handlers.onmessage(event.data);
    };
    source.addEventListener(SSE.CLOSE_EVENT, (event) => {
      let close = { code: 1006, reason: "" };
      try {
        const data = JSON.parse(event.data);
        close = { code: Number(data.code) || 1006, reason: String(data.reason ?? "") };
      } catch {
        // keep 1006
      }
      this.end(close);
    });
    source.onerror = () => {
      if (this.resumeTimer !== null && source.readyState === CONNECTING) return; // retrying
      if (this.opened && source.readyState === CONNECTING && handlers.onpause?.() === true) {
        this.pause();
        return;
      }
      this.end({ code: 1006, reason: "stream error" });
    };
  }

  /**
   * The open stream broke and the browser reconnects by itself: nothing is sent until it
   * reopens (the views wait, their events in their outboxes); past the window, it ends.
   */
  pause() {
    this.opened = false;
    this.queue = [];
    this.stopTimers();
    this.resumeTimer = setTimeout(() => {
      this.resumeTimer = null;
      this.end({ code: 1006, reason: "stream not back" });
    }, SSE.RESUME_WINDOW_MS);
  }

  send(frame) {
    if (!this.isOpen()) return false;
    this.queue.push(JSON.stringify(frame));
    this.pump();
    return true;
  }

  isOpen() {
    return this.opened && !this.ended && this.failing === null;
  }

  close() {
    this.ended = true;
    this.queue = [];
    this.stopTimers();
    this.source?.close();
  }

  stopTimers() {
    clearTimeout(this.resumeTimer);
    clearTimeout(this.failing);
    this.resumeTimer = null;
    this.failing = null;
  }

  /**
   * POSTs the queued frames one after the other; a refused POST ends the transport. A POST
   * the network failed while the stream looks up waits `SSE.POST_FAILURE_GRACE_MS` for the
   * stream to break too (the browser's retry then resumes, and the views' outboxes send the
   * event again); a POST failed while the stream is down is left to the resume.
   */
  async pump() {
    if (this.posting) return;
    this.posting = true;
    while (this.queue.length > 0 && !this.ended) {
      const body = this.queue.shift();
      let status = 0;
      try {
        const response = await this.fetch(this.base + SSE.MESSAGE_PATH, {
          method: "POST",
          headers: { "Content-Type": "application/json" },
          credentials: "same-origin",
          body,
        });
        status = response.status;
      } catch {
        status = 0;
      }
      if ((status < 200 || status >= 300) && !this.ended) {
        if (this.resumeTimer !== null) break;
        if (status === 0 && this.opened) {
          this.queue = [];
          this.failing = setTimeout(() => this.end({ code: 1006, reason: "POST answered nothing" }), SSE.POST_FAILURE_GRACE_MS);
          break;
        }
        // 403: not allowed (origin or owner), a reload is needed; anything else: the session
        // is gone (404), or the server is — reconnect.
        const code = status === 403 ? CLOSE_CODE.FORBIDDEN : 1006;
        this.end({ code, reason: `POST answered ${status || "nothing"}` });
      }
    }
    this.posting = false;
  }

  end(close) {
    if (this.ended) return;
    this.ended = true;
    this.queue = [];
    this.stopTimers();
    this.source?.close();
    this.handlers.onclose(close);
  }
}
