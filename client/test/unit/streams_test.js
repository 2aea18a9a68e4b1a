// Streams, flash messages and the live title: the fields a frame carries besides its DOM change.

import assert from "node:assert/strict";
import { afterEach, describe, mock, test } from "node:test";

import { FLASH } from "../../src/constants.js";
import { toolboxFor } from "../../src/toolbox.js";
import { closePages, livePage } from "../helpers/dom.js";

afterEach(() => {
  closePages();
  mock.timers.reset();
});

const TARGET = "dj-v-s";

function page(html = '<h1 dj-id="1">Feed</h1><ul id="feed" dj-id="2" dj-stream="feed"></ul>') {
  const live = livePage(`<div id="${TARGET}" dj-view="app::S" dj-token="1.m"></div>`, {
    socketOptions: { retryDelay: () => 0 },
  });
  let version = 0;
  const send = (frame, versioned = true) =>
    live.ws().receive({ target: TARGET, ...(versioned ? { version: ++version } : {}), ...frame });
  send({ type: "mount", view: "app::S", html });
  const feed = () => [...live.doc.getElementById("feed").children].map((li) => `${li.id}:${li.textContent}`);
  return { ...live, send, feed, resetVersion: () => (version = 0) };
}

const items = (...ids) => ids.map((id) => ({ id, html: `<li class="item">${id.toUpperCase()}</li>` }));
const insert = (ids, extra = {}) => ({ stream: "feed", op: "insert", items: items(...ids), ...extra });

describe("streams", () => {
  test("insert appends by default, at a position, updates a known id in place", () => {
    const p = page();
    p.send({ type: "noop", streams: [insert(["a", "b"])] }, false);
    p.send({ type: "noop", streams: [insert(["c"], { at: 0 }), insert(["x", "y"], { at: 1 })] }, false);
    assert.deepEqual(p.feed(), ["c:C", "x:X", "y:Y", "a:A", "b:B"]);
    const a = p.doc.getElementById("a");
    p.send({ type: "noop", streams: [{ stream: "feed", op: "insert", items: [{ id: "a", html: "<li>A2</li>" }], at: 0 }] }, false);
    assert.deepEqual(p.feed(), ["c:C", "x:X", "y:Y", "a:A2", "b:B"]);
    assert.notEqual(p.doc.getElementById("a"), a);
  });

  test("delete and reset", () => {
    const p = page();
    p.send({ type: "noop", streams: [insert(["a", "b", "c"]), { stream: "feed", op: "delete", ids: ["b", "zz"] }] }, false);
    assert.deepEqual(p.feed(), ["a:A", "c:C"]);
    p.send({ type: "noop", streams: [{ stream: "feed", op: "reset" }, insert(["d"])] }, false);
    assert.deepEqual(p.feed(), ["d:D"]);
  });

  test("limit: negative keeps the last n, positive the first n", () => {
    const p = page();
    p.send({ type: "noop", streams: [insert(["a", "b", "c", "d"], { limit: -3 })] }, false);
    assert.deepEqual(p.feed(), ["b:B", "c:C", "d:D"]);
    p.send({ type: "noop", streams: [insert(["e"], { at: 0, limit: 2 })] }, false);
    assert.deepEqual(p.feed(), ["e:E", "b:B"]);
  });

  test("the server's patches never remove stream items; html_update keeps them, a mount starts over", async () => {
    const p = page();
    p.send({ type: "patch", patches: [{ op: "text", d: 1, i: 0, v: "Feed 1" }], streams: [insert(["a"])] });
    p.send({ type: "html_update", html: '<h1 dj-id="1">Feed 2</h1><ul id="feed" dj-id="2" dj-stream="feed"></ul>', streams: [insert(["b"])] });
    assert.deepEqual(p.feed(), ["a:A", "b:B"]);
    p.ws().drop();
    await new Promise((resolve) => setTimeout(resolve, 5));
    p.resetVersion();
    p.ws().open();
    p.send({ type: "mount", view: "app::S", html: '<h1 dj-id="1">Feed</h1><ul id="feed" dj-id="2" dj-stream="feed"></ul>', streams: [insert(["c"])] });
    assert.deepEqual(p.feed(), ["c:C"]);
    assert.deepEqual(p.ws().sentOf("request_html"), []);
  });

  test("item HTML is parsed as HTML (escaped by the server), its id set from the item", () => {
    const p = page();
    p.send({ type: "noop", streams: [{ stream: "feed", op: "insert", items: [{ id: "q", html: '<li id="other">&lt;b&gt;</li>' }] }] }, false);
    assert.equal(p.doc.getElementById("q").textContent, "<b>");
    assert.equal(p.doc.getElementById("q").children.length, 0);
  });

  test("operations on an unknown stream or of an unknown kind are skipped", () => {
    const p = page();
    const original = console.error;
    const errors = [];
    console.error = (...args) => errors.push(args);
    try {
      p.send({ type: "noop", streams: [{ stream: "nope", op: "reset" }, { stream: "feed", op: "explode" }, insert(["a"])] }, false);
    } finally {
      console.error = original;
    }
    assert.equal(errors.length, 2);
    assert.deepEqual(p.feed(), ["a:A"]);
  });
});

describe("flash", () => {
  test("messages show in #dj-flash as text, are dismissed by a click or after the timeout", () => {
    mock.timers.enable({ apis: ["setTimeout"] });
    const p = page();
    p.send(
      {
        type: "noop",
        flash: [
          { kind: "info", message: "Saved <b>" },
          { kind: "error", message: "Nope" },
          { kind: "Bad Kind!", message: "odd" },
        ],
      },
      false,
    );
    const region = p.doc.getElementById("dj-flash");
    assert.equal(region.parentElement, p.doc.body);
    const shown = [...region.children];
    assert.deepEqual(
      shown.map((el) => [el.className, el.getAttribute("role"), el.firstElementChild.textContent]),
      [
        ["dj-flash dj-flash-info", "status", "Saved <b>"],
        ["dj-flash dj-flash-error", "alert", "Nope"],
        ["dj-flash dj-flash-info", "status", "odd"],
      ],
    );
    shown[1].querySelector("button").click();
    assert.equal(region.children.length, 2);
    mock.timers.tick(FLASH.TIMEOUT_MS);
    assert.equal(region.children.length, 0);
  });

  test("a page's own #dj-flash is used, and survives replacing the view's HTML", () => {
    const p = page();
    const region = p.doc.createElement("div");
    region.id = "dj-flash";
    p.doc.body.prepend(region);
    p.send({ type: "patch", patches: [], flash: [{ kind: "info", message: "hi" }] });
    p.send({ type: "html_update", html: '<h1 dj-id="1">x</h1>' });
    assert.equal(region.textContent, "hi×");
  });
});

test("a navigate frame's flash is shown, and the frame left to live navigation", () => {
  const p = page();
  assert.equal(toolboxFor(p.doc).navigating({ type: "navigate", url: "/x/", views: [], flash: [{ kind: "info", message: "Moved" }] }), false);
  assert.equal(p.doc.getElementById("dj-flash").textContent, "Moved×");
});

describe("title", () => {
  test("any frame of the view with a title sets it; frames without leave it", () => {
    const p = page();
    p.send({ type: "patch", patches: [], title: "(1) Todos" });
    assert.equal(p.doc.title, "(1) Todos");
    p.send({ type: "patch", patches: [] });
    assert.equal(p.doc.title, "(1) Todos");
    p.send({ type: "noop", title: "(2) Todos" }, false);
    assert.equal(p.doc.title, "(2) Todos");
    p.send({ type: "html_update", html: "", title: "(0) Todos" });
    assert.equal(p.doc.title, "(0) Todos");
  });
});
