// Live navigation, state snapshots and mount batching in real Chromium against the example:
// the cart comes back restored (not mounted) after dj-link away and back, a tampered snapshot
// gives a clean fresh mount, and the dashboard mounts its visible lazy views with one
// mount_batch frame (five render, one shows its failure).
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { settled, withExample } from './helpers.js';

const env = withExample();

/** Opens `url` recording the frames the page sends and receives; waits for the socket. */
async function openRecording(context, url) {
  const page = await context.newPage();
  page.problems = [];
  page.on('pageerror', (error) => page.problems.push(`pageerror: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') page.problems.push(`console: ${message.text()}`);
  });
  page.sent = [];
  page.received = [];
  page.on('websocket', (socket) => {
    socket.on('framesent', (frame) => page.sent.push(JSON.parse(frame.payload)));
    socket.on('framereceived', (frame) => page.received.push(JSON.parse(frame.payload)));
  });
  await page.goto(url);
  await page.waitForSelector('body.dj-connected');
  return page;
}

const loads = (page) => page.evaluate(() => performance.getEntriesByType('navigation').length);

/** Fills the cart, then follows the dj-link to the dashboard (a live navigation). */
async function fillCartAndLeave(page) {
  await page.waitForSelector('#dj-v-cart[dj-mounted]');
  assert.match(await page.textContent('#origin'), /^mounted at/);
  for (const item of ['Tea', 'Cake']) {
    await page.click(`button[dj-value-item="${item}"]`);
    await settled(page);
  }
  await page.fill('#coupon', 'spring');
  await page.press('#coupon', 'Tab');
  await page.waitForSelector('#coupon-shown');
  assert.deepEqual(await page.$$eval('#items li', (items) => items.map((li) => li.textContent)), ['Tea', 'Cake']);
  const navigated = page.evaluate(() => new Promise((resolve) => {
    window.addEventListener('djust:navigated', (event) => resolve(event.detail), { once: true });
  }));
  await page.click('#to-dashboard');
  assert.deepEqual(await navigated, { fromUrl: '/cart/', toUrl: '/dashboard/' });
  await page.waitForSelector('#dj-v-dashboard[dj-mounted]');
  assert.equal(new URL(page.url()).pathname, '/dashboard/');
  assert.equal(await page.getAttribute('nav a[aria-current="page"]', 'href'), '/dashboard/');
}

test('the cart is restored on back-navigation, without a mount on the server', async () => {
  const context = await env.browser.newContext();
  const page = await openRecording(context, `${env.server.base}/cart/`);
  const firstLoads = await loads(page);
  await fillCartAndLeave(page);

  await page.goBack();
  await page.waitForSelector('#dj-v-cart[dj-mounted]');
  assert.equal(new URL(page.url()).pathname, '/cart/');
  assert.match(await page.textContent('#origin'), /^restored at/);
  assert.deepEqual(await page.$$eval('#items li', (items) => items.map((li) => li.textContent)), ['Tea', 'Cake']);
  assert.equal(await page.inputValue('#coupon'), 'SPRING');

  // The mount carried the snapshot; the server answered "restored" (it did not run mount).
  const cartMounts = page.sent.filter((frame) => frame.type === 'mount' && frame.target === 'dj-v-cart');
  assert.equal(cartMounts.length, 2);
  assert.equal(typeof cartMounts[1].snapshot, 'string');
  const answer = page.received.filter((frame) => frame.type === 'mount' && frame.target === 'dj-v-cart').at(-1);
  assert.equal(answer.restored, true);
  // Live navigation both ways: no page load.
  assert.equal(await loads(page), firstLoads);
  assert.deepEqual(page.problems, []);
  await context.close();
});

test('a tampered snapshot gives a clean fresh mount', async () => {
  const context = await env.browser.newContext();
  const page = await openRecording(context, `${env.server.base}/cart/`);
  await fillCartAndLeave(page);
  // The example keeps snapshots in the service worker: read the cart's, store a forged one.
  await page.evaluate(async () => {
    // The page's partition, as the server renders it for this browser session.
    const html = await (await fetch('/cart/')).text();
    const partition = html.match(/dj-partition="([^"]+)"/)[1];
    const registration = await navigator.serviceWorker.ready;
    const ask = (message) => new Promise((resolve) => {
      const requestId = `test-${Math.random()}`;
      navigator.serviceWorker.addEventListener('message', function reply(event) {
        if (event.data?.requestId !== requestId) return;
        navigator.serviceWorker.removeEventListener('message', reply);
        resolve(event.data);
      });
      registration.active.postMessage({ ...message, requestId, partition });
    });
    const entry = await ask({ type: 'STATE_SNAPSHOT_LOOKUP', url: '/cart/' });
    if (!entry.hit) throw new Error('no snapshot kept for /cart/');
    const [issued, state, mac] = entry.state_json.split('.');
    const forged = btoa(JSON.stringify({ coupon: 'FREE', items: ['Tea', 'Tea', 'Tea'] }))
      .replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
    if (forged === state) throw new Error('not tampered');
    registration.active.postMessage({
      type: 'STATE_SNAPSHOT', url: '/cart/', view_slug: entry.view_slug, state_json: [issued, forged, mac].join('.'), partition,
    });
  });

  await page.goBack();
  await page.waitForSelector('#dj-v-cart[dj-mounted]');
  assert.match(await page.textContent('#origin'), /^mounted at/);
  assert.equal(await page.$$eval('#items li', (items) => items.length), 0);
  assert.equal(await page.inputValue('#coupon'), '');
  const answer = page.received.filter((frame) => frame.type === 'mount' && frame.target === 'dj-v-cart').at(-1);
  assert.equal(answer.restored, undefined);
  assert.ok(!page.received.some((frame) => frame.type === 'error'), 'a bad snapshot is never an error');
  assert.deepEqual(page.problems, []);
  await context.close();
});

test('back-navigation paints the cached HTML before the server answers', async () => {
  const context = await env.browser.newContext();
  const page = await openRecording(context, `${env.server.base}/cart/`);
  await fillCartAndLeave(page);
  await page.evaluate(() => {
    window.__painted = null;
    window.addEventListener('djust:vdom-cache-applied', (event) => {
      window.__painted = {
        url: event.detail.url,
        items: [...document.querySelectorAll('main #items li')].map((li) => li.textContent),
        // The server has not answered the mount yet.
        mounted: document.querySelectorAll('main [dj-mounted]').length,
      };
    }, { once: true });
  });
  await page.goBack();
  await page.waitForSelector('#dj-v-cart[dj-mounted]');
  assert.deepEqual(await page.evaluate(() => window.__painted), { url: '/cart/', items: ['Tea', 'Cake'], mounted: 0 });
  assert.match(await page.textContent('#origin'), /^restored at/);
  assert.deepEqual(page.problems, []);
  await context.close();
});

test('back-navigation restores the scroll position; forward navigation starts at the top', async () => {
  const context = await env.browser.newContext();
  const page = await openRecording(context, `${env.server.base}/cart/`);
  await page.waitForSelector('#dj-v-cart[dj-mounted]');
  await page.evaluate(() => {
    document.body.style.minHeight = '5000px';
    window.scrollTo(0, 1200);
  });
  const navigated = () => page.evaluate(() => new Promise((resolve) => {
    window.addEventListener('djust:navigated', () => resolve(window.scrollY), { once: true });
  }));
  let arrived = navigated();
  await page.evaluate(() => document.getElementById('to-dashboard').click());
  assert.equal(await arrived, 0);
  arrived = navigated();
  await page.goBack();
  assert.equal(await arrived, 1200);
  await context.close();
});

/** The dashboard's lazy widgets: five mounted, one failed. */
async function widgetsSettled(page) {
  await page.waitForFunction(() => document.querySelectorAll('[data-live-hydrated][dj-mounted]').length === 5
    && document.querySelectorAll('[dj-mount-failed]').length === 1);
}

test('the dashboard mounts its visible lazy views with exactly one mount_batch', async () => {
  const context = await env.browser.newContext();
  const page = await openRecording(context, `${env.server.base}/dashboard/`);
  await widgetsSettled(page);

  const batches = page.sent.filter((frame) => frame.type === 'mount_batch');
  assert.equal(batches.length, 1);
  assert.equal(batches[0].views.length, 6);
  const mounts = page.sent.filter((frame) => frame.type === 'mount').map((frame) => frame.target);
  assert.deepEqual(mounts, ['dj-v-dashboard']);

  const values = await page.$$eval('[dj-mounted] .widget h2', (titles) => titles.map((h2) => h2.textContent));
  assert.deepEqual(values, ['Visitors', 'Sales', 'Signups', 'Latency (ms)', 'Errors']);
  assert.match(await page.textContent('#dj-v-reports'), /reporting service is unavailable/);

  // Each widget gets its own events over the one connection.
  await page.click('#dj-v-sales .refresh');
  await settled(page);
  assert.equal(await page.textContent('#dj-v-sales .value'), '88');
  assert.equal(await page.textContent('#dj-v-visitors .value'), '1204');
  assert.deepEqual(page.problems, []);
  await context.close();
});

test('DJUST_USE_MOUNT_BATCH = false mounts the lazy views one by one', async () => {
  const context = await env.browser.newContext();
  await context.addInitScript(() => {
    window.DJUST_USE_MOUNT_BATCH = false;
  });
  const page = await openRecording(context, `${env.server.base}/dashboard/`);
  await widgetsSettled(page);
  assert.equal(page.sent.filter((frame) => frame.type === 'mount_batch').length, 0);
  assert.equal(page.sent.filter((frame) => frame.type === 'mount').length, 7);
  await context.close();
});
