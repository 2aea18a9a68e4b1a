// The offline mode's page half: a shell filled from the worker's copy (another shell version is
// accepted then), the banner, `dj-offline` and disabled submit buttons only when the server is
// unreachable, and all of it cleared once the connection is open again.

import assert from "node:assert/strict";
import { test } from "node:test";

import { fillShell } from "../../src/instant_shell.js";
import { OFFLINE } from "../../src/constants.js";
import OfflineStatus from "../../src/offline_status.js";
import { makeDocument, PAGE_URL } from "../helpers/dom.js";

const PAGE = '<div dj-view="app::F" id="dj-v-f"><form><button id="save" type="submit">Save</button>' +
  '<button id="plain">Plain</button><button id="already" type="submit" disabled>x</button></form>' +
  '<button id="other" type="button">Other</button></div><form><button id="outside" type="submit">Out</button></form>';

/** A window whose probe answers while `env.up`; timers run when `tick()` is called. */
function fakeWindow(body) {
  const document = makeDocument(body);
  const win = document.defaultView;
  const timers = [];
  const env = {
    document,
    up: false,
    probes: 0,
    addEventListener: (type, f) => win.addEventListener(type, f),
    setTimeout: (f) => timers.push(f),
    clearTimeout: () => timers.splice(0),
    fetch: async (url, init) => {
      env.probes += 1;
      assert.equal(init.method, "HEAD");
      if (!env.up) throw new TypeError("Failed to fetch");
      return new Response(null);
    },
    tick: async () => {
      for (const f of timers.splice(0)) await f();
    },
  };
  return env;
}

function fakeSocket() {
  const socket = { open: false, connects: 0, listeners: [], views: new Map([["dj-v-f", {}]]) };
  socket.onOpen = (f) => socket.listeners.push(f);
  socket.isOpen = () => socket.open;
  socket.connect = () => {
    socket.connects += 1;
  };
  socket.opened = () => {
    socket.open = true;
    for (const f of socket.listeners) f({ reconnect: true });
  };
  return socket;
}

const disabled = (doc) => [...doc.querySelectorAll("button")].filter((b) => b.disabled).map((b) => b.id);

test("from cache with the server down: banner, dj-offline, live views' submit buttons disabled; cleared on reconnect", async () => {
  const win = fakeWindow(PAGE);
  const socket = fakeSocket();
  const mode = new OfflineStatus({ window: win, socket });
  await mode.fromCache();
  const doc = win.document;
  assert.ok(doc.body.classList.contains("dj-offline"));
  assert.equal(doc.querySelector(".dj-offline-banner").textContent, OFFLINE.BANNER_TEXT);
  assert.deepEqual(disabled(doc), ["save", "plain", "already"]);
  await win.tick(); // still down: probes again later
  assert.equal(socket.connects, 0);
  win.up = true;
  await win.tick();
  assert.equal(socket.connects, 1, "the server answers: the connection is opened again");
  assert.ok(doc.body.classList.contains("dj-offline"), "not cleared before the connection is open");
  socket.opened();
  assert.ok(!doc.body.classList.contains("dj-offline"));
  assert.equal(doc.querySelector(".dj-offline-banner"), null);
  assert.deepEqual(disabled(doc), ["already"], "only the buttons it disabled are enabled again");
});

test("from cache while the server answers: nothing is shown", async () => {
  const win = fakeWindow(PAGE);
  win.up = true;
  await new OfflineStatus({ window: win, socket: fakeSocket() }).fromCache();
  assert.ok(!win.document.body.classList.contains("dj-offline"));
  assert.deepEqual(disabled(win.document), ["already"]);
});

test("a page without live views clears as soon as the server answers", async () => {
  const win = fakeWindow("<p>offline page</p>");
  const socket = fakeSocket();
  socket.views.clear();
  await new OfflineStatus({ window: win, socket }).fromCache();
  assert.ok(win.document.body.classList.contains("dj-offline"));
  win.up = true;
  await win.tick();
  assert.ok(!win.document.body.classList.contains("dj-offline"));
  assert.equal(socket.connects, 0);
});

test("a shell filled with the worker's offline copy is accepted even with another shell version", async () => {
  const document = makeDocument('<main data-djust-shell-placeholder="1" data-djust-shell-version="v1"></main>');
  const win = document.defaultView;
  const swapped = [];
  win.addEventListener("djust:shell-swapped", (event) => swapped.push(event.detail));
  const headers = { "X-Djust-Main-Only-Response": "1", "X-Djust-Shell-Version": "v0", "X-Djust-Offline": "1" };
  const env = {
    document,
    CustomEvent: win.CustomEvent,
    dispatchEvent: (event) => win.dispatchEvent(event),
    location: { href: PAGE_URL, reload: () => assert.fail("no reload") },
    fetch: async () => new Response("<p>kept</p>", { headers }),
    navigator: {},
  };
  assert.equal(await fillShell({ window: env, mountInside: () => {} }), true);
  assert.equal(document.querySelector("main").innerHTML, "<p>kept</p>");
  assert.deepEqual(swapped, [{ url: PAGE_URL, offline: true }]);
  assert.ok(OfflineStatus.servedFromCache(makeDocument('<meta name="djust-offline" content="1">')));
  assert.ok(!OfflineStatus.servedFromCache(makeDocument("<p>x</p>")));
});
