// Events made during an outage, in Chromium, through a TCP proxy that cuts the connection (drops
// the open ones, refuses new ones) for a few seconds while the server keeps running. The /tally/
// view keeps its log in the application, so what the server applied can be read back: clicks
// made while cut wait in the views' outbox (`delivery.js`) and are applied after the
// reconnection exactly once each, in order, with or without a service worker; 60 of them (more
// than the old worker-side buffer's cap of 50) are all delivered.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { launchBrowser, openLive } from './helpers.js';
import { startExampleWith, startProxy, waitForController } from './sw_harness.js';

/** How long the connection stays cut: long enough for reconnection attempts to fail. */
const CUT_MS = 3_000;
/** Reconnection after the cut may wait out a backoff delay. */
const RECONNECT_TIMEOUT_MS = 45_000;

let browser;
let server;
before(async () => {
  browser = await launchBrowser();
  server = await startExampleWith({});
});
after(async () => {
  await browser?.close();
  await server?.stop('SIGKILL');
});

/** The server's log as the page shows it after a refresh: `{count, latest: number[]}`. */
async function tally(page) {
  await page.evaluate(() => window.djust.pushEvent('dj-v-tally', 'refresh'));
  await page.waitForFunction(() => !document.querySelector('[dj-view].dj-loading'));
  return readTally(page);
}

async function readTally(page) {
  const count = Number(await page.textContent('#tally-count'));
  const text = (await page.textContent('#tally-latest')).trim();
  return { count, latest: text ? text.split(',').map(Number) : [] };
}

/** Opens /tally/ through the proxy; with `worker`, waits until the worker controls the page. */
async function openTally(context, proxy, { worker }) {
  const page = await openLive(context, `${proxy.base}/tally/`);
  if (worker) await waitForController(page);
  return page;
}

/** Cuts the proxy, runs `whileCut` (the page sees the loss), waits out the cut, restores. */
async function withCut(page, proxy, whileCut) {
  await proxy.cut();
  const cutAt = Date.now();
  await page.waitForSelector('body.dj-disconnected');
  await whileCut();
  const left = CUT_MS - (Date.now() - cutAt);
  if (left > 0) await new Promise((resolve) => setTimeout(resolve, left));
  await proxy.restore();
  await page.waitForSelector('body.dj-connected', { timeout: RECONNECT_TIMEOUT_MS });
}

/** Clicks made while cut, in this order. */
const SEQUENCE = [3, 1, 4, 1, 5, 2];

async function clicksAppliedOnceInOrder(context, { worker }) {
  const proxy = await startProxy(server.port);
  try {
    const page = await openTally(context, proxy, { worker });
    const before = await tally(page);
    await withCut(page, proxy, async () => {
      for (const n of SEQUENCE) await page.click(`#add-${n}`);
    });
    await page.waitForFunction((count) => Number(document.querySelector('#tally-count').textContent) >= count,
      before.count + SEQUENCE.length, { timeout: 15_000 });
    const applied = await tally(page);
    assert.equal(applied.count, before.count + SEQUENCE.length, 'each click applied exactly once');
    assert.deepEqual(applied.latest.slice(-SEQUENCE.length), SEQUENCE, 'in the order they were made');

    // Another loss and reconnection replays nothing again.
    await withCut(page, proxy, async () => {});
    const later = await tally(page);
    assert.equal(later.count, applied.count);
    assert.deepEqual(page.problems.filter((problem) => !/WebSocket|ERR_CONNECTION|Failed to load/.test(problem)), []);
    return page;
  } finally {
    await proxy.stop();
  }
}

test('clicks made while the connection is cut are applied after reconnecting, once each, in order (service worker)', async () => {
  const context = await browser.newContext();
  try {
    const page = await clicksAppliedOnceInOrder(context, { worker: true });
    // The clicks went through the worker: it controlled the page while they were kept.
    assert.equal(await page.evaluate(() => navigator.serviceWorker.controller !== null), true);
  } finally {
    await context.close();
  }
});

test('without a service worker the page keeps the same buffer in memory', async () => {
  const context = await browser.newContext({ serviceWorkers: 'block' });
  try {
    const page = await clicksAppliedOnceInOrder(context, { worker: false });
    assert.equal(await page.evaluate(() => navigator.serviceWorker.controller), null);
  } finally {
    await context.close();
  }
});

test('60 clicks made while cut are all applied once, in order, none dropped', async () => {
  const context = await browser.newContext();
  const proxy = await startProxy(server.port);
  try {
    const page = await openTally(context, proxy, { worker: true });
    const before = await tally(page);
    const clicks = Array.from({ length: 60 }, (_, i) => (i % 5) + 1);
    const notices = page.evaluate(() => {
      window.notApplied = [];
      document.addEventListener('dj:event-not-applied', (event) => window.notApplied.push(event.detail));
    });
    await notices;
    await withCut(page, proxy, async () => {
      for (const n of clicks) await page.click(`#add-${n}`);
    });
    await page.waitForFunction((count) => Number(document.querySelector('#tally-count').textContent) >= count,
      before.count + 60, { timeout: 15_000 });
    const applied = await tally(page);
    assert.equal(applied.count, before.count + 60, 'exactly the 60 clicks were applied');
    assert.deepEqual(applied.latest.slice(-60), clicks, 'in order');
    assert.deepEqual(await page.evaluate(() => window.notApplied), [], 'nothing reported as not applied');
  } finally {
    await context.close();
    await proxy.stop();
  }
});
