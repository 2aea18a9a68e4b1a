// /hooks/ in real Chromium against the real server: a hook's lifecycle through insert, update,
// whole-HTML update, a server restart (disconnect, reconnect) and removal; the JS-owned editor
// inside dj-update="ignore" through 20 server updates and an html_update; pushEvent's reply and
// a server push to handleEvent; a JS command's class through a server patch of its element.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { assertConvergedSession } from './convergence.js';
import { clickAndSettle, openLive, settled, waitMounted, withExample } from './helpers.js';

const env = withExample();

const TARGET = 'dj-v-hooks';
/** The convergence check of `page`: the page-owned editor and the hooks' `style` left out. */
const assertConvergedHooks = (page) =>
  assertConvergedSession(page, TARGET, { received: () => page.frames, skip: ['style'], pageOwned: true });

/** Types of the frames the page receives, from the socket's creation on. */
async function hooksPage(url = `${env.server.base}/hooks/`) {
  const context = await env.browser.newContext();
  const page = await openLive(context, url);
  page.frames = [];
  page.on('websocket', (socket) => socket.on('framereceived', ({ payload }) => page.frames.push(JSON.parse(payload))));
  await page.reload();
  await page.waitForSelector('body.dj-connected');
  await waitMounted(page);
  return { context, page };
}

const hookLog = (page) => page.evaluate(() => window.djustHookLog ?? []);

test("a hook's callbacks fire once each, in order: insert, update, whole-HTML update, disconnect, reconnect, removal", async () => {
  const { context, page } = await hooksPage();
  assert.deepEqual(await hookLog(page), []);
  await clickAndSettle(page, '#toggle-probe'); // inserted by a patch
  await clickAndSettle(page, '#tick'); // its text patched
  await clickAndSettle(page, '#reshape'); // the whole HTML replaced
  assert.ok(page.frames.some((frame) => frame.type === 'html_update'), 'reshape is an html_update');
  assert.equal(new URL(page.url()).search, '?probe=1');
  await env.server.restart(); // a real loss: the server is killed and started again
  await page.waitForSelector('body.dj-connected');
  await page.waitForFunction(() => (window.djustHookLog ?? []).some((entry) => entry.startsWith('reconnected')));
  await clickAndSettle(page, '#toggle-probe'); // removed by a patch
  assert.deepEqual(await hookLog(page), [
    'mounted:probe 0',
    'beforeUpdate:probe 0',
    'updated:probe 1',
    'destroyed:probe 1',
    'mounted:probe 2',
    'disconnected:probe 2',
    'reconnected:probe 0',
    'destroyed:probe 0',
  ]);
  await assertConvergedHooks(page);
  const problems = page.problems.filter((problem) => !/WebSocket connection to|ERR_CONNECTION_REFUSED|Failed to load resource/.test(problem));
  assert.deepEqual(problems, []);
  await context.close();
});

test('what a script put inside dj-update="ignore" survives 20 server updates and an html_update', async () => {
  const { context, page } = await hooksPage();
  // The reload resumed the view session with one recovery (the page's DOM is a fresh render);
  // from here on, none may be needed.
  const settledAt = page.frames.length;
  const editor = await page.$('#editor');
  await page.fill('#editor-text', 'typed before the updates');
  assert.equal(await page.textContent('#editor-chars'), '24 characters');
  for (let n = 1; n <= 20; n += 1) await clickAndSettle(page, '#tick');
  assert.equal(await page.textContent('#ticks'), '20');
  // The server's data-* attribute merged into the kept element.
  assert.equal(await page.getAttribute('#editor', 'data-ticks'), '20');
  await clickAndSettle(page, '#reshape');
  assert.ok(page.frames.some((frame) => frame.type === 'html_update'), 'reshape is an html_update');
  assert.equal(await page.textContent('#ticks'), '21');
  // The same element, the user's text, and the listeners the hook added.
  assert.ok(await page.evaluate((el) => el === document.getElementById('editor'), editor));
  assert.equal(await page.inputValue('#editor-text'), 'typed before the updates');
  await page.type('#editor-text', '!');
  assert.equal(await page.textContent('#editor-chars'), '25 characters');
  assert.deepEqual(
    page.frames.slice(settledAt).filter((frame) => frame.type === 'request_html' || frame.type === 'html_recovery'),
    [],
    'no recovery was needed',
  );
  await assertConvergedHooks(page);
  assert.deepEqual(page.problems, []);
  await context.close();
});

test("pushEvent resolves with the server's reply; a server push reaches handleEvent and window", async () => {
  const { context, page } = await hooksPage();
  const pushed = page.evaluate(
    () => new Promise((resolve) => window.addEventListener('dj:highlight', (event) => resolve(event.detail), { once: true })),
  );
  await page.fill('#editor-text', 'three small words');
  await page.click('#editor-ask');
  await page.waitForFunction(() => document.getElementById('editor-answer').textContent !== '');
  assert.equal(await page.textContent('#editor-answer'), '3 words, said the server');
  await settled(page);
  assert.equal(await page.textContent('#words'), '3');
  await clickAndSettle(page, '#highlight');
  assert.deepEqual(await pushed, { color: 'gold' });
  await page.waitForFunction(() => document.getElementById('editor').dataset.highlight === 'gold');
  // The push came after the answer to its event.
  const types = page.frames.map((frame) => frame.type);
  assert.ok(types.lastIndexOf('push_event') > types.lastIndexOf('noop') || types.lastIndexOf('push_event') > types.lastIndexOf('patch'));
  assert.deepEqual(page.problems, []);
  await context.close();
});

test("a JS command's class survives a server patch of the same element", async () => {
  const { context, page } = await hooksPage();
  const sentBefore = page.frames.length;
  await page.click('#toggle-panel');
  assert.equal(await page.getAttribute('#panel', 'class'), 'panel even open');
  assert.equal(await page.getAttribute('#toggle-panel', 'aria-expanded'), 'true');
  assert.equal(page.frames.length, sentBefore, 'no round trip');
  await clickAndSettle(page, '#tick'); // the server patches #panel's class (even → odd)
  assert.ok(page.frames.some((frame) => frame.type === 'patch' && JSON.stringify(frame.patches).includes('odd')));
  assert.equal(await page.getAttribute('#panel', 'class'), 'panel odd open');
  assert.equal(await page.isVisible('#panel'), true);
  // A JS command that closes the panel and pushes an event: the server's patch keeps it closed.
  await clickAndSettle(page, '#close-panel');
  assert.equal(await page.textContent('#ticks'), '2');
  assert.equal(await page.getAttribute('#panel', 'class'), 'panel even');
  assert.deepEqual(page.problems, []);
  await context.close();
});
