// /todos/ in real Chromium: the tab title counts open todos live (the bug report: it stayed
// "(0) Todos"), flash messages show and go, /todos/{id}/ reads its id from the path, and the
// flash of a handler that navigates is shown on the page it navigates to.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { openLive, settled, waitMounted, withExample } from './helpers.js';

const env = withExample();

async function addTodo(page, text) {
  await page.fill('#todo-text', text);
  await page.press('#todo-text', 'Enter');
  await settled(page);
}

const flashes = (page) => page.$$eval('#dj-flash .dj-flash span', (items) => items.map((item) => item.textContent));

test('the title follows the open todos, a flash tells what changed', async () => {
  const context = await env.browser.newContext();
  const page = await openLive(context, `${env.server.base}/todos/`);
  const open = Number(/^\((\d+)\) Todos/.exec(await page.title())[1]);
  await addTodo(page, 'buy <tea>');
  await page.waitForFunction((n) => document.title === `(${n}) Todos`, open + 1);
  await addTodo(page, 'write the report');
  await page.waitForFunction((n) => document.title === `(${n}) Todos`, open + 2);
  assert.deepEqual((await flashes(page)).slice(-2), ['Added “buy <tea>”', 'Added “write the report”']);
  const last = page.locator('#todo-list li').last();
  await last.locator('.toggle').click();
  await settled(page);
  await page.waitForFunction((n) => document.title === `(${n}) Todos`, open + 1);
  assert.equal(await page.inputValue('#todo-text'), '', 'the form was reset');
  // Dismissing a message removes it.
  const count = (await flashes(page)).length;
  await page.click('#dj-flash .dj-flash:last-child .dj-flash-dismiss');
  assert.equal((await flashes(page)).length, count - 1);
  assert.deepEqual(page.problems, []);
  await context.close();
});

test('/todos/{id}/ reads its id from the path; removing navigates back with the flash', async () => {
  const context = await env.browser.newContext();
  const page = await openLive(context, `${env.server.base}/todos/`);
  await addTodo(page, 'a todo with a page');
  const link = page.locator('#todo-list li a', { hasText: 'a todo with a page' }).last();
  const href = await link.getAttribute('href');
  const id = /^\/todos\/(\d+)\/$/.exec(href)[1];
  await link.click(); // live navigation
  await page.waitForFunction((path) => location.pathname === path, href);
  await waitMounted(page);
  assert.equal(await page.textContent('#todo-title'), `Todo ${id}`);
  assert.equal(await page.title(), `Todo ${id}: a todo with a page`);
  await page.click('#remove-todo');
  await page.waitForFunction(() => location.pathname === '/todos/');
  await waitMounted(page);
  await page.waitForFunction(() => [...document.querySelectorAll('#dj-flash span')].some((el) => el.textContent === 'Removed “a todo with a page”'));
  assert.equal(await page.locator('#todo-list li a', { hasText: 'a todo with a page' }).count(), 0);
  // A page load of a todo that is gone still renders (the path parameter, no todo).
  const gone = await openLive(context, `${env.server.base}/todos/${id}/`);
  assert.equal(await gone.textContent('#todo-title'), `Todo ${id} is gone`);
  assert.deepEqual(page.problems, []);
  await context.close();
});
