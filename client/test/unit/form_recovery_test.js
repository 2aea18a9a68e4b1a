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

  const mount = (ws, extra = {}) =>
    ws.receive({ type: "mount", target: "dj-v-f", view: "f", version: 1, html: MOUNT_HTML, rev: 0, ack: 0, ...extra });
  /** Answers whatever recovery sends, one at a time, until it is done. */
  async function answerRecovery(page, ws) {
    let done = false;
    page.views[0].recovery.then(() => (done = true));
    for (let answered = ws.sentOf("event").length - 1, turns = 0; !done && turns < 50; turns += 1) {
      await flush();
      const sent = ws.sentOf("event");
      while (answered < sent.length) answer(ws, sent[answered++]);
    }
    await page.views[0].recovery;
  }
  /** Drops the connection, lets `offline()` play the user, reconnects (not yet answered). */
  function reconnect(page, offline = () => {}) {
    page.ws().drop();
    offline(page.doc);
    mock.timers.tick(500);
    const ws = page.ws();
    ws.open();
    return ws;
  }

  test("the first mount keeps and sends what was typed before it; nothing else", async () => {
    const page = livePage(VIEW, { live: false });
    page.doc.querySelector("[name=title]").value = "early";
    page.doc.querySelector("[name=cursor]").value = "17";
    mount(page.ws(), { vs: "vs-1" });
    await flush();
    assert.equal(page.doc.querySelector("[name=title]").value, "early");
    assert.equal(page.doc.querySelector("[name=cursor]").value, "0", "a hidden input is the server's");
    assert.deepEqual(events(page.ws()), [["set_title", { value: "early", field: "title" }]]);
  });

  test("the first mount with nothing typed recovers nothing", async () => {
    const page = livePage(VIEW, { live: false });
    mount(page.ws(), { vs: "vs-1" });
    await flush();
    assert.deepEqual(events(page.ws()), []);
    assert.equal(page.views[0].recovery, null);
  });

  test("after a remount, what was typed is kept and sent one event at a time; dj-no-recover never", async () => {
    mock.method(Math, "random", () => 0);
    mock.method(console, "warn", () => {});
    const page = livePage(VIEW, { live: false });
    mount(page.ws(), { vs: "vs-1" });
    const ws = reconnect(page, (doc) => {
      doc.querySelector("[name=title]").value = "Hello";
      doc.querySelector("[name=body]").value = "Body text";
      doc.querySelector("[name=q]").value = "not sent";
      doc.querySelector("[name=cursor]").value = "17";
    });
    assert.deepEqual(ws.sentOf("mount")[0].resume, { vs: "vs-1", rev: 0 }, "the mount asks to resume");
    mount(ws, { vs: "vs-2", remounted: "expired" });
    // The mount's HTML did not wipe the fields; their attributes are the server's again.
    const title = page.doc.querySelector("[name=title]");
    assert.equal(title.value, "Hello");
    assert.equal(title.getAttribute("value"), "");
    assert.equal(page.doc.querySelector("[name=q]").value, "not sent");
    await flush();
    assert.deepEqual(events(ws), [["set_title", { value: "Hello", field: "title" }]]);
    assert.equal(ws.sentOf("event")[0].seq, 1, "numbered in the new view session");
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

  test("a field whose event is in the outbox is replayed, not recovered as well", async () => {
    mock.method(Math, "random", () => 0);
    mock.method(console, "warn", () => {});
    const page = livePage(VIEW, { live: false });
    mount(page.ws(), { vs: "vs-1" });
    const ws = reconnect(page, (doc) => {
      const field = doc.querySelector("[name=title]");
      field.value = "Hello";
      page.views[0].pushEvent("set_title", { value: "Hello", field: "title" }, field);
    });
    mount(ws, { vs: "vs-2", remounted: "unknown" });
    const [replayed] = ws.sentOf("event");
    assert.deepEqual([replayed.event, replayed.seq, replayed.replay], ["set_title", 1, { rev: 0 }]);
    await answerRecovery(page, ws);
    assert.deepEqual(events(ws).map(([event]) => event), ["set_title", "restore"], "set_title went once");
  });

  test("a resumed view session lost nothing: no recovery, the kept events go again", async () => {
    mock.method(Math, "random", () => 0);
    const page = livePage(VIEW, { live: false });
    mount(page.ws(), { vs: "vs-1" });
    const ws = reconnect(page, (doc) => {
      const field = doc.querySelector("[name=title]");
      field.value = "Hello";
      page.views[0].pushEvent("set_title", { value: "Hello", field: "title" }, field);
      doc.querySelector("[name=body]").value = "typed, no event";
    });
    ws.receive({ type: "resumed", target: "dj-v-f", view: "f", version: 1, vs: "vs-1", rev: 0, ack: 0 });
    await flush();
    assert.equal(page.views[0].recovery, null, "no recovery ran");
    assert.deepEqual(ws.sentOf("event").map((frame) => [frame.event, frame.seq, frame.replay]), [["set_title", 1, undefined]]);
  });

  test("events of a dj-no-recover field made while disconnected are dropped with a notice", async () => {
    mock.method(Math, "random", () => 0);
    mock.method(console, "warn", () => {});
    const page = livePage(VIEW, { live: false });
    mount(page.ws(), { vs: "vs-1" });
    const notices = [];
    page.doc.getElementById("dj-v-f").addEventListener("dj:event-not-applied", (event) => notices.push(event.detail));
    const ws = reconnect(page, (doc) => {
      const field = doc.querySelector("[name=q]");
      field.value = "stale query";
      page.views[0].pushEvent("search", { value: "stale query", field: "q" }, field);
    });
    ws.receive({ type: "resumed", target: "dj-v-f", view: "f", version: 1, vs: "vs-1", rev: 0, ack: 0 });
    assert.deepEqual(ws.sentOf("event"), []);
    assert.deepEqual(notices, [{ event: "search", params: { value: "stale query", field: "q" }, reason: "no_recover" }]);
  });

  test("a drop during recovery: the next remount recovers once more, nothing of the first goes again", async () => {
    mock.method(Math, "random", () => 0);
    mock.method(console, "warn", () => {});
    const page = livePage(VIEW, { live: false });
    mount(page.ws(), { vs: "vs-1" });
    let ws = reconnect(page);
    mount(ws, { vs: "vs-2", remounted: "expired" });
    await flush();
    assert.deepEqual(events(ws).map(([event]) => event), ["restore"]);
    // Lost before the answer; the server forgot the session again.
    ws = reconnect(page);
    mount(ws, { vs: "vs-3", remounted: "expired" });
    await answerRecovery(page, ws);
    assert.deepEqual(events(ws).map(([event]) => event), ["restore"], "auto-recover once per reconnect");
    assert.equal(ws.sentOf("event")[0].replay, undefined, "the first recovery's event was not replayed");
  });
});

describe("keyed rows", () => {
  afterEach(() => {
    closePages();
    mock.timers.reset();
    mock.restoreAll();
  });

  const row = (key, id) =>
    `<li dj-id="${id}" dj-key="${key}"><input dj-id="${id + 1}" name="note" value="" dj-change="set_note" dj-value-id="${key}"></li>`;

  test("after a remount with a row inserted above, row A's value is recovered for row A", async () => {
    mock.timers.enable({ apis: ["setTimeout", "setInterval"] });
    mock.method(Math, "random", () => 0);
    mock.method(console, "warn", () => {});
    const page = livePage(`<div id="dj-v-f" dj-view="f" dj-token="t"><ul dj-id="1">${row("a", 2)}${row("c", 4)}</ul></div>`, { live: false });
    const mountFrame = (html, extra) => page.ws().receive({ type: "mount", target: "dj-v-f", view: "f", version: 1, html, rev: 0, ack: 0, ...extra });
    mountFrame(`<ul dj-id="1">${row("a", 2)}${row("c", 4)}</ul>`, { vs: "vs-1" });
    page.ws().drop();
    page.doc.querySelector('[dj-key="a"] input').value = "for A";
    mock.timers.tick(500);
    page.ws().open();
    // Row B was inserted above A meanwhile: A's input is now dj-id 5, where C's was.
    mountFrame(`<ul dj-id="1">${row("b", 2)}${row("a", 4)}${row("c", 6)}</ul>`, { vs: "vs-2", remounted: "expired" });
    await flush();
    const values = [...page.doc.querySelectorAll("[name=note]")].map((el) => el.value);
    assert.deepEqual(values, ["", "for A", ""]);
    const sent = page.ws().sentOf("event").map((frame) => [frame.event, frame.params]);
    assert.deepEqual(sent, [["set_note", { id: "a", value: "for A", field: "note" }]]);
  });
});
