// The counter in real Chromium: clicks update the count, the step input round-trips through
// the server, a refused value shows the server's error.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { clickAndSettle, openLive, settled, withExample } from './helpers.js';

const env = withExample();

const text = (page, selector) => page.textContent(selector);

test('clicks update the count in place', async () => {
  const context = await env.browser.newContext();
  const page = await openLive(context, `${env.server.base}/counter/`);
  const frames = [];
  page.on('websocket', (socket) => socket.on('framereceived', (frame) => frames.push(frame.payload)));
  const before = await page.evaluate(() => performance.getEntriesByType('navigation').length);
  for (let i = 0; i < 3; i += 1) await clickAndSettle(page, '#increment');
  assert.equal(await text(page, '#count'), '3');
  await clickAndSettle(page, '#decrement');
  assert.equal(await text(page, '#count'), '2');
  // Updated in place, over the socket: no navigation happened.
  assert.equal(await page.evaluate(() => performance.getEntriesByType('navigation').length), before);
  assert.deepEqual(page.problems, []);
  await context.close();
});

test('the step input round-trips through the server', async () => {
  const context = await env.browser.newContext();
  const page = await openLive(context, `${env.server.base}/counter/`);
  await page.fill('#step', '5');
  await page.press('#step', 'Tab');
  await settled(page);
  assert.equal(await text(page, '#step-shown'), '5');
  await clickAndSettle(page, '#increment');
  assert.equal(await text(page, '#count'), '5');

  await page.fill('#step', '0');
  await page.press('#step', 'Tab');
  await page.waitForSelector('#step-error');
  assert.match(await text(page, '#step-error'), /at least 1/);
  assert.equal(await text(page, '#step-shown'), '5');
  assert.deepEqual(page.problems, []);
  await context.close();
});

test('an ill-typed step is refused without changing the state', async () => {
  const context = await env.browser.newContext();
  const page = await openLive(context, `${env.server.base}/counter/`);
  const errors = await page.evaluate(() => new Promise((resolve) => {
    document.addEventListener('djust:error', (event) => resolve(event.detail), { once: true });
    window.djust.pushEvent('dj-v-counter', 'set_step', { value: 'lots' });
  }));
  assert.equal(errors.code, 'invalid_param');
  assert.equal(errors.event, 'set_step');
  assert.equal(errors.param, 'value');
  assert.equal(await text(page, '#step-shown'), '1');
  await context.close();
});
