// The offline mode's worker messages, page half: save/remove/list through the active worker,
// `[dj-offline-pages]` lists, the reload on another user's partition, and `djust:sw-update`
// with the default prompt (skipped when the event is cancelled or the server turned it off).

import assert from "node:assert/strict";
import { test } from "node:test";

import { OFFLINE_PAGES } from "../../src/constants.js";
import OfflinePages from "../../src/offline_pages.js";
import { makeDocument } from "../helpers/dom.js";

/** A window with a fake worker container; `worker.answer(message)` makes the worker's reply. */
function fakeWindow(body = "") {
  const document = makeDocument(body);
  const win = document.defaultView;
  const listeners = [];
  const container = {
    controller: {},
    addEventListener: (type, f) => type === "message" && listeners.push(f),
    deliver: (data) => listeners.forEach((f) => f({ data })),
  };
  const posted = [];
  const worker = {
    answer: () => ({ ok: true }),
    postMessage: (message) => {
      posted.push(message);
      queueMicrotask(() => container.deliver({ type: "DJUST_OFFLINE_REPLY", requestId: message.requestId, ...worker.answer(message) }));
    },
  };
  container.ready = Promise.resolve({ active: worker });
  const env = {
    document,
    navigator: { serviceWorker: container },
    location: { href: "http://localhost/notes/", reloads: 0, reload() { this.reloads += 1; } },
    CustomEvent: win.CustomEvent,
    dispatchEvent: (event) => win.dispatchEvent(event),
    addEventListener: (type, f) => win.addEventListener(type, f),
    setTimeout,
    clearTimeout,
  };
  return { env, container, worker, posted };
}

test("save, remove and list go to the active worker; lists are filled with links", async () => {
  const { env, worker, posted } = fakeWindow('<div id="list" dj-offline-pages></div>');
  worker.answer = (m) => (m.type === "DJUST_OFFLINE_PAGES" ? { ok: true, pages: [{ url: "/notes/", title: "Notes", ts: 1 }] } : { ok: m.url.endsWith("/notes/") });
  const pages = new OfflinePages({ window: env, partition: () => null });
  assert.equal(await pages.save(), true);
  assert.equal(posted[0].type, "DJUST_SAVE_OFFLINE");
  assert.equal(posted[0].url, "http://localhost/notes/");
  assert.equal(await pages.save("/login/"), false);
  assert.equal(await pages.remove("/notes/"), true);
  assert.deepEqual(await pages.list(), [{ url: "/notes/", title: "Notes", ts: 1 }]);
  await pages.fillLists();
  const link = env.document.querySelector("#list a");
  assert.equal(link.getAttribute("href"), "/notes/");
  assert.equal(link.textContent, "Notes");
  worker.answer = () => ({ ok: true, pages: [] });
  await pages.fillLists();
  assert.equal(env.document.querySelector("#list").textContent, "No pages saved for offline.");
});

test("another user's partition reloads a page showing its own; a page without one is left alone", () => {
  const { env, container } = fakeWindow();
  let mine = "alice";
  new OfflinePages({ window: env, partition: () => mine });
  container.deliver({ type: "DJUST_PARTITION_CHANGED", partition: "alice" });
  assert.equal(env.location.reloads, 0);
  container.deliver({ type: "DJUST_PARTITION_CHANGED", partition: "bob" });
  assert.equal(env.location.reloads, 1);
  mine = null;
  container.deliver({ type: "DJUST_PARTITION_CHANGED", partition: "carol" });
  assert.equal(env.location.reloads, 1);
});

/** A registration whose new worker becomes `installed` when `install()` is called. */
function fakeRegistration() {
  const listeners = {};
  const worker = { state: "installing", posted: [], postMessage: (m) => worker.posted.push(m), addEventListener: (t, f) => (listeners[t] = f) };
  const registration = {
    waiting: null,
    installing: null,
    addEventListener: (t, f) => (listeners[`reg-${t}`] = f),
    install() {
      registration.installing = worker;
      listeners["reg-updatefound"]();
      worker.state = "installed";
      registration.waiting = worker;
      listeners.statechange();
    },
  };
  return { registration, worker };
}

test("a waiting new version dispatches djust:sw-update and shows the prompt, whose button activates it", () => {
  const { env } = fakeWindow();
  const events = [];
  env.addEventListener(OFFLINE_PAGES.UPDATE_EVENT, (event) => events.push(event));
  const { registration, worker } = fakeRegistration();
  new OfflinePages({ window: env, partition: () => null }).watchUpdates(registration, { prompt: true });
  assert.equal(events.length, 0);
  registration.install();
  assert.equal(events.length, 1);
  const button = env.document.querySelector(".dj-sw-update button");
  assert.ok(button);
  button.click();
  assert.deepEqual(worker.posted, [{ type: "DJUST_SKIP_WAITING" }]);
});

test("no prompt when the event is cancelled or the prompt is off; a first install is no update", () => {
  for (const [prompt, cancel] of [[true, true], [false, false]]) {
    const { env } = fakeWindow();
    env.addEventListener(OFFLINE_PAGES.UPDATE_EVENT, (event) => cancel && event.preventDefault());
    const { registration } = fakeRegistration();
    new OfflinePages({ window: env, partition: () => null }).watchUpdates(registration, { prompt });
    registration.install();
    assert.equal(env.document.querySelector(".dj-sw-update"), null);
  }
  const { env, container } = fakeWindow();
  container.controller = null; // nothing controlled the page: the first worker
  let fired = 0;
  env.addEventListener(OFFLINE_PAGES.UPDATE_EVENT, () => (fired += 1));
  const { registration } = fakeRegistration();
  new OfflinePages({ window: env, partition: () => null }).watchUpdates(registration, { prompt: true });
  registration.install();
  assert.equal(fired, 0);
});
