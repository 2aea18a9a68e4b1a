/**
 * The reconnection bridge, service worker half: events a page could not send, kept per
 * connection id (one per page load) in the worker's memory until the page drains them. Each
 * connection keeps at most `cap` events (`SW_DEFAULTS.BUFFER_CAP`, 50, or the `cap` the page
 * sends); beyond
 * it the oldest are dropped and counted, and the count goes back with the drain.
 *
 * A classic script (the worker loads it with `importScripts`): it defines
 * `self.djustBridge`. The page half is `src/bridge.js`.
 */
(function (scope) {
  "use strict";

  const { SW_DEFAULTS } = scope.djustConstants;
  /** Connections kept at most (pages closed while offline never drain theirs). */
  const MAX_CONNECTIONS = 100;

  /** connection id → {messages: string[], dropped: number} */
  const buffers = new Map();

  function capOf(cap) {
    return Number.isInteger(cap) && cap > 0 ? cap : SW_DEFAULTS.BUFFER_CAP;
  }

  /** Keeps `payload` (a frame's JSON) for `connectionId`. */
  function buffer(connectionId, payload, cap) {
    const id = String(connectionId || "default");
    let entry = buffers.get(id);
    if (!entry) {
      entry = { messages: [], dropped: 0 };
      buffers.set(id, entry);
      while (buffers.size > MAX_CONNECTIONS) buffers.delete(buffers.keys().next().value);
    }
    entry.messages.push(payload);
    const limit = capOf(cap);
    while (entry.messages.length > limit) {
      entry.messages.shift();
      entry.dropped += 1;
    }
  }

  /** Takes everything kept for `connectionId`: `{messages, dropped}` (empty when nothing). */
  function drain(connectionId) {
    const id = String(connectionId || "default");
    const entry = buffers.get(id) || { messages: [], dropped: 0 };
    buffers.delete(id);
    return entry;
  }

  scope.djustBridge = Object.freeze({ buffer, drain, buffers });
})(typeof self !== "undefined" ? self : globalThis);
