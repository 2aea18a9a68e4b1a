// Focused fields and late answers (field_merge.js): a field keeps what the user types; the
// server's value applies once it is no longer being edited, unless the user changed it since.

import assert from "node:assert/strict";
import { afterEach, beforeEach, describe, mock, test } from "node:test";

import { bindEvents } from "../../src/events.js";
import { fieldKey } from "../../src/field_merge.js";
import { closePages, livePage } from "../helpers/dom.js";

const TARGET = "dj-v-t";
let unbind = () => {};
let version = 0;
beforeEach(() => {
  mock.timers.enable({ apis: ["setTimeout", "setInterval"] });
  version = 0;
});
afterEach(() => {
  unbind();
  closePages();
  mock.timers.reset();
});

function page(inner) {
  const live = livePage(`<div id="${TARGET}" dj-view="t" dj-token="tok">${inner}<input id="elsewhere"></div>`);
  unbind = bindEvents(live.doc, (el) => live.socket.viewFor(el));
  const $ = (selector) => live.doc.querySelector(selector);
  const type = (selector, value) => {
    $(selector).value = value;
    $(selector).dispatchEvent(new live.doc.defaultView.Event("input", { bubbles: true }));
  };
  const patch = (patches, extra = {}) => {
    version += 1;
    live.ws().receive({ type: "patch", target: TARGET, version, patches, ...extra });
  };
  const events = () => live.ws().sentOf("event");
  return { ...live, $, type, patch, events };
}

describe("late answers", () => {
  test("the answer to 'a' after 'ab' was typed and the field left never shows 'a'", () => {
    const p = page('<input dj-id="1" name="q" value="" dj-input="search">');
    const field = p.$("input");
    field.focus();
    p.type("input", "a");
    p.type("input", "ab");
    p.$("#elsewhere").focus();
    const [first, second] = p.events();
    p.patch([{ op: "attr", d: 1, k: "value", v: "a" }], { ref: first.ref, event: "search" });
    assert.equal(field.value, "ab");
    p.patch([{ op: "attr", d: 1, k: "value", v: "AB" }], { ref: second.ref, event: "search" });
    assert.equal(field.value, "AB", "the answer to the last input applies");
  });

  test("a server change to a focused field waits for the blur, unless the user typed since", () => {
    const p = page('<input dj-id="1" name="q" value="x">');
    const field = p.$("input");
    field.focus();
    field.value = "typed ";
    p.patch([{ op: "attr", d: 1, k: "value", v: "typed" }]);
    assert.equal(field.value, "typed ");
    p.$("#elsewhere").focus();
    assert.equal(field.value, "typed", "applied once no longer edited");
    field.focus();
    field.value = "again";
    p.patch([{ op: "attr", d: 1, k: "value", v: "server" }]);
    field.value = "again and more";
    p.$("#elsewhere").focus();
    assert.equal(field.value, "again and more", "the user's newer value stays");
  });

  test("a focused checkbox follows the server", () => {
    const p = page('<input dj-id="1" type="checkbox" name="done" checked dj-change="set">');
    const box = p.$("input");
    box.focus();
    p.patch([{ op: "rmattr", d: 1, k: "checked" }]);
    assert.equal(box.checked, false);
  });
});

describe("debounce", () => {
  test("a submit drops its fields' debounced events; a blur sends them", () => {
    const p = page('<form dj-id="1" dj-submit="save"><input dj-id="2" name="q" dj-input="search" dj-debounce="300"></form>');
    p.type("input", "x");
    p.$("form").dispatchEvent(new p.doc.defaultView.Event("submit", { bubbles: true, cancelable: true }));
    mock.timers.tick(1000);
    assert.deepEqual(p.events().map((frame) => [frame.event, frame.params]), [["save", { q: "x" }]]);
    p.$("input").focus();
    p.type("input", "xy");
    p.$("#elsewhere").focus();
    assert.deepEqual(p.events().at(-1).params, { value: "xy", field: "q" });
    mock.timers.tick(1000);
    assert.equal(p.events().length, 2, "sent once");
  });
});

describe("whole-HTML updates", () => {
  test("keep unsent values the server did not change, by form, name and row key", () => {
    const row = (key, id) => `<li dj-id="${id}" dj-key="${key}"><input dj-id="${id + 1}" name="note" value=""></li>`;
    const p = page(`<ul dj-id="1">${row("a", 2)}${row("c", 4)}</ul><input dj-id="9" type="hidden" name="h" value="1"><input dj-id="10" name="server" value="old">`);
    const [a] = p.doc.querySelectorAll("[name=note]");
    a.value = "for A";
    p.$("[name=h]").value = "client";
    p.$("[name=server]").value = "mine";
    p.socket.lastVersion = 0;
    p.ws().receive({
      type: "html_update",
      target: TARGET,
      version: 1,
      html: `<ul dj-id="1">${row("b", 2)}${row("a", 4)}${row("c", 6)}</ul><input dj-id="9" type="hidden" name="h" value="2"><input dj-id="10" name="server" value="new">`,
    });
    const notes = [...p.doc.querySelectorAll("[name=note]")].map((el) => el.value);
    assert.deepEqual(notes, ["", "for A", ""], "row A's value stays in row A");
    assert.equal(p.$("[name=h]").value, "2", "hidden inputs are the server's");
    assert.equal(p.$("[name=server]").value, "new", "a value the server changed is the server's");
  });

  test("field keys name the form, the name and the rows, never the position", () => {
    const p = page('<form id="f"><ul><li dj-key="7"><input name="n"></li></ul><input type="hidden" name="h"></form>');
    const container = p.$(`#${TARGET}`);
    assert.equal(fieldKey(p.$("[name=n]"), container), JSON.stringify(["f", "n", "", ["7"]]));
    assert.equal(fieldKey(p.$("[name=h]"), container), null);
  });
});
