// Test harness of the service worker's browser tests: a TCP proxy between the browser and the
// example server that can cut the connection (drop open connections, refuse new ones) while
// the server keeps running, and helpers to wait for the worker and read its shell cache.
import { spawn } from 'node:child_process';
import { createServer, connect } from 'node:net';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

import { freePort } from './helpers.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

/**
 * A TCP proxy on a free port of 127.0.0.1 forwarding to `targetPort`.
 * - `cut()`: destroys every open connection and stops listening (new ones are refused);
 * - `restore()`: listens again on the same port;
 * - `target`: the port forwarded to (may be changed between connections).
 */
export async function startProxy(targetPort) {
  const port = await freePort();
  const open = new Set();
  let server = null;
  const proxy = {
    port,
    base: `http://127.0.0.1:${port}`,
    target: targetPort,
    connections: 0,
    async restore() {
      server = createServer((client) => {
        proxy.connections += 1;
        const upstream = connect(proxy.target, '127.0.0.1');
        open.add(client);
        open.add(upstream);
        const close = () => {
          client.destroy();
          upstream.destroy();
          open.delete(client);
          open.delete(upstream);
        };
        client.on('error', close).on('close', close);
        upstream.on('error', close).on('close', close);
        client.pipe(upstream);
        upstream.pipe(client);
      });
      await new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, '127.0.0.1', resolve);
      });
    },
    async cut() {
      const closing = new Promise((resolve) => server.close(resolve));
      for (const socket of open) socket.destroy();
      open.clear();
      await closing;
    },
    stop() {
      return proxy.cut();
    },
  };
  await proxy.restore();
  return proxy;
}

/**
 * Starts the example server on a free port with extra environment `env` and waits until it
 * answers.
 * @returns {Promise<{port: number, base: string, stop: () => Promise<void>}>}
 */
export async function startExampleWith(env) {
  const bin = process.env.DJUST_EXAMPLE_BIN || path.join(repoRoot, 'target/debug/djust-example');
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const child = spawn(bin, [], {
    env: { ...process.env, ...env, PORT: String(port), RUST_LOG: process.env.RUST_LOG || 'warn' },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  for (let attempt = 0; ; attempt += 1) {
    try {
      if ((await fetch(`${base}/`)).ok) break;
    } catch {
      if (child.exitCode !== null) throw new Error(`example server exited with ${child.exitCode}`);
      if (attempt > 600) throw new Error(`example server did not answer on ${base}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return {
    port,
    base,
    /** Stops the server; `SIGKILL` skips actix's graceful wait for open WebSockets. */
    stop: async (signal = 'SIGTERM') => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
  };
}

/** Waits until the djust service worker controls `page`. */
export function waitForController(page) {
  return page.waitForFunction(() => navigator.serviceWorker.controller !== null);
}

/**
 * The cached shell as `{version, text}`, or `null`, read from inside `page`. (The worker's key
 * `__djust_shell__` is relative to the worker's URL.)
 */
export function cachedShell(page) {
  return page.evaluate(async () => {
    const cache = await caches.open('djust-shell-v1');
    const shell = await cache.match(new URL('/static/djust/__djust_shell__', location.href).href);
    return shell ? { version: shell.headers.get('X-Djust-Shell-Version'), text: await shell.text() } : null;
  });
}

/** Waits until a shell is cached (the worker caches it after answering a navigation). */
export async function waitForShell(page, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await cachedShell(page))) {
    if (Date.now() > deadline) throw new Error('no shell was cached');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
