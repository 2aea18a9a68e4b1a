// Shared helpers of the browser tests: start the example server on a free port, launch
// Debian's Chromium through playwright-core, and compare DOM trees canonically.
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { after, before } from 'node:test';

import { chromium } from 'playwright-core';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

/** Chromium flags that work in this sandbox (no network beyond loopback). */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox', '--disable-gpu', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic',
];

/** Resolves a TCP port that is free on 127.0.0.1. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/**
 * Starts the example server binary on a free port and waits until it answers. `kill()` ends
 * the process abruptly (SIGKILL, like a crash) and waits for it; `start()` starts it again on
 * the same port; `restart()` does both.
 * @param {object} [options]
 * @param {Record<string, string>} [options.env] extra environment of the server
 * @returns {Promise<{base: string, port: number, pid: () => number, stop: () => Promise<void>,
 *   kill: () => Promise<void>, start: () => Promise<void>, restart: () => Promise<void>}>}
 */
export async function startExample({ env = {} } = {}) {
  const bin = process.env.DJUST_EXAMPLE_BIN || path.join(repoRoot, 'target/debug/djust-example');
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  let child = null;
  let exited = Promise.resolve();
  const start = async () => {
    child = spawn(bin, [], {
      env: { ...process.env, ...env, PORT: String(port), RUST_LOG: process.env.RUST_LOG || 'warn' },
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    const current = child;
    exited = new Promise((resolve) => current.once('exit', resolve));
    for (let attempt = 0; ; attempt += 1) {
      try {
        const response = await fetch(`${base}/`);
        if (response.ok) break;
      } catch {
        if (current.exitCode !== null) throw new Error(`example server exited with ${current.exitCode}`);
        if (attempt > 600) throw new Error(`example server did not answer on ${base}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };
  const end = async (signal) => {
    if (child && child.exitCode === null && child.signalCode === null) child.kill(signal);
    await exited;
  };
  await start();
  return {
    base,
    port,
    /** The running server's process id (for reading its memory). */
    pid: () => child.pid,
    start,
    stop: () => end('SIGTERM'),
    kill: () => end('SIGKILL'),
    restart: async () => {
      await end('SIGKILL');
      await start();
    },
  };
}

/**
 * Registers `before`/`after` hooks of the calling test file that start the example server and
 * Chromium, and stop them. Returns an object whose `server` and `browser` are set once started.
 * @returns {{server: {base: string, stop: () => Promise<void>}, browser: import('playwright-core').Browser}}
 */
export function withExample() {
  const env = {};
  before(async () => {
    env.server = await startExample();
    env.browser = await launchBrowser();
  });
  after(async () => {
    await env.browser?.close();
    await env.server?.stop();
  });
  return env;
}

/** Launches Debian's Chromium. */
export function launchBrowser() {
  return chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: CHROMIUM_ARGS });
}

/**
 * Opens `url` in a new page of `context` and waits until its live views are mounted. Page
 * errors and console errors are collected in `page.problems` (tests assert it stays empty).
 */
export async function openLive(context, url) {
  const page = await context.newPage();
  page.problems = [];
  page.on('pageerror', (error) => page.problems.push(`pageerror: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') page.problems.push(`console: ${message.text()}`);
  });
  await page.goto(url);
  await page.waitForSelector('body.dj-connected');
  await waitMounted(page);
  return page;
}

/** Waits until every view container of `page` is mounted over the live connection. */
export function waitMounted(page) {
  return page.waitForFunction(() => [...document.querySelectorAll('[dj-view]')]
    .every((container) => container.hasAttribute('dj-mounted')));
}

/** Clicks `selector` and waits until the event's answer has been applied. */
export async function clickAndSettle(page, selector) {
  await page.click(selector);
  await settled(page);
}

/** Waits until no event of any view is in flight. */
export function settled(page) {
  return page.waitForFunction(() => !document.querySelector('[dj-view].dj-loading'));
}
