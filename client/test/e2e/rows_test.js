// The 1,000-row keyed table in real Chromium: after each js-framework-benchmark operation the
// patched DOM must equal the server's fresh full render of the same state (ids included).
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { assertConvergedSession } from './convergence.js';
import { clickAndSettle, openLive, withExample } from './helpers.js';

const env = withExample();

const TARGET = 'dj-v-rows';
/** The convergence check of `page`: every attribute is compared, `dj-id` included. */
const assertConvergedRows = (page) => assertConvergedSession(page, TARGET, { received: () => page.received, skip: [] });

async function rowsPage() {
  const context = await env.browser.newContext();
  const page = await openLive(context, `${env.server.base}/rows/`);
  page.received = [];
  page.patchFrames = [];
  // Frames are watched from the socket's creation: reload the page with the listener in place.
  page.on('websocket', (socket) => {
    socket.on('framereceived', ({ payload }) => {
      const frame = JSON.parse(payload);
      page.received.push(frame);
      if (frame.type === 'patch' || frame.type === 'html_update') page.patchFrames.push(frame);
    });
  });
  await page.reload();
  await page.waitForSelector('body.dj-connected');
  await page.waitForFunction(() => document.getElementById('dj-v-rows').hasAttribute('dj-mounted'));
  return page;
}

const rowCount = (page) => page.$$eval('#tbody > tr', (rows) => rows.length);
const label = (page, n) => page.textContent(`#tbody > tr:nth-child(${n}) td:nth-child(2) a`);

test('every operation leaves the DOM equal to a fresh render', async () => {
  const page = await rowsPage();

  await clickAndSettle(page, '#run');
  assert.equal(await rowCount(page), 1000);
  await assertConvergedRows(page);

  await clickAndSettle(page, '#update');
  assert.match(await label(page, 1), / !!!$/);
  assert.doesNotMatch(await label(page, 2), / !!!$/);
  assert.match(await label(page, 11), / !!!$/);
  const update = page.patchFrames.at(-1);
  assert.equal(update.type, 'patch');
  assert.equal(update.patches.length, 100, 'update every 10th row: one text op per row');
  await assertConvergedRows(page);

  const second = await label(page, 2);
  const secondToLast = await label(page, 999);
  await clickAndSettle(page, '#swaprows');
  assert.equal(await label(page, 2), secondToLast);
  assert.equal(await label(page, 999), second);
  const swap = page.patchFrames.at(-1);
  assert.deepEqual(swap.patches.map((patch) => patch.op), ['move', 'move'], 'a swap is two moves');
  await assertConvergedRows(page);

  await clickAndSettle(page, '#tbody > tr:nth-child(5) td:nth-child(2) a');
  assert.equal(await page.getAttribute('#tbody > tr:nth-child(5)', 'class'), 'danger');
  await assertConvergedRows(page);

  const third = await label(page, 4);
  await clickAndSettle(page, '#tbody > tr:nth-child(3) td:nth-child(3) a');
  assert.equal(await rowCount(page), 999);
  assert.equal(await label(page, 3), third);
  await assertConvergedRows(page);

  await clickAndSettle(page, '#add');
  assert.equal(await rowCount(page), 1999);
  await assertConvergedRows(page);

  await clickAndSettle(page, '#clear');
  assert.equal(await rowCount(page), 0);
  const clear = page.patchFrames.at(-1);
  assert.equal(clear.type, 'patch');
  assert.equal(clear.patches.filter((patch) => patch.op !== 'text').length, 1, 'clearing is one structural patch');
  await assertConvergedRows(page);

  await clickAndSettle(page, '#run');
  assert.equal(await rowCount(page), 1000);
  await assertConvergedRows(page);
  assert.deepEqual(page.problems, []);
  await page.context().close();
});
