// Reconnection in real Chromium with a real server restart (SIGKILL, then the same binary on
// the same port), over WebSocket and over SSE: the banner counts attempts while the body is
// dj-disconnected; after the restart, what was typed before and during the outage is on the
// server, the dj-no-recover field was not sent, and the dj-auto-recover handler ran once.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { launchBrowser, openLive, settled, startExample } from './helpers.js';

/** Frames the page sends, over either transport. */
function recordSentFrames(page) {
  const frames = [];
  const add = (payload) => {
    try {
      frames.push(JSON.parse(payload));
    } catch {
      // not a protocol frame
    }
  };
  page.on('websocket', (socket) => socket.on('framesent', (frame) => add(frame.payload)));
  page.on('request', (request) => {
    if (request.method() === 'POST' && request.url().includes('/djust/sse/')) add(request.postData());
  });
  return frames;
}

const serverText = (page, field) => page.textContent(`#server-${field}`);

function waitServer(page, field, value) {
  return page.waitForFunction(
    ([id, expected]) => document.getElementById(id)?.textContent === expected,
    [`server-${field}`, value],
    { timeout: 60_000 },
  );
}

/** A connection attempt logs a failure to the console while the server is down; not a bug. */
const outageNoise = (problem) =>
  /WebSocket connection to|ERR_CONNECTION_REFUSED|EventSource|Failed to load resource|ERR_EMPTY_RESPONSE/.test(problem);

async function scenario(transport) {
  const server = await startExample();
  const browser = await launchBrowser();
  try {
    const context = await browser.newContext();
    if (transport === 'sse') await context.addInitScript(() => { window.DJUST_USE_WEBSOCKET = false; });
    const page = await openLive(context, `${server.base}/form/`);
    assert.equal(await page.evaluate(() => window.djust.transport()), transport);
    const sent = recordSentFrames(page);

    // Before the outage: a title, the cursor moved twice, a search — all on the server.
    await page.fill('#title', 'Title before');
    await page.press('#title', 'Tab');
    await waitServer(page, 'title', 'Title before');
    await page.click('#move-cursor');
    await waitServer(page, 'cursor', '1');
    await page.click('#move-cursor');
    await waitServer(page, 'cursor', '2');
    await page.fill('#search', 'query');
    await waitServer(page, 'search', 'query');
    await page.fill('#body', 'Body before');
    await waitServer(page, 'body', 'Body before');
    await settled(page);

    await server.kill();
    await page.waitForSelector('body.dj-disconnected', { timeout: 60_000 });
    await page.waitForSelector('.dj-reconnecting-banner', { timeout: 60_000 });
    const down = await page.evaluate(() => ({
      banner: document.querySelector('.dj-reconnecting-banner').textContent,
      attempt: document.body.getAttribute('data-dj-reconnect-attempt'),
      property: document.body.style.getPropertyValue('--dj-reconnect-attempt'),
      connected: document.body.classList.contains('dj-connected'),
    }));
    assert.match(down.banner, /^Reconnecting… \(attempt \d+ of 10\)$/);
    assert.equal(down.banner, `Reconnecting… (attempt ${down.attempt} of 10)`);
    assert.equal(down.property, down.attempt);
    assert.equal(down.connected, false);

    // Typed while the server is down.
    await page.fill('#title', 'Title typed while down');
    await page.press('#title', 'Tab');
    await page.fill('#body', 'Body typed while down');
    const sentBeforeRestart = sent.length;

    await server.start();
    await page.waitForSelector('body.dj-connected', { timeout: 60_000 });
    const up = await page.evaluate(() => ({
      banner: document.querySelector('.dj-reconnecting-banner'),
      attempt: document.body.hasAttribute('data-dj-reconnect-attempt'),
      disconnected: document.body.classList.contains('dj-disconnected'),
    }));
    assert.deepEqual(up, { banner: null, attempt: false, disconnected: false });

    // The new server process caught up with the page.
    await waitServer(page, 'recoveries', '1');
    await waitServer(page, 'title', 'Title typed while down');
    await waitServer(page, 'body', 'Body typed while down');
    await waitServer(page, 'cursor', '2');
    await waitServer(page, 'canvas', 'sketch-1');
    await settled(page);
    // One more round trip: nothing else was queued behind it.
    await page.click('#move-cursor');
    await waitServer(page, 'cursor', '3');
    await settled(page);

    assert.equal(await page.inputValue('#search'), 'query');
    assert.equal(await serverText(page, 'search'), '', 'dj-no-recover: the new server never got it');
    assert.equal(await serverText(page, 'recoveries'), '1');
    const after = sent.slice(sentBeforeRestart).filter((frame) => frame.type === 'event');
    assert.deepEqual(after.filter((frame) => frame.event === 'search'), []);
    const restores = after.filter((frame) => frame.event === 'restore_canvas');
    assert.equal(restores.length, 1);
    assert.deepEqual(restores[0].params, {
      _form_values: { cursor: '2' },
      _data_attrs: { 'canvas-id': 'sketch-1' },
    });
    assert.equal(await page.evaluate(() => window.djust.transport()), transport);
    assert.deepEqual(page.problems.filter((problem) => !outageNoise(problem)), []);
    await context.close();
  } finally {
    await browser.close();
    // SIGKILL: a graceful stop would wait for the next SSE keepalive to notice the closed
    // browser (up to 10 s).
    await server.kill();
  }
}

test('a server restart over WebSocket: banner, then form recovery and auto-recover', () => scenario('websocket'));

test('the same restart over SSE', () => scenario('sse'));
