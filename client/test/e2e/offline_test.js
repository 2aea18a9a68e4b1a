// The offline mode with the real service worker in Chromium and the example server really
// stopped (SIGKILL): a visited page from cache with the banner and disabled submit buttons,
// cleared when the server is back; a never-visited page shows the offline page listing the
// saved pages; a saved page loads; a login as another user clears the previous user's pages
// (and reloads a tab showing them);
// a new worker version fires djust:sw-update and old caches are gone after activation. Every
// test has its own server and browser context.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { launchBrowser, openLive, startExample, waitMounted } from './helpers.js';
import { waitForController } from './sw_harness.js';

let browser;
before(async () => {
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
});

/** The worker's kept copies, read inside `page`: `[{key, text}]`. */
function keptPages(page) {
  return page.evaluate(async () => {
    const cache = await caches.open('djust-pages-v1');
    const out = [];
    for (const request of await cache.keys()) {
      if (!request.url.includes('/__djust/pages/')) continue;
      out.push({ key: decodeURIComponent(request.url), text: await (await cache.match(request)).text() });
    }
    return out;
  });
}

/** Waits until a kept copy whose key contains `path` matches `pattern`. */
async function waitForCopy(page, path, pattern = /./) {
  await page.waitForFunction(async ([p, source]) => {
    const cache = await caches.open('djust-pages-v1');
    for (const request of await cache.keys()) {
      const key = decodeURIComponent(request.url);
      if (key.endsWith(`/${p}`) && new RegExp(source).test(await (await cache.match(request)).text())) return true;
    }
    return false;
  }, [path, pattern.source], { polling: 100, timeout: 15_000 });
}

/** A controlled page of `server` at `path`, after the worker installed (and precached). */
async function controlled(context, server, path) {
  const page = await openLive(context, `${server.base}${path}`);
  await waitForController(page);
  return page;
}

test('a visited page loads from cache with the banner and disabled submit buttons; the server back clears them', async () => {
  const server = await startExample();
  const context = await browser.newContext();
  try {
    const page = await controlled(context, server, '/counter/');
    await page.goto(`${server.base}/form/`);
    await waitMounted(page);
    await waitForCopy(page, '/form/', /post-form/);

    await server.kill();
    await page.addInitScript(() => {
      addEventListener('djust:shell-swapped', (event) => {
        window.__swapped = event.detail;
      });
    });
    await page.goto(`${server.base}/form/`, { waitUntil: 'domcontentloaded' });
    await page.waitForSelector('body.dj-offline');
    assert.equal((await page.evaluate(() => window.__swapped))?.offline, true, 'the shell was filled from the copy');
    assert.equal(await page.textContent('.dj-offline-banner'), 'You are offline. This page may be out of date.');
    assert.equal(await page.isDisabled('#save'), true, 'the live view\'s submit button is disabled');
    assert.equal(await page.isDisabled('#move-cursor'), false, 'a plain button is not');
    assert.ok(await page.$('main #post-form'), 'the form came from the copy');

    await server.start();
    await page.waitForSelector('body:not(.dj-offline)', { timeout: 30_000 });
    await page.waitForSelector('body.dj-connected');
    assert.equal(await page.$('.dj-offline-banner'), null);
    assert.equal(await page.isDisabled('#save'), false);
  } finally {
    await context.close();
    await server.stop();
  }
});

test('a never-visited page shows the offline page listing the saved pages; a saved page loads', async () => {
  const server = await startExample();
  const context = await browser.newContext();
  try {
    const page = await controlled(context, server, '/notes/');
    await page.click('#save-offline');
    await page.waitForSelector('#offline-state:text("Saved for offline")');
    assert.equal(await page.evaluate(() => djust.saveForOffline('/tally/')), true, 'saved without a visit');
    assert.equal(await page.evaluate(() => djust.saveForOffline('/login/')), false, 'denied');
    assert.deepEqual((await page.evaluate(() => djust.offlinePages())).map((p) => p.url).sort(), ['/notes/', '/tally/']);

    await server.kill();
    await page.goto(`${server.base}/chat/`, { waitUntil: 'domcontentloaded' });
    await page.waitForSelector('#offline-title');
    assert.ok(await page.$('meta[name="djust-offline"]'), 'no shell yet: the whole offline page');
    await page.waitForSelector('#saved-pages a[href="/tally/"]');
    const links = await page.$$eval('#saved-pages a', (as) => as.map((a) => a.getAttribute('href')).sort());
    assert.deepEqual(links, ['/notes/', '/tally/']);
    await page.waitForSelector('body.dj-offline');

    await page.goto(`${server.base}/tally/`, { waitUntil: 'domcontentloaded' });
    await page.waitForSelector('main #tally-count');
    await page.waitForSelector('body.dj-offline');
    assert.equal(await page.$('#offline-title'), null);
  } finally {
    await context.close();
    await server.stop();
  }
});

test("logging in as another user clears the previous user's cached pages", async () => {
  const server = await startExample();
  const context = await browser.newContext();
  try {
    const page = await controlled(context, server, '/');
    await page.goto(`${server.base}/login/`);
    await page.click('#login-alice');
    await page.waitForSelector('#notes-owner:text("Notes of alice")');
    await waitForCopy(page, '/notes/', /Notes of alice/);
    await page.goto(`${server.base}/counter/`);
    await waitMounted(page);
    await waitForCopy(page, '/counter/');
    assert.ok((await keptPages(page)).every((copy) => !copy.key.includes('/login')), 'the login page is never kept');

    const other = await context.newPage(); // another tab, showing alice's notes
    await other.goto(`${server.base}/notes/`);
    await other.waitForSelector('#notes-owner:text("Notes of alice")');
    await waitMounted(other);

    await page.goto(`${server.base}/login/`);
    await page.click('#login-bob');
    await page.waitForSelector('#notes-owner:text("Notes of bob")');
    await waitForCopy(page, '/notes/', /Notes of bob/);
    const kept = await keptPages(page);
    assert.ok(kept.every((copy) => !copy.text.includes('alice')), "none of alice's pages is left");
    assert.ok(kept.every((copy) => !copy.key.endsWith('/counter/')), "alice's /counter/ is gone");
    await other.waitForSelector('#notes-owner:text("Notes of bob")'); // the other tab reloaded

    await server.kill();
    await page.goto(`${server.base}/counter/`, { waitUntil: 'domcontentloaded' });
    await page.waitForSelector('#offline-title');
  } finally {
    await context.close();
    await server.stop();
  }
});

test('a new worker version fires djust:sw-update; after activation the old caches are gone', async () => {
  const env = { DJUST_EXAMPLE_RELEASE: 'r1' };
  const server = await startExample({ env });
  const context = await browser.newContext();
  try {
    const page = await controlled(context, server, '/counter/');
    const precaches = () => page.evaluate(async () => (await caches.keys()).filter((n) => n.startsWith('djust-precache-')));
    const [first] = await precaches();
    assert.ok(first);

    env.DJUST_EXAMPLE_RELEASE = 'r2';
    await server.restart();
    await page.addInitScript(() => {
      window.__updates = 0;
      addEventListener('djust:sw-update', () => {
        window.__updates += 1;
      });
    });
    await page.goto(`${server.base}/counter/`);
    await page.waitForSelector('.dj-sw-update button', { timeout: 30_000 });
    assert.ok(await page.evaluate(() => window.__updates) >= 1);
    assert.ok((await precaches()).includes(first), 'the old version still serves until the user reloads');

    await page.click('.dj-sw-update button');
    await page.waitForFunction(async (old) => {
      const names = (await caches.keys()).filter((n) => n.startsWith('djust-precache-'));
      return names.length === 1 && names[0] !== old && navigator.serviceWorker.controller !== null;
    }, first, { polling: 100, timeout: 30_000 });
    await waitMounted(page);
    const script = await page.evaluate(() => navigator.serviceWorker.controller.scriptURL);
    assert.ok(script.endsWith(`?v=${(await precaches())[0].slice('djust-precache-'.length)}`), script);
  } finally {
    await context.close();
    await server.stop();
  }
});
