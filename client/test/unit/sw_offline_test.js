// The offline mode of the real service worker under a stubbed `self`: precache on install,
// cache-first for hashed URLs, network-first with a timeout, the offline fallback, the deny
// list, the partition clear, bounds and quota eviction, saved pages, version cleanup and the
// update that waits for the page.

import assert from "node:assert/strict";
import { test } from "node:test";

import { FakeCaches, ORIGIN, loadServiceWorker, navigation } from "../helpers/sw_env.js";

const CLIENT = "/static/djust/0123456789ab/client.js";
const ASSET = "/static/app.5f3e.css";

const doc = (main, title = "t") => `<!DOCTYPE html><html><head><title>${title}</title></head><body><main>${main}</main></body></html>`;

/** A fake server: `pages` maps paths to `<main>` content; `down` makes every request fail. */
function server({ config = {}, partition = "p1" } = {}) {
  const state = { down: false, partition, hang: false, pages: { "/offline/": "OFFLINE", "/a/": "A1", "/b/": "B1", "/c/": "C1", "/login/": "LOGIN" }, fetched: [] };
  state.config = { version: "v1", offlinePage: "/offline/", precache: [CLIENT, ASSET], networkTimeoutMs: 50, deny: ["/login"], maxPages: 50, maxBytes: 1 << 20, ...config };
  state.fetch = async (request) => {
    const url = new URL(request.url);
    state.fetched.push(url.pathname);
    if (state.hang) return new Promise(() => {});
    if (state.down) throw new TypeError("Failed to fetch");
    if (url.pathname === "/static/djust/offline.json") return Response.json(state.config);
    if (url.pathname.startsWith("/static/")) return new Response(`body of ${url.pathname}`, { headers: { "Content-Type": "text/css" } });
    const main = state.pages[url.pathname];
    if (main === undefined) return new Response("nf", { status: 404 });
    const mainOnly = request.headers.get("X-Djust-Main-Only") === "1";
    const headers = { "Content-Type": "text/html; charset=utf-8", "X-Djust-Partition": state.partition };
    if (mainOnly) headers["X-Djust-Main-Only-Response"] = "1";
    return new Response(mainOnly ? main : doc(main), { headers });
  };
  return state;
}

/** A worker of version `version` over `caches`, installed and activated. */
async function installed(srv, { caches = new FakeCaches(), version = "v1", active = null } = {}) {
  const sw = loadServiceWorker({ fetch: srv.fetch, caches, version, active });
  await sw.dispatch("install", {});
  await sw.dispatch("activate", {});
  return sw;
}

const mainOnly = (url) => navigation(url, { mode: "cors", headers: { "X-Djust-Main-Only": "1" } });

test("precache: install caches the configured URLs and the offline page; they are served cache-first", async () => {
  const srv = server();
  const caches = new FakeCaches();
  const sw = await installed(srv, { caches });
  assert.ok(caches.stores.has("djust-precache-v1"));
  assert.deepEqual(srv.fetched.sort(), ["/offline/", "/offline/", ASSET, CLIENT, "/static/djust/offline.json"].sort());
  srv.down = true;
  const css = await sw.fetchEvent(navigation(ASSET, { mode: "no-cors" }));
  assert.equal(await css.text(), `body of ${ASSET}`);
  const js = await sw.fetchEvent(navigation(CLIENT, { mode: "cors" }));
  assert.equal(await js.text(), `body of ${CLIENT}`);
  assert.equal(srv.fetched.length, 5, "nothing precached went to the network");
});

test("cache-first: a hashed client file not precached is fetched once, then served from the cache", async () => {
  const srv = server();
  const sw = await installed(srv);
  const other = "/static/djust/0123456789ab/src/extra.js";
  await sw.fetchEvent(navigation(other, { mode: "cors" }));
  await sw.fetchEvent(navigation(other, { mode: "cors" }));
  assert.equal(srv.fetched.filter((p) => p === other).length, 1);
  const plain = await sw.fetchEvent(navigation("/static/app.css", { mode: "cors" }));
  assert.equal(plain, null, "an unhashed, unlisted URL is not intercepted");
});

test("precache fails the install when a listed URL does not answer 200", async () => {
  const srv = server({ config: { precache: ["/static/missing.1.css"] } });
  const fetch = srv.fetch;
  srv.fetch = async (request) => (new URL(request.url).pathname === "/static/missing.1.css" ? new Response("", { status: 404 }) : fetch(request));
  const sw = loadServiceWorker({ fetch: srv.fetch, version: "v1" });
  await assert.rejects(sw.dispatch("install", {}), /404/);
});

test("network-first: the network's page when it answers in time, and it becomes the last good copy", async () => {
  const srv = server();
  const sw = await installed(srv);
  const first = await sw.fetchEvent(navigation("/a/"));
  assert.match(await first.text(), /A1/);
  assert.equal(first.headers.get("X-Djust-Offline"), null);
  srv.pages["/a/"] = "A2";
  assert.match(await (await sw.fetchEvent(navigation("/a/"))).text(), /A2/, "network first, not the copy");
  srv.hang = true; // the server takes longer than the 50 ms timeout
  const late = await sw.fetchEvent(navigation("/a/"));
  assert.equal(late.headers.get("X-Djust-Offline"), "1");
  const html = await late.text();
  assert.match(html, /A2/);
  assert.match(html, /<head><meta name="djust-offline" content="1">/);
});

test("network-first, main-only: the last good main-only copy, marked, when the server is down", async () => {
  const srv = server();
  const sw = await installed(srv);
  await sw.fetchEvent(mainOnly("/b/"));
  srv.down = true;
  const copy = await sw.fetchEvent(mainOnly("/b/"));
  assert.equal(await copy.text(), "B1");
  assert.equal(copy.headers.get("X-Djust-Offline"), "1");
  assert.equal(copy.headers.get("X-Djust-Main-Only-Response"), "1");
});

test("offline fallback: a page never seen shows the offline page (whole or main-only)", async () => {
  const srv = server();
  const sw = await installed(srv);
  srv.down = true;
  const full = await sw.fetchEvent(navigation("/never/"));
  assert.match(await full.text(), /<meta name="djust-offline" content="1">.*OFFLINE/s);
  const main = await sw.fetchEvent(mainOnly("/never/"));
  assert.equal(await main.text(), "OFFLINE");
  assert.equal(main.headers.get("X-Djust-Offline"), "1");
});

test("deny list: a login page goes to the network, is never kept, and offline shows the offline page", async () => {
  const srv = server();
  const caches = new FakeCaches();
  const sw = await installed(srv, { caches });
  assert.match(await (await sw.fetchEvent(navigation("/login/"))).text(), /LOGIN/);
  await sw.fetchEvent(mainOnly("/login/?next=/a/"));
  const kept = [...(caches.stores.get("djust-pages-v1")?.keys() ?? [])];
  assert.ok(!kept.some((key) => key.includes("login")), kept.join());
  srv.down = true;
  assert.match(await (await sw.fetchEvent(navigation("/login/"))).text(), /OFFLINE/);
});

test("partition clear: a response of another user clears the pages, VDOM cache, snapshots and shell, and tells the pages", async () => {
  const srv = server();
  const caches = new FakeCaches();
  const sw = await installed(srv, { caches });
  const told = [];
  sw.self.clients.matchAll = async () => [{ postMessage: (message) => told.push(structuredClone(message)) }];
  await sw.fetchEvent(navigation("/a/"));
  await sw.message({ type: "VDOM_CACHE", url: "/a/", html: "<p>alice</p>", version: 1, partition: "p1" });
  assert.ok(caches.stores.has("djust-vdom-cache-v1"));
  assert.deepEqual(told, [], "the first partition seen clears nothing");
  srv.partition = "p2";
  await sw.fetchEvent(navigation("/b/"));
  assert.deepEqual(told, [{ type: "DJUST_PARTITION_CHANGED", partition: "p2" }]);
  assert.ok(!caches.stores.has("djust-vdom-cache-v1"));
  srv.down = true;
  assert.match(await (await sw.fetchEvent(navigation("/a/"))).text(), /OFFLINE/, "the first user's copy is gone");
  assert.match(await (await sw.fetchEvent(navigation("/b/"))).text(), /B1/, "the new user's page is kept");
});

test("bounds: beyond maxPages the least recently used page goes; saved pages are never evicted", async () => {
  const srv = server({ config: { maxPages: 2 } });
  const sw = await installed(srv);
  assert.deepEqual(await sw.message({ type: "DJUST_SAVE_OFFLINE", url: "/c/", requestId: "s1" }), [
    { type: "DJUST_OFFLINE_REPLY", requestId: "s1", ok: true },
  ]);
  for (const path of ["/a/", "/b/", "/offline/"]) await sw.fetchEvent(navigation(path));
  srv.down = true;
  assert.match(await (await sw.fetchEvent(navigation("/a/"))).text(), /<main>OFFLINE/, "/a/ was evicted");
  assert.match(await (await sw.fetchEvent(navigation("/b/"))).text(), /B1/);
  assert.match(await (await sw.fetchEvent(navigation("/c/"))).text(), /C1/, "the saved page stays");
  const [list] = await sw.message({ type: "DJUST_OFFLINE_PAGES", requestId: "l" });
  assert.deepEqual(list.pages.map((p) => [p.url, p.title]), [["/c/", "t"]]);
});

test("quota eviction: a write over quota evicts the oldest unsaved page instead of failing", async () => {
  const srv = server();
  const caches = new FakeCaches();
  const sw = await installed(srv, { caches });
  await sw.fetchEvent(navigation("/a/"));
  await sw.fetchEvent(navigation("/b/"));
  const open = caches.open.bind(caches);
  let refusals = 0;
  caches.open = async (name) => {
    const cache = await open(name);
    const put = cache.put;
    cache.put = async (key, response) => {
      const store = caches.stores.get(name);
      const pages = [...store.keys()].filter((k) => k.includes("/pages/")).length;
      if (name === "djust-pages-v1" && String(key).includes("/pages/") && pages >= 2) {
        refusals += 1;
        throw Object.assign(new Error("quota"), { name: "QuotaExceededError" });
      }
      return put(key, response);
    };
    return cache;
  };
  const third = await sw.fetchEvent(navigation("/c/"));
  assert.match(await third.text(), /C1/);
  assert.equal(refusals, 1);
  srv.down = true;
  assert.match(await (await sw.fetchEvent(navigation("/c/"))).text(), /C1/, "the new page was kept");
  assert.match(await (await sw.fetchEvent(navigation("/a/"))).text(), /OFFLINE/, "the oldest made room");
  assert.match(await (await sw.fetchEvent(navigation("/b/"))).text(), /B1/);
});

test("saved pages: save fetches the page without a visit; remove drops it; denied URLs are refused", async () => {
  const srv = server();
  const sw = await installed(srv);
  const ask = async (message) => (await sw.message({ requestId: "r", ...message }))[0];
  assert.equal((await ask({ type: "DJUST_SAVE_OFFLINE", url: `${ORIGIN}/b/` })).ok, true);
  assert.equal((await ask({ type: "DJUST_SAVE_OFFLINE", url: "/login/" })).ok, false);
  assert.equal((await ask({ type: "DJUST_SAVE_OFFLINE", url: "https://elsewhere.test/b/" })).ok, false);
  srv.down = true;
  assert.equal(await (await sw.fetchEvent(mainOnly("/b/"))).text(), "B1");
  assert.deepEqual((await ask({ type: "DJUST_OFFLINE_PAGES" })).pages.map((p) => p.url), ["/b/"]);
  assert.equal((await ask({ type: "DJUST_REMOVE_OFFLINE", url: "/b/" })).ok, true);
  assert.deepEqual((await ask({ type: "DJUST_OFFLINE_PAGES" })).pages, []);
  assert.equal(await (await sw.fetchEvent(mainOnly("/b/"))).text(), "OFFLINE");
});

test("version cleanup: activating v2 deletes v1's precache and keeps every other cache", async () => {
  const caches = new FakeCaches();
  await installed(server(), { caches });
  await (await caches.open("djust-shell-v1")).put("x", new Response("s"));
  const v2 = await installed(server({ config: { version: "v2" } }), { caches, version: "v2", active: {} });
  assert.deepEqual((await caches.keys()).sort(), ["djust-pages-v1", "djust-precache-v2", "djust-shell-v1"].sort().filter((n) => caches.stores.has(n)));
  assert.ok(!caches.stores.has("djust-precache-v1"));
  assert.ok(caches.stores.has("djust-precache-v2"));
  assert.ok(caches.stores.has("djust-shell-v1"));
  assert.equal(v2.self.skipped, 0, "an update waits for the page");
  await v2.message({ type: "DJUST_SKIP_WAITING" });
  assert.equal(v2.self.skipped, 1);
});

test("a first install activates at once; without a version the worker keeps its old behaviour", async () => {
  const first = await installed(server());
  assert.equal(first.self.skipped, 1);
  const plain = loadServiceWorker({ fetch: server().fetch });
  await plain.dispatch("install", {});
  assert.equal(plain.self.skipped, 1);
  assert.equal(plain.requests.length, 0, "no precache without a version");
  assert.equal(await plain.fetchEvent(mainOnly("/a/")), null, "main-only requests are not intercepted");
});

test("a page only ever loaded whole still fills a shell offline: its main-only answer is cut from the whole copy", async () => {
  const srv = server();
  const sw = await installed(srv);
  await sw.fetchEvent(navigation("/a/"));
  srv.down = true;
  const main = await sw.fetchEvent(mainOnly("/a/"));
  assert.equal(await main.text(), "A1");
  assert.equal(main.headers.get("X-Djust-Main-Only-Response"), "1");
  assert.equal(main.headers.get("X-Djust-Title"), "t");
  assert.equal(main.headers.get("X-Djust-Offline"), "1");
});

test("with the instant shell: navigations get the shell at once (nothing kept from it); main-only answers are kept", async () => {
  const srv = server();
  const fetch = srv.fetch;
  srv.fetch = async (request) => {
    const response = await fetch(request);
    if (!response.headers.get("Content-Type")?.startsWith("text/html")) return response;
    const headers = new Headers(response.headers);
    headers.set("X-Djust-Shell-Version", "v1");
    return new Response(await response.text(), { status: response.status, headers });
  };
  const sw = await installed(srv);
  await sw.fetchEvent(navigation("/a/")); // makes the shell
  const before = srv.fetched.length;
  const shell = await sw.fetchEvent(navigation("/b/"));
  assert.equal(srv.fetched.length, before, "the shell answered without the network");
  assert.match(await shell.text(), /data-djust-shell-placeholder="1"/);
  assert.equal(shell.headers.get("X-Djust-Offline"), null);
  await sw.fetchEvent(mainOnly("/b/"));
  srv.down = true;
  assert.equal(await (await sw.fetchEvent(mainOnly("/b/"))).text(), "B1");
  assert.match(await (await sw.fetchEvent(navigation("/c/"))).text(), /data-djust-shell-placeholder/, "offline, the shell still paints");
});

test("bounds: beyond maxBytes the least recently used pages go", async () => {
  const srv = server({ config: { maxBytes: 300 } });
  const sw = await installed(srv);
  for (const path of ["/a/", "/b/"]) await sw.fetchEvent(navigation(path)); // 85 characters each
  srv.pages["/c/"] = "C".repeat(100);
  await sw.fetchEvent(navigation("/c/"));
  srv.down = true;
  assert.match(await (await sw.fetchEvent(navigation("/a/"))).text(), /<main>OFFLINE/, "/a/ made room");
  assert.match(await (await sw.fetchEvent(navigation("/b/"))).text(), /B1/);
  assert.match(await (await sw.fetchEvent(navigation("/c/"))).text(), /CCCC/);
});
