// The entry module, loaded the way a page loads it: globals of a jsdom page, then import.

import assert from "node:assert/strict";
import { after, test } from "node:test";

import { closePages, FakeWebSocket, makeDocument } from "../helpers/dom.js";

const doc = makeDocument(
  '<div id="dj-v-a" dj-view="app::A" dj-token="1.m"><button dj-id="1" dj-click="go">go</button></div>',
);
Object.assign(globalThis, { window: doc.defaultView, document: doc, WebSocket: FakeWebSocket });
await import("../../client.js");
const ws = FakeWebSocket.instances.at(-1);
const { djust } = doc.defaultView;

after(() => {
  djust.disconnect();
  closePages();
});

test("connects to the page's host and mounts every view on open", () => {
  assert.equal(FakeWebSocket.instances.length, 1);
  assert.equal(ws.url, "ws://localhost/ws/live/");
  assert.equal(djust.isConnected(), false);
  ws.open();
  assert.equal(djust.isConnected(), true);
  assert.deepEqual(ws.sentOf("mount").map((frame) => [frame.target, frame.view, frame.token]), [
    ["dj-v-a", "app::A", "1.m"],
  ]);
  const html = doc.getElementById("dj-v-a").innerHTML;
  ws.receive({ type: "mount", target: "dj-v-a", view: "app::A", version: 1, html, vs: "vs-1", rev: 0, ack: 0 });
});

test("bindings are live", () => {
  doc.querySelector("button").click();
  assert.deepEqual(ws.sentOf("event").map((frame) => [frame.event, frame.seq]), [["go", 1]]);
});

test("window.djust: pushEvent, a frozen API", () => {
  const ref = djust.pushEvent("dj-v-a", "save", { n: 1 });
  assert.deepEqual(ws.sent.at(-1), { type: "event", target: "dj-v-a", event: "save", params: { n: 1 }, ref, seq: 2 });
  assert.equal(djust.pushEvent("nope", "save"), null);
  assert.ok(Object.isFrozen(djust));
  assert.deepEqual(Object.keys(djust).sort(), [
    "connect",
    "disconnect",
    "isConnected",
    "offlinePages",
    "pushEvent",
    "registerHook",
    "registerServiceWorker",
    "removeFromOffline",
    "requestHtml",
    "saveForOffline",
    "transport",
  ]);
});

test("window.djust.transport(): WebSocket unless the page asks for SSE", () => {
  assert.equal(djust.transport(), "websocket");
});
