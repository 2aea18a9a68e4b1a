import assert from "node:assert/strict";
import { afterEach, describe, test } from "node:test";

import { closePages, livePage } from "../helpers/dom.js";

afterEach(closePages);

const COUNTER =
  '<div id="dj-v-counter" dj-view="example::Counter" dj-token="1.mac">' +
  '<h1 dj-id="1">Count: 0</h1><button dj-id="2" dj-click="inc">+</button></div>';
const TARGET = "dj-v-counter";

const mounted = (version = 1) => ({
  type: "mount",
  target: TARGET,
  view: "example::Counter",
  version,
  html: '<h1 dj-id="1">Count: 0</h1><button dj-id="2" dj-click="inc">+</button>',
});
const countTo = (n, version, extra = {}) => ({
  type: "patch",
  target: TARGET,
  version,
  patches: [{ op: "text", d: 1, i: 0, v: `Count: ${n}` }],
  ...extra,
});

function counterPage() {
  const page = livePage(COUNTER);
  page.ws().receive(mounted());
  page.h1 = () => page.doc.querySelector('[dj-id="1"]').textContent;
  return page;
}

describe("mount", () => {
  test("sends target, view, token and the page's path and query", () => {
    const { ws } = livePage(COUNTER);
    assert.deepEqual(ws().sentOf("mount"), [
      { type: "mount", target: TARGET, view: "example::Counter", token: "1.mac", url: "/items/?page=2" },
    ]);
  });

  test("a mount answer's fresh token replaces the page's (the next mount sends it)", () => {
    const { doc, ws } = livePage(COUNTER);
    ws().receive({ ...mounted(), token: "2.fresh" });
    assert.equal(doc.getElementById(TARGET).getAttribute("dj-token"), "2.fresh");
  });

  test("a refused token (bad_token, then 4403) asks for a reload, once", (t) => {
    t.mock.method(console, "warn", () => {});
    t.mock.method(console, "error", () => {});
    const page = livePage(COUNTER);
    let reloads = 0;
    page.socket.onTokenRefused = () => (reloads += 1);
    page.ws().receive({ type: "error", target: TARGET, code: "bad_token", error: "expired", recoverable: false });
    page.ws().drop(4403);
    assert.equal(reloads, 1);
    assert.equal(page.instances.length, 1, "no reconnection attempt");
  });

  test("applies the html and the title", () => {
    const { doc, ws } = livePage(COUNTER);
    ws().receive({ ...mounted(), html: '<p dj-id="1">hi</p>', title: "Counter" });
    assert.equal(doc.getElementById(TARGET).innerHTML, '<p dj-id="1">hi</p>');
    assert.equal(doc.title, "Counter");
  });
});

describe("versions", () => {
  test("in-order patches apply", () => {
    const page = counterPage();
    page.ws().receive(countTo(1, 2));
    page.ws().receive({ type: "html_update", target: TARGET, version: 3, html: '<h1 dj-id="1">Count: 9</h1>' });
    assert.equal(page.h1(), "Count: 9");
    assert.deepEqual(page.ws().sentOf("request_html"), []);
  });

  test("a gap asks for html and ignores versioned frames until html_recovery", () => {
    const page = counterPage();
    page.ws().receive(countTo(1, 3));
    assert.deepEqual(page.ws().sentOf("request_html"), [
      { type: "request_html", target: TARGET, reason: "version_gap" },
    ]);
    assert.equal(page.h1(), "Count: 0");
    page.ws().receive(countTo(2, 4));
    page.ws().receive({ type: "html_update", target: TARGET, version: 5, html: '<h1 dj-id="1">x</h1>' });
    assert.equal(page.h1(), "Count: 0");
    assert.equal(page.ws().sentOf("request_html").length, 1);

    page.ws().receive({ type: "html_recovery", target: TARGET, version: 6, html: '<h1 dj-id="1">Count: 5</h1>' });
    assert.equal(page.h1(), "Count: 5");
    page.ws().receive(countTo(6, 7));
    assert.equal(page.h1(), "Count: 6");
    assert.equal(page.ws().sentOf("request_html").length, 1);
  });

  test("an error answering request_html ends the recovery: the view mounts again and applies frames", (t) => {
    t.mock.method(console, "warn", () => {});
    t.mock.method(console, "error", () => {});
    const page = counterPage();
    page.ws().receive(countTo(1, 3));
    assert.equal(page.ws().sentOf("request_html").length, 1);
    page.ws().receive({ type: "error", target: TARGET, code: "not_mounted", error: "no view", recoverable: true });
    assert.equal(page.views[0].recovering, false);
    assert.equal(page.ws().sentOf("mount").length, 2, "mounted again");
    page.ws().receive({ ...mounted(4), html: '<h1 dj-id="1">Count: 3</h1><button dj-id="2" dj-click="inc">+</button>' });
    page.ws().receive(countTo(4, 5));
    assert.equal(page.h1(), "Count: 4");
  });

  test("a patch that does not apply asks for html", () => {
    const page = counterPage();
    page.ws().receive({ type: "patch", target: TARGET, version: 2, patches: [{ op: "text", d: 42, i: 0, v: "x" }] });
    assert.deepEqual(page.ws().sentOf("request_html"), [
      { type: "request_html", target: TARGET, reason: "patch_refused" },
    ]);
    page.ws().receive(countTo(1, 3));
    assert.equal(page.h1(), "Count: 0");
  });

  test("noop carries no version and does not advance it", () => {
    const page = counterPage();
    page.ws().receive(countTo(1, 2));
    page.ws().receive({ type: "noop", target: TARGET, ref: 1, event: "inc" });
    page.ws().receive(countTo(2, 3));
    assert.equal(page.h1(), "Count: 2");
    assert.deepEqual(page.ws().sentOf("request_html"), []);
  });

  test("the counter is per connection, over all views", () => {
    const page = livePage(COUNTER + '<div id="dj-v-b" dj-view="b" dj-token="t"><p dj-id="1">b</p></div>');
    page.ws().receive(mounted(1));
    page.ws().receive({ type: "mount", target: "dj-v-b", view: "b", version: 2, html: '<p dj-id="1">b</p>' });
    page.ws().receive({ type: "patch", target: "dj-v-b", version: 3, patches: [{ op: "text", d: 1, i: 0, v: "B" }] });
    page.ws().receive(countTo(1, 4));
    assert.equal(page.doc.querySelector("#dj-v-b p").textContent, "B");
    assert.equal(page.doc.querySelector("#dj-v-counter h1").textContent, "Count: 1");
    assert.deepEqual(page.ws().sentOf("request_html"), []);
  });

  test("a new connection starts again at 1", () => {
    const page = counterPage();
    page.ws().receive(countTo(1, 2));
    page.ws().drop();
    page.socket.connect();
    page.ws().open();
    page.ws().receive(mounted(1));
    page.ws().receive(countTo(7, 2));
    assert.equal(page.h1(), "Count: 7");
    assert.deepEqual(page.ws().sentOf("request_html"), []);
  });
});

describe("dj-loading", () => {
  const button = (page) => page.doc.querySelector('[dj-id="2"]');
  const container = (page) => page.doc.getElementById(TARGET);
  const loading = (el) => el.classList.contains("dj-loading");

  test("the answer with the event's ref clears it", () => {
    const page = counterPage();
    const ref = page.views[0].pushEvent("inc", {}, button(page));
    assert.ok(loading(button(page)) && loading(container(page)));
    page.ws().receive(countTo(1, 2, { ref: ref + 1 }));
    assert.ok(loading(button(page)));
    page.ws().receive(countTo(1, 3, { ref, event: "inc" }));
    assert.ok(!loading(button(page)) && !loading(container(page)));
  });

  test("an error for the ref clears it", () => {
    const page = counterPage();
    const ref = page.views[0].pushEvent("inc", {}, button(page));
    page.ws().receive({ type: "error", code: "unknown_event", error: "no", target: TARGET, ref, recoverable: true });
    assert.ok(!loading(button(page)) && !loading(container(page)));
  });

  test("an error without a ref clears every event of the view", () => {
    const page = counterPage();
    page.views[0].pushEvent("a", {}, button(page));
    page.views[0].pushEvent("b", {});
    page.ws().receive({ type: "error", code: "not_mounted", error: "no", target: TARGET, recoverable: true });
    assert.ok(!loading(button(page)) && !loading(container(page)));
  });

  test("an element stays loading while another of its events is in flight", () => {
    const page = counterPage();
    const first = page.views[0].pushEvent("inc", {}, button(page));
    page.views[0].pushEvent("inc", {}, button(page));
    page.ws().receive({ type: "noop", target: TARGET, ref: first });
    assert.ok(loading(button(page)) && loading(container(page)));
  });

  test("closing the socket clears it", () => {
    const page = counterPage();
    page.views[0].pushEvent("inc", {}, button(page));
    page.ws().drop();
    assert.ok(!loading(button(page)) && !loading(container(page)));
  });

  test("an event while disconnected waits in the outbox, not sent and not loading", () => {
    const page = counterPage();
    const ws = page.ws();
    ws.drop();
    const ref = page.views[0].pushEvent("inc", {}, button(page));
    assert.equal(typeof ref, "number");
    assert.deepEqual(ws.sentOf("event"), []);
    assert.equal(page.views[0].delivery.outbox.size, 1);
    assert.ok(!loading(button(page)));
  });
});

describe("focus and selection", () => {
  const FORM =
    '<div id="dj-v-f" dj-view="f" dj-token="t"><p dj-id="1">hint</p><input dj-id="2" name="q" value="hello world"><ul dj-id="3"><li dj-id="4">a</li></ul></div>';
  let version = 1;
  const patch = (patches) => ({ type: "patch", target: "dj-v-f", version: ++version, patches });

  function typing() {
    version = 0;
    const page = livePage(FORM);
    page.ws().receive({ type: "mount", target: "dj-v-f", view: "f", version: ++version, html: page.doc.getElementById("dj-v-f").innerHTML });
    const input = page.doc.querySelector("input");
    input.focus();
    input.value = "hello there";
    input.setSelectionRange(2, 7, "backward");
    return { page, input };
  }

  const assertKept = (page, input, value = "hello there") => {
    assert.equal(page.doc.activeElement, input);
    assert.equal(input.value, value);
    assert.deepEqual([input.selectionStart, input.selectionEnd, input.selectionDirection], [2, 7, "backward"]);
    assert.deepEqual(page.ws().sentOf("request_html"), []);
  };

  test("across a patch that rewrites a sibling", () => {
    const { page, input } = typing();
    page.ws().receive(patch([
      { op: "html", d: 3, html: '<li dj-id="5">b</li><li dj-id="6">c</li>' },
      { op: "remove", d: 0, i: 0, n: 1 },
      { op: "insert", d: 0, i: 0, html: '<p dj-id="7">new hint</p>' },
    ]));
    assert.equal(page.doc.querySelector('[dj-id="3"]').textContent, "bc");
    assertKept(page, input);
  });

  test("across a move of the focused element itself", () => {
    const { page, input } = typing();
    page.ws().receive(patch([{ op: "move", d: 0, from: 1, to: 2 }]));
    assert.equal(page.doc.getElementById("dj-v-f").lastChild, input);
    assertKept(page, input);
  });

  test("across a change of the focused input's value attribute", () => {
    const { page, input } = typing();
    page.ws().receive(patch([{ op: "attr", d: 2, k: "value", v: "from the server" }]));
    assert.equal(input.getAttribute("value"), "from the server");
    assertKept(page, input);
  });

  test("across an html_update", () => {
    const { page, input } = typing();
    page.ws().receive({ type: "html_update", target: "dj-v-f", version: ++version, html: '<input dj-id="2" name="q" value="x">' });
    const successor = page.doc.querySelector("input");
    assert.notEqual(successor, input);
    assertKept(page, successor);
  });
});

test("push_event is dispatched on the container", () => {
  const page = counterPage();
  const seen = [];
  page.doc.addEventListener("djust:push", (event) => seen.push(event.detail.payload));
  page.ws().receive({ type: "push_event", target: TARGET, event: "scroll", payload: { top: 1 } });
  assert.deepEqual(seen, [{ top: 1 }]);
});

describe("mounted marker", () => {
  test("dj-mounted is set by the mount frame and cleared when the socket closes", () => {
    const page = livePage(COUNTER);
    const container = page.doc.getElementById(TARGET);
    assert.ok(!container.hasAttribute("dj-mounted"));
    page.ws().receive(mounted());
    assert.ok(container.hasAttribute("dj-mounted"));
    page.ws().drop();
    assert.ok(!container.hasAttribute("dj-mounted"));
  });
});

describe("dj-submit-reset", () => {
  const FORM =
    '<div id="dj-v-counter" dj-view="example::Counter" dj-token="1.mac">' +
    '<form dj-id="1" dj-submit="send" dj-submit-reset><input dj-id="2" name="body" value=""></form></div>';
  const formPage = () => {
    const page = livePage(FORM);
    page.ws().receive({ ...mounted(), html: FORM.slice(FORM.indexOf("<form"), -"</div>".length) });
    page.form = page.doc.querySelector("form");
    page.form.elements.body.value = "typed";
    return page;
  };

  test("a form whose submit succeeded is reset", () => {
    const page = formPage();
    const ref = page.views[0].pushEvent("send", { body: "typed" }, page.form);
    page.ws().receive({ type: "noop", target: TARGET, ref, event: "send" });
    assert.equal(page.form.elements.body.value, "");
  });

  test("a form whose submit failed keeps what the user typed", () => {
    const page = formPage();
    const ref = page.views[0].pushEvent("send", { body: "typed" }, page.form);
    page.ws().receive({ type: "error", code: "handler_error", error: "no", target: TARGET, ref, recoverable: true });
    assert.equal(page.form.elements.body.value, "typed");
  });
});

test("dj-loading leaves no empty class attribute behind", () => {
  const page = counterPage();
  const button = page.doc.querySelector('[dj-id="2"]');
  const ref = page.views[0].pushEvent("inc", {}, button);
  page.ws().receive({ type: "noop", target: TARGET, ref });
  assert.equal(button.hasAttribute("class"), false);
  assert.equal(page.doc.getElementById(TARGET).hasAttribute("class"), false);
});
