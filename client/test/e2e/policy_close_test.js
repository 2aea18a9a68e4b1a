// A policy close is final in real Chromium: a mount with a refused token gets close code 4403
// (over SSE, the same code in the stream's `close` event); the page shows "Connection lost —
// reload" and schedules no attempt, over both transports.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { openLive, withExample } from './helpers.js';

const env = withExample();

for (const transport of ['websocket', 'sse']) {
  test(`a refused token ends in the final state, no retry (${transport})`, async () => {
    const context = await env.browser.newContext();
    if (transport === 'sse') await context.addInitScript(() => { window.DJUST_USE_WEBSOCKET = false; });
    const page = await openLive(context, `${env.server.base}/counter/`);
    assert.equal(await page.evaluate(() => window.djust.transport()), transport);

    // The page's token no longer verifies (as after a secret rotation): reconnect with it.
    await page.evaluate(() => {
      document.querySelector('[dj-view]').setAttribute('dj-token', '1.AAAA');
      window.djust.disconnect();
      window.djust.connect();
    });
    await page.waitForSelector('.dj-connection-lost-banner');
    const state = await page.evaluate(() => ({
      banner: document.querySelector('.dj-connection-lost-banner').textContent,
      reconnecting: document.querySelector('.dj-reconnecting-banner'),
      attempt: document.body.getAttribute('data-dj-reconnect-attempt'),
      classes: [...document.body.classList].sort(),
      connected: window.djust.isConnected(),
    }));
    assert.deepEqual(state, {
      banner: 'Connection lost — reload',
      reconnecting: null,
      attempt: null,
      classes: ['dj-connection-lost', 'dj-disconnected'],
      connected: false,
    });
    // The server said why: the error frame came before the close.
    assert.ok(page.problems.some((problem) => /close code 4403/.test(problem)), page.problems.join('\n'));
    await context.close();
  });
}
