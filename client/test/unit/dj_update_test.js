// dj-update: ignore keeps what a script built through patches and whole-HTML updates (data-*
// attributes merge), append/prepend add or update children by id and never remove them.

import assert from "node:assert/strict";
import { afterEach, describe, test } from "node:test";

import { closePages, livePage } from "../helpers/dom.js";

afterEach(closePages);

const TARGET = "dj-v-e";

function page(html) {
  const live = livePage(`<div id="${TARGET}" dj-view="app::E" dj-token="1.m"></div>`);
  let version = 0;
  const send = (frame) => live.ws().receive({ target: TARGET, version: ++version, ...frame });
  send({ type: "mount", view: "app::E", html });
  const el = (id) => live.doc.getElementById(id);
  return { ...live, send, el };
}

const EDITOR = (n, data = "a") =>
  `<p dj-id="1">${n}</p><div id="ed" dj-id="2" dj-update="ignore" data-mode="${data}" class="box"><span dj-id="3">server ${n}</span></div>`;

/** What a rich editor does to its element: replaces the server's children with its own DOM. */
function scriptBuilds(el) {
  const editor = el.ownerDocument.createElement("section");
  editor.textContent = "typed by the user";
  let clicks = 0;
  editor.addEventListener("click", () => (clicks += 1));
  el.replaceChildren(editor);
  return { editor, clicks: () => clicks };
}

describe("dj-update=ignore", () => {
  test("content a script put there survives 20 patches and an html_update; listeners too", () => {
    const p = page(EDITOR(0));
    const root = p.el("ed");
    const built = scriptBuilds(root);
    for (let n = 1; n <= 20; n += 1) {
      // The server's own render of the ignored children changes too (its text, an insert).
      p.send({
        type: "patch",
        patches: [
          { op: "text", d: 1, i: 0, v: String(n) },
          { op: "text", d: 3, i: 0, v: `server ${n}` },
          { op: "insert", d: 2, i: 1, html: `<b dj-id="${100 + n}">${n}</b>` },
        ],
      });
    }
    p.send({ type: "html_update", html: EDITOR(21) });
    assert.deepEqual(p.ws().sentOf("request_html"), [], "every patch fit the server's copy");
    assert.equal(p.el("ed"), root, "the same element");
    assert.equal(root.firstElementChild, built.editor);
    assert.equal(root.textContent, "typed by the user");
    built.editor.click();
    assert.equal(built.clicks(), 1);
    assert.equal(p.doc.querySelector('[dj-id="1"]').textContent, "21");
  });

  test("data-* attributes merge, others stay as the page has them", () => {
    const p = page(EDITOR(0));
    const root = p.el("ed");
    root.classList.add("focused-by-script");
    root.dataset.own = "mine";
    p.send({
      type: "patch",
      patches: [
        { op: "attr", d: 2, k: "data-mode", v: "b" },
        { op: "attr", d: 2, k: "class", v: "other" },
      ],
    });
    assert.equal(root.dataset.mode, "b");
    assert.equal(root.className, "box focused-by-script");
    p.send({ type: "html_update", html: EDITOR(1, "c").replace(' data-mode="c"', ' data-level="2"') });
    assert.equal(root.dataset.mode, undefined, "removed by the server");
    assert.equal(root.dataset.level, "2");
    assert.equal(root.dataset.own, "mine", "a script's own data-* stay");
  });

  test("a focused field inside keeps focus through an html_update", () => {
    const p = page(EDITOR(0));
    const input = p.doc.createElement("input");
    p.el("ed").replaceChildren(input);
    input.focus();
    p.send({ type: "html_update", html: EDITOR(1) });
    assert.equal(p.doc.activeElement, input);
  });

  test("a removed ignore root is forgotten; one inserted later is owned too", () => {
    const p = page(EDITOR(0));
    p.send({ type: "patch", patches: [{ op: "remove", d: 0, i: 1, n: 1 }] });
    assert.equal(p.el("ed"), null);
    p.send({ type: "patch", patches: [{ op: "insert", d: 0, i: 1, html: '<div id="ed2" dj-id="4" dj-update="ignore"><i dj-id="5">s</i></div>' }] });
    scriptBuilds(p.el("ed2"));
    p.send({ type: "patch", patches: [{ op: "text", d: 5, i: 0, v: "t" }] });
    assert.equal(p.el("ed2").textContent, "typed by the user");
    assert.deepEqual(p.ws().sentOf("request_html"), []);
  });

  test("a patch that does not fit the server's copy still asks for the HTML", () => {
    const p = page(EDITOR(0));
    p.send({ type: "patch", patches: [{ op: "text", d: 3, i: 5, v: "x" }] });
    assert.equal(p.ws().sentOf("request_html").length, 1);
  });
});

const LIST = (mode, items) =>
  `<ul id="log" dj-id="1" dj-update="${mode}">${items.map(([id, text], n) => `<li id="${id}" dj-id="${10 + n}">${text}</li>`).join("")}</ul>`;

const texts = (el) => [...el.children].map((li) => `${li.id}:${li.textContent}`);

describe("dj-update=append / prepend", () => {
  test("append: new ids are added at the end, known ids updated in place, none removed", () => {
    const p = page(LIST("append", [["m1", "a"], ["m2", "b"]]));
    p.send({ type: "html_update", html: LIST("append", [["m3", "c"]]) });
    assert.deepEqual(texts(p.el("log")), ["m1:a", "m2:b", "m3:c"]);
    p.send({ type: "patch", patches: [{ op: "text", d: 10, i: 0, v: "C" }, { op: "insert", d: 1, i: 1, html: '<li id="m1" dj-id="20">A</li>' }] });
    assert.deepEqual(texts(p.el("log")), ["m1:A", "m2:b", "m3:C"]);
    assert.deepEqual(p.ws().sentOf("request_html"), []);
  });

  test("prepend: new children go first, in their order", () => {
    const p = page(LIST("prepend", [["m1", "a"]]));
    p.send({ type: "patch", patches: [{ op: "html", d: 1, html: '<li id="m2" dj-id="11">b</li><li id="m3" dj-id="12">c</li>' }] });
    assert.deepEqual(texts(p.el("log")), ["m2:b", "m3:c", "m1:a"]);
  });
});
