// Two example processes on one redis-server (started here on a free port, no persistence),
// behind a TCP balancer the test controls (the fault proxy, whose `target` picks the node for
// new connections): a chat message crosses nodes; a cart survives the SIGKILL of its node (the
// page reconnects through the balancer to the other node, which takes the view session over
// from Redis; clicks made during the failover are applied exactly once); a Redis restart
// interrupts broadcasts only until the nodes have subscribed again. Each test ends with the
// convergence check.
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { after, before, test } from 'node:test';

import { freePort, launchBrowser, startExample, waitMounted } from './helpers.js';
import { startFaultProxy } from './fault_proxy.js';
import { assertConverged, assertConvergedSession } from './convergence.js';

/** A reconnection may wait out backoff delays. */
const RECONNECT_TIMEOUT_MS = 45_000;
const SECRET = 'two-nodes-test-secret-two-nodes-test-secret';

/** A redis-server of this test file on `port`; `restart()` kills it and starts it again. */
async function startRedis() {
  const port = await freePort();
  let child = null;
  const cli = (...args) => execFileSync('redis-cli', ['-p', String(port), ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  const start = async () => {
    child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
      { stdio: 'ignore' });
    for (let tries = 0; ; tries += 1) {
      try {
        if (cli('PING') === 'PONG') return;
      } catch {
        // not up yet
      }
      assert.ok(tries < 200, 'redis-server started');
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  };
  const kill = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
  };
  await start();
  return { url: `redis://127.0.0.1:${port}/`, cli, kill, restart: async () => { await kill(); await start(); } };
}

let browser;
let redis;
let nodeA;
let nodeB;
before(async () => {
  redis = await startRedis();
  const env = { DJUST_REDIS_URL: redis.url, DJUST_SECRET: SECRET };
  [nodeA, nodeB] = await Promise.all([startExample({ env }), startExample({ env })]);
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await nodeA?.kill();
  await nodeB?.kill();
  await redis?.kill();
});

/** Waits until `count` nodes listen to topic `name` in Redis. */
async function subscribed(name, count) {
  for (let tries = 0; ; tries += 1) {
    const answer = redis.cli('PUBSUB', 'NUMSUB', `djust:topic:${name}`).split('\n');
    if (Number(answer[1]) === count) return;
    assert.ok(tries < 800, `${count} node(s) subscribed to ${name}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}


/** Opens `url` with its frames watched; page errors collected in `page.problems`. */
async function open(context, url) {
  const page = await context.newPage();
  page.problems = [];
  page.on('pageerror', (error) => page.problems.push(`pageerror: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') page.problems.push(`console: ${message.text()}`);
  });
  page.frames = { received: [] };
  page.on('websocket', (socket) => {
    socket.on('framereceived', ({ payload }) => page.frames.received.push(JSON.parse(payload)));
  });
  await page.goto(url);
  await page.waitForSelector('body.dj-connected');
  await waitMounted(page);
  return page;
}

const unexpected = (page) => page.problems.filter((problem) => !/WebSocket|ERR_CONNECTION|Failed to load|net::/.test(problem));

/** Posts `body` as `author` from the chat `page` and waits for its answer. */
async function post(page, author, body) {
  await page.fill('#author', author);
  await page.fill('#body', body);
  await page.click('#send');
  await page.waitForFunction(() => !document.querySelector('[dj-view].dj-loading'));
}

const shows = (page, text, timeout = 10_000) => page.waitForSelector(`#messages li:has-text("${text}")`, { timeout });

test('a chat message posted on node A appears in a tab on node B, and back', async () => {
  await subscribed('chat', 2);
  const context = await browser.newContext();
  try {
    const onA = await open(context, `${nodeA.base}/chat/`);
    const onB = await open(context, `${nodeB.base}/chat/`);
    await post(onA, 'Ada', 'hello from node A');
    await shows(onB, 'hello from node A');
    await post(onB, 'Bob', 'hello from node B');
    await shows(onA, 'hello from node B');
    const texts = (page) => page.$$eval('#messages li', (items) => items.map((item) => item.textContent));
    assert.deepEqual((await texts(onA)).slice(-2), ['Ada: hello from node A', 'Bob: hello from node B']);
    assert.deepEqual(await texts(onB), await texts(onA), 'once each, in the same order on both nodes');
    await assertConverged(onA, `${nodeA.base}/chat/`, '#messages');
    await assertConverged(onB, `${nodeB.base}/chat/`, '#messages');
    assert.deepEqual(unexpected(onA), []);
    assert.deepEqual(unexpected(onB), []);
  } finally {
    await context.close();
  }
});

test('redis restarted mid-test: broadcasts resume once the nodes subscribed again', async () => {
  await subscribed('chat', 2);
  const context = await browser.newContext();
  try {
    const onA = await open(context, `${nodeA.base}/chat/`);
    const onB = await open(context, `${nodeB.base}/chat/`);
    await post(onA, 'Ada', 'before the restart');
    await shows(onB, 'before the restart');
    await redis.restart();
    // Both nodes notice on their own and subscribe again (Redis keeps nothing across the
    // restart: what NUMSUB counts is the nodes' new subscriptions).
    await subscribed('chat', 2);
    await post(onA, 'Ada', 'after the restart');
    await shows(onB, 'after the restart');
    await post(onB, 'Bob', 'and back after the restart');
    await shows(onA, 'and back after the restart');
    await assertConverged(onA, `${nodeA.base}/chat/`, '#messages');
    await assertConverged(onB, `${nodeB.base}/chat/`, '#messages');
    assert.deepEqual(unexpected(onA), []);
    assert.deepEqual(unexpected(onB), []);
  } finally {
    await context.close();
  }
});

test('cart of three on node A, A SIGKILLed, balancer on B: three items back, failover clicks applied once', async () => {
  const balancer = await startFaultProxy(nodeA.port);
  const context = await browser.newContext();
  try {
    const page = await open(context, `${balancer.base}/cart/`);
    for (const item of ['Tea', 'Coffee', 'Cake']) {
      await page.click(`button[dj-value-item="${item}"]`);
      await page.waitForFunction(() => !document.querySelector('[dj-view].dj-loading'));
    }
    await page.waitForFunction(() => document.querySelector('#item-count').textContent === '3');
    const seen = page.frames.received.length;

    await nodeA.kill();
    await page.waitForSelector('body.dj-disconnected');
    // Clicks during the failover wait in the page's outbox.
    await page.click('button[dj-value-item="Scone"]');
    await page.click('button[dj-value-item="Tea"]');
    balancer.target = nodeB.port;

    await page.waitForSelector('body.dj-connected', { timeout: RECONNECT_TIMEOUT_MS });
    await page.waitForFunction(() => document.querySelector('#item-count').textContent === '5', null,
      { timeout: RECONNECT_TIMEOUT_MS });
    const answers = page.frames.received.slice(seen)
      .filter((frame) => frame.target === 'dj-v-cart' && (frame.type === 'mount' || frame.type === 'resumed'));
    assert.deepEqual(answers.map((frame) => frame.type), ['resumed'], 'node B resumed the view session');
    const items = await page.$$eval('#items li', (list) => list.map((item) => item.textContent));
    assert.deepEqual(items, ['Tea', 'Coffee', 'Cake', 'Scone', 'Tea'], 'each click applied exactly once, in order');
    assert.match(await page.textContent('#origin'), /restored/, 'node B restored it (no mount ran)');
    await assertConvergedSession(page, 'dj-v-cart');
    assert.deepEqual(unexpected(page), []);
  } finally {
    await context.close();
    await balancer.close();
    await nodeA.start();
  }
});
