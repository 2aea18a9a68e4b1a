// The chat in real Chromium: a message posted in one tab appears in another (server push).
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { openLive, settled, withExample } from './helpers.js';

const env = withExample();

test('a second tab sees a message posted from the first', async () => {
  const first = await openLive(await env.browser.newContext(), `${env.server.base}/chat/`);
  const second = await openLive(await env.browser.newContext(), `${env.server.base}/chat/`);

  await first.fill('#author', 'Ada');
  await first.fill('#body', 'hello from the first tab');
  await first.click('#send');
  await settled(first);

  await second.waitForSelector('#messages li:has-text("hello from the first tab")');
  assert.match(await second.textContent('#messages li:last-child'), /Ada: hello from the first tab/);
  assert.match(await first.textContent('#messages li:last-child'), /Ada: hello from the first tab/);
  assert.equal(await first.inputValue('#body'), '', 'the form is reset after a successful send');

  await second.fill('#body', 'and back');
  await second.press('#body', 'Enter');
  await first.waitForSelector('#messages li:has-text("and back")');

  assert.deepEqual(first.problems, []);
  assert.deepEqual(second.problems, []);
  await first.context().close();
  await second.context().close();
});
