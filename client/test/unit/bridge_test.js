// The reconnection bridge's page half: in-page buffer, and the real service worker behind a
// fake controller; order, cap, drop count told to the user, events made during a replay.

import assert from "node:assert/strict";
import { test } from "node:test";

import Bridge from "../../src/bridge.js";
import { makeDocument } from "../helpers/dom.js";
import { loadServiceWorker } from "../helpers/sw_env.js";

/** A connection the test opens and closes; records what was sent. */
function fakeSocket() {
  return {
    open: false,
    sent: [],
    failAfter: Infinity,
    isOpen() {
      return this.open;
    },
    send(frame) {
      if (!this.open || this.sent.length >= this.failAfter) return false;
      this.sent.push(frame);
      return true;
    },
  };
}

/** `navigator.serviceWorker` whose controller is the real worker script (`sw_env.js`). */
function workerContainer() {
  let sw = loadServiceWorker();
  const container = new EventTarget();
  container.posted = [];
  /** The browser stops the worker: a new one starts with empty memory. */
  container.restart = () => {
    sw = loadServiceWorker();
  };
  container.controller = {
    postMessage(data) {
      container.posted.push(data.type);
      const replies = sw.message(structuredClone(data));
      replies.then((list) => {
        for (const reply of list) container.dispatchEvent(Object.assign(new Event("message"), { data: reply }));
      });
    },
  };
  return container;
}

const frame = (ref) => ({ type: "event", target: "dj-v-t", event: "add", params: { n: ref }, ref });

test("while closed, frames are kept in page memory and replayed in order on open", async () => {
  const socket = fakeSocket();
  const bridge = new Bridge({ socket, document: makeDocument() });
  assert.equal(bridge.holds(frame(1)), true);
  assert.equal(bridge.holds(frame(2)), true);
  socket.open = true;
  assert.equal(bridge.holds(frame(99)), false, "an open connection sends directly");
  await bridge.reopened();
  assert.deepEqual(socket.sent, [frame(1), frame(2)]);
  await bridge.reopened();
  assert.equal(socket.sent.length, 2, "a second open replays nothing");
});

test("beyond the cap the oldest are dropped and the user is told how many", async () => {
  const doc = makeDocument();
  const socket = fakeSocket();
  const bridge = new Bridge({ socket, document: doc, cap: 3 });
  const told = [];
  doc.addEventListener("djust:events-dropped", (event) => told.push(event.detail));
  for (let ref = 1; ref <= 5; ref += 1) bridge.holds(frame(ref));
  socket.open = true;
  await bridge.reopened();
  assert.deepEqual(socket.sent.map((f) => f.ref), [3, 4, 5]);
  assert.deepEqual(told, [{ dropped: 2, replayed: 3 }]);
  const notice = doc.getElementById("dj-events-dropped");
  assert.equal(notice.getAttribute("role"), "alert");
  assert.match(notice.textContent, /^2 actions made while offline could not be sent \(only the last 3 are kept\)/);
});

test("with a worker in control, frames go to it (DJUST_BUFFER) and come back in order (DJUST_DRAIN)", async () => {
  const serviceWorker = workerContainer();
  const socket = fakeSocket();
  const bridge = new Bridge({ socket, document: makeDocument(), serviceWorker, cap: 2 });
  for (let ref = 1; ref <= 4; ref += 1) bridge.holds(frame(ref));
  assert.equal(bridge.memory.length, 0);
  socket.open = true;
  await bridge.reopened();
  assert.deepEqual(socket.sent.map((f) => f.ref), [3, 4]);
  assert.deepEqual(serviceWorker.posted, ["DJUST_BUFFER", "DJUST_BUFFER", "DJUST_BUFFER", "DJUST_BUFFER", "DJUST_DRAIN"]);
  await bridge.reopened();
  assert.equal(socket.sent.length, 2, "the worker forgot what it handed back");
});

test("events made while the drain is answered are sent after the replayed ones", async () => {
  const serviceWorker = workerContainer();
  const socket = fakeSocket();
  const bridge = new Bridge({ socket, document: makeDocument(), serviceWorker });
  bridge.holds(frame(1));
  socket.open = true;
  const replay = bridge.reopened();
  assert.equal(bridge.holds(frame(2)), true, "held back until the replay is done");
  await replay;
  assert.equal(bridge.holds(frame(3)), false);
  assert.deepEqual(socket.sent.map((f) => f.ref), [1, 2]);
});

test("a connection lost again mid-replay keeps the rest for the next open", async () => {
  const socket = fakeSocket();
  const bridge = new Bridge({ socket, document: makeDocument() });
  for (let ref = 1; ref <= 4; ref += 1) bridge.holds(frame(ref));
  socket.open = true;
  socket.failAfter = 2;
  await bridge.reopened();
  assert.deepEqual(socket.sent.map((f) => f.ref), [1, 2]);
  socket.failAfter = Infinity;
  await bridge.reopened();
  assert.deepEqual(socket.sent.map((f) => f.ref), [1, 2, 3, 4]);
});

test("a worker that does not answer the drain: the page's copy is replayed, then new events", async () => {
  const serviceWorker = new EventTarget();
  serviceWorker.controller = { postMessage() {} };
  const socket = fakeSocket();
  const bridge = new Bridge({ socket, document: makeDocument(), serviceWorker, drainTimeoutMs: 20 });
  bridge.holds(frame(1));
  bridge.holds(frame(2));
  socket.open = true;
  const replay = bridge.reopened();
  bridge.holds(frame(7));
  await replay;
  assert.deepEqual(socket.sent.map((f) => f.ref), [1, 2, 7]);
});

test("a worker restarted by the browser (its memory lost): the page's copy is replayed, with the cap", async () => {
  const doc = makeDocument();
  const serviceWorker = workerContainer();
  const socket = fakeSocket();
  const bridge = new Bridge({ socket, document: doc, serviceWorker, cap: 3 });
  const told = [];
  doc.addEventListener("djust:events-dropped", (event) => told.push(event.detail));
  for (let ref = 1; ref <= 4; ref += 1) bridge.holds(frame(ref));
  await new Promise((resolve) => setTimeout(resolve, 0));
  serviceWorker.restart();
  socket.open = true;
  await bridge.reopened();
  assert.deepEqual(socket.sent.map((f) => f.ref), [2, 3, 4]);
  assert.deepEqual(told, [{ dropped: 1, replayed: 3 }]);
});
