// JS commands: each kind, run from a binding without a round trip (push sends), sticky across
// server patches and whole-HTML updates; window-level key bindings.

import assert from "node:assert/strict";
import { afterEach, describe, mock, test } from "node:test";

import { bindEvents } from "../../src/events.js";
import { execute } from "../../src/js_commands.js";
import { closePages, livePage, makeDocument } from "../helpers/dom.js";

afterEach(() => {
  closePages();
  mock.timers.reset();
});

const TARGET = "dj-v-j";
const js = (...commands) => JSON.stringify(commands).replaceAll('"', "&quot;");

function page(html) {
  const live = livePage(`<div id="${TARGET}" dj-view="app::J" dj-token="1.m"></div>`);
  const navigations = [];
  const unbind = bindEvents(live.doc, (el) => live.socket.viewFor(el), { navigate: (href, options) => navigations.push([href, options]) });
  let version = 0;
  const send = (frame) => live.ws().receive({ target: TARGET, version: ++version, ...frame });
  send({ type: "mount", view: "app::J", html });
  const $ = (selector) => live.doc.querySelector(selector);
  const events = () => live.ws().sentOf("event").map((frame) => [frame.event, frame.params]);
  return { ...live, send, $, events, navigations, unbind };
}

describe("commands", () => {
  test("add/remove/toggle class on the element or a selector, no frame sent", () => {
    const p = page(
      `<button dj-id="1" dj-click="${js(["add_class", { names: ["open", "wide"], to: "#m" }], ["toggle_class", { names: ["on"] }])}">o</button>` +
        '<div id="m" dj-id="2" class="modal"></div>',
    );
    p.$("button").click();
    assert.equal(p.$("#m").className, "modal open wide");
    assert.equal(p.$("button").className, "on");
    p.$("button").click();
    assert.equal(p.$("button").className, "");
    execute(JSON.stringify([["remove_class", { names: "open wide", to: "#m" }]]), p.$("button"), {});
    assert.equal(p.$("#m").className, "modal");
    assert.deepEqual(p.events(), []);
  });

  test("show, hide, toggle", () => {
    const p = page(
      `<button dj-id="1" dj-click="${js(["toggle", { to: "#m", display: "flex" }])}">t</button><div id="m" dj-id="2" style="display: none"></div>`,
    );
    p.$("button").click();
    assert.equal(p.$("#m").style.display, "flex");
    p.$("button").click();
    assert.equal(p.$("#m").style.display, "none");
    execute(JSON.stringify([["show", { to: "#m" }]]), p.$("button"), {});
    assert.equal(p.$("#m").style.display, "block");
    execute(JSON.stringify([["hide", { to: "#m" }]]), p.$("button"), {});
    assert.equal(p.$("#m").style.display, "none");
  });

  test("transition adds its classes for its time", () => {
    mock.timers.enable({ apis: ["setTimeout"] });
    const doc = makeDocument('<div id="x"></div>');
    const el = doc.getElementById("x");
    execute(JSON.stringify([["transition", { names: ["fade"], time: 300 }]]), el, {});
    assert.equal(el.className, "fade");
    mock.timers.tick(299);
    assert.equal(el.className, "fade");
    mock.timers.tick(1);
    assert.equal(el.className, "");
  });

  test("set_attr, remove_attr, dispatch, focus, navigate", () => {
    const p = page(
      `<button dj-id="1" dj-click="${js(
        ["set_attr", { attr: ["aria-expanded", "true"], to: "#m" }],
        ["remove_attr", { attr: "hidden", to: "#m" }],
        ["dispatch", { event: "opened", to: "#m", detail: { n: 1 } }],
        ["focus", { to: "#f" }],
        ["navigate", { href: "/next/", replace: true }],
      )}">o</button><div id="m" dj-id="2" hidden></div><input id="f" dj-id="3">`,
    );
    const dispatched = [];
    p.doc.addEventListener("opened", (event) => dispatched.push([event.target.id, event.detail]));
    p.$("button").click();
    assert.equal(p.$("#m").getAttribute("aria-expanded"), "true");
    assert.equal(p.$("#m").hasAttribute("hidden"), false);
    assert.deepEqual(dispatched, [["m", { n: 1 }]]);
    assert.equal(p.doc.activeElement, p.$("#f"));
    assert.deepEqual(p.navigations, [["/next/", { replace: true }]]);
  });

  test("push sends with the binding's params and its value; other commands run first", () => {
    const p = page(
      `<button dj-id="1" dj-value-id="7" dj-click="${js(["add_class", { names: ["busy"] }], ["push", { event: "save", value: { draft: true } }])}">s</button>`,
    );
    p.$("button").click();
    assert.deepEqual(p.events(), [["save", { id: "7", draft: true }]]);
    assert.ok(p.$("button").classList.contains("busy"));
  });

  test("bad lists, unknown kinds and bad selectors are reported; the rest runs", () => {
    const doc = makeDocument('<div id="x"></div>');
    const el = doc.getElementById("x");
    const errors = [];
    const original = console.error;
    console.error = (...args) => errors.push(args[0]);
    try {
      execute("[not json", el, {});
      execute(JSON.stringify([["launch", {}], ["add_class", { names: ["a"], to: "##" }], ["add_class", { names: ["b"] }]]), el, {});
    } finally {
      console.error = original;
    }
    assert.equal(el.className, "b");
    assert.equal(errors.length, 3);
  });
});

describe("sticky", () => {
  test("a command's class survives a server patch of the same element's class", () => {
    const p = page(`<div id="m" dj-id="1" class="a" dj-click="${js(["add_class", { names: ["open"] }])}">m</div>`);
    p.$("#m").click();
    p.send({ type: "patch", patches: [{ op: "attr", d: 1, k: "class", v: "b" }] });
    assert.equal(p.$("#m").className, "b open");
    p.send({ type: "patch", patches: [{ op: "rmattr", d: 1, k: "class" }] });
    assert.equal(p.$("#m").className, "open");
  });

  test("a class a command removed stays removed; display and attributes stick too", () => {
    const p = page(
      `<button dj-id="1" dj-click="${js(["remove_class", { names: ["hidden"], to: "#m" }], ["hide", { to: "#n" }], ["set_attr", { attr: ["aria-expanded", "true"], to: "#m" }])}">b</button>` +
        '<div id="m" dj-id="2" class="hidden" aria-expanded="false"></div><div id="n" dj-id="3"></div>',
    );
    p.$("button").click();
    p.send({
      type: "patch",
      patches: [
        { op: "attr", d: 2, k: "class", v: "hidden x" },
        { op: "attr", d: 2, k: "aria-expanded", v: "false" },
        { op: "attr", d: 3, k: "style", v: "color: red" },
      ],
    });
    assert.equal(p.$("#m").className, "x");
    assert.equal(p.$("#m").getAttribute("aria-expanded"), "true");
    assert.equal(p.$("#n").style.display, "none");
    assert.equal(p.$("#n").style.color, "red");
  });

  test("after a whole-HTML update, the element of the same dj-id gets the state back", () => {
    const p = page(`<div id="m" dj-id="1" class="a" dj-click="${js(["add_class", { names: ["open"] }])}">m</div>`);
    p.$("#m").click();
    p.send({ type: "html_update", html: '<div id="m" dj-id="1" class="c">m</div>' });
    assert.equal(p.$("#m").className, "c open");
  });
});

describe("window key bindings", () => {
  test("dj-window-keydown/-keyup fire for keys anywhere on the page, with the key filter", () => {
    const p = page(
      '<div dj-id="1" dj-window-keydown="key" dj-key-filter="Escape"></div><div dj-id="2" dj-window-keyup="up"></div>',
    );
    const { KeyboardEvent } = p.doc.defaultView;
    p.doc.body.dispatchEvent(new KeyboardEvent("keydown", { key: "a", bubbles: true }));
    p.doc.body.dispatchEvent(new KeyboardEvent("keydown", { key: "Escape", bubbles: true }));
    p.doc.body.dispatchEvent(new KeyboardEvent("keyup", { key: "b", bubbles: true }));
    assert.deepEqual(p.events(), [
      ["key", { key: "Escape" }],
      ["up", { key: "b" }],
    ]);
  });

  test("a window binding may hold JS commands", () => {
    const p = page(`<div id="d" dj-id="1" dj-window-keydown="${js(["hide", {}])}" dj-key-filter="Escape"></div>`);
    p.doc.body.dispatchEvent(new p.doc.defaultView.KeyboardEvent("keydown", { key: "Escape", bubbles: true }));
    assert.equal(p.$("#d").style.display, "none");
  });
});
