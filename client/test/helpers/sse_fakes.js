// Test doubles of the SSE transport: an EventSource the test drives, and a fetch that records
// POSTs and answers them when the test says so.

/** An EventSource stand-in. */
export class FakeEventSource {
  static instances = [];

  constructor(url) {
    this.url = url;
    this.readyState = 0;
    this.listeners = new Map();
    this.closed = false;
    FakeEventSource.instances.push(this);
  }

  addEventListener(type, listener) {
    if (!this.listeners.has(type)) this.listeners.set(type, []);
    this.listeners.get(type).push(listener);
  }

  close() {
    this.readyState = 2;
    this.closed = true;
  }

  /** The response headers arrived. */
  open() {
    this.readyState = 1;
    this.onopen?.();
  }

  /** A `data:` frame. */
  receive(frame) {
    this.onmessage?.({ data: JSON.stringify(frame) });
  }

  /** The server's `event: close`. */
  serverClose(code, reason = "") {
    for (const listener of this.listeners.get("close") ?? []) {
      listener({ data: JSON.stringify({ code, reason }) });
    }
    this.error();
  }

  /** The open stream broke; the browser will reconnect by itself (`readyState` CONNECTING). */
  drop() {
    this.readyState = 0;
    this.onerror?.();
  }

  /** The stream broke (or never opened). */
  error() {
    this.onerror?.();
  }

  /** The mount frames the GET carried. */
  mounts() {
    const query = new URL(this.url, "http://localhost").searchParams.get("mounts");
    return query ? JSON.parse(query) : [];
  }
}

/** A fetch that records each request; `answer(status)` settles the oldest unanswered one. */
export function fakeFetch() {
  const calls = [];
  const fetch = (url, init) =>
    new Promise((resolve, reject) => {
      calls.push({ url, init, frame: JSON.parse(init.body), resolve, reject });
    });
  fetch.calls = calls;
  fetch.answer = async (status = 202) => {
    const call = calls.find((c) => !c.answered);
    call.answered = true;
    call.resolve({ status, ok: status >= 200 && status < 300 });
    await flush();
  };
  return fetch;
}

/** Lets pending promise callbacks run. */
export async function flush() {
  for (let i = 0; i < 5; i += 1) await Promise.resolve();
}
