/**
 * The djust service worker (a classic script served at /static/djust/service-worker.js).
 *
 * - Instant shell (`sw/shell.js`): navigations are answered at once from a cached page shell
 *   whose `<main>` the page then fills with a main-only fetch.
 * - Reconnection bridge (`sw/bridge_store.js`): while a page's connection is down it posts
 *   its events here (`DJUST_BUFFER`) and takes them back on reconnect (`DJUST_DRAIN` →
 *   `DJUST_DRAIN_REPLY`).
 *
 * Messages are accepted only from same-origin window clients inside the worker's scope.
 * `docs/protocol.md` lists every message.
 */
/* global importScripts */
"use strict";

importScripts("sw/html_scan.js", "sw/shell.js", "sw/bridge_store.js");

const MESSAGE = Object.freeze({
  BUFFER: "DJUST_BUFFER",
  DRAIN: "DJUST_DRAIN",
  DRAIN_REPLY: "DJUST_DRAIN_REPLY",
  CLEAR_SHELL: "DJUST_CLEAR_SHELL",
});

self.addEventListener("install", (event) => {
  event.waitUntil(self.skipWaiting());
});

self.addEventListener("activate", (event) => {
  event.waitUntil(self.clients.claim());
});

self.addEventListener("fetch", (event) => {
  if (self.djustShell.intercepts(event.request)) {
    event.respondWith(self.djustShell.navigate(event));
  }
});

/** Whether a message comes from a same-origin window client inside the scope. */
function trusted(event) {
  if (event.origin && event.origin !== self.location.origin) return false;
  const source = event.source;
  if (!source || source.type !== "window") return false;
  const scope = self.registration && self.registration.scope;
  if (scope && !(typeof source.url === "string" && source.url.startsWith(scope))) return false;
  const data = event.data;
  return data !== null && typeof data === "object" && typeof data.type === "string";
}

/** Sends `reply` to the message's sender, or to every controlled window if it is gone. */
async function answer(event, reply) {
  try {
    event.source.postMessage(reply);
  } catch {
    for (const client of await self.clients.matchAll({ type: "window" })) client.postMessage(reply);
  }
}

self.addEventListener("message", (event) => {
  if (!trusted(event)) return;
  const data = event.data;
  switch (data.type) {
    case MESSAGE.BUFFER:
      if (typeof data.payload === "string") {
        self.djustBridgeStore.buffer(data.connectionId, data.payload, data.cap);
      }
      break;
    case MESSAGE.DRAIN: {
      const { messages, dropped } = self.djustBridgeStore.drain(data.connectionId);
      const reply = { type: MESSAGE.DRAIN_REPLY, connectionId: String(data.connectionId || "default"), messages, dropped };
      event.waitUntil(answer(event, reply));
      break;
    }
    case MESSAGE.CLEAR_SHELL:
      event.waitUntil(self.djustShell.clear());
      break;
    default:
      break; // unknown types are ignored
  }
});
