// dj-disable-with: the button is disabled and relabelled while its event is in flight.

import assert from "node:assert/strict";
import { afterEach, test } from "node:test";

import { closePages, livePage } from "../helpers/dom.js";

afterEach(() => closePages());

const VIEW =
  '<div id="dj-v-f" dj-view="f" dj-token="t"><form dj-id="1" dj-submit="save">' +
  '<button dj-id="2" type="submit" dj-disable-with="Saving…">Save</button>' +
  '<button dj-id="3" type="button">Other</button></form></div>';

test("a form's dj-disable-with buttons while its submit is in flight", () => {
  const page = livePage(VIEW);
  const [save, other] = page.doc.querySelectorAll("button");
  const ref = page.views[0].pushEvent("save", {}, page.doc.querySelector("form"));
  assert.deepEqual([save.textContent, save.disabled, other.disabled], ["Saving…", true, false]);
  page.ws().receive({ type: "noop", target: "dj-v-f", ref, event: "save" });
  assert.deepEqual([save.textContent, save.disabled, save.hasAttribute("disabled")], ["Save", false, false]);
});

test("restored when the connection closes before the answer", () => {
  const page = livePage(VIEW);
  const save = page.doc.querySelector("button");
  page.views[0].pushEvent("save", {}, save);
  assert.equal(save.textContent, "Saving…");
  page.ws().drop();
  assert.deepEqual([save.textContent, save.disabled], ["Save", false]);
});

const LABELLED =
  '<div id="dj-v-f" dj-view="f" dj-token="t"><button dj-id="1" dj-click="save" dj-disable-with="Saving…">' +
  '<b dj-id="2">Save</b> <i dj-id="3">3</i></button></div>';

test("the answer's patches to the button are what it shows afterwards (not the old label)", () => {
  const page = livePage(LABELLED);
  const button = page.doc.querySelector("button");
  const ref = page.views[0].pushEvent("save", {}, button);
  assert.deepEqual([button.textContent, button.disabled], ["Saving…", true]);
  page.ws().receive({
    type: "patch",
    target: "dj-v-f",
    version: 1,
    ref,
    patches: [
      { op: "text", d: 2, i: 0, v: "Saved" },
      { op: "attr", d: 1, k: "disabled", v: "" },
      { op: "remove", d: 1, i: 1, n: 2, c: 3 },
    ],
  });
  assert.deepEqual([button.innerHTML, button.disabled], ['<b dj-id="2">Saved</b>', true]);
  assert.equal(page.views[0].ids.get("1"), button);
  assert.equal(page.views[0].ids.get("2"), button.firstChild);
});

test("updates while in flight land on the server's version, not on the label nor detached nodes", () => {
  const page = livePage(LABELLED);
  const button = page.doc.querySelector("button");
  const bold = button.querySelector("b");
  const ref = page.views[0].pushEvent("save", {}, button);
  // A server push before the answer, then the answer.
  page.ws().receive({ type: "patch", target: "dj-v-f", version: 1, patches: [{ op: "text", d: 3, i: 0, v: "4" }] });
  assert.equal(button.textContent, "Saving…");
  page.ws().receive({ type: "noop", target: "dj-v-f", ref, event: "save" });
  assert.deepEqual([button.textContent, button.disabled, button.firstChild], ["Save 4", false, bold]);
});

test("a button removed while locked takes its lock with it; the answer then restores nothing", () => {
  const page = livePage(LABELLED);
  const button = page.doc.querySelector("button");
  const ref = page.views[0].pushEvent("save", {}, button);
  page.ws().receive({ type: "patch", target: "dj-v-f", version: 1, ref, patches: [{ op: "html", d: 0, html: '<p dj-id="4">done</p>' }] });
  assert.equal(page.views[0].container.innerHTML, '<p dj-id="4">done</p>');
  assert.equal(page.views[0].ids.has("2"), false, "the shadow's ids are forgotten");
  // A patch for a node that left the page is refused, never applied to a detached node.
  assert.equal(page.views[0].apply({ type: "patch", patches: [{ op: "text", d: 2, i: 0, v: "x" }] }), false);
});
