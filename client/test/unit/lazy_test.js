import assert from "node:assert/strict";
import { afterEach, beforeEach, test } from "node:test";

import LazyHydration from "../../src/lazy.js";
import Socket from "../../src/socket.js";
import View from "../../src/view.js";
import { FakeWebSocket, makeDocument } from "../helpers/dom.js";

const lazyDiv = (id, mode = "") => `<div id="${id}" dj-view="app::${id}" dj-token="t-${id}" dj-lazy="${mode}"></div>`;

let sockets = [];
afterEach(() => {
  for (const socket of sockets) socket.disconnect();
  sockets = [];
});

/** A page with `body`, its lazy containers registered, a socket on a fake WebSocket. */
function lazyPage(body, { open = true, observer = null } = {}) {
  const doc = makeDocument(body);
  const window = doc.defaultView;
  if (observer) window.IntersectionObserver = observer;
  const socket = new Socket({ url: "ws://localhost/ws/live/", document: doc, WebSocket: FakeWebSocket });
  sockets.push(socket);
  const lazy = new LazyHydration({ window, socket, makeView: (el) => new View(el, socket) });
  for (const el of doc.querySelectorAll("[dj-lazy]")) lazy.register(el);
  socket.connect();
  const ws = FakeWebSocket.instances.at(-1);
  if (open) ws.open();
  return { doc, window, socket, lazy, ws };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));
const types = (ws) => ws.sent.map((frame) => frame.type);

beforeEach(() => {
  FakeWebSocket.instances = [];
});

test("views ready in the same tick go out as one mount_batch, applied from one answer", async () => {
  const { doc, ws } = lazyPage(lazyDiv("a") + lazyDiv("b") + lazyDiv("c", "click"));
  await tick();
  assert.deepEqual(types(ws), ["mount_batch"]);
  assert.deepEqual(
    ws.sent[0].views.map((entry) => [entry.target, entry.view, entry.token, entry.url]),
    [
      ["a", "app::a", "t-a", "/items/?page=2"],
      ["b", "app::b", "t-b", "/items/?page=2"],
    ],
  );
  ws.receive({
    type: "mount_batch",
    views: [{ type: "mount", target: "a", view: "app::a", version: 1, html: '<p dj-id="1">A</p>' }],
    failed: [{ target: "b", view: "app::b", code: "mount_failed", error: "the stock service is down" }],
  });
  assert.equal(doc.getElementById("a").innerHTML, '<p dj-id="1">A</p>');
  assert.ok(doc.getElementById("a").hasAttribute("dj-mounted"));
  assert.equal(doc.getElementById("b").getAttribute("dj-mount-failed"), "the stock service is down");
  assert.equal(doc.getElementById("b").textContent, "the stock service is down");
  // The click view waits for its click; then it is mounted alone.
  doc.getElementById("c").click();
  await tick();
  assert.deepEqual(types(ws), ["mount_batch", "mount"]);
  assert.equal(ws.sent[1].target, "c");
});

test("views queued before the connection opens are batched on open", async () => {
  const { ws } = lazyPage(lazyDiv("a") + lazyDiv("b"), { open: false });
  await tick();
  assert.deepEqual(ws.sent, []);
  ws.open();
  assert.deepEqual(types(ws), ["mount_batch"]);
  assert.equal(ws.sent[0].views.length, 2);
});

test("DJUST_USE_MOUNT_BATCH = false mounts them one by one", async () => {
  const page = lazyPage(lazyDiv("a") + lazyDiv("b"), { open: false });
  page.window.DJUST_USE_MOUNT_BATCH = false;
  await tick();
  page.ws.open();
  assert.deepEqual(types(page.ws), ["mount", "mount"]);
});

test("an old server's unknown-type error falls back to single mounts", async () => {
  const { ws } = lazyPage(lazyDiv("a") + lazyDiv("b"));
  await tick();
  ws.receive({ type: "error", code: "unknown_type", error: "Unknown message type: mount_batch", recoverable: true });
  assert.deepEqual(types(ws), ["mount_batch", "mount", "mount"]);
  assert.deepEqual(ws.sentOf("mount").map((frame) => frame.target), ["a", "b"]);
  // Only once: a later unrelated error does not mount them again.
  ws.receive({ type: "error", code: "unknown_type", error: "Unknown message type: x", recoverable: true });
  assert.equal(ws.sentOf("mount").length, 2);
});

test("viewport views mount when they intersect; hover views on mouseenter", async () => {
  let observed = null;
  class Observer {
    constructor(callback) {
      observed = { callback, targets: [] };
    }
    observe(el) {
      observed.targets.push(el);
    }
    unobserve() {}
  }
  const { doc, ws } = lazyPage(lazyDiv("a") + lazyDiv("b") + lazyDiv("h", "hover"), { observer: Observer });
  await tick();
  assert.deepEqual(ws.sent, []);
  const [a, b] = observed.targets;
  observed.callback([{ target: a, isIntersecting: true }, { target: b, isIntersecting: false }]);
  await tick();
  assert.deepEqual(ws.sent.map((frame) => [frame.type, frame.target]), [["mount", "a"]]);
  doc.getElementById("h").dispatchEvent(new doc.defaultView.MouseEvent("mouseenter"));
  await tick();
  assert.deepEqual(ws.sent.map((frame) => [frame.type, frame.target]), [["mount", "a"], ["mount", "h"]]);
});

test("a trigger of a container that left the page (live navigation) mounts nothing", async () => {
  const { doc, ws, lazy } = lazyPage(lazyDiv("gone", "click") + lazyDiv("stays", "click"));
  await tick();
  const gone = doc.getElementById("gone");
  gone.remove();
  lazy.ready(gone); // an idle timer or a click handler that outlived it
  doc.getElementById("stays").click();
  await tick();
  assert.deepEqual(ws.sent.filter((frame) => frame.type === "mount").map((frame) => frame.target), ["stays"]);
});
