// Client hooks: the lifecycle through patches, whole-HTML updates, disconnects and reconnects;
// registration before and after start; pushEvent's reply; handleEvent and its removal.

import assert from "node:assert/strict";
import { afterEach, describe, test } from "node:test";

import Hooks from "../../src/hooks.js";
import { toolboxFor } from "../../src/toolbox.js";
import { closePages, livePage, makeDocument } from "../helpers/dom.js";

afterEach(closePages);

const TARGET = "dj-v-w";
const PAGE = `<div id="${TARGET}" dj-view="app::W" dj-token="1.m"></div>`;
const WIDGET = '<div id="w" dj-id="2" dj-hook="Log"><span dj-id="3">0</span></div>';

/** A hook that logs every callback with its element's id and text. */
function logHook(log) {
  const entry = (name) =>
    function () {
      log.push(`${name} ${this.el.id}:${this.el.textContent}`);
    };
  return {
    mounted: entry("mounted"),
    beforeUpdate: entry("beforeUpdate"),
    updated: entry("updated"),
    destroyed: entry("destroyed"),
    disconnected: entry("disconnected"),
    reconnected: entry("reconnected"),
  };
}

function page() {
  let versions = 0;
  const live = livePage(PAGE, { socketOptions: { retryDelay: () => 0 } });
  const log = [];
  toolboxFor(live.doc).hooks.register("Log", logHook(log));
  const send = (frame) => {
    const versioned = ["mount", "patch", "html_update", "html_recovery"].includes(frame.type);
    live.ws().receive({ target: TARGET, ...(versioned ? { version: ++versions } : {}), ...frame });
  };
  const reconnect = async () => {
    live.ws().drop();
    await new Promise((resolve) => setTimeout(resolve, 5));
    versions = 0;
    live.ws().open();
  };
  return { ...live, log, send, reconnect };
}

describe("lifecycle", () => {
  test("insert, update, whole-HTML update, disconnect, reconnect, removal: each callback once, in order", async () => {
    const p = page();
    p.send({ type: "mount", view: "app::W", html: '<p dj-id="1"></p>' });
    assert.deepEqual(p.log, []);
    p.send({ type: "patch", patches: [{ op: "insert", d: 0, i: 1, html: WIDGET }] });
    p.send({ type: "patch", patches: [{ op: "text", d: 3, i: 0, v: "1" }] });
    p.send({ type: "html_update", html: '<p dj-id="1"></p><div id="w" dj-id="2" dj-hook="Log"><span dj-id="3">2</span></div>' });
    await p.reconnect();
    p.send({ type: "mount", view: "app::W", html: '<p dj-id="1"></p><div id="w" dj-id="2" dj-hook="Log"><span dj-id="3">3</span></div>' });
    p.send({ type: "patch", patches: [{ op: "remove", d: 0, i: 1, n: 1 }] });
    assert.deepEqual(p.log, [
      "mounted w:0",
      "beforeUpdate w:0",
      "updated w:1",
      "destroyed w:1",
      "mounted w:2",
      "disconnected w:2",
      "reconnected w:3",
      "destroyed w:3",
    ]);
    assert.deepEqual(p.ws().sentOf("request_html"), []);
  });

  test("a patch elsewhere in the view does not update the hook", () => {
    const p = page();
    p.send({ type: "mount", view: "app::W", html: `<p dj-id="1">a</p>${WIDGET}` });
    p.send({ type: "patch", patches: [{ op: "text", d: 1, i: 0, v: "b" }] });
    assert.deepEqual(p.log, ["mounted w:0"]);
  });

  test("the reconnect mount keeps the hook's element (its own DOM stays)", async () => {
    const p = page();
    p.send({ type: "mount", view: "app::W", html: WIDGET });
    const el = p.doc.getElementById("w");
    await p.reconnect();
    p.send({ type: "mount", view: "app::W", html: '<div id="w" dj-id="2" dj-hook="Log" class="x"><span dj-id="3">5</span></div>' });
    assert.equal(p.doc.getElementById("w"), el);
    assert.equal(el.className, "x");
    assert.equal(el.textContent, "5");
    // The kept element is the one later patches reach.
    p.send({ type: "patch", patches: [{ op: "attr", d: 2, k: "class", v: "y" }] });
    assert.equal(el.className, "y");
    assert.deepEqual(p.log, ["mounted w:0", "disconnected w:0", "reconnected w:5", "beforeUpdate w:5", "updated w:5"]);
  });

  test("a hook element whose dj-hook changes is destroyed and the new hook mounted", () => {
    const p = page();
    const other = [];
    toolboxFor(p.doc).hooks.register("Other", { mounted() { other.push("mounted"); } });
    p.send({ type: "mount", view: "app::W", html: WIDGET });
    p.send({ type: "patch", patches: [{ op: "attr", d: 2, k: "dj-hook", v: "Other" }] });
    assert.deepEqual(p.log, ["mounted w:0", "beforeUpdate w:0", "destroyed w:0"]);
    assert.deepEqual(other, ["mounted"]);
  });

  test("hooks run only once the view is mounted; registered later, existing elements mount then", () => {
    const live = livePage(`<div id="${TARGET}" dj-view="app::W" dj-token="1.m">${WIDGET}</div>`);
    const log = [];
    live.ws().receive({ type: "mount", target: TARGET, view: "app::W", version: 1, html: WIDGET });
    assert.deepEqual(log, []);
    toolboxFor(live.doc).hooks.register("Log", logHook(log));
    assert.deepEqual(log, ["mounted w:0"]);
  });

  test("window.DjustHooks set before the client starts are registered", () => {
    const doc = makeDocument();
    const log = [];
    doc.defaultView.DjustHooks = { Log: logHook(log) };
    const hooks = new Hooks(doc.defaultView);
    assert.ok(hooks.definitions.has("Log"));
  });

  test("a hook element without an id is not mounted (console error)", () => {
    const p = page();
    const errors = [];
    const original = console.error;
    console.error = (...args) => errors.push(args.join(" "));
    try {
      p.send({ type: "mount", view: "app::W", html: '<div dj-id="2" dj-hook="Log">x</div>' });
    } finally {
      console.error = original;
    }
    assert.deepEqual(p.log, []);
    assert.match(errors[0], /needs an id/);
  });

  test("a failing callback is reported and does not stop the patch", () => {
    const p = page();
    toolboxFor(p.doc).hooks.register("Boom", { updated() { throw new Error("boom"); } });
    const original = console.error;
    console.error = () => {};
    try {
      p.send({ type: "mount", view: "app::W", html: '<div id="b" dj-id="2" dj-hook="Boom">0</div>' });
      p.send({ type: "patch", patches: [{ op: "text", d: 2, i: 0, v: "1" }] });
    } finally {
      console.error = original;
    }
    assert.equal(p.doc.getElementById("b").textContent, "1");
  });

  test("class hooks work too", () => {
    const p = page();
    const seen = [];
    class Clock {
      mounted() {
        seen.push(this instanceof Clock && this.el.id);
      }
    }
    toolboxFor(p.doc).hooks.register("Clock", Clock);
    p.send({ type: "mount", view: "app::W", html: '<time id="c" dj-id="2" dj-hook="Clock"></time>' });
    assert.deepEqual(seen, ["c"]);
  });
});

describe("pushEvent, pushEventTo, handleEvent", () => {
  function hookPage() {
    const p = page();
    let hook = null;
    toolboxFor(p.doc).hooks.register("Api", { mounted() { hook = this; } });
    p.send({ type: "mount", view: "app::W", html: '<div id="api" dj-id="2" dj-hook="Api"></div>' });
    return { ...p, hook: () => hook };
  }

  test("pushEvent sends from the hook's element and resolves with the answer's reply", async () => {
    const p = hookPage();
    const answer = p.hook().pushEvent("count", { text: "abc" });
    const sent = p.ws().sentOf("event").at(-1);
    assert.deepEqual([sent.event, sent.params], ["count", { text: "abc" }]);
    p.ws().receive({ type: "noop", target: TARGET, ref: sent.ref, event: "count", reply: { length: 3 } });
    assert.deepEqual(await answer, { length: 3 });
    assert.ok(p.doc.getElementById("api").classList.length === 0, "loading state cleared");
  });

  test("an answer without reply resolves null; an error rejects with its code", async () => {
    const p = hookPage();
    const plain = p.hook().pushEvent("a");
    p.send({ type: "patch", ref: p.ws().sentOf("event").at(-1).ref, patches: [] });
    assert.equal(await plain, null);
    const failing = p.hook().pushEvent("b");
    p.ws().receive({ type: "error", target: TARGET, ref: p.ws().sentOf("event").at(-1).ref, code: "unknown_event", error: "no b" });
    await assert.rejects(failing, (error) => error.code === "unknown_event" && error.message === "no b");
  });

  test("closed before the answer: rejects; not connected: kept by the outbox, resolves null", async () => {
    const p = hookPage();
    const inFlight = p.hook().pushEvent("a");
    p.ws().drop();
    await assert.rejects(inFlight, /closed/);
    assert.equal(await p.hook().pushEvent("b"), null);
  });

  test("the callback form gets the reply", async () => {
    const p = hookPage();
    const replies = [];
    assert.equal(p.hook().pushEvent("a", {}, (reply) => replies.push(reply)), undefined);
    p.ws().receive({ type: "noop", target: TARGET, ref: p.ws().sentOf("event").at(-1).ref, reply: 7 });
    await Promise.resolve();
    assert.deepEqual(replies, [7]);
  });

  test("pushEventTo targets the view of the selected element", async () => {
    const live = livePage(
      `<div id="dj-v-a" dj-view="app::A" dj-token="1.m"></div><div id="dj-v-b" dj-view="app::B" dj-token="1.m"></div>`,
    );
    let hook = null;
    toolboxFor(live.doc).hooks.register("Api", { mounted() { hook = this; } });
    live.ws().receive({ type: "mount", target: "dj-v-a", view: "app::A", version: 1, html: '<i id="h" dj-id="1" dj-hook="Api"></i>' });
    live.ws().receive({ type: "mount", target: "dj-v-b", view: "app::B", version: 2, html: '<b id="t" dj-id="1"></b>' });
    const answer = hook.pushEventTo("#t", "ping", { n: 1 });
    const sent = live.ws().sentOf("event").at(-1);
    assert.deepEqual([sent.target, sent.event, sent.params], ["dj-v-b", "ping", { n: 1 }]);
    live.ws().receive({ type: "noop", target: "dj-v-b", ref: sent.ref, reply: "pong" });
    assert.deepEqual(await answer, ["pong"]);
    await assert.rejects(hook.pushEventTo("#nothing", "x"), /no live view/);
  });

  test("handleEvent gets server pushes until removed; window gets dj:<event>", () => {
    const p = hookPage();
    const got = [];
    const ref = p.hook().handleEvent("highlight", (payload) => got.push(["hook", payload]));
    p.doc.defaultView.addEventListener("dj:highlight", (event) => got.push(["window", event.detail]));
    p.ws().receive({ type: "push_event", target: TARGET, event: "highlight", payload: { id: 4 } });
    p.ws().receive({ type: "push_event", target: TARGET, event: "other", payload: {} });
    p.hook().removeHandleEvent(ref);
    p.ws().receive({ type: "push_event", target: TARGET, event: "highlight", payload: { id: 5 } });
    assert.deepEqual(got, [
      ["hook", { id: 4 }],
      ["window", { id: 4 }],
      ["window", { id: 5 }],
    ]);
  });

  test("a push after the patch that inserted a hook reaches that hook", () => {
    const p = page();
    const got = [];
    toolboxFor(p.doc).hooks.register("Fresh", {
      mounted() {
        this.handleEvent("hello", (payload) => got.push(payload));
      },
    });
    p.send({ type: "mount", view: "app::W", html: "" });
    p.send({ type: "patch", patches: [{ op: "insert", d: 0, i: 0, html: '<p id="f" dj-id="1" dj-hook="Fresh"></p>' }] });
    p.ws().receive({ type: "push_event", target: TARGET, event: "hello", payload: 1 });
    assert.deepEqual(got, [1]);
  });
});
