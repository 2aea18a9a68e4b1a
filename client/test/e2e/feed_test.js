// /feed/ in real Chromium: an endless feed as a stream with a limit. The page keeps the newest
// 50 posts; the server renders each post once and keeps none: its memory stays flat while
// 10,000 posts go by (read from /proc/<pid>/status of the server process).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';

import { clickAndSettle, openLive, withExample } from './helpers.js';

const env = withExample();

/** The server's resident memory in KiB. */
function rssKib(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/^VmRSS:\s+(\d+) kB$/m.exec(status)[1]);
}

const postIds = (page) => page.$$eval('#posts > li', (items) => items.map((item) => item.id));

test('the page keeps the newest 50 posts, newest first', async () => {
  const context = await env.browser.newContext();
  const page = await openLive(context, `${env.server.base}/feed/`);
  const first = await postIds(page);
  assert.equal(first.length, 20);
  assert.deepEqual(first.slice(0, 2), ['post-19', 'post-18']);
  await clickAndSettle(page, '#more');
  assert.deepEqual((await postIds(page)).slice(0, 2), ['post-29', 'post-28']);
  await clickAndSettle(page, '#burst');
  const ids = await postIds(page);
  assert.equal(ids.length, 50);
  assert.equal(ids[0], 'post-1029');
  assert.equal(ids[49], 'post-980');
  assert.equal(await page.textContent('#posted'), '1030');
  assert.deepEqual(page.problems, []);
  await context.close();
});

test("the server's memory stays flat while 10,000 posts go by", async () => {
  const context = await env.browser.newContext();
  const page = await openLive(context, `${env.server.base}/feed/`);
  const frames = [];
  page.on('websocket', (socket) => socket.on('framereceived', ({ payload }) => frames.push(payload.length)));
  // Warm up: allocator arenas and buffers reach their working size.
  for (let n = 0; n < 3; n += 1) await clickAndSettle(page, '#burst');
  const before = rssKib(env.server.pid());
  for (let n = 0; n < 10; n += 1) await clickAndSettle(page, '#burst');
  const after = rssKib(env.server.pid());
  assert.equal(await page.textContent('#posted'), String(20 + 13 * 1000));
  assert.equal((await postIds(page)).length, 50);
  // Each burst answer carries only the 50 posts the limit keeps, whatever the burst size.
  assert.ok(Math.max(...frames) < 8_000, `largest frame ${Math.max(...frames)} bytes`);
  // Kept, 10,000 posts would be well over 1 MiB of HTML alone.
  const grown = after - before;
  console.log(`feed: server RSS ${before} KiB before, ${after} KiB after 10,000 posts (${grown >= 0 ? '+' : ''}${grown} KiB)`);
  assert.ok(grown < 512, `server RSS grew by ${grown} KiB while 10,000 posts went by`);
  assert.deepEqual(page.problems, []);
  await context.close();
});
