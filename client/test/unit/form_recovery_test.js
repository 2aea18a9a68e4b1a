// Form recovery after a reconnect: each default rule, dj-no-recover, the dj-auto-recover
// payload, values kept across the reconnect mount, events sent one at a time.

import assert from "node:assert/strict";
import { afterEach, beforeEach, describe, mock, test } from "node:test";

import { autoRecoverEvents, recoveryEvents } from "../../src/form_recovery.js";
import { closePages, livePage, makeDocument } from "../helpers/dom.js";
import { flush } from "../helpers/sse_fakes.js";

const sent = (container) => recoveryEvents(container).map(({ event, params }) => [event, params]);

/** A container holding `html`; `edit(doc)` plays the user. */
function form(html, edit = () => {}) {
  const doc = makeDocument(`<div id="v">${html}</div>`);
  edit(doc);
  return doc.getElementById("v");
}

describe("defaults", () => {
  test("text input: the value attribute", () => {
    const html = '<input name="t" value="server" dj-change="set_t">';
    assert.deepEqual(sent(form(html)), []);
    const edited = form(html, (doc) => (doc.querySelector("input").value = "typed"));
    assert.deepEqual(sent(edited), [["set_t", { value: "typed", field: "t" }]]);
    const noAttr = form('<input name="t" dj-input="set_t">', (doc) => (doc.querySelector("input").value = "x"));
    assert.deepEqual(sent(noAttr), [["set_t", { value: "x", field: "t" }]]);
  });

  test("textarea: its text (defaultValue)", () => {
    const html = '<textarea name="b" dj-input="set_b">server</textarea>';
    assert.deepEqual(sent(form(html)), []);
    const edited = form(html, (doc) => (doc.querySelector("textarea").value = "server, more"));
    assert.deepEqual(sent(edited), [["set_b", { value: "server, more", field: "b" }]]);
  });

  test("checkbox: the checked attribute", () => {
    const html = '<input type="checkbox" name="c" checked dj-change="set_c">';
    assert.deepEqual(sent(form(html)), []);
    const edited = form(html, (doc) => (doc.querySelector("input").checked = false));
    assert.deepEqual(sent(edited), [["set_c", { value: false, field: "c" }]]);
  });

  test("radio: the checked attribute; only the newly checked radio speaks", () => {
    const html =
      '<input type="radio" name="r" value="a" checked dj-change="set_r">' +
      '<input type="radio" name="r" value="b" dj-change="set_r">';
    assert.deepEqual(sent(form(html)), []);
    const edited = form(html, (doc) => (doc.querySelectorAll("input")[1].checked = true));
    assert.deepEqual(sent(edited), [["set_r", { value: "b", field: "r" }]]);
  });

  test("select: option[selected], else the first option", () => {
    const marked = '<select name="s" dj-change="set_s"><option>a</option><option selected>b</option></select>';
    assert.deepEqual(sent(form(marked)), []);
    const toFirst = form(marked, (doc) => (doc.querySelector("select").value = "a"));
    assert.deepEqual(sent(toFirst), [["set_s", { value: "a", field: "s" }]]);
    const unmarked = '<select name="s" dj-change="set_s"><option>a</option><option>b</option></select>';
    assert.deepEqual(sent(form(unmarked)), []);
    const toSecond = form(unmarked, (doc) => (doc.querySelector("select").value = "b"));
    assert.deepEqual(sent(toSecond), [["set_s", { value: "b", field: "s" }]]);
  });

  test("dj-change wins over dj-input; dj-value-* params come along; unbound fields are skipped", () => {
    const html =
      '<input name="a" dj-change="on_change" dj-input="on_input" dj-value-row="7">' +
      '<input name="plain">';
    const edited = form(html, (doc) => {
      for (const input of doc.querySelectorAll("input")) input.value = "x";
    });
    assert.deepEqual(sent(edited), [["on_change", { row: "7", value: "x", field: "a" }]]);
  });
});

test("dj-no-recover, on the field or an ancestor, opts out", () => {
  const html =
    '<input name="q" dj-input="search" dj-no-recover>' +
    '<div dj-no-recover><input name="q2" dj-input="search"></div>' +
    '<input name="t" dj-change="set_t">';
  const edited = form(html, (doc) => {
    for (const input of doc.querySelectorAll("input")) input.value = "typed";
  });
  assert.deepEqual(sent(edited).map(([, params]) => params.field), ["t"]);
});

test("dj-auto-recover: fields inside are skipped; the handler gets form values and data-*", () => {
  const html =
    '<section dj-auto-recover="restore_canvas" data-canvas-id="c1" data-zoom="2" id="s">' +
    '<input type="hidden" name="cursor" value="0" dj-change="move">' +
    '<input type="checkbox" name="grid">' +
    '<input type="radio" name="tool" value="pen"><input type="radio" name="tool" value="brush" checked>' +
    '<input name="note">' +
    "<input>" +
    "</section>";
  const edited = form(html, (doc) => {
    doc.querySelector("[name=cursor]").value = "42";
    doc.querySelector("[name=grid]").checked = true;
  });
  assert.deepEqual(sent(edited), [], "no automatic recovery inside the container");
  assert.deepEqual(
    autoRecoverEvents(edited).map(({ event, params }) => [event, params]),
    [
      [
        "restore_canvas",
        {
          _form_values: { cursor: "42", grid: true, tool: "brush", "note": "" },
          _data_attrs: { "canvas-id": "c1", zoom: "2" },
        },
      ],
    ],
  );
});

describe("through the socket", () => {
  const VIEW =
    '<div id="dj-v-f" dj-view="f" dj-token="t">' +
    '<input dj-id="1" name="title" value="" dj-change="set_title">' +
    '<textarea dj-id="2" name="body" dj-input="set_body"></textarea>' +
    '<input dj-id="3" name="q" value="" dj-input="search" dj-no-recover>' +
    '<div dj-id="4" dj-auto-recover="restore" data-k="v"><input dj-id="5" type="hidden" name="cursor" value="0"></div>' +
    "</div>";
  const MOUNT_HTML = VIEW.slice(VIEW.indexOf(">") + 1, -"</div>".length);

  beforeEach(() => mock.timers.enable({ apis: ["setTimeout", "setInterval"] }));
  afterEach(() => {
    closePages();
    mock.timers.reset();
    mock.restoreAll();
  });

  const events = (ws) => ws.sentOf("event").map((frame) => [frame.event, frame.params]);
  const answer = (ws, frame) => ws.receive({ type: "noop", target: "dj-v-f", ref: frame.ref, event: frame.event });

  test("the first mount recovers nothing", async () => {
    const page = livePage(VIEW);
    page.doc.querySelector("[name=title]").value = "early";
    page.ws().receive({ type: "mount", target: "dj-v-f", view: "f", version: 1, html: MOUNT_HTML });
    await flush();
    assert.deepEqual(events(page.ws()), []);
  });

  test("a reconnect mount keeps what was typed, then sends it one event at a time", async () => {
    mock.method(Math, "random", () => 0);
    const page = livePage(VIEW);
    page.ws().receive({ type: "mount", target: "dj-v-f", view: "f", version: 1, html: MOUNT_HTML });
    page.ws().drop();
    // Typed while disconnected.
    page.doc.querySelector("[name=title]").value = "Hello";
    page.doc.querySelector("[name=body]").value = "Body text";
    page.doc.querySelector("[name=q]").value = "not sent";
    page.doc.querySelector("[name=cursor]").value = "17";
    mock.timers.tick(500);
    const ws = page.ws();
    ws.open();
    ws.receive({ type: "mount", target: "dj-v-f", view: "f", version: 1, html: MOUNT_HTML });
    // The mount's HTML did not wipe the fields; their attributes are the server's again.
    const title = page.doc.querySelector("[name=title]");
    assert.equal(title.value, "Hello");
    assert.equal(title.getAttribute("value"), "");
    assert.equal(page.doc.querySelector("[name=q]").value, "not sent");

    // Recovery first waits until everything sent before (the bridge's replay) is answered.
    await flush();
    assert.deepEqual(events(ws), []);
    assert.equal(ws.sentOf("ping").length, 1);
    ws.receive({ type: "pong" });
    await flush();
    assert.deepEqual(events(ws), [["set_title", { value: "Hello", field: "title" }]]);
    answer(ws, ws.sentOf("event")[0]);
    await flush();
    assert.deepEqual(events(ws).at(-1), ["set_body", { value: "Body text", field: "body" }]);
    assert.equal(ws.sentOf("event").length, 2, "the next waits for the answer");
    answer(ws, ws.sentOf("event")[1]);
    await flush();
    assert.deepEqual(events(ws).at(-1), ["restore", { _form_values: { cursor: "17" }, _data_attrs: { k: "v" } }]);
    answer(ws, ws.sentOf("event")[2]);
    await page.views[0].recovery;
    assert.equal(ws.sentOf("event").length, 3, "auto-recover ran once, search never sent");
  });

  test("a value the replayed events already brought to the server is not sent again", async () => {
    mock.method(Math, "random", () => 0);
    const page = livePage(VIEW);
    page.ws().receive({ type: "mount", target: "dj-v-f", view: "f", version: 1, html: MOUNT_HTML });
    page.ws().drop();
    page.doc.querySelector("[name=title]").value = "Hello";
    mock.timers.tick(500);
    const ws = page.ws();
    ws.open();
    ws.receive({ type: "mount", target: "dj-v-f", view: "f", version: 1, html: MOUNT_HTML });
    await flush();
    assert.equal(ws.sentOf("ping").length, 1, "recovery waits for the answers to the replay");
    // The replayed `set_title` is answered before the pong: the server now renders "Hello".
    ws.receive({
      type: "patch",
      target: "dj-v-f",
      version: 2,
      patches: [{ op: "attr", d: 1, k: "value", v: "Hello" }],
    });
    ws.receive({ type: "pong" });
    // Answer whatever recovery sends until it is done.
    let done = false;
    page.views[0].recovery.then(() => (done = true));
    for (let answered = 0, turns = 0; !done && turns < 50; turns += 1) {
      await flush();
      const sent = ws.sentOf("event");
      if (sent.length > answered) answer(ws, sent[answered++]);
    }
    await page.views[0].recovery;
    assert.deepEqual(
      events(ws).map(([event]) => event),
      ["restore"],
      "only the auto-recover handler ran; set_title was not sent a second time",
    );
  });
});
