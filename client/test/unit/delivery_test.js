// Exactly-once delivery in the client: the outbox, sequence numbers and acks, resume and
// remount, notices, bounds (docs/protocol.md, "Delivery").

import assert from "node:assert/strict";
import { afterEach, beforeEach, describe, mock, test } from "node:test";

import Outbox from "../../src/outbox.js";
import { closePages, livePage } from "../helpers/dom.js";

const VIEW = '<div id="dj-v-c" dj-view="c" dj-token="t"><p dj-id="1">Count: 0</p><button dj-id="2" dj-click="inc">+</button></div>';
const HTML = '<p dj-id="1">Count: 0</p><button dj-id="2" dj-click="inc">+</button>';

beforeEach(() => mock.timers.enable({ apis: ["setTimeout", "setInterval"] }));
afterEach(() => {
  closePages();
  mock.timers.reset();
  mock.restoreAll();
});

const events = (ws) => ws.sentOf("event").map((frame) => [frame.event, frame.seq, frame.replay]);
const text = (page) => page.doc.querySelector("p").textContent;
const countPatch = (n) => [{ op: "text", d: 1, i: 0, v: `Count: ${n}` }];

/** A counter page whose view is mounted in view session `vs-1`. */
function counter() {
  const page = livePage(VIEW, { live: false });
  const view = page.views[0];
  page.ws().receive({ type: "mount", target: "dj-v-c", view: "c", version: 1, html: HTML, vs: "vs-1", rev: 0, ack: 0 });
  const notices = [];
  page.doc.getElementById("dj-v-c").addEventListener("dj:event-not-applied", (event) => notices.push(event.detail));
  return { page, view, notices, click: () => view.pushEvent("inc", {}, page.doc.querySelector("button")) };
}

/** Drops the connection and opens the next one (the `mount` is sent, not answered). */
function reconnect(page) {
  mock.method(Math, "random", () => 0);
  page.ws().drop();
  mock.timers.tick(500);
  page.ws().open();
  return page.ws();
}

describe("sequence numbers and acks", () => {
  test("events wait for the mount answer, then go in order, numbered from 1", () => {
    const page = livePage(VIEW, { live: false });
    const view = page.views[0];
    view.pushEvent("inc", {});
    view.pushEvent("inc", { by: 2 });
    assert.deepEqual(page.ws().sentOf("event"), [], "no view session yet");
    page.ws().receive({ type: "mount", target: "dj-v-c", view: "c", version: 1, html: HTML, vs: "vs-1", rev: 0, ack: 0 });
    view.pushEvent("inc", { by: 3 });
    assert.deepEqual(page.ws().sentOf("event").map((frame) => [frame.seq, frame.params]), [
      [1, {}],
      [2, { by: 2 }],
      [3, { by: 3 }],
    ]);
  });

  test("an event is kept until an ack covers it; every frame's ack counts", () => {
    const { page, view, click } = counter();
    click();
    click();
    click();
    assert.equal(view.delivery.outbox.size, 3);
    page.ws().receive({ type: "push_event", target: "dj-v-c", event: "x", payload: {}, ack: 2 });
    assert.deepEqual(view.delivery.outbox.entries.map((entry) => entry.seq), [3]);
    page.ws().receive({ type: "patch", target: "dj-v-c", version: 2, rev: 1, patches: countPatch(3), ack: 3 });
    assert.equal(view.delivery.outbox.size, 0);
  });

  test("a new view session numbers from 1 again", () => {
    const { page, click } = counter();
    click();
    const ws = reconnect(page);
    ws.receive({ type: "mount", target: "dj-v-c", view: "c", version: 1, html: HTML, vs: "vs-2", rev: 0, ack: 0, remounted: "expired" });
    click();
    assert.deepEqual(events(ws), [
      ["inc", 1, { rev: 0 }],
      ["inc", 2, undefined],
    ]);
  });
});

describe("resume", () => {
  test("the reconnect mount names the view session and the last revision applied", () => {
    const { page } = counter();
    page.ws().receive({ type: "patch", target: "dj-v-c", version: 2, rev: 4, patches: countPatch(4), ack: 0 });
    const ws = reconnect(page);
    assert.deepEqual(ws.sentOf("mount")[0].resume, { vs: "vs-1", rev: 4 });
  });

  test("resumed: the missed revisions' patches apply in order; unacknowledged events go again, in order, before new ones", () => {
    const { page, click } = counter();
    const first = page.ws();
    click(); // seq 1, answered below
    click(); // seq 2, in flight when the connection drops
    first.receive({ type: "patch", target: "dj-v-c", version: 2, rev: 1, patches: countPatch(1), ref: first.sentOf("event")[0].ref, ack: 1 });
    const ws = reconnect(page);
    click(); // seq 3, made before the resume is answered
    assert.deepEqual(ws.sentOf("event"), []);
    ws.receive({
      type: "resumed",
      target: "dj-v-c",
      view: "c",
      version: 1,
      vs: "vs-1",
      rev: 3,
      ack: 1,
      patches: [countPatch(2), countPatch(3)],
    });
    click(); // seq 4
    assert.equal(text(page), "Count: 3");
    assert.deepEqual(events(ws), [
      ["inc", 2, undefined],
      ["inc", 3, undefined],
      ["inc", 4, undefined],
    ]);
    assert.ok(page.doc.getElementById("dj-v-c").hasAttribute("dj-mounted"));
  });

  test("resumed with the whole HTML (the ring did not reach back) replaces the view", () => {
    const { page } = counter();
    const ws = reconnect(page);
    ws.receive({ type: "resumed", target: "dj-v-c", view: "c", version: 1, vs: "vs-1", rev: 90, ack: 0, html: HTML.replace("Count: 0", "Count: 90") });
    assert.equal(text(page), "Count: 90");
    const next = reconnect(page);
    assert.deepEqual(next.sentOf("mount")[0].resume, { vs: "vs-1", rev: 90 });
  });

  test("resumed: the missed revisions' flash messages and the current title are shown", () => {
    const { page } = counter();
    const ws = reconnect(page);
    ws.receive({
      type: "resumed", target: "dj-v-c", view: "c", version: 1, vs: "vs-1", rev: 2, ack: 0,
      patches: [countPatch(1), []], flash: [{ kind: "info", message: "missed" }], title: "(1) Count",
    });
    assert.equal(text(page), "Count: 1");
    assert.equal(page.doc.title, "(1) Count");
    assert.match(page.doc.body.textContent, /missed/);
  });

  test("a resumed answer acknowledging everything sends nothing again", () => {
    const { page, view, click } = counter();
    click();
    click();
    const ws = reconnect(page);
    ws.receive({ type: "resumed", target: "dj-v-c", view: "c", version: 1, vs: "vs-1", rev: 2, ack: 2, patches: [countPatch(1), countPatch(2)] });
    assert.deepEqual(ws.sentOf("event"), []);
    assert.equal(view.delivery.outbox.size, 0);
  });
});

describe("remount", () => {
  test("kept events are replayed in the new session with the revision they were made against", () => {
    const { page, click } = counter();
    page.ws().receive({ type: "patch", target: "dj-v-c", version: 2, rev: 5, patches: countPatch(5), ack: 0 });
    click();
    page.ws().drop();
    click();
    mock.method(console, "warn", () => {});
    const ws = reconnect(page);
    ws.receive({ type: "mount", target: "dj-v-c", view: "c", version: 1, html: HTML, vs: "vs-2", rev: 0, ack: 0, remounted: "unknown" });
    assert.deepEqual(events(ws), [
      ["inc", 1, { rev: 5 }],
      ["inc", 2, { rev: 5 }],
    ]);
  });

  test("a replay the view refuses (not_applied) is reported once, on the container", () => {
    const { page, view, notices, click } = counter();
    click();
    mock.method(console, "warn", () => {});
    mock.method(console, "error", () => {});
    const ws = reconnect(page);
    ws.receive({ type: "mount", target: "dj-v-c", view: "c", version: 1, html: HTML, vs: "vs-2", rev: 0, ack: 0, remounted: "expired" });
    const [replayed] = ws.sentOf("event");
    const refusal = { type: "error", code: "not_applied", error: "not applied", target: "dj-v-c", event: "inc", ref: replayed.ref, ack: 1, recoverable: true };
    ws.receive(refusal);
    ws.receive(refusal); // a duplicate's answer
    assert.deepEqual(notices, [{ event: "inc", params: {}, reason: "not_applied" }]);
    assert.equal(view.delivery.outbox.size, 0);
  });
});

describe("duplicates", () => {
  test("a duplicate's answer ends the wait and settles nothing new", () => {
    const page = livePage('<div id="dj-v-f" dj-view="f" dj-token="t"><form dj-id="1" dj-submit="save" dj-submit-reset><input dj-id="2" name="n" value=""></form></div>', { live: false });
    const view = page.views[0];
    const ws = page.ws();
    ws.receive({ type: "mount", target: "dj-v-f", view: "f", version: 1, html: '<form dj-id="1" dj-submit="save" dj-submit-reset><input dj-id="2" name="n" value=""></form>', vs: "vs-1", rev: 0, ack: 0 });
    const form = page.doc.querySelector("form");
    const input = page.doc.querySelector("input");
    input.value = "typed";
    const ref = view.pushEvent("save", { n: "typed" }, form);
    assert.ok(form.classList.contains("dj-loading"));
    ws.receive({ type: "noop", target: "dj-v-f", ref, event: "save", ack: 1, duplicate: true });
    assert.ok(!form.classList.contains("dj-loading"));
    assert.equal(input.value, "typed", "not reset: the original's answer did that, or will by a resume");
    assert.equal(view.delivery.outbox.size, 0);
  });
});

describe("bounds and notices", () => {
  test("a full outbox refuses the event and says so", () => {
    const page = livePage(VIEW, { live: false });
    const view = page.views[0];
    view.delivery.outbox.maxEvents = 2;
    const notices = [];
    page.doc.getElementById("dj-v-c").addEventListener("dj:event-not-applied", (event) => notices.push(event.detail));
    mock.method(console, "warn", () => {});
    page.ws().drop();
    assert.equal(typeof view.pushEvent("inc", { n: 1 }), "number");
    assert.equal(typeof view.pushEvent("inc", { n: 2 }), "number");
    assert.equal(view.pushEvent("inc", { n: 3 }), null);
    assert.deepEqual(notices, [{ event: "inc", params: { n: 3 }, reason: "outbox_full" }]);
  });

  test("bytes are bounded as well", () => {
    const outbox = new Outbox({ maxBytes: 20 });
    assert.ok(outbox.add({ event: "a", params: { v: "12345" }, ref: 1, rev: 0 }));
    assert.equal(outbox.add({ event: "a", params: { v: "1234567890" }, ref: 2, rev: 0 }), null);
    assert.equal(outbox.bytes, JSON.stringify({ v: "12345" }).length);
  });

  test("an event older than the age bound is dropped with a notice", () => {
    let now = 1_000_000;
    const page = livePage(VIEW, { live: false });
    const view = page.views[0];
    view.delivery.outbox.now = () => now;
    const notices = [];
    page.doc.getElementById("dj-v-c").addEventListener("dj:event-not-applied", (event) => notices.push(event.detail.reason));
    mock.method(console, "warn", () => {});
    page.ws().drop();
    view.pushEvent("inc", {});
    now += view.delivery.outbox.maxAgeMs + 1;
    view.pushEvent("inc", {});
    assert.deepEqual(notices, ["too_old"]);
    assert.equal(view.delivery.outbox.size, 1);
  });
});

describe("Outbox", () => {
  test("adopted events of an earlier page are replays with fresh refs, before new ones", () => {
    const earlier = new Outbox();
    earlier.begin("vs-old");
    earlier.add({ event: "inc", params: {}, ref: 7, rev: 3 });
    const record = JSON.parse(JSON.stringify(earlier.record()));
    const outbox = new Outbox();
    outbox.add({ event: "new", params: {}, ref: 1, rev: 0 });
    let ref = 100;
    outbox.adopt(record, () => ++ref);
    const sent = outbox.begin("vs-new");
    assert.deepEqual(sent.map((entry) => [entry.event, entry.seq, entry.ref, entry.replay]), [
      ["inc", 1, 101, { rev: 3 }],
      ["new", 2, 1, null],
    ]);
  });

  test("adopted after the session began: numbered after, never renumbering what was sent", () => {
    const outbox = new Outbox();
    outbox.begin("vs-1");
    outbox.add({ event: "a", params: {}, ref: 1, rev: 0 });
    outbox.adopt([{ event: "old", params: {}, ref: 9, rev: 2 }], () => 2);
    assert.deepEqual(outbox.entries.map((entry) => [entry.event, entry.seq]), [
      ["a", 1],
      ["old", 2],
    ]);
  });
});

describe("leaving", () => {
  test("a view the page navigates away from reports what its outbox still held, and forgets it", () => {
    const { page, view, notices, click } = counter();
    mock.method(console, "warn", () => {});
    page.ws().drop();
    click();
    let saved = null;
    view.delivery.outbox.onChange = () => (saved = view.delivery.outbox.record());
    view.left();
    assert.deepEqual(notices, [{ event: "inc", params: {}, reason: "left" }]);
    assert.deepEqual(saved, [], "the durable record is emptied");
  });
});
