// The SSE transport: the GET carries the mounts, frames arrive as events, POSTs go one at a
// time, the server's close event carries its code, a refused POST ends the transport.

import assert from "node:assert/strict";
import { afterEach, beforeEach, mock, test } from "node:test";

import { SSE } from "../../src/constants.js";
import { randomSessionId, SseTransport } from "../../src/sse.js";
import { closePages, livePage } from "../helpers/dom.js";
import { FakeEventSource, fakeFetch, flush } from "../helpers/sse_fakes.js";

beforeEach(() => {
  mock.timers.enable({ apis: ["setTimeout", "setInterval"] });
  FakeEventSource.instances = [];
});
afterEach(() => {
  closePages();
  mock.timers.reset();
  mock.restoreAll();
});

function transport() {
  const fetch = fakeFetch();
  const handlers = { onopen: mock.fn(), onmessage: mock.fn(), onclose: mock.fn() };
  const sse = new SseTransport({ prefix: "/djust/", EventSource: FakeEventSource, fetch, sessionId: () => "a".repeat(32) });
  sse.open(handlers, [{ type: "mount", target: "dj-v-x", view: "x", token: "t", url: "/x/?a=1&b=2" }]);
  return { sse, fetch, handlers, source: FakeEventSource.instances.at(-1) };
}

test("session ids are 32 random hex digits", () => {
  const ids = new Set(Array.from({ length: 20 }, () => randomSessionId()));
  assert.equal(ids.size, 20);
  for (const id of ids) assert.match(id, /^[0-9a-f]{32}$/);
});

test("the GET URL names the session and carries the mount frames", () => {
  const { sse, source } = transport();
  assert.match(source.url, new RegExp(`^/djust/sse/${"a".repeat(32)}/\\?mounts=`));
  assert.deepEqual(source.mounts(), [{ type: "mount", target: "dj-v-x", view: "x", token: "t", url: "/x/?a=1&b=2" }]);
  assert.deepEqual([...sse.premounted], ["dj-v-x"]);
});

test("not open before the stream opens; frames pass through", () => {
  const { sse, source, handlers, fetch } = transport();
  assert.equal(sse.send({ type: "ping" }), false);
  assert.equal(fetch.calls.length, 0);
  source.open();
  assert.equal(handlers.onopen.mock.callCount(), 1);
  source.receive({ type: "connect", session_id: "c-1" });
  assert.deepEqual(JSON.parse(handlers.onmessage.mock.calls[0].arguments[0]), { type: "connect", session_id: "c-1" });
});

test("POSTs go one at a time, in order, as JSON to message/", async () => {
  const { sse, source, fetch } = transport();
  source.open();
  sse.send({ type: "event", ref: 1 });
  sse.send({ type: "event", ref: 2 });
  sse.send({ type: "event", ref: 3 });
  await flush();
  assert.equal(fetch.calls.length, 1, "the second waits for the first");
  const [first] = fetch.calls;
  assert.equal(first.url, `/djust/sse/${"a".repeat(32)}/message/`);
  assert.equal(first.init.method, "POST");
  assert.equal(first.init.headers["Content-Type"], "application/json");
  assert.equal(first.init.credentials, "same-origin");
  await fetch.answer(202);
  await fetch.answer(202);
  await fetch.answer(202);
  assert.deepEqual(fetch.calls.map((call) => call.frame.ref), [1, 2, 3]);
});

test("the server's close event carries its code; the browser's retry is cut short", () => {
  const { source, handlers } = transport();
  source.open();
  source.serverClose(4429, "rate limited");
  assert.equal(handlers.onclose.mock.callCount(), 1, "reported once (close event, then error)");
  assert.deepEqual(handlers.onclose.mock.calls[0].arguments[0], { code: 4429, reason: "rate limited" });
  assert.ok(source.closed);
});

test("a stream error is an abnormal close (1006)", () => {
  const { source, handlers } = transport();
  source.error();
  assert.deepEqual(handlers.onclose.mock.calls[0].arguments[0], { code: 1006, reason: "stream error" });
  assert.ok(source.closed);
});

for (const [status, code] of [[403, 4403], [404, 1006], [0, 1006], [500, 1006]]) {
  test(`a POST answered ${status || "by a network error"} ends the transport with ${code}`, async () => {
    const { sse, source, fetch, handlers } = transport();
    source.open();
    sse.send({ type: "event", ref: 1 });
    sse.send({ type: "event", ref: 2 });
    await flush();
    if (status === 0) {
      fetch.calls[0].reject(new TypeError("network"));
      await flush();
      assert.equal(handlers.onclose.mock.callCount(), 0, "the stream may break too: wait");
      assert.equal(sse.send({ type: "ping" }), false);
      mock.timers.tick(SSE.POST_FAILURE_GRACE_MS);
    } else {
      await fetch.answer(status);
    }
    assert.equal(handlers.onclose.mock.calls[0].arguments[0].code, code);
    assert.equal(fetch.calls.length, 1, "nothing after the refused POST");
    assert.equal(sse.send({ type: "ping" }), false);
  });
}

test("close() ends the stream without reporting", () => {
  const { sse, source, handlers } = transport();
  source.open();
  sse.close();
  source.error();
  assert.ok(source.closed);
  assert.equal(handlers.onclose.mock.callCount(), 0);
});

test("the socket can use SSE from the start; events and answers go through it", async () => {
  const fetch = fakeFetch();
  const page = livePage('<div id="dj-v-a" dj-view="a" dj-token="ta"><button dj-id="1" dj-click="go">go</button></div>', {
    open: false,
    socketOptions: { ssePrefix: "/djust/", EventSource: FakeEventSource, fetch, transport: "sse" },
  });
  assert.equal(page.instances.length, 0, "no WebSocket");
  const source = FakeEventSource.instances.at(-1);
  source.open();
  source.receive({ type: "mount", target: "dj-v-a", view: "a", version: 1, html: '<button dj-id="1" dj-click="go">go!</button>' });
  assert.equal(page.doc.querySelector("button").textContent, "go!");
  page.views[0].pushEvent("go", {}, page.doc.querySelector("button"));
  await flush();
  assert.equal(fetch.calls[0].frame.event, "go");
  assert.ok(page.doc.querySelector("#dj-v-a").classList.contains("dj-loading"));
  source.receive({ type: "noop", target: "dj-v-a", ref: fetch.calls[0].frame.ref, event: "go" });
  assert.equal(page.doc.querySelector("#dj-v-a").classList.contains("dj-loading"), false);
  // A policy close over SSE stops just like over WebSocket.
  mock.method(console, "error", () => {});
  source.serverClose(4403);
  mock.timers.tick(60_000);
  assert.equal(FakeEventSource.instances.length, 1);
  assert.ok(page.doc.querySelector(".dj-connection-lost-banner"));
});

test("too many views for the URL: the stream opens bare and the views are mounted by POST", async () => {
  const fetch = fakeFetch();
  const views = Array.from(
    { length: 40 },
    (_, i) => `<div id="dj-v-${i}" dj-view="app::View${i}" dj-token="${"t".repeat(120)}"><p dj-id="1">${i}</p></div>`,
  ).join("");
  const page = livePage(views, {
    open: false,
    socketOptions: { ssePrefix: "/djust/", EventSource: FakeEventSource, fetch, transport: "sse" },
  });
  const source = FakeEventSource.instances.at(-1);
  assert.equal(source.url.includes("?"), false);
  source.open();
  for (let i = 0; i < 40; i += 1) await fetch.answer(202);
  assert.deepEqual(
    fetch.calls.map((call) => call.frame.target),
    Array.from({ length: 40 }, (_, i) => `dj-v-${i}`),
  );
  assert.equal(page.views.length, 40);
});

test("a broken stream waits for the browser's own retry when the socket agrees; the window bounds it", async () => {
  const { sse, source, handlers, fetch } = transport();
  handlers.onpause = mock.fn(() => true);
  source.open();
  sse.send({ type: "event", ref: 1 });
  await fetch.answer(202);
  source.drop();
  assert.equal(handlers.onpause.mock.callCount(), 1);
  assert.equal(handlers.onclose.mock.callCount(), 0, "not ended");
  assert.equal(sse.isOpen(), false);
  assert.equal(sse.send({ type: "event", ref: 2 }), false, "nothing sent while it is down");
  source.drop(); // a retry failed: the browser tries again
  assert.equal(handlers.onpause.mock.callCount(), 1);
  source.open();
  assert.equal(handlers.onopen.mock.callCount(), 2, "reopened (the views resume)");
  assert.equal(sse.isOpen(), true);
  mock.timers.tick(SSE.RESUME_WINDOW_MS * 2);
  assert.equal(handlers.onclose.mock.callCount(), 0, "the window ended with the reopen");
  // Broken again, and not back within the window: it ends.
  source.drop();
  mock.timers.tick(SSE.RESUME_WINDOW_MS);
  assert.deepEqual(handlers.onclose.mock.calls[0].arguments[0], { code: 1006, reason: "stream not back" });
  assert.ok(source.closed);
});

test("a POST the network failed, then the stream broke: the browser's retry resumes", async () => {
  const { sse, source, handlers, fetch } = transport();
  handlers.onpause = mock.fn(() => true);
  source.open();
  sse.send({ type: "event", ref: 1 });
  await flush();
  fetch.calls[0].reject(new TypeError("network"));
  await flush();
  source.drop();
  mock.timers.tick(SSE.POST_FAILURE_GRACE_MS * 2);
  assert.equal(handlers.onclose.mock.callCount(), 0);
  source.open();
  assert.equal(sse.isOpen(), true);
  assert.equal(sse.send({ type: "event", ref: 1 }), true, "the outbox sends it again");
});

test("a broken stream ends the transport when the socket does not wait", () => {
  const { source, handlers } = transport();
  handlers.onpause = mock.fn(() => false);
  source.open();
  source.drop();
  assert.equal(handlers.onpause.mock.callCount(), 1);
  assert.equal(handlers.onclose.mock.calls[0].arguments[0].code, 1006);
  assert.ok(source.closed);
});

test("the socket lets SSE resume by itself only while its views are the ones the GET mounted", () => {
  const fetch = fakeFetch();
  const page = livePage('<div id="dj-v-a" dj-view="a" dj-token="ta"><p dj-id="1">x</p></div>', {
    open: false,
    socketOptions: { ssePrefix: "/djust/", EventSource: FakeEventSource, fetch, transport: "sse" },
  });
  const source = FakeEventSource.instances.at(-1);
  source.open();
  source.receive({ type: "mount", target: "dj-v-a", view: "a", version: 1, html: '<p dj-id="1">x</p>', vs: "s.m", rev: 0, ack: 0 });
  source.drop();
  assert.equal(FakeEventSource.instances.length, 1, "the same EventSource retries");
  assert.ok(page.doc.body.classList.contains("dj-disconnected"));
  source.open();
  assert.ok(page.doc.body.classList.contains("dj-connected"));
  assert.equal(fetch.calls.length, 0, "the GET mounted the view again: no mount POSTed");
  source.receive({ type: "resumed", target: "dj-v-a", view: "a", version: 1, vs: "s.m", rev: 0, ack: 0, patches: [] });
  assert.ok(page.doc.querySelector("#dj-v-a").hasAttribute("dj-mounted"), "resumed");
  // Another view now holds the target (a live navigation): the retry would mount the old one.
  page.doc.querySelector("#dj-v-a").setAttribute("dj-view", "b");
  source.drop();
  assert.ok(source.closed, "ended instead");
});
