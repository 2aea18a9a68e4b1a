import assert from "node:assert/strict";
import { afterEach, beforeEach, describe, mock, test } from "node:test";

import { bindEvents, valueParams } from "../../src/events.js";
import { closePages, livePage } from "../helpers/dom.js";

const TARGET = "dj-v-t";

let unbind = () => {};
beforeEach(() => mock.timers.enable({ apis: ["setTimeout", "setInterval"] }));
afterEach(() => {
  unbind();
  closePages();
  mock.timers.reset();
});

/** A live page whose view holds `inner`, with the bindings listening. */
function page(inner, outside = "") {
  const live = livePage(`<div id="${TARGET}" dj-view="t" dj-token="tok">${inner}</div>${outside}`);
  unbind = bindEvents(live.doc, (el) => live.socket.viewFor(el));
  const $ = (selector) => live.doc.querySelector(selector);
  const events = () => live.ws().sentOf("event");
  const params = () => events().map((frame) => frame.params);
  const fire = (selector, type, init = {}) => {
    const { Event, KeyboardEvent } = live.doc.defaultView;
    const Kind = type.startsWith("key") ? KeyboardEvent : Event;
    return $(selector).dispatchEvent(new Kind(type, { bubbles: true, cancelable: true, ...init }));
  };
  const type = (selector, value) => {
    $(selector).value = value;
    fire(selector, "input");
  };
  return { ...live, $, events, params, fire, type };
}

describe("dj-click", () => {
  test("sends the event with dj-value-* params, from a descendant too", () => {
    const p = page('<button dj-click="select" dj-value-item-id="7" dj-value-kind="a"><span>go</span></button>');
    p.$("span").click();
    assert.deepEqual(p.events(), [
      { type: "event", target: TARGET, event: "select", params: { item_id: "7", kind: "a" }, ref: 1 },
    ]);
  });

  test("elements outside a view send nothing", () => {
    const p = page("", '<button id="out" dj-click="x">x</button>');
    p.$("#out").click();
    assert.deepEqual(p.events(), []);
  });

  test("refs increase over the page, across views", () => {
    const live = livePage(
      '<div id="a" dj-view="a" dj-token="t"><b dj-click="x">a</b></div><div id="b" dj-view="b" dj-token="t"><i dj-click="y">b</i></div>',
    );
    unbind = bindEvents(live.doc, (el) => live.socket.viewFor(el));
    live.doc.querySelector("b").click();
    live.doc.querySelector("i").click();
    const sent = live.ws().sentOf("event").map(({ target, event, ref }) => [target, event, ref]);
    assert.deepEqual(sent, [["a", "x", 1], ["b", "y", 2]]);
  });

  test("unbinding stops delegation", () => {
    const p = page('<button dj-click="x">x</button>');
    unbind();
    p.$("button").click();
    assert.deepEqual(p.events(), []);
  });
});

describe("dj-submit", () => {
  const FORM = `<form dj-submit="save" dj-value-id="3">
      <input name="title" value="T">
      <input name="tag" value="a"><input name="tag" value="b"><input name="tag" value="c">
      <input type="checkbox" name="done" checked>
      <input type="checkbox" name="color" value="red" checked>
      <input type="checkbox" name="color" value="blue">
      <input type="checkbox" name="off" value="x">
      <input type="radio" name="size" value="s"><input type="radio" name="size" value="m" checked>
      <select name="pick"><option>one</option><option selected>two</option></select>
      <select name="many" multiple><option selected>x</option><option>y</option><option selected>z</option></select>
      <select name="none" multiple><option>x</option></select>
      <textarea name="body">text</textarea>
      <input name="gone" value="g" disabled>
      <input value="unnamed">
      <input type="file" name="upload">
      <button name="action" value="publish" id="publish">Publish</button>
      <button name="other" value="o">Other</button>
    </form>`;

  test("serializes the form and prevents the native submission", () => {
    const p = page(FORM);
    const { SubmitEvent } = p.doc.defaultView;
    const event = new SubmitEvent("submit", { bubbles: true, cancelable: true, submitter: p.$("#publish") });
    p.$("form").dispatchEvent(event);
    assert.equal(event.defaultPrevented, true);
    assert.deepEqual(p.events().map((frame) => frame.event), ["save"]);
    assert.deepEqual(p.params(), [
      {
        id: "3",
        title: "T",
        tag: ["a", "b", "c"],
        done: "on",
        color: "red",
        size: "m",
        pick: "two",
        many: ["x", "z"],
        none: [],
        body: "text",
        action: "publish",
      },
    ]);
  });

  test("repeated checkboxes become an array when several are checked", () => {
    const p = page(
      '<form dj-submit="s"><input type="checkbox" name="c" value="1" checked><input type="checkbox" name="c" value="2" checked></form>',
    );
    p.$("form").requestSubmit();
    assert.deepEqual(p.params(), [{ c: ["1", "2"] }]);
  });
});

describe("field bindings", () => {
  test("dj-change sends value and field", () => {
    const p = page('<input name="email" dj-change="validate" dj-value-form="signup">');
    p.$("input").value = "a@b";
    p.fire("input", "change");
    assert.deepEqual(p.params(), [{ form: "signup", value: "a@b", field: "email" }]);
  });

  test("a checkbox sends checked as a boolean; a multiple select its values", () => {
    const p = page(
      '<input type="checkbox" dj-change="toggle"><select multiple name="m" dj-change="pick"><option selected>a</option><option selected>b</option></select>',
    );
    p.$("input").click();
    p.fire("select", "change");
    assert.deepEqual(p.params(), [{ value: true }, { value: ["a", "b"], field: "m" }]);
  });

  test("dj-input sends on every input", () => {
    const p = page('<input name="q" dj-input="search">');
    p.type("input", "a");
    p.type("input", "ab");
    assert.deepEqual(p.params(), [{ value: "a", field: "q" }, { value: "ab", field: "q" }]);
  });

  test("dj-change on a parent does not catch a field's change", () => {
    const p = page('<div dj-change="x"><input name="q"></div>');
    p.fire("input", "change");
    assert.deepEqual(p.events(), []);
  });

  test("dj-focus and dj-blur", () => {
    const p = page('<input name="a" value="1" dj-focus="on" dj-blur="off"><input id="other">');
    p.$("input").focus();
    p.$("#other").focus();
    assert.deepEqual(p.events().map(({ event, params }) => [event, params]), [
      ["on", { value: "1", field: "a" }],
      ["off", { value: "1", field: "a" }],
    ]);
  });
});

describe("keys", () => {
  test("dj-key-filter lets only that key through", () => {
    const p = page('<input name="msg" dj-keydown="send" dj-key-filter="Enter">');
    p.$("input").value = "hi";
    p.fire("input", "keydown", { key: "a" });
    p.fire("input", "keydown", { key: "Enter" });
    assert.deepEqual(p.params(), [{ key: "Enter", value: "hi" }]);
  });

  test("dj-keyup without a filter sends every key, from a descendant too", () => {
    const p = page('<div dj-keyup="key"><input></div>');
    p.fire("input", "keyup", { key: "x" });
    p.fire("input", "keyup", { key: "Escape" });
    assert.deepEqual(p.params(), [{ key: "x" }, { key: "Escape" }]);
  });
});

describe("rate limiting", () => {
  test("dj-debounce sends the last value once the input is quiet", () => {
    const p = page('<input name="q" dj-input="search" dj-debounce="300">');
    p.type("input", "a");
    mock.timers.tick(200);
    p.type("input", "ab");
    mock.timers.tick(299);
    assert.deepEqual(p.events(), []);
    mock.timers.tick(1);
    assert.deepEqual(p.params(), [{ value: "ab", field: "q" }]);
  });

  test('dj-debounce="blur" sends the last value on blur', () => {
    const p = page('<input name="q" dj-input="search" dj-debounce="blur"><input id="other">');
    p.$("input").focus();
    p.type("input", "a");
    p.type("input", "ab");
    mock.timers.tick(10_000);
    assert.deepEqual(p.events(), []);
    p.$("#other").focus();
    assert.deepEqual(p.params(), [{ value: "ab", field: "q" }]);
    p.$("input").focus();
    p.$("#other").focus();
    assert.equal(p.events().length, 1);
  });

  test("dj-throttle sends at once, then the last of each window at its end", () => {
    const p = page('<input name="q" dj-input="search" dj-throttle="300">');
    p.type("input", "a");
    p.type("input", "ab");
    p.type("input", "abc");
    assert.deepEqual(p.params(), [{ value: "a", field: "q" }]);
    mock.timers.tick(300);
    assert.deepEqual(p.params().at(-1), { value: "abc", field: "q" });
    mock.timers.tick(300);
    assert.equal(p.events().length, 2);
    p.type("input", "abcd");
    assert.equal(p.events().length, 3);
  });

  test("debounce and throttle apply per element", () => {
    const p = page('<input id="x" dj-input="a" dj-debounce="100"><input id="y" dj-input="b" dj-debounce="100">');
    p.type("#x", "1");
    p.type("#y", "2");
    mock.timers.tick(100);
    assert.deepEqual(p.events().map((frame) => frame.event), ["a", "b"]);
  });
});

describe("dj-loading", () => {
  test("set on the element and the container until the answer with its ref", () => {
    const p = page('<button dj-id="1" dj-click="inc">+</button>');
    const button = p.$("button");
    const container = p.$(`#${TARGET}`);
    button.click();
    assert.ok(button.classList.contains("dj-loading") && container.classList.contains("dj-loading"));
    p.ws().receive({ type: "noop", target: TARGET, ref: p.events()[0].ref, event: "inc" });
    assert.ok(!button.classList.contains("dj-loading") && !container.classList.contains("dj-loading"));
  });
});

test("valueParams turns dashes into underscores", () => {
  const p = page('<b dj-value-user-id="1" dj-value-x="2" dj-click="c" data-y="3"></b>');
  assert.deepEqual(valueParams(p.$("b")), { user_id: "1", x: "2" });
});
