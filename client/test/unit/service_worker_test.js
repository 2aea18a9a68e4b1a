// The real service worker script under a stubbed `self`: HTML-aware shell split, what is cached
// and what is not, what is intercepted, the message gate and DJUST_CLEAR_SHELL.

import assert from "node:assert/strict";
import fs from "node:fs";
import { test } from "node:test";

import { ORIGIN, loadServiceWorker, navigation, page } from "../helpers/sw_env.js";

const PAGE = '<!DOCTYPE html><html><head><title>t</title></head><body><nav>N</nav>' +
  '<main id="content" class="wide" role="main">INNER</main><footer>F</footer></body></html>';

const scan = () => loadServiceWorker().self.djustHtmlScan;

test("the shell keeps everything but <main>'s content, and <main>'s own attributes", () => {
  const { shell, main } = scan().splitShellAndMain(PAGE, "v1");
  assert.equal(main, "INNER");
  assert.equal(
    shell,
    '<!DOCTYPE html><html><head><title>t</title></head><body><nav>N</nav>' +
      '<main id="content" class="wide" role="main" data-djust-shell-placeholder="1" ' +
      'data-djust-shell-version="v1"></main><footer>F</footer></body></html>',
  );
  assert.deepEqual({ ...scan().splitShellAndMain("<p>no main</p>") }, { shell: null, main: null });
});

test("markup that only looks like <main> is skipped", () => {
  const cases = [
    ["<!-- <main>c</main> --><main>ok</main>", "ok"],
    ["<![CDATA[<main>c</main>]]><main>ok</main>", "ok"],
    ["<svg><![CDATA[</main><main>]]></svg><main>ok</main>", "ok"],
    ["<script>let s = '<main>s</main>';</script><main>ok</main>", "ok"],
    ["<style>/* <main> */</style><main>ok</main>", "ok"],
    ["<textarea><main>t</main></textarea><main>ok</main>", "ok"],
    ["<title><main></title><main>ok</main>", "ok"],
    ['<div title="<main>a</main>" data-x=\'>\'></div><main>ok</main>', "ok"],
    ["<svg><main>f</main></svg><main>ok</main>", "ok"],
    ["<MAIN Class=a>up</Main>", "up"],
    ["<main>a<main>b</main>c</main>d</main>", "a<main>b</main>c"],
    ["<main><script>x('</main>')</script>ok</main>", "<script>x('</main>')</script>ok"],
    ["<body><main>open<p>x</p></body></html>", "open<p>x</p>"],
    ["<main>to the end", "to the end"],
  ];
  const { splitShellAndMain } = scan();
  for (const [html, inner] of cases) assert.equal(splitShellAndMain(html).main, inner, html);
  assert.equal(splitShellAndMain("<!-- <main>x</main> -->").main, null);
  const upper = splitShellAndMain("<BODY><MAIN ROLE=main>x</MAIN></BODY>", "v");
  assert.equal(upper.shell, '<BODY><main ROLE=main data-djust-shell-placeholder="1" data-djust-shell-version="v"></main></BODY>');
});

test("the worker splits every shared extraction case as the server's MainOnly does", () => {
  // djust-core/tests/main_extraction.rs reads the same file.
  const fixture = new URL("../../../djust-core/tests/fixtures/main_extraction.json", import.meta.url);
  const cases = JSON.parse(fs.readFileSync(fixture, "utf8"));
  assert.ok(cases.length >= 30);
  const { splitShellAndMain } = scan();
  for (const { name, html, inner } of cases) assert.equal(splitShellAndMain(html).main, inner, `${name}: ${html}`);
});

test("a first navigation goes to the network, returns its response unchanged, and caches the shell", async () => {
  const network = page(PAGE, { version: "v1" });
  const sw = loadServiceWorker({ fetch: async () => network });
  const response = await sw.fetchEvent(navigation("/counter/"));
  assert.equal(response, network);
  assert.equal(sw.requests.length, 1);

  const second = await sw.fetchEvent(navigation("/elsewhere/?q=1"));
  assert.equal(sw.requests.length, 1, "the second navigation never reaches the network");
  assert.equal(second.headers.get("X-Djust-Shell-Version"), "v1");
  const shell = await second.text();
  assert.match(shell, /<main id="content" class="wide" role="main" data-djust-shell-placeholder="1" data-djust-shell-version="v1"><\/main>/);
  assert.match(shell, /<nav>N<\/nav>/);
  assert.doesNotMatch(shell, /INNER/);
});

test("error pages, non-HTML, pages without <main> or without a shell version are never cached", async () => {
  const responses = [
    page(PAGE, { status: 404 }),
    page(PAGE, { status: 500 }),
    page(PAGE, { status: 201 }),
    page(PAGE, { type: "application/json" }),
    page(PAGE, { type: "text/plain" }),
    page("<html><body><div>no main</div></body></html>"),
    page(PAGE, { version: null }),
  ];
  for (const network of responses) {
    const sw = loadServiceWorker({ fetch: async () => network.clone() });
    const first = await sw.fetchEvent(navigation("/a/"));
    assert.equal(first.status, network.status);
    await sw.fetchEvent(navigation("/b/"));
    assert.equal(sw.requests.length, 2, `${network.status} ${network.headers.get("Content-Type")}`);
  }
});

test("only same-origin GET navigations without X-Djust-Main-Only: 1 are intercepted", async () => {
  const sw = loadServiceWorker({ fetch: async () => page(PAGE) });
  const skipped = [
    navigation("/a/", { method: "POST" }),
    navigation("/a/", { mode: "cors" }),
    navigation("/a/", { mode: "no-cors" }),
    navigation("/a/", { headers: { "X-Djust-Main-Only": "1" } }),
    navigation("https://elsewhere.test/a/"),
  ];
  for (const request of skipped) assert.equal(await sw.fetchEvent(request), null, JSON.stringify(request));
  assert.equal(sw.requests.length, 0);
  // With a shell cached, a file (a download) is still not given the shell; a page is.
  await sw.fetchEvent(navigation("/a/"));
  for (const file of ["/export.csv", "/files/report.pdf"]) {
    assert.equal(sw.self.djustInstantShell.intercepts(navigation(file)), false, file);
  }
  for (const pageUrl of ["/a/", "/b", "/x.html", "/v1.2/"]) {
    assert.equal(sw.self.djustInstantShell.intercepts(navigation(pageUrl)), true, pageUrl);
  }
  assert.notEqual(await sw.fetchEvent(navigation("/a/", { headers: { "X-Djust-Main-Only": "0" } })), null);
});

test("DJUST_CLEAR_SHELL drops the shell: the next navigation goes to the network", async () => {
  const sw = loadServiceWorker({ fetch: async () => page(PAGE) });
  await sw.fetchEvent(navigation("/a/"));
  await sw.fetchEvent(navigation("/a/"));
  assert.equal(sw.requests.length, 1);
  assert.deepEqual(await sw.message({ type: "DJUST_CLEAR_SHELL" }), []);
  await sw.fetchEvent(navigation("/a/"));
  assert.equal(sw.requests.length, 2);
});

test("DJUST_CLEAR_SHELL with a port is acknowledged on it once the shell is gone", async () => {
  const sw = loadServiceWorker({ fetch: async () => page(PAGE) });
  await sw.fetchEvent(navigation("/a/"));
  const acks = [];
  const port = { postMessage: (reply) => acks.push(structuredClone(reply)) };
  await sw.dispatch("message", {
    data: { type: "DJUST_CLEAR_SHELL" },
    origin: ORIGIN,
    source: { type: "window", url: `${ORIGIN}/page/`, postMessage() {} },
    ports: [port],
  });
  assert.deepEqual(acks, [{ type: "DJUST_CLEAR_SHELL", done: true }]);
  assert.equal(await sw.self.djustInstantShell.cached(), undefined);
});

test("the message gate: only same-origin window clients inside the scope, with a typed object", async () => {
  const sw = loadServiceWorker({ fetch: async () => page(PAGE) });
  await sw.fetchEvent(navigation("/a/"));
  const clear = { type: "DJUST_CLEAR_SHELL" };
  const rejected = [
    () => sw.message(clear, {}, "https://evil.test"),
    () => sw.message(clear, { type: "worker" }),
    () => sw.message(clear, { url: "https://evil.test/page/" }),
    () => sw.message(clear, { url: undefined }),
  ];
  for (const send of rejected) await send();
  await sw.dispatch("message", { data: clear, origin: ORIGIN, source: null });
  for (const data of [null, "DJUST_CLEAR_SHELL", { type: 1 }, {}]) await sw.message(data);
  await sw.fetchEvent(navigation("/b/"));
  assert.equal(sw.requests.length, 1, "the shell survived every rejected message");

  // An unknown type gets no reply (the old bridge's messages included: the outbox replaced it).
  for (const type of ["DJUST_WHATEVER", "DJUST_BUFFER", "DJUST_DRAIN"]) {
    assert.deepEqual(await sw.message({ type, connectionId: "c", payload: "x" }), [], type);
  }
});

test("install skips waiting and activate claims the clients", async () => {
  const sw = loadServiceWorker();
  await sw.dispatch("install", {});
  await sw.dispatch("activate", {});
  assert.equal(sw.self.clients.claimed, true);
});
