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
