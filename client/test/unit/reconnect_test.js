// Reconnection: full-jitter delays, at most 10 attempts then one fallback, policy close codes,
// intentional disconnect, the connection UI, and waking up on visibility/online.

import assert from "node:assert/strict";
import { afterEach, beforeEach, describe, mock, test } from "node:test";

import { Backoff, fullJitterDelay } from "../../src/backoff.js";
import { CLOSE_CODE, RECONNECT } from "../../src/constants.js";
import { closePages, livePage } from "../helpers/dom.js";
import { FakeEventSource, fakeFetch } from "../helpers/sse_fakes.js";

const VIEW = '<div id="dj-v-a" dj-view="a" dj-token="ta"><p dj-id="1">a</p></div>';

beforeEach(() => {
  mock.timers.enable({ apis: ["setTimeout", "setInterval"] });
  FakeEventSource.instances = [];
});
afterEach(() => {
  closePages();
  mock.timers.reset();
  mock.restoreAll();
});

/** The formula of the issue, written out independently of backoff.js. */
const expected = (attempt, r) => {
  const cap = Math.min(1000 * 2 ** (attempt - 1), 30000);
  return 500 + r * (cap - 500);
};

/** Drops the current connection, then waits out exactly the delay the backoff chose. */
function dropAndWait(page, delay) {
  page.ws().drop();
  mock.timers.tick(delay);
}

describe("full jitter", () => {
  test("with Math.random stubbed, attempts 1–10 wait what the formula says", () => {
    for (const r of [0, 0.25, 0.5, 0.999]) {
      mock.method(Math, "random", () => r);
      const delays = Array.from({ length: 10 }, (_, i) => fullJitterDelay(i + 1));
      assert.deepEqual(delays, Array.from({ length: 10 }, (_, i) => expected(i + 1, r)));
      mock.restoreAll();
    }
    // Concretely: the ceilings are 1 s, 2 s, 4 s, … capped at 30 s.
    mock.method(Math, "random", () => 1);
    assert.deepEqual(
      Array.from({ length: 10 }, (_, i) => fullJitterDelay(i + 1)),
      [1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000, 30000, 30000],
    );
  });

  test("the socket waits exactly those delays, then the 11th close falls back once", () => {
    mock.method(Math, "random", () => 0.5);
    const EventSource = mock.fn(function (url) {
      return new FakeEventSource(url);
    });
    const page = livePage(VIEW, { socketOptions: { ssePrefix: "/djust/", EventSource } });
    for (let attempt = 1; attempt <= RECONNECT.MAX_ATTEMPTS; attempt += 1) {
      const before = page.instances.length;
      page.ws().drop();
      assert.equal(page.doc.body.getAttribute("data-dj-reconnect-attempt"), String(attempt));
      mock.timers.tick(expected(attempt, 0.5) - 1);
      assert.equal(page.instances.length, before, `attempt ${attempt} too early`);
      mock.timers.tick(1);
      assert.equal(page.instances.length, before + 1, `attempt ${attempt} on time`);
    }
    assert.equal(EventSource.mock.callCount(), 0);
    page.ws().drop(); // the 11th close
    assert.equal(page.instances.length, RECONNECT.MAX_ATTEMPTS + 1, "no 11th WebSocket");
    assert.equal(EventSource.mock.callCount(), 1, "SSE fallback, once");
    assert.equal(page.socket.mode, "sse");
    mock.timers.tick(10 * RECONNECT.MAX_DELAY_MS);
    assert.equal(EventSource.mock.callCount(), 1);
    assert.equal(page.instances.length, RECONNECT.MAX_ATTEMPTS + 1);
  });

  test("without SSE, the 11th close shows the final state and schedules nothing", () => {
    mock.method(Math, "random", () => 0);
    const page = livePage(VIEW);
    for (let attempt = 1; attempt <= RECONNECT.MAX_ATTEMPTS; attempt += 1) {
      dropAndWait(page, expected(attempt, 0));
    }
    page.ws().drop();
    const lost = page.doc.querySelector(".dj-connection-lost-banner");
    assert.match(lost.textContent, /^Connection lost — reload$/);
    assert.equal(page.doc.querySelector(".dj-reconnecting-banner"), null);
    assert.ok(page.doc.body.classList.contains("dj-disconnected"));
    assert.ok(page.doc.body.classList.contains("dj-connection-lost"));
    mock.timers.tick(10 * RECONNECT.MAX_DELAY_MS);
    assert.equal(page.instances.length, RECONNECT.MAX_ATTEMPTS + 1);
    assert.equal(page.socket.stopped, "lost");
  });

  test("an open connection starts the count again", () => {
    const backoff = new Backoff({ maxAttempts: 2, delay: (n) => n });
    assert.deepEqual([backoff.next(), backoff.next(), backoff.next()], [
      { attempt: 1, delay: 1 },
      { attempt: 2, delay: 2 },
      null,
    ]);
    backoff.reset();
    assert.deepEqual(backoff.next(), { attempt: 1, delay: 1 });
  });
});

describe("stopping", () => {
  test("an intentional disconnect schedules nothing and clears the UI", () => {
    const page = livePage(VIEW);
    page.ws().drop();
    assert.ok(page.doc.querySelector(".dj-reconnecting-banner"));
    page.socket.disconnect();
    mock.timers.tick(10 * RECONNECT.MAX_DELAY_MS);
    assert.equal(page.instances.length, 1, "the pending retry was cancelled");
    assert.equal(page.doc.querySelector(".dj-reconnecting-banner"), null);
    assert.equal(page.doc.body.hasAttribute("data-dj-reconnect-attempt"), false);
    assert.equal(page.doc.body.style.getPropertyValue("--dj-reconnect-attempt"), "");

    const open = livePage(VIEW);
    open.socket.disconnect();
    open.ws().drop(); // the close event of the socket we closed
    mock.timers.tick(10 * RECONNECT.MAX_DELAY_MS);
    assert.equal(open.instances.length, 1);
    assert.equal(open.doc.querySelector(".dj-reconnecting-banner"), null);
  });

  for (const [name, code] of Object.entries(CLOSE_CODE)) {
    test(`policy close ${code} (${name}) is not retried`, () => {
      const errors = mock.method(console, "error", () => {});
      const EventSource = mock.fn((url) => new FakeEventSource(url));
      const page = livePage(VIEW, { socketOptions: { ssePrefix: "/djust/", EventSource } });
      page.ws().drop(code);
      mock.timers.tick(10 * RECONNECT.MAX_DELAY_MS);
      assert.equal(page.instances.length, 1);
      assert.equal(EventSource.mock.callCount(), 0, "no fallback either");
      assert.ok(page.doc.querySelector(".dj-connection-lost-banner"));
      assert.equal(page.doc.querySelector(".dj-reconnecting-banner"), null);
      assert.match(errors.mock.calls[0].arguments[0], new RegExp(String(code)));
    });
  }

  test("other server closes (1001, 1008, 1011) are retried", () => {
    for (const code of [1001, 1008, 1011]) {
      const page = livePage(VIEW);
      page.ws().drop(code);
      assert.equal(page.doc.body.getAttribute("data-dj-reconnect-attempt"), "1", String(code));
    }
  });
});

describe("connection UI", () => {
  test("banner, attribute and custom property while reconnecting; cleared on reconnect", () => {
    mock.method(Math, "random", () => 0);
    const page = livePage(VIEW);
    const body = page.doc.body;
    assert.deepEqual([...body.classList], ["dj-connected"]);
    page.ws().drop();
    let banner = page.doc.querySelector(".dj-reconnecting-banner");
    assert.equal(banner.id, "dj-reconnecting-banner");
    assert.equal(banner.textContent, "Reconnecting… (attempt 1 of 10)");
    assert.deepEqual([...body.classList], ["dj-disconnected"]);
    assert.equal(body.getAttribute("data-dj-reconnect-attempt"), "1");
    assert.equal(body.style.getPropertyValue("--dj-reconnect-attempt"), "1");
    mock.timers.tick(expected(1, 0));
    page.ws().drop();
    banner = page.doc.querySelector(".dj-reconnecting-banner");
    assert.equal(banner.textContent, "Reconnecting… (attempt 2 of 10)");
    assert.equal(page.doc.querySelectorAll(".dj-reconnecting-banner").length, 1);
    assert.equal(body.style.getPropertyValue("--dj-reconnect-attempt"), "2");
    mock.timers.tick(expected(2, 0));
    page.ws().open();
    assert.deepEqual([...body.classList], ["dj-connected"]);
    assert.equal(page.doc.querySelector(".dj-reconnecting-banner"), null);
    assert.equal(body.hasAttribute("data-dj-reconnect-attempt"), false);
    assert.equal(body.hasAttribute("style"), false);
  });

  test("default styles are zero-specificity, installed once", () => {
    const page = livePage(VIEW);
    page.ws().drop();
    const styles = page.doc.querySelectorAll("style#dj-connection-style");
    assert.equal(styles.length, 1);
    assert.match(styles[0].textContent, /:where\(\.dj-reconnecting-banner/);
  });

  test("a reconnection dispatches djust:reconnected on the document", () => {
    mock.method(Math, "random", () => 0);
    const page = livePage(VIEW);
    const seen = [];
    page.doc.addEventListener("djust:reconnected", (event) => seen.push(event.detail.transport));
    page.ws().drop();
    mock.timers.tick(expected(1, 0));
    page.ws().open();
    assert.deepEqual(seen, ["websocket"]);
  });
});

describe("waking up", () => {
  for (const trigger of ["visible", "online"]) {
    test(`${trigger}: a waiting reconnection happens at once`, () => {
      mock.method(Math, "random", () => 0.999);
      const page = livePage(VIEW);
      const win = page.doc.defaultView;
      page.socket.watch(win);
      for (let attempt = 1; attempt <= 6; attempt += 1) dropAndWait(page, expected(attempt, 0.999));
      page.ws().drop(); // attempt 7: ~30 s away
      const before = page.instances.length;
      if (trigger === "visible") {
        const state = { value: "hidden", configurable: true };
        Object.defineProperty(page.doc, "visibilityState", state);
        page.doc.dispatchEvent(new win.Event("visibilitychange"));
        assert.equal(page.instances.length, before, "hiding the tab does not reconnect");
        Object.defineProperty(page.doc, "visibilityState", { ...state, value: "visible" });
        page.doc.dispatchEvent(new win.Event("visibilitychange"));
      } else {
        win.dispatchEvent(new win.Event("online"));
      }
      assert.equal(page.instances.length, before + 1);
      // The cancelled timer does not open a second connection.
      mock.timers.tick(RECONNECT.MAX_DELAY_MS);
      assert.equal(page.instances.length, before + 1);
    });
  }

  test("nothing happens when no reconnection is waiting", () => {
    const page = livePage(VIEW);
    const win = page.doc.defaultView;
    page.socket.watch(win);
    win.dispatchEvent(new win.Event("online"));
    assert.equal(page.instances.length, 1);
    page.socket.disconnect();
    win.dispatchEvent(new win.Event("online"));
    assert.equal(page.instances.length, 1, "not after an intentional disconnect");
  });
});

describe("SSE fallback keeps the same behaviour", () => {
  test("fallback mounts through the GET, reconnects with backoff and banner", async () => {
    mock.method(Math, "random", () => 0);
    const fetch = fakeFetch();
    const EventSource = FakeEventSource;
    const page = livePage(VIEW, { socketOptions: { ssePrefix: "/djust/", EventSource, fetch, maxAttempts: 1 } });
    dropAndWait(page, expected(1, 0));
    page.ws().drop(); // attempts exhausted: SSE
    const source = FakeEventSource.instances.at(-1);
    assert.match(source.url, /^\/djust\/sse\/[0-9a-f]{32}\/\?mounts=/);
    assert.deepEqual(source.mounts().map((frame) => frame.target), ["dj-v-a"]);
    source.open();
    assert.ok(page.doc.body.classList.contains("dj-connected"));
    assert.equal(fetch.calls.length, 0, "no mount POSTed: the GET mounted");
    source.error();
    assert.equal(page.doc.querySelector(".dj-reconnecting-banner").textContent, "Reconnecting… (attempt 1 of 1)");
    assert.ok(source.closed, "the browser's own retry is cut short");
    mock.timers.tick(expected(1, 0));
    assert.equal(FakeEventSource.instances.length, 2);
    assert.notEqual(FakeEventSource.instances[1].url, source.url, "a fresh session id");
  });
});

test("connect() after the final state starts counting attempts from 1 again", () => {
  mock.method(Math, "random", () => 0);
  const page = livePage(VIEW, { socketOptions: { maxAttempts: 2 } });
  dropAndWait(page, expected(1, 0));
  dropAndWait(page, expected(2, 0));
  page.ws().drop();
  assert.equal(page.socket.stopped, "lost");
  page.socket.connect();
  page.ws().drop();
  assert.equal(page.doc.body.getAttribute("data-dj-reconnect-attempt"), "1");
  assert.equal(page.doc.querySelector(".dj-connection-lost-banner"), null);
});
