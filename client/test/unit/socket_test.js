import assert from "node:assert/strict";
import { afterEach, beforeEach, describe, mock, test } from "node:test";

import { LIVENESS, RECONNECT } from "../../src/constants.js";
import Socket, { socketUrl } from "../../src/socket.js";
import { closePages, FakeWebSocket, livePage, makeDocument } from "../helpers/dom.js";

const TWO_VIEWS =
  '<div id="dj-v-a" dj-view="a" dj-token="ta"><p dj-id="1">a</p></div>' +
  '<div id="dj-v-b" dj-view="b" dj-token="tb"><p dj-id="1">b</p></div>';

beforeEach(() => mock.timers.enable({ apis: ["setTimeout", "setInterval"] }));
afterEach(() => {
  closePages();
  mock.timers.reset();
  mock.restoreAll();
});

const bodyClasses = (doc) => [...doc.body.classList].sort();
const mountTargets = (ws) => ws.sentOf("mount").map((frame) => frame.target);

test("socketUrl follows the page's scheme and host", () => {
  assert.equal(socketUrl({ protocol: "http:", host: "localhost:8000" }), "ws://localhost:8000/ws/live/");
  assert.equal(socketUrl({ protocol: "https:", host: "example.com" }), "wss://example.com/ws/live/");
});

describe("body classes", () => {
  test("dj-connected on open, dj-disconnected on close", () => {
    const page = livePage(TWO_VIEWS, { open: false });
    assert.deepEqual(bodyClasses(page.doc), []);
    page.ws().open();
    assert.deepEqual(bodyClasses(page.doc), ["dj-connected"]);
    page.ws().drop();
    assert.deepEqual(bodyClasses(page.doc), ["dj-disconnected"]);
  });

  test("a connection that never opens counts as disconnected", () => {
    const page = livePage(TWO_VIEWS, { open: false });
    page.ws().drop();
    assert.deepEqual(bodyClasses(page.doc), ["dj-disconnected"]);
  });
});

describe("mounting", () => {
  test("every view is mounted when the socket opens", () => {
    const page = livePage(TWO_VIEWS);
    assert.deepEqual(mountTargets(page.ws()), ["dj-v-a", "dj-v-b"]);
  });

  test("a view joined while open is mounted at once", () => {
    const page = livePage(TWO_VIEWS);
    const view = { target: "late", mount: mock.fn(), receive() {}, disconnected() {} };
    page.socket.join(view);
    assert.equal(view.mount.mock.callCount(), 1);
  });

  test("every view is mounted again after a reconnect", () => {
    mock.method(Math, "random", () => 0); // the shortest delay: the floor
    const page = livePage(TWO_VIEWS);
    const first = page.ws();
    first.drop();
    mock.timers.tick(RECONNECT.MIN_DELAY_MS - 1);
    assert.equal(page.instances.length, 1);
    mock.timers.tick(1);
    assert.equal(page.instances.length, 2);
    assert.equal(page.ws().url, "ws://localhost/ws/live/");
    page.ws().open();
    assert.deepEqual(mountTargets(page.ws()), ["dj-v-a", "dj-v-b"]);
    assert.deepEqual(mountTargets(first), ["dj-v-a", "dj-v-b"]);
  });

  test("reconnection keeps trying, with the delay the policy gives", () => {
    const doc = makeDocument(TWO_VIEWS);
    const attempts = [];
    const socket = new Socket({
      url: "ws://x/ws/live/",
      document: doc,
      WebSocket: FakeWebSocket,
      retryDelay: (attempt) => (attempts.push(attempt), 10 * attempt),
    });
    FakeWebSocket.instances = [];
    socket.connect();
    FakeWebSocket.instances.at(-1).drop();
    mock.timers.tick(10);
    FakeWebSocket.instances.at(-1).drop();
    mock.timers.tick(20);
    FakeWebSocket.instances.at(-1).open();
    FakeWebSocket.instances.at(-1).drop();
    assert.deepEqual(attempts, [1, 2, 1]);
    assert.equal(FakeWebSocket.instances.length, 3);
    socket.disconnect();
  });

  test("disconnect() does not reconnect", () => {
    const page = livePage(TWO_VIEWS);
    page.socket.disconnect();
    page.ws().drop();
    mock.timers.tick(10 * RECONNECT.MAX_DELAY_MS);
    assert.equal(page.instances.length, 1);
    assert.deepEqual(bodyClasses(page.doc), ["dj-disconnected"]);
    assert.equal(page.socket.isOpen(), false);
  });
});

describe("liveness", () => {
  const { IDLE_MS, TIMEOUT_MS, PROBE_TIMEOUT_MS } = LIVENESS;

  test("a ping after 10 s of server silence; any frame restarts the count", () => {
    const page = livePage(TWO_VIEWS);
    mock.timers.tick(IDLE_MS - 1);
    page.ws().receive({ type: "connect", session_id: "c-1" });
    mock.timers.tick(IDLE_MS - 1);
    assert.deepEqual(page.ws().sentOf("ping"), []);
    mock.timers.tick(1);
    assert.deepEqual(page.ws().sentOf("ping"), [{ type: "ping" }]);
    page.ws().receive({ type: "pong" });
    mock.timers.tick(IDLE_MS);
    assert.equal(page.ws().sentOf("ping").length, 2);
    const ws = page.ws();
    ws.drop();
    mock.timers.tick(IDLE_MS * 3);
    assert.equal(ws.sentOf("ping").length, 2, "no ping after close");
  });

  test("a ping unanswered for 20 s closes the socket and reconnects (half-open noticed within 30 s)", () => {
    mock.method(Math, "random", () => 0);
    const warn = mock.method(console, "warn", () => {});
    const page = livePage(TWO_VIEWS);
    const first = page.ws();
    mock.timers.tick(IDLE_MS);
    mock.timers.tick(TIMEOUT_MS - 1);
    assert.equal(first.readyState, 1);
    assert.ok(page.doc.body.classList.contains("dj-connected"));
    mock.timers.tick(1);
    assert.equal(first.readyState, 3, "the silent socket is closed");
    assert.ok(page.doc.body.classList.contains("dj-disconnected"));
    assert.equal(warn.mock.callCount(), 1);
    mock.timers.tick(RECONNECT.MIN_DELAY_MS);
    assert.equal(page.instances.length, 2, "a new connection is attempted");
    first.drop(); // the old socket's late close is not the new one's
    assert.equal(page.socket.attempts, 1);
  });

  test("a frame arriving before the deadline keeps the connection", () => {
    const page = livePage(TWO_VIEWS);
    mock.timers.tick(IDLE_MS);
    mock.timers.tick(TIMEOUT_MS - 1);
    page.ws().receive({ type: "patch", target: "dj-v-a", version: 1, patches: [] });
    mock.timers.tick(IDLE_MS - 1);
    assert.equal(page.ws().readyState, 1);
    assert.equal(page.instances.length, 1);
  });

  for (const trigger of ["online", "pageshow", "visibilitychange"]) {
    test(`${trigger} probes at once: unanswered within 3 s, the socket is closed`, () => {
      mock.method(console, "warn", () => {});
      const page = livePage(TWO_VIEWS);
      const win = page.doc.defaultView;
      Object.defineProperty(page.doc, "visibilityState", { value: "visible" });
      page.socket.watch(win);
      const fire = () =>
        trigger === "visibilitychange"
          ? page.doc.dispatchEvent(new win.Event("visibilitychange"))
          : win.dispatchEvent(new win.Event(trigger));
      fire();
      assert.equal(page.ws().sentOf("ping").length, 1, "probed at once");
      page.ws().receive({ type: "pong" });
      mock.timers.tick(PROBE_TIMEOUT_MS);
      assert.equal(page.ws().readyState, 1, "answered: kept");
      fire();
      mock.timers.tick(PROBE_TIMEOUT_MS - 1);
      assert.equal(page.ws().readyState, 1);
      mock.timers.tick(1);
      assert.equal(page.ws().readyState, 3, "unanswered probe: closed");
    });
  }

  test("the bounds are options of the socket", () => {
    const page = livePage(TWO_VIEWS, { socketOptions: { liveness: { IDLE_MS: 100, TIMEOUT_MS: 50 } } });
    mock.method(console, "warn", () => {});
    mock.timers.tick(100);
    assert.equal(page.ws().sentOf("ping").length, 1);
    mock.timers.tick(50);
    assert.equal(page.ws().readyState, 3);
  });
});

describe("inbound frames", () => {
  test("connect sets the session id; pong and unreadable frames are ignored", () => {
    const page = livePage(TWO_VIEWS);
    const errors = mock.method(console, "error", () => {});
    page.ws().receive({ type: "connect", session_id: "c-1" });
    page.ws().receive({ type: "pong" });
    page.ws().onmessage({ data: "{not json" });
    assert.equal(page.socket.sessionId, "c-1");
    assert.equal(errors.mock.callCount(), 1);
  });

  test("an error frame for no view is logged", () => {
    const page = livePage(TWO_VIEWS);
    const errors = mock.method(console, "error", () => {});
    page.ws().receive({ type: "error", code: "bad_frame", error: "bad frame: x", recoverable: true });
    assert.match(errors.mock.calls[0].arguments[0], /bad_frame: bad frame: x/);
  });

  test("frames go to the view named by target", () => {
    const page = livePage(TWO_VIEWS);
    page.ws().receive({ type: "mount", target: "dj-v-b", view: "b", version: 1, html: '<p dj-id="1">B</p>' });
    assert.equal(page.doc.querySelector("#dj-v-a p").textContent, "a");
    assert.equal(page.doc.querySelector("#dj-v-b p").textContent, "B");
  });

  test("viewFor finds the view of an element's container", () => {
    const page = livePage(TWO_VIEWS);
    assert.equal(page.socket.viewFor(page.doc.querySelector("#dj-v-b p")), page.views[1]);
    assert.equal(page.socket.viewFor(page.doc.body), undefined);
  });
});
