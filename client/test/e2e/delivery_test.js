// Nothing lost, nothing doubled (docs/protocol.md, "Delivery"), in Chromium against the example
// server through the fault proxy: a cut, a stall without FIN, a lost reply, a duplicated client
// frame, a stopped service worker, a reload and a server restart during an outage, and the form
// page's dj-no-recover / dj-auto-recover. The /tally/ view appends every click to a log kept by
// the application, so a fresh render over HTTP (a new mount) shows what the server applied.
// Every test ends with the convergence check: the view's DOM equals a fresh server render of
// the final state, and the server applied each click exactly once.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { launchBrowser, startExample, waitMounted } from './helpers.js';
import { startFaultProxy } from './fault_proxy.js';
import { assertConverged, assertConvergedSession } from './convergence.js';
import { waitForController } from './sw_harness.js';

/** A reconnection may wait out backoff delays. */
const RECONNECT_TIMEOUT_MS = 45_000;
/** Liveness: a half-open socket is noticed within 30 s (plus slack for a loaded machine). */
const HALF_OPEN_BOUND_MS = 40_000;
const TALLY = 'dj-v-tally';

let browser;
let server;
before(async () => {
  browser = await launchBrowser();
  server = await startExample();
});
after(async () => {
  await browser?.close();
  await server?.kill();
});


/** The server's log, from a fresh render over HTTP: `{count, latest: number[]}`. */
async function serverTally() {
  const html = await (await fetch(`${server.base}/tally/`)).text();
  const count = Number(html.match(/id="tally-count"[^>]*>(\d+)</)[1]);
  const latest = html.match(/id="tally-latest"[^>]*>([^<]*)</)[1].trim();
  return { count, latest: latest ? latest.split(',').map(Number) : [] };
}

/** Records every frame of every WebSocket of `page` (the reconnections' too). */
function watchFrames(page) {
  const frames = { sent: [], received: [] };
  page.on('websocket', (socket) => {
    socket.on('framesent', ({ payload }) => frames.sent.push(JSON.parse(payload)));
    socket.on('framereceived', ({ payload }) => frames.received.push(JSON.parse(payload)));
  });
  return frames;
}

/** Opens `path` through `proxy` with its frames watched (as `openLive`), optionally waiting for the worker. */
async function open(context, proxy, path, { worker = false } = {}) {
  const page = await context.newPage();
  page.problems = [];
  page.on('pageerror', (error) => page.problems.push(`pageerror: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') page.problems.push(`console: ${message.text()}`);
  });
  page.frames = watchFrames(page);
  await page.goto(`${proxy.base}${path}`);
  await page.waitForSelector('body.dj-connected');
  await waitMounted(page);
  if (worker) await waitForController(page);
  return page;
}


/** Clicks `+n` for each n, in order (answered or not). */
async function clickAll(page, sequence) {
  for (const n of sequence) await page.click(`#add-${n}`);
}

/** Waits until the page shows `count` entries. */
function showsCount(page, count, timeout = RECONNECT_TIMEOUT_MS) {
  return page.waitForFunction((count) => Number(document.querySelector('#tally-count').textContent) === count, count, { timeout });
}

/** Checks that the server applied `sequence` exactly once, last, after `before` entries. */
async function appliedOnce(before, sequence) {
  const after = await serverTally();
  assert.equal(after.count, before.count + sequence.length, 'every click applied exactly once');
  assert.deepEqual(after.latest.slice(-sequence.length), sequence, 'in the order they were made');
}

/** The frames a reconnection brought for `target` after `since` received frames. */
const answersFor = (frames, target, since) =>
  frames.received.slice(since).filter((frame) => frame.target === target && (frame.type === 'mount' || frame.type === 'resumed'));

const unexpected = (page) => page.problems.filter((problem) => !/WebSocket|ERR_CONNECTION|Failed to load|net::/.test(problem));

/** Runs `body(context, proxy)` with a fresh context and proxy, closing both. */
async function withSetup(options, body) {
  const context = await browser.newContext(options);
  const proxy = await startFaultProxy(server.port);
  try {
    await body(context, proxy);
  } finally {
    await context.close();
    await proxy.close();
  }
}

test('cut for 3 s, clicks during the cut: resumed (no mount ran), each click applied exactly once', () =>
  withSetup({}, async (context, proxy) => {
    const page = await open(context, proxy, '/tally/');
    const before = await serverTally();
    const sequence = [3, 1, 4, 1, 5];
    const seen = page.frames.received.length;
    proxy.cut();
    await page.waitForSelector('body.dj-disconnected');
    await clickAll(page, sequence);
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    proxy.heal();
    await page.waitForSelector('body.dj-connected', { timeout: RECONNECT_TIMEOUT_MS });
    await showsCount(page, before.count + sequence.length);
    const answers = answersFor(page.frames, TALLY, seen);
    assert.deepEqual(answers.map((frame) => frame.type), ['resumed'], 'the view session was resumed, not mounted');
    await appliedOnce(before, sequence);
    await assertConverged(page, `${server.base}/tally/`, `#${TALLY}`);
    assert.deepEqual(unexpected(page), []);
  }));

test('over SSE as well: clicks during a cut applied exactly once after the reconnect', () =>
  withSetup({}, async (context, proxy) => {
    await context.addInitScript(() => { window.DJUST_USE_WEBSOCKET = false; });
    const page = await open(context, proxy, '/tally/');
    assert.equal(await page.evaluate(() => window.djust.transport()), 'sse');
    const before = await serverTally();
    const sequence = [2, 4, 2];
    proxy.cut();
    await page.waitForSelector('body.dj-disconnected');
    await clickAll(page, sequence);
    proxy.heal();
    await page.waitForSelector('body.dj-connected', { timeout: RECONNECT_TIMEOUT_MS });
    await showsCount(page, before.count + sequence.length);
    await appliedOnce(before, sequence);
    await assertConverged(page, `${server.base}/tally/`, `#${TALLY}`);
  }));

/** Records every SSE message the page reads (`window.__sse`: `{id, frame}`) and every GET of a stream. */
async function watchSse(context) {
  await context.addInitScript(() => {
    window.DJUST_USE_WEBSOCKET = false;
    window.__sse = [];
    const Native = window.EventSource;
    window.EventSource = class extends Native {
      constructor(...args) {
        super(...args);
        this.addEventListener('message', (event) => window.__sse.push({ id: event.lastEventId, frame: JSON.parse(event.data) }));
      }
    };
  });
  const streams = [];
  streams.posted = [];
  context.on('request', async (request) => {
    if (request.method() === 'POST' && request.url().includes('/djust/sse/')) {
      const frame = JSON.parse(request.postData());
      if (frame.type === 'event') streams.posted.push(frame);
    }
    if (request.method() === 'GET' && request.url().includes('/djust/sse/')) {
      const entry = { url: request.url() };
      streams.push(entry);
      entry.lastEventId = (await request.allHeaders())['last-event-id'];
    }
  });
  return streams;
}

test("over SSE, the EventSource's own retry resumes with Last-Event-ID: the lost frame replayed from the ring, clicks applied once", () =>
  withSetup({}, async (context, proxy) => {
    const streams = await watchSse(context);
    const page = await open(context, proxy, '/tally/');
    assert.equal(await page.evaluate(() => window.djust.transport()), 'sse');
    const before = await serverTally();
    // A click reaches the server but its answer (a patch on the stream) does not.
    proxy.dropServerToClient();
    await page.click('#add-4');
    for (let tries = 0; (await serverTally()).count !== before.count + 1; tries += 1) {
      assert.ok(tries < 200, 'the click reached the server');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const read = await page.evaluate(() => window.__sse.length);
    const lastId = await page.evaluate(() => window.__sse.at(-1).id);
    // Then the stream breaks; clicks made meanwhile wait in the outbox.
    proxy.cut();
    await page.waitForSelector('body.dj-disconnected');
    const sequence = [1, 5];
    await clickAll(page, sequence);
    proxy.heal();
    await page.waitForSelector('body.dj-connected', { timeout: RECONNECT_TIMEOUT_MS });
    await showsCount(page, before.count + 1 + sequence.length);
    const gets = streams.filter((entry) => entry.url === streams[0].url);
    assert.equal(gets.length, streams.length, 'the same stream URL: no new transport');
    assert.ok(gets.length >= 2, 'the browser reconnected');
    for (const retry of gets.slice(1)) assert.equal(retry.lastEventId, lastId, "the retry named the last event's id");
    const after = await page.evaluate((read) => window.__sse.slice(read).map((entry) => entry.frame), read);
    const opening = after.filter((frame) => frame.target === TALLY && (frame.type === 'mount' || frame.type === 'resumed'));
    assert.deepEqual(opening.map((frame) => frame.type), ['resumed'], 'resumed, no mount ran');
    const [resumed] = opening;
    assert.equal(resumed.patches.length, 1, 'exactly the lost revision, from the ring');
    assert.equal(resumed.rev, JSON.parse(lastId)[TALLY].rev + 1);
    // The unanswered click was acknowledged by the resume: not sent again; the others once each.
    const [unanswered, ...rest] = streams.posted;
    assert.equal(resumed.ack, unanswered.seq, 'the resume acknowledged the unanswered click');
    assert.deepEqual(rest.map((frame) => frame.seq), [unanswered.seq + 1, unanswered.seq + 2]);
    await appliedOnce(before, [4, ...sequence]);
    await assertConverged(page, `${server.base}/tally/`, `#${TALLY}`);
    assert.deepEqual(unexpected(page), []);
  }));

test('a stall without FIN: the page shows itself disconnected within the bound; stalled clicks applied once', () =>
  withSetup({}, async (context, proxy) => {
    const page = await open(context, proxy, '/tally/');
    const before = await serverTally();
    const sequence = [2, 7 % 5, 5];
    proxy.stall();
    await clickAll(page, sequence); // written into a socket that looks open
    await page.waitForSelector('body.dj-disconnected', { timeout: HALF_OPEN_BOUND_MS });
    proxy.heal(); // what the stall held reaches the server now, the old socket's events too
    await page.waitForSelector('body.dj-connected', { timeout: RECONNECT_TIMEOUT_MS });
    await showsCount(page, before.count + sequence.length);
    await appliedOnce(before, sequence);
    await assertConverged(page, `${server.base}/tally/`, `#${TALLY}`);
  }));

test('a reply lost (the click reached the server, its answer did not): applied exactly once', () =>
  withSetup({}, async (context, proxy) => {
    const page = await open(context, proxy, '/tally/');
    const before = await serverTally();
    proxy.dropServerToClient();
    await page.click('#add-4');
    for (let tries = 0; (await serverTally()).count !== before.count + 1; tries += 1) {
      assert.ok(tries < 200, 'the click reached the server');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    assert.equal(await page.textContent('#tally-count'), String(before.count), 'the answer was lost');
    proxy.cut();
    await page.waitForSelector('body.dj-disconnected');
    proxy.heal();
    await page.waitForSelector('body.dj-connected', { timeout: RECONNECT_TIMEOUT_MS });
    await showsCount(page, before.count + 1);
    await appliedOnce(before, [4]);
    await assertConverged(page, `${server.base}/tally/`, `#${TALLY}`);
  }));

test('a duplicated client frame is applied once (the copy is answered as a duplicate)', () =>
  withSetup({}, async (context, proxy) => {
    const page = await open(context, proxy, '/tally/');
    const before = await serverTally();
    const duplicated = proxy.duplicateClientFrame((text) => text.includes('"type":"event"') && text.includes('"add"'));
    await page.click('#add-3');
    const copy = JSON.parse(await duplicated);
    await showsCount(page, before.count + 1);
    for (let tries = 0; !page.frames.received.some((f) => f.type === 'noop' && f.duplicate && f.ref === copy.ref); tries += 1) {
      assert.ok(tries < 200, 'the copy was answered as a duplicate');
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    await appliedOnce(before, [3]);
    await assertConverged(page, `${server.base}/tally/`, `#${TALLY}`);
  }));

test('the service worker stopped during an outage: the buffered clicks applied exactly once', () =>
  withSetup({}, async (context, proxy) => {
    const page = await open(context, proxy, '/tally/', { worker: true });
    const before = await serverTally();
    const sequence = [5, 4, 3];
    proxy.cut();
    await page.waitForSelector('body.dj-disconnected');
    await clickAll(page, sequence);
    const cdp = await context.newCDPSession(page);
    await cdp.send('ServiceWorker.enable');
    await cdp.send('ServiceWorker.stopAllWorkers');
    proxy.heal();
    await page.waitForSelector('body.dj-connected', { timeout: RECONNECT_TIMEOUT_MS });
    await showsCount(page, before.count + sequence.length);
    await appliedOnce(before, sequence);
    await assertConverged(page, `${server.base}/tally/`, `#${TALLY}`);
  }));

test('the page reloaded during an outage: the clicks kept in the tab are applied exactly once', () =>
  withSetup({}, async (context, proxy) => {
    const page = await open(context, proxy, '/tally/', { worker: true });
    // Loaded once more under the worker, so that it keeps a copy to serve while offline.
    await page.reload();
    await page.waitForSelector('body.dj-connected');
    await waitMounted(page);
    const before = await serverTally();
    const sequence = [1, 2, 1];
    proxy.cut();
    await page.waitForSelector('body.dj-disconnected');
    await clickAll(page, sequence);
    // The outbox is written to IndexedDB as events are made; give the last write a moment.
    await page.waitForFunction(() => new Promise((resolve) => {
      const request = indexedDB.open('djust-outbox');
      request.onsuccess = () => {
        const all = request.result.transaction('views').objectStore('views').getAll();
        all.onsuccess = () => resolve(all.result.reduce((n, record) => n + record.entries.length, 0) === 3);
      };
    }));
    await page.reload(); // served by the worker from its last good copy
    await page.waitForSelector('#tally-count');
    const seen = page.frames.received.length;
    proxy.heal();
    await page.waitForSelector('body.dj-connected', { timeout: RECONNECT_TIMEOUT_MS });
    await page.waitForFunction((count) => Number(document.querySelector('#tally-count').textContent) === count,
      before.count + sequence.length, { timeout: RECONNECT_TIMEOUT_MS });
    const answers = answersFor(page.frames, TALLY, seen);
    assert.deepEqual(answers.map((frame) => frame.type), ['resumed'], "the reloaded page resumed the earlier page's view session");
    const resent = page.frames.sent.filter((frame) => frame.type === 'event' && frame.target === TALLY).slice(-sequence.length);
    assert.deepEqual(resent.map((frame) => [Number(frame.params.n), frame.replay]), sequence.map((n) => [n, undefined]), 'sent under their own numbers, not as replays');
    await appliedOnce(before, sequence);
    await assertConverged(page, `${server.base}/tally/`, `#${TALLY}`);
  }));

test('server restarted: remounted with its reason, the buffered clicks replayed once, none twice', () =>
  withSetup({}, async (context, proxy) => {
    const page = await open(context, proxy, '/tally/');
    const sequence = [2, 3];
    const seen = page.frames.received.length;
    await server.kill();
    await page.waitForSelector('body.dj-disconnected');
    await clickAll(page, sequence);
    await server.start(); // the application's log starts empty again
    await page.waitForSelector('body.dj-connected', { timeout: RECONNECT_TIMEOUT_MS });
    await showsCount(page, sequence.length);
    const answers = answersFor(page.frames, TALLY, seen);
    assert.deepEqual(answers.map((frame) => [frame.type, frame.remounted]), [['mount', 'unknown']]);
    const replays = page.frames.sent.slice().filter((frame) => frame.type === 'event' && frame.replay);
    assert.deepEqual(replays.map((frame) => [frame.params.n, frame.seq]), [['2', 1], ['3', 2]]);
    await appliedOnce({ count: 0 }, sequence);
    await assertConverged(page, `${server.base}/tally/`, `#${TALLY}`);
  }));

/** The form page's server-side state, as the page shows it. */
async function formState(page) {
  return page.evaluate(() => Object.fromEntries(['title', 'search', 'recoveries'].map((key) => [key, document.getElementById(`server-${key}`).textContent])));
}

test('dj-no-recover: what was typed during an outage is not sent after the reconnect (reported); other fields once', () =>
  withSetup({}, async (context, proxy) => {
    const page = await open(context, proxy, '/form/');
    const notices = page.evaluate(() => new Promise((resolve) => {
      document.addEventListener('dj:event-not-applied', (event) => resolve(event.detail), { once: true });
    }));
    proxy.cut();
    await page.waitForSelector('body.dj-disconnected');
    await page.fill('#search', 'stale query');
    await page.fill('#title', 'Typed offline');
    await page.press('#title', 'Tab'); // change
    const sentBefore = page.frames.sent.length;
    proxy.heal();
    await page.waitForSelector('body.dj-connected', { timeout: RECONNECT_TIMEOUT_MS });
    await page.waitForFunction(() => document.getElementById('server-title').textContent === 'Typed offline');
    assert.deepEqual(await notices, { event: 'search', params: { value: 'stale query', field: 'search' }, reason: 'no_recover' });
    const after = page.frames.sent.slice(sentBefore).filter((frame) => frame.type === 'event');
    assert.deepEqual(after.map((frame) => frame.event), ['set_title'], 'search never sent; set_title once');
    const state = await formState(page);
    assert.equal(state.search, '');
    assert.equal(state.recoveries, '0', 'a resumed view lost nothing: no auto-recover');
    assert.equal(await page.inputValue('#search'), 'stale query', 'the field keeps what the user sees');
    await assertConvergedSession(page, 'dj-v-form');
  }));

test('dj-auto-recover runs once per reconnect that lost the state; no field sent twice by replay and recovery', () =>
  withSetup({}, async (context, proxy) => {
    const page = await open(context, proxy, '/form/');
    await server.kill();
    await page.waitForSelector('body.dj-disconnected');
    await page.fill('#title', 'Replayed');
    await page.press('#title', 'Tab'); // its change event waits in the outbox
    await page.fill('#body', 'Recovered'); // dj-input: its events wait in the outbox as well
    const sentBefore = page.frames.sent.length;
    await server.start();
    await page.waitForSelector('body.dj-connected', { timeout: RECONNECT_TIMEOUT_MS });
    await page.waitForFunction(() => document.getElementById('server-recoveries').textContent === '1');
    await page.waitForFunction(() => !document.querySelector('[dj-view].dj-loading'));
    const events = page.frames.sent.slice(sentBefore).filter((frame) => frame.type === 'event').map((frame) => frame.event);
    assert.equal(events.filter((event) => event === 'set_title').length, 1, 'set_title once');
    assert.equal(events.filter((event) => event === 'restore_canvas').length, 1, 'auto-recover once');
    const state = await formState(page);
    assert.equal(state.title, 'Replayed');
    assert.equal(state.recoveries, '1');
    await assertConvergedSession(page, 'dj-v-form');
  }));
