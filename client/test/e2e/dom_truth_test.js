// "The DOM never lies" (issue 12) in Chromium against the example server, answers delayed by
// the TCP fault proxy where the defect needs an event in flight: dj-disable-with ends in the
// server's version, a late answer never rolls back newer typing, a focused field gets the
// server's change once left, a focused checkbox follows the server, a debounce never fires
// after its form's submit, whole-HTML updates and the first mount keep what was typed, a
// refused token reloads the page once, a redirected URL is a full navigation with the shell,
// a download is not given the shell.
// Every test of a view's DOM ends with the convergence check: the view (attributes, field
// values) equals the server's render of the final state.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { after, before, test } from 'node:test';

import { assertConverged, assertConvergedSession } from './convergence.js';
import { launchBrowser, settled, startExample, waitMounted } from './helpers.js';
import { startFaultProxy } from './fault_proxy.js';
import { cachedShell, waitForController, waitForShell } from './sw_harness.js';

const TODOS = 'dj-v-todos';
/** Every chunk either way waits this long: an event's answer comes ≥ 2× later. */
const DELAY_MS = 250;

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

/** The convergence check compares what fields show too (values, checked, disabled). */
const FIELDS = { skip: ['dj-id'], fields: true };

async function waitForFrame(page, since, match, { sent = false } = {}) {
  const list = () => (sent ? page.frames.sent : page.frames.received).slice(since);
  for (let tries = 0; ; tries += 1) {
    const found = list().find(match);
    if (found) return found;
    assert.ok(tries < 800, 'the awaited frame came');
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

function watchFrames(page) {
  const frames = { sent: [], received: [] };
  page.on('websocket', (socket) => {
    socket.on('framesent', ({ payload }) => frames.sent.push(JSON.parse(payload)));
    socket.on('framereceived', ({ payload }) => frames.received.push(JSON.parse(payload)));
  });
  return frames;
}

/** Opens `/todos/` (through `proxy` when given), its frames and problems watched. */
async function open(context, base, { wait = true } = {}) {
  const page = await context.newPage();
  page.problems = [];
  page.on('pageerror', (error) => page.problems.push(`pageerror: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') page.problems.push(`console: ${message.text()}`);
  });
  page.frames = watchFrames(page);
  await page.goto(`${base}/todos/`, { waitUntil: wait ? 'load' : 'domcontentloaded' });
  if (wait) {
    await page.waitForSelector('body.dj-connected');
    await waitMounted(page);
  }
  return page;
}

/**
 * Watches, every 2 ms and after every frame, that field `selector` never shows a value the
 * user typed before the last one (`window.__stale` collects what it saw).
 */
function watchTyping(page, selector) {
  return page.evaluate((selector) => {
    window.__typed = [];
    window.__stale = [];
    document.addEventListener('input', (event) => {
      if (event.target.matches(selector)) window.__typed.push(event.target.value);
    }, true);
    const check = () => {
      const el = document.querySelector(selector);
      const typed = window.__typed;
      const last = typed.at(-1);
      if (el && last !== undefined && el.value !== last && typed.slice(0, -1).includes(el.value)) {
        window.__stale.push(`${el.value} (last typed ${last})`);
      }
    };
    setInterval(check, 2);
    new MutationObserver(check).observe(document.body, { subtree: true, attributes: true, childList: true, characterData: true });
  }, selector);
}

async function addTodo(page, text) {
  await page.fill('#todo-text', text);
  await page.press('#todo-text', 'Enter');
  await settled(page);
  return page.locator('#todo-list li', { hasText: text }).last();
}

/**
 * `DJUST_CLIENT_REV=<commit>` serves the page client of that commit instead (to watch these
 * tests fail against a client without the fixes): `/static/djust/<hash>/<path>` → `git show`.
 */
async function withOldClient(context) {
  const rev = process.env.DJUST_CLIENT_REV;
  if (!rev) return;
  await context.route(/\/static\/djust\/[^/]+\/.+\.js$/, (route) => {
    const file = new URL(route.request().url()).pathname.replace(/^\/static\/djust\/[^/]+\//, '');
    if (!/^(client\.js|src\/)/.test(file)) return route.continue(); // the worker's own scripts
    let body;
    try {
      body = execFileSync('git', ['show', `${rev}:client/${file}`], { stdio: ['ignore', 'pipe', 'ignore'] });
    } catch {
      return route.continue(); // a module that commit does not have
    }
    return route.fulfill({ body, contentType: 'text/javascript' });
  });
}

async function withSetup(body) {
  const context = await browser.newContext({ serviceWorkers: 'block' });
  await withOldClient(context);
  const proxy = await startFaultProxy(server.port);
  try {
    await body(context, proxy);
  } finally {
    await context.close();
    await proxy.close();
  }
}

test('dj-disable-with ends in the server\'s version: disabled, "Nothing to archive"', () =>
  withSetup(async (context, proxy) => {
    const page = await open(context, proxy.base);
    const row = await addTodo(page, 'archive me');
    await row.locator('.done-box').check();
    await settled(page);
    await page.waitForSelector('#archive-done b.count');
    proxy.delay(DELAY_MS);
    await page.click('#archive-done');
    assert.deepEqual(await page.$eval('#archive-done', (b) => [b.textContent, b.disabled]), ['Archiving…', true]);
    await settled(page);
    proxy.delay(0);
    const button = await page.$eval('#archive-done', (b) => [b.innerHTML.replace(/ dj-id="\d+"/g, ''), b.disabled]);
    assert.deepEqual(button, ['<span class="label">Nothing to archive</span>', true]);
    await assertConverged(page, `${server.base}/todos/`, `#${TODOS}`, FIELDS);
    assert.deepEqual(page.problems, []);
  }));

test('a late answer never rolls back newer typing; the field ends in the server\'s value', () =>
  withSetup(async (context, proxy) => {
    const page = await open(context, proxy.base);
    await watchTyping(page, '#todo-filter');
    proxy.delay(DELAY_MS);
    await page.focus('#todo-filter');
    const since = page.frames.sent.length;
    await page.keyboard.type('a');
    // The debounced "a" is sent; "ab" is typed and the field left before its answer comes.
    await waitForFrame(page, since, (f) => f.event === 'filter' && f.params.value === 'a', { sent: true });
    await page.keyboard.type('b');
    await page.keyboard.press('Tab');
    await waitForFrame(page, since, (f) => f.event === 'filter' && f.params.value === 'ab', { sent: true });
    await settled(page);
    proxy.delay(0);
    assert.equal(await page.inputValue('#todo-filter'), 'ab');
    assert.deepEqual(await page.evaluate(() => window.__stale), [], 'no older value was ever shown');
    await assertConvergedSession(page, TODOS, FIELDS);
    assert.deepEqual(page.problems, []);
  }));

test('a server change to a focused field applies once it is left (the filter is trimmed)', () =>
  withSetup(async (context, proxy) => {
    const page = await open(context, proxy.base);
    await page.focus('#todo-filter');
    const since = page.frames.sent.length;
    await page.keyboard.type('tea ');
    await waitForFrame(page, since, (f) => f.event === 'filter' && f.params.value === 'tea ', { sent: true });
    await settled(page);
    await page.waitForFunction(() => document.querySelector('#todo-filter').getAttribute('value') === 'tea');
    assert.equal(await page.inputValue('#todo-filter'), 'tea ', 'kept while the user is on it');
    await page.keyboard.press('Tab');
    assert.equal(await page.inputValue('#todo-filter'), 'tea', "the server's value once left");
    await assertConvergedSession(page, TODOS, FIELDS);
    assert.deepEqual(page.problems, []);
  }));

test('a debounced dj-input never fires after its form\'s submit', () =>
  withSetup(async (context, proxy) => {
    const page = await open(context, proxy.base);
    await page.focus('#todo-filter');
    const since = page.frames.sent.length;
    await page.keyboard.type('zz');
    await page.keyboard.press('Enter');
    await settled(page);
    // The debounce is 150 ms: what it would have sent would be out after 4× that.
    await page.waitForTimeout(600);
    const filters = page.frames.sent.slice(since).filter((f) => f.event === 'filter');
    assert.deepEqual(filters.map((f) => f.params), [{ value: 'zz' }], 'the submit only');
    await assertConvergedSession(page, TODOS, FIELDS);
    assert.deepEqual(page.problems, []);
  }));

test('a focused checkbox follows the server (another tab unticks it)', () =>
  withSetup(async (context) => {
    const one = await open(context, server.base);
    const two = await open(context, server.base);
    const text = `shared ${Date.now()}`;
    const row = await addTodo(one, text);
    const id = (await row.getAttribute('id')).replace('todo-', '');
    await one.click(`#done-${id}`);
    await settled(one);
    assert.equal(await one.evaluate((id) => document.activeElement.id === `done-${id}`, id), true, 'the box has focus');
    await two.waitForFunction((id) => document.getElementById(`done-${id}`)?.checked, id);
    await two.click(`#done-${id}`);
    await settled(two);
    await one.waitForFunction((id) => !document.getElementById(`todo-${id}`).classList.contains('done'), id);
    assert.equal(await one.isChecked(`#done-${id}`), false, 'the ticked box follows the server');
    await assertConverged(one, `${server.base}/todos/`, `#${TODOS}`, FIELDS);
    await assertConverged(two, `${server.base}/todos/`, `#${TODOS}`, FIELDS);
    assert.deepEqual([...one.problems, ...two.problems], []);
  }));

test('a whole-HTML update keeps what was typed and not sent', () =>
  withSetup(async (context) => {
    const page = await open(context, server.base);
    await page.fill('#todo-text', 'not sent yet');
    await page.focus('#todo-filter');
    const seen = page.frames.received.length;
    await page.evaluate((target) => window.djust.requestHtml(target), TODOS);
    await waitForFrame(page, seen, (f) => f.type === 'html_recovery');
    await settled(page);
    assert.equal(await page.inputValue('#todo-text'), 'not sent yet');
    await page.fill('#todo-text', '');
    await assertConverged(page, `${server.base}/todos/`, `#${TODOS}`, FIELDS);
    assert.deepEqual(page.problems, []);
  }));

test('what is typed before the first mount is kept (and the filter sent)', () =>
  withSetup(async (context, proxy) => {
    proxy.delay(600);
    const page = await open(context, proxy.base, { wait: false });
    await page.waitForFunction(() => window.djust && !document.querySelector('[dj-view]').hasAttribute('dj-mounted'));
    await page.fill('#todo-text', 'typed early');
    await page.fill('#todo-filter', 'early');
    assert.equal(await page.evaluate(() => document.querySelector('[dj-view]').hasAttribute('dj-mounted')), false, 'typed before the mount');
    await waitMounted(page);
    await settled(page);
    proxy.delay(0);
    assert.equal(await page.inputValue('#todo-text'), 'typed early');
    assert.equal(await page.inputValue('#todo-filter'), 'early');
    await page.waitForFunction(() => document.querySelector('#todo-filter').getAttribute('value') === 'early');
    await page.fill('#todo-text', ''); // kept, never sent (the form was not submitted)
    await assertConvergedSession(page, TODOS, FIELDS);
    assert.deepEqual(page.problems, []);
  }));

test('a refused page token reloads the page once; it lives on', () =>
  withSetup(async (context, proxy) => {
    const page = await open(context, proxy.base);
    await page.evaluate(() => {
      window.__before = true;
      document.querySelector('[dj-view]').setAttribute('dj-token', '1.bad');
    });
    // A restart loses the view session: the reconnect mounts with the page's (bad) token.
    const reloaded = page.waitForEvent('load', { timeout: 60_000 });
    await server.restart();
    await reloaded;
    await page.waitForSelector('body.dj-connected');
    await waitMounted(page);
    assert.equal(await page.evaluate(() => window.__before), undefined, 'the page was loaded again');
    await addTodo(page, 'after the reload');
    await assertConverged(page, `${server.base}/todos/`, `#${TODOS}`, FIELDS);
  }));

test('with the instant shell, /old-counter/ (301) ends on /counter/, mounted; the nav marks it', async () => {
  const context = await browser.newContext();
  await withOldClient(context);
  try {
    const page = await context.newPage();
    page.problems = [];
    page.on('console', (message) => {
      if (message.type() === 'error') page.problems.push(`console: ${message.text()}`);
    });
    await page.goto(`${server.base}/chat/`);
    await waitMounted(page);
    await waitForController(page);
    await page.goto(`${server.base}/todos/`);
    await waitMounted(page);
    await waitForShell(page);
    // The shell is cached (made from a page whose nav marks another link): a redirected URL.
    await page.goto(`${server.base}/old-counter/`);
    await page.waitForFunction(() => location.pathname === '/counter/');
    await page.waitForSelector('body.dj-connected');
    await waitMounted(page);
    assert.equal(await page.getAttribute('nav a[aria-current="page"]', 'href'), '/counter/');
    // A shell-served /chat/ marks /chat/ in the nav, not the page the shell was made from.
    await page.goto(`${server.base}/chat/`);
    await waitMounted(page);
    assert.deepEqual(await page.$$eval('nav a[aria-current="page"]', (links) => links.map((a) => a.getAttribute('href'))), ['/chat/']);
    assert.deepEqual(page.problems, []);
  } finally {
    await context.close();
  }
});

test('with the instant shell, a download is not given the shell (no clear-and-reload)', async () => {
  const context = await browser.newContext({ acceptDownloads: true });
  try {
    const page = await context.newPage();
    await page.goto(`${server.base}/counter/`);
    await waitMounted(page);
    await waitForController(page);
    await page.goto(`${server.base}/todos/`);
    await waitMounted(page);
    await waitForShell(page);
    const requests = [];
    page.on('request', (request) => requests.push(request));
    await page.evaluate(() => {
      window.__stayed = true;
      const link = document.createElement('a');
      link.href = '/downloads/report.csv';
      link.id = 'report';
      link.textContent = 'report';
      document.body.append(link);
    });
    const download = page.waitForEvent('download');
    await page.click('#report');
    assert.equal((await download).suggestedFilename(), 'report.csv');
    assert.equal(await page.evaluate(() => window.__stayed), true, 'the page was not replaced by the shell');
    assert.equal(requests.some((request) => request.headers()['x-djust-main-only'] === '1'), false, 'no shell filled for it');
    assert.notEqual(await cachedShell(page), null, 'the shell is still cached (no clear-and-reload)');
  } finally {
    await context.close();
  }
});
