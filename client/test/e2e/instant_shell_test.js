// The instant shell with the real service worker in Chromium: a navigation paints the cached
// shell (its <nav>) before the slow server answers, then fills <main> with the fresh content
// and mounts its live view; a new shell version (a deploy that changes the layout) replaces
// the shell. Every test runs in a fresh browser context, so no worker or cache is shared.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { clickAndSettle, launchBrowser, openLive, waitMounted } from './helpers.js';
import { cachedShell, startExampleWith, startProxy, waitForController, waitForShell } from './sw_harness.js';

let browser;
before(async () => {
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
});

/** Records, in the page, when the shell was painted and when <main> was filled. */
function recordShellTimes() {
  window.__shell = { placeholder: false };
  document.addEventListener('DOMContentLoaded', () => {
    const main = document.querySelector('main');
    window.__shell.placeholder = main?.getAttribute('data-djust-shell-placeholder') === '1';
    window.__shell.mainEmptyAtLoad = main?.innerHTML === '';
    window.__shell.mainAttributesAtLoad = main && [main.id, main.className];
    window.__shell.navAtLoad = document.querySelector('nav')?.textContent.trim() ?? null;
    // A frame rendered after the shell was parsed: its <nav> is on screen.
    requestAnimationFrame(() => setTimeout(() => {
      window.__shell.framePainted = performance.now();
      window.__shell.mainEmptyAtPaint = document.querySelector('main')?.innerHTML === '';
    }, 0));
  });
  window.addEventListener('djust:shell-swapped', () => {
    window.__shell.swapped = performance.now();
    window.__shell.titleAtSwap = document.title;
  });
}

test('the second navigation to /slow/ paints the shell before the server answers, then the fresh <main>', async () => {
  const server = await startExampleWith({});
  const context = await browser.newContext();
  try {
    const page = await openLive(context, `${server.base}/counter/`);
    await waitForController(page);
    // The first navigation the worker sees goes to the network (1.5 s) and makes the shell.
    await page.goto(`${server.base}/slow/`);
    await waitMounted(page);
    await waitForShell(page);
    assert.equal(await page.evaluate(() => document.querySelector('main').hasAttribute('data-djust-shell-placeholder')), false);

    await page.addInitScript(recordShellTimes);
    const started = Date.now();
    await page.goto(`${server.base}/slow/`, { waitUntil: 'domcontentloaded' });
    const domReady = Date.now() - started;
    await page.waitForSelector('main #slow-title');
    await waitMounted(page);

    const times = await page.evaluate(() => {
      const paint = performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? null;
      const mainOnly = performance.getEntriesByType('resource')
        .find((entry) => entry.initiatorType === 'fetch' && entry.name === location.href);
      return { ...window.__shell, paint, answered: mainOnly?.responseStart ?? null, requested: mainOnly?.startTime ?? null };
    });
    const navVisible = times.paint ?? times.framePainted;
    console.log(`[instant shell] /slow/ (server waits 1.5 s): <nav> painted at ${navVisible.toFixed(0)} ms ` +
      `(first-contentful-paint ${times.paint?.toFixed(0)} ms, first frame ${times.framePainted.toFixed(0)} ms; ` +
      `DOMContentLoaded seen by the test after ${domReady} ms); main-only answer at ${times.answered.toFixed(0)} ms; ` +
      `<main> filled at ${times.swapped.toFixed(0)} ms`);

    assert.equal(times.placeholder, true, 'the page was the cached shell');
    assert.equal(times.mainEmptyAtLoad, true);
    assert.deepEqual(times.mainAttributesAtLoad, ['content', 'page'], "the placeholder kept <main>'s attributes");
    assert.equal(times.mainEmptyAtPaint, true, 'the first frame showed the shell with an empty <main>');
    assert.match(times.navAtLoad, /Counter/);
    // Ordering only, no wall-clock assertions: <nav> visible, then the server answers, then <main> is filled.
    assert.ok(navVisible < times.answered, `nav painted (${navVisible}) before the answer (${times.answered})`);
    assert.ok(times.answered <= times.swapped);

    // The fresh <main>: placeholder gone, attributes kept, the page's title (X-Djust-Title)
    // set with the swap.
    assert.deepEqual(await page.evaluate(() => {
      const main = document.querySelector('main');
      return [main.hasAttribute('data-djust-shell-placeholder'), main.id, main.className];
    }), [false, 'content', 'page']);
    assert.equal(times.titleAtSwap, 'Slow page · djust example');
    // Its live view is mounted over the socket and answers events.
    await clickAndSettle(page, '#slow-ping');
    assert.equal(await page.textContent('#slow-pings'), '1');
    assert.deepEqual(page.problems, []);
  } finally {
    await context.close();
    await server.stop();
  }
});

test('a new shell version (a deploy that changed the layout) replaces the cached shell', async () => {
  const first = await startExampleWith({ DJUST_EXAMPLE_RELEASE: 'r1' });
  const proxy = await startProxy(first.port);
  const context = await browser.newContext();
  let second = null;
  try {
    const page = await openLive(context, `${proxy.base}/counter/`);
    await waitForController(page);
    await page.goto(`${proxy.base}/tally/`);
    await waitMounted(page);
    await waitForShell(page);
    const old = await cachedShell(page);
    assert.match(old.text, /release <span id="release">r1<\/span>/);

    // Deploy: the same origin now reaches a server whose layout differs.
    second = await startExampleWith({ DJUST_EXAMPLE_RELEASE: 'r2' });
    proxy.target = second.port;
    await first.stop('SIGKILL');

    // The worker answers with the old shell; the fresh main-only answer carries another
    // version, so the page drops the shell and loads from the network.
    await page.goto(`${proxy.base}/counter/`);
    await page.waitForFunction(() => document.querySelector('#release')?.textContent === 'r2');
    await waitMounted(page);
    await page.waitForSelector('#count');
    await waitForShell(page);
    const fresh = await cachedShell(page);
    assert.notEqual(fresh.version, old.version);
    assert.match(fresh.text, /release <span id="release">r2<\/span>/);

    // The next navigation paints the new shell at once.
    await page.addInitScript(() => {
      document.addEventListener('DOMContentLoaded', () => {
        window.__releaseAtLoad = document.querySelector('#release')?.textContent;
        window.__wasShell = document.querySelector('main')?.hasAttribute('data-djust-shell-placeholder');
      });
    });
    await page.goto(`${proxy.base}/tally/`);
    await waitMounted(page);
    assert.deepEqual(await page.evaluate(() => [window.__wasShell, window.__releaseAtLoad]), [true, 'r2']);
    assert.ok(await page.$('#tally-count'));
  } finally {
    await context.close();
    await proxy.stop();
    await second?.stop('SIGKILL');
    await first.stop('SIGKILL');
  }
});

test("a shell cached before a deploy that changed the client's URL still loads a client and fills <main>", async () => {
  const server = await startExampleWith({});
  const context = await browser.newContext();
  try {
    const page = await openLive(context, `${server.base}/counter/`);
    await waitForController(page);
    await page.goto(`${server.base}/tally/`);
    await waitMounted(page);
    await waitForShell(page);
    // Make the cached shell name the client under another deployment's hash.
    const stale = await page.evaluate(async () => {
      const key = new URL('/static/djust/__djust_shell__', location.href).href;
      const cache = await caches.open('djust-shell-v1');
      const shell = await cache.match(key);
      const text = (await shell.text()).replace(/\/static\/djust\/[0-9a-f]{12}\/client\.js/, '/static/djust/000000000000/client.js');
      await cache.put(key, new Response(text, { headers: shell.headers }));
      return text.includes('/static/djust/000000000000/client.js');
    });
    assert.equal(stale, true);
    await page.addInitScript(() => {
      document.addEventListener('DOMContentLoaded', () => {
        window.__clientUrl = document.querySelector('script[type="module"][src$="client.js"]')?.getAttribute('src');
      });
    });
    await page.goto(`${server.base}/counter/`);
    await page.waitForSelector('main #count');
    await waitMounted(page);
    assert.equal(await page.evaluate(() => window.__clientUrl), '/static/djust/000000000000/client.js');
    await clickAndSettle(page, '#increment');
    assert.equal(await page.textContent('#count'), '1');
  } finally {
    await context.close();
    await server.stop('SIGKILL');
  }
});
