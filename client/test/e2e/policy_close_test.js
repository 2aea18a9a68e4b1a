// A policy close is final in real Chromium: a mount with a refused token gets close code 4403
// (over SSE, the same code in the stream's `close` event); the page loads itself again once
// (a stale token is cured by a fresh page), and when the fresh page's token is refused too it
// shows "Connection lost — reload" and schedules no attempt, over both transports. (A reconnect that resumes its view
// session is not asked for the page's token: the view session's own signed token stands for it,
// so the refused token is given to a page's first mount here.)
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { withExample } from './helpers.js';

const env = withExample();

for (const transport of ['websocket', 'sse']) {
  test(`a refused token ends in the final state, no retry (${transport})`, async () => {
    const context = await env.browser.newContext();
    if (transport === 'sse') await context.addInitScript(() => { window.DJUST_USE_WEBSOCKET = false; });
    // The page's token does not verify (as after a secret rotation): spoiled as it is parsed.
    await context.addInitScript(() => {
      new MutationObserver(() => {
        for (const el of document.querySelectorAll('[dj-view]')) el.setAttribute('dj-token', '1.AAAA');
      }).observe(document, { childList: true, subtree: true });
    });
    const page = await context.newPage();
    page.problems = [];
    page.on('console', (message) => {
      if (message.type() === 'error') page.problems.push(`console: ${message.text()}`);
    });
    await page.goto(`${env.server.base}/counter/`);
    await page.waitForSelector('.dj-connection-lost-banner');
    assert.equal(await page.evaluate(() => window.djust.transport()), transport);
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
    // The server said why (the error frame came before the close), on both loads; no third.
    const refusals = page.problems.filter((problem) => /bad_token/.test(problem));
    assert.equal(refusals.length, 2, page.problems.join('\n'));
    assert.ok(page.problems.some((problem) => /refused this page's token again; not reloading again/.test(problem)), page.problems.join('\n'));
    await context.close();
  });
}
