import assert from "node:assert/strict";
import { afterEach, beforeEach, test } from "node:test";

import LazyHydration from "../../src/lazy.js";
import Navigation from "../../src/navigation.js";
import { SessionSnapshotStore } from "../../src/snapshot.js";
import Socket from "../../src/socket.js";
import View from "../../src/view.js";
import { FakeWebSocket, makeDocument } from "../helpers/dom.js";

let sockets = [];
beforeEach(() => {
  FakeWebSocket.instances = [];
});
afterEach(() => {
  for (const socket of sockets) socket.disconnect();
  sockets = [];
});

const PAGE =
  '<nav><a id="to-cart" dj-link href="/cart/">cart</a><a id="plain" href="/x/">x</a></nav>' +
  '<main><div id="dj-v-items" dj-view="app::Items" dj-token="t1"><p dj-id="1">items</p></div></main>';

/** A page with a mounted view, navigation listening, a fake WebSocket open. */
function navPage() {
  const doc = makeDocument(PAGE);
  const window = doc.defaultView;
  const socket = new Socket({ url: "ws://localhost/ws/live/", document: doc, WebSocket: FakeWebSocket });
  sockets.push(socket);
  const makeView = (el) => new View(el, socket);
  const lazy = new LazyHydration({ window, socket, makeView });
  const snapshots = new SessionSnapshotStore(window.sessionStorage);
  const navigation = new Navigation({ window, socket, makeView, lazy, snapshots });
  navigation.listen();
  socket.join(makeView(doc.getElementById("dj-v-items")));
  socket.connect();
  const ws = FakeWebSocket.instances.at(-1);
  ws.open();
  const events = [];
  for (const type of ["djust:before-navigate", "djust:navigated"]) {
    window.addEventListener(type, (event) => events.push([type, event.detail, window.location.pathname]));
  }
  return { doc, window, socket, ws, snapshots, events, navigation };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));
const cart = { target: "dj-v-cart", view: "app::Cart", token: "t2" };

test("a dj-link click navigates over the socket, keeping the left view's snapshot", async () => {
  const { doc, window, ws, snapshots, events } = navPage();
  ws.receive({ type: "mount", target: "dj-v-items", view: "app::Items", version: 1, html: '<p dj-id="1">items</p>', snapshot: "blob-0" });
  doc.getElementById("to-cart").click();
  // Kept before the URL changes: the snapshot of the view's last mount.
  assert.deepEqual(await snapshots.get("/items/?page=2"), { view: "app::Items", blob: "blob-0" });
  assert.deepEqual(ws.sent.at(-1), { type: "live_redirect", url: "/cart/" });
  // Fired before the URL changed, naming the page left.
  assert.deepEqual(events, [["djust:before-navigate", { fromUrl: "/items/?page=2", toUrl: "/cart/" }, "/items/"]]);

  ws.receive({
    type: "navigate",
    url: "/cart/",
    views: [cart, { target: "dj-v-w", view: "app::W", token: "t3", lazy: "click" }],
    left: [{ target: "dj-v-items", view: "app::Items", snapshot: "blob-1" }],
  });
  await tick();
  assert.equal(window.location.pathname, "/cart/");
  assert.deepEqual(await snapshots.get("/items/?page=2"), { view: "app::Items", blob: "blob-1" });
  const main = doc.querySelector("main");
  assert.deepEqual([...main.children].map((el) => el.id), ["dj-v-cart", "dj-v-w"]);
  assert.equal(main.children[1].getAttribute("dj-lazy"), "click");
  assert.deepEqual(ws.sentOf("mount").at(-1), { type: "mount", ...cart, url: "/cart/" });
  assert.equal(events.length, 1, "djust:navigated waits for the mount");
  ws.receive({ type: "mount", target: "dj-v-cart", view: "app::Cart", version: 2, html: "<p>cart</p>" });
  assert.deepEqual(events[1], ["djust:navigated", { fromUrl: "/items/?page=2", toUrl: "/cart/" }, "/cart/"]);
  assert.equal(main.children[0].innerHTML, "<p>cart</p>");
});

test("back sends the snapshot kept for the URL with the view's mount", async () => {
  const { doc, window, ws } = navPage();
  doc.getElementById("to-cart").click();
  ws.receive({ type: "navigate", url: "/cart/", views: [cart], left: [{ target: "dj-v-items", view: "app::Items", snapshot: "blob-1" }] });
  await tick();
  window.history.back();
  await new Promise((resolve) => window.addEventListener("popstate", () => setImmediate(resolve), { once: true }));
  assert.equal(window.location.pathname, "/items/");
  assert.deepEqual(ws.sent.at(-1), { type: "live_redirect", url: "/items/?page=2" });
  ws.receive({ type: "navigate", url: "/items/?page=2", views: [{ target: "dj-v-items", view: "app::Items", token: "t4" }] });
  await tick();
  const mount = ws.sentOf("mount").at(-1);
  assert.equal(mount.snapshot, "blob-1");
  assert.equal(window.location.pathname, "/items/", "back does not push a new entry");
  // A snapshot of another view is never sent.
  const other = { type: "navigate", url: "/items/?page=2", views: [{ target: "dj-v-o", view: "app::Other", token: "t5" }] };
  window.history.forward();
  await new Promise((resolve) => window.addEventListener("popstate", () => setImmediate(resolve), { once: true }));
  window.history.back();
  await new Promise((resolve) => window.addEventListener("popstate", () => setImmediate(resolve), { once: true }));
  ws.receive(other);
  await tick();
  assert.equal(ws.sentOf("mount").at(-1).snapshot, undefined);
});

test("plain links and other origins are left to the browser; live_patch pushes the URL", () => {
  const { doc, window, ws, events } = navPage();
  let prevented = null;
  doc.addEventListener("click", (event) => {
    prevented = event.defaultPrevented;
    event.preventDefault(); // keep jsdom from navigating
  });
  doc.getElementById("plain").click();
  assert.equal(prevented, false);
  assert.equal(ws.sentOf("live_redirect").length, 0);
  ws.receive({ type: "live_patch", target: "dj-v-items", url: "/items/?page=3", tokens: { "dj-v-items": "2.fresh" } });
  assert.equal(window.location.search, "?page=3");
  assert.deepEqual(events.map(([type]) => type), ["djust:before-navigate", "djust:navigated"]);
  assert.equal(doc.getElementById("dj-v-items").getAttribute("dj-token"), "2.fresh", "a reconnect mounts with it");
});

test("a server-initiated navigate also fires before-navigate and pushes the URL", async () => {
  const { window, ws, events } = navPage();
  ws.receive({ type: "navigate", url: "/cart/", views: [cart] });
  await tick();
  assert.equal(window.location.pathname, "/cart/");
  assert.deepEqual(events[0], ["djust:before-navigate", { fromUrl: "/items/?page=2", toUrl: "/cart/" }, "/items/"]);
});

test("with the VDOM cache: mounts store the page's HTML, back paints it before the server answers", async () => {
  const { doc, window, ws, navigation } = navPage();
  const stored = [];
  navigation.vdom = {
    storeVdom: async (url, html, version) => stored.push([url, html, version]),
    lookupVdom: async (url) => (url === "/items/?page=2" ? '<p dj-id="1">cached items</p>' : null),
  };
  doc.getElementById("to-cart").click();
  ws.receive({ type: "navigate", url: "/cart/", views: [cart] });
  await tick();
  ws.receive({ type: "mount", target: "dj-v-cart", view: "app::Cart", version: 1, html: "<p>cart</p>" });
  assert.deepEqual(stored, [["/cart/", "<p>cart</p>", 1]]);

  const applied = [];
  window.addEventListener("djust:vdom-cache-applied", (event) => applied.push(event.detail.url));
  window.history.back();
  await new Promise((resolve) => window.addEventListener("popstate", () => setImmediate(resolve), { once: true }));
  await tick();
  // Painted at once: the server has not answered the live_redirect yet.
  assert.deepEqual(applied, ["/items/?page=2"]);
  assert.equal(doc.querySelector("main").textContent, "cached items");
  ws.receive({ type: "navigate", url: "/items/?page=2", views: [{ target: "dj-v-items", view: "app::Items", token: "t4" }] });
  await tick();
  const container = doc.getElementById("dj-v-items");
  assert.equal(container.textContent, "cached items", "shown until the mount answers");
  ws.receive({ type: "mount", target: "dj-v-items", view: "app::Items", version: 2, html: '<p dj-id="1">live items</p>' });
  assert.equal(container.textContent, "live items");
  assert.deepEqual(stored.at(-1), ["/items/?page=2", '<p dj-id="1">live items</p>', 2]);
});

test("no live page there, or a server without live navigation: the page is loaded normally", () => {
  for (const refusal of [
    { type: "error", code: "not_found", error: "no live page at `/x/`", recoverable: false },
    { type: "error", code: "unknown_type", error: "Unknown message type: live_redirect", recoverable: true },
  ]) {
    const { doc, ws, navigation } = navPage();
    const loaded = [];
    doc.getElementById("to-cart").click();
    // jsdom does not load pages: record the load instead.
    navigation.window = { location: { assign: (url) => loaded.push(url), reload() {} } };
    ws.receive(refusal);
    assert.deepEqual(loaded, ["/cart/"]);
    assert.equal(navigation.pending, null);
  }
});

test("the connection lost before a navigation's answer: the page is loaded, never left half-way", (t) => {
  t.mock.method(console, "warn", () => {});
  const { window, ws, navigation } = navPage();
  const loads = [];
  const location = { assign: (url) => loads.push(["assign", url]), reload: () => loads.push(["reload"]) };
  navigation.window = new Proxy(window, {
    get: (target, key) => {
      if (key === "location") return location;
      const value = Reflect.get(target, key);
      return typeof value === "function" && key !== "CustomEvent" ? value.bind(target) : value;
    },
  });
  navigation.go("/cart/");
  assert.deepEqual(ws.sent.at(-1), { type: "live_redirect", url: "/cart/" });
  ws.drop();
  assert.deepEqual(loads, [["assign", "/cart/"]]);
  navigation.go("/items/", { back: true }); // not open: a page load at once
  assert.deepEqual(loads.at(-1), ["reload"]);
});
