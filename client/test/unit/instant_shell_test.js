// The instant shell's page half: swap on a good main-only answer; a normal load (after
// DJUST_CLEAR_SHELL) without the marker, with another shell version, or on a network error.

import assert from "node:assert/strict";
import { test } from "node:test";

import { fillShell } from "../../src/instant_shell.js";
import { serviceWorkerRegistrar } from "../../src/sw_registration.js";
import { makeDocument, PAGE_URL } from "../helpers/dom.js";

const SHELL = '<nav>N</nav><main id="m" class="c" data-djust-shell-placeholder="1" data-djust-shell-version="v1"></main>';
const INNER = '<div id="dj-v-x" dj-view="app::X" dj-token="t"><p dj-id="1">fresh</p></div>';

/** A window around a jsdom document with `body`, whose fetch answers `respond(url, init)`. */
function fakeWindow(body, respond) {
  const document = makeDocument(body);
  const win = document.defaultView;
  const storage = new Map();
  const env = {
    document,
    CustomEvent: win.CustomEvent,
    dispatchEvent: (event) => win.dispatchEvent(event),
    location: { href: PAGE_URL, reloads: 0, reload() { this.reloads += 1; } },
    requests: [],
    posted: [],
    fetch: async (url, init) => {
      env.requests.push({ url, init });
      return respond(url, init);
    },
    sessionStorage: { getItem: (k) => storage.get(k) ?? null, setItem: (k, v) => storage.set(k, String(v)) },
  };
  env.navigator = { serviceWorker: { controller: { postMessage: (m) => env.posted.push(m) } } };
  return env;
}

const answer = (headers, body = INNER, status = 200) => new Response(body, { status, headers });
const good = { "X-Djust-Main-Only-Response": "1", "X-Djust-Shell-Version": "v1", "X-Djust-Title": "Fresh%20%C3%A9" };

test("a shell is filled with the main-only answer, its views mounted, title set, event dispatched", async () => {
  const win = fakeWindow(SHELL, () => answer(good));
  const mounted = [];
  const swapped = [];
  win.document.defaultView.addEventListener("djust:shell-swapped", (event) => swapped.push(event.detail));
  assert.equal(await fillShell({ window: win, mountInside: (main) => mounted.push(main) }), true);
  assert.equal(win.requests[0].url, PAGE_URL);
  assert.equal(win.requests[0].init.headers["X-Djust-Main-Only"], "1");
  const main = win.document.querySelector("main");
  assert.equal(main.innerHTML, INNER);
  assert.equal(main.getAttribute("id"), "m");
  assert.equal(main.getAttribute("class"), "c");
  assert.equal(main.hasAttribute("data-djust-shell-placeholder"), false);
  assert.equal(main.hasAttribute("data-djust-shell-version"), false);
  assert.deepEqual(mounted, [main]);
  assert.equal(win.document.title, "Fresh é");
  assert.deepEqual(swapped, [{ url: PAGE_URL, offline: false }]);
  assert.equal(win.location.reloads, 0);
});

test("a page that is not a shell is left alone", async () => {
  const win = fakeWindow("<main>real</main>", () => assert.fail("no fetch"));
  assert.equal(await fillShell({ window: win, mountInside: () => assert.fail("no mount") }), false);
});

for (const [name, respond] of [
  ["no X-Djust-Main-Only-Response (no middleware)", () => answer({ "X-Djust-Shell-Version": "v1" }, "<html>whole</html>")],
  ["another shell version (a deploy)", () => answer({ ...good, "X-Djust-Shell-Version": "v2" })],
  ["no shell version (instant shell turned off)", () => answer({ "X-Djust-Main-Only-Response": "1" })],
  ["an error status", () => answer(good, "oops", 500)],
  ["a network error", () => Promise.reject(new TypeError("offline"))],
]) {
  test(`${name}: the shell is dropped and the page loaded normally, once`, async () => {
    const win = fakeWindow(SHELL, respond);
    assert.equal(await fillShell({ window: win, mountInside: () => assert.fail("no mount") }), false);
    assert.equal(win.document.querySelector("main").innerHTML, "");
    assert.deepEqual(win.posted, [{ type: "DJUST_CLEAR_SHELL" }]);
    assert.equal(win.location.reloads, 1);
    // The reloaded page failing again right away does not reload in a loop.
    await fillShell({ window: win, mountInside: () => {} });
    assert.equal(win.location.reloads, 1);
  });
}

test("the reload waits until the worker confirms the shell is gone", async () => {
  const win = fakeWindow(SHELL, () => answer({ ...good, "X-Djust-Shell-Version": "v2" }));
  win.MessageChannel = MessageChannel;
  let acknowledge;
  win.navigator.serviceWorker.controller.postMessage = (message, ports) => {
    win.posted.push(message);
    acknowledge = () => ports[0].postMessage({ type: message.type, done: true });
  };
  const filling = fillShell({ window: win, mountInside: () => assert.fail("no mount") });
  while (!acknowledge) await new Promise((resolve) => setTimeout(resolve, 1));
  await new Promise((resolve) => setTimeout(resolve, 20));
  assert.equal(win.location.reloads, 0, "no reload before the worker answered");
  acknowledge();
  assert.equal(await filling, false);
  assert.equal(win.location.reloads, 1);
  assert.deepEqual(win.posted, [{ type: "DJUST_CLEAR_SHELL" }]);
});

test("registerServiceWorker: null without service workers, one promise, a retry after a failure", async () => {
  const none = serviceWorkerRegistrar({ navigator: {} });
  assert.equal(await none({ instantShell: true }), null);

  let attempts = 0;
  const registration = { scope: "/" };
  const navigator = {
    serviceWorker: {
      addEventListener() {},
      register: async (url, options) => {
        attempts += 1;
        assert.equal(url, "/static/djust/service-worker.js");
        assert.deepEqual(options, { scope: "/", updateViaCache: "none" });
        if (attempts === 1) throw new Error("refused");
        return registration;
      },
    },
  };
  const register = serviceWorkerRegistrar({ navigator });
  assert.equal(await register(), null);
  const first = register({ instantShell: true });
  assert.equal(register({ swUrl: "/other.js" }), first, "later calls get the first call's promise");
  assert.equal(await first, registration);
  assert.equal(attempts, 2);
});

test("a redirected main-only answer is a full navigation to where it went, nothing swapped", async () => {
  const win = fakeWindow(SHELL, () => {
    const response = answer(good);
    Object.defineProperty(response, "redirected", { value: true });
    Object.defineProperty(response, "url", { value: "http://localhost/new/" });
    return response;
  });
  win.location.replace = (url) => (win.location.replaced = url);
  assert.equal(await fillShell({ window: win, mountInside: () => assert.fail("nothing mounted") }), false);
  assert.equal(win.location.replaced, "http://localhost/new/");
  assert.equal(win.document.querySelector("main").innerHTML, "");
  assert.equal(win.location.reloads, 0);
});

test("the shell's current-page link moves to the links of this page", async () => {
  const nav = '<nav><a href="/chat/">Chat</a><a href="/items/" >Items</a><a href="/counter/" aria-current="page">Counter</a></nav>';
  const win = fakeWindow(nav + SHELL.replace("<nav>N</nav>", ""), () => answer(good));
  assert.equal(await fillShell({ window: win, mountInside: () => {} }), true);
  const current = [...win.document.querySelectorAll('nav a[aria-current="page"]')].map((a) => a.getAttribute("href"));
  assert.deepEqual(current, ["/items/"]);
});
