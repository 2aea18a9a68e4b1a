// Loads the real service worker script (and the scripts it imports) into a fresh VM context
// with a stubbed `self`, `caches`, `clients` and `fetch`, and dispatches events to it.

import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import vm from "node:vm";

const clientDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

export const ORIGIN = "https://app.test";
export const SCOPE = `${ORIGIN}/`;

/** Cache Storage in memory: names → Map(key → Response). */
export class FakeCaches {
  constructor() {
    this.stores = new Map();
  }

  async open(name) {
    if (!this.stores.has(name)) this.stores.set(name, new Map());
    const store = this.stores.get(name);
    const key = (request) => (typeof request === "string" ? request : request.url);
    return {
      match: async (request) => store.get(key(request))?.clone(),
      put: async (request, response) => {
        store.set(key(request), response);
      },
      delete: async (request) => store.delete(key(request)),
    };
  }

  async delete(name) {
    return this.stores.delete(name);
  }

  async keys() {
    return [...this.stores.keys()];
  }
}

/** A navigation request as the worker sees it. */
export function navigation(url, { method = "GET", mode = "navigate", headers = {} } = {}) {
  return { url: new URL(url, ORIGIN).href, method, mode, headers: new Headers(headers) };
}

/** An HTML response like the server's page. */
export function page(body, { status = 200, type = "text/html; charset=utf-8", version = "v1" } = {}) {
  const headers = { "Content-Type": type };
  if (version) headers["X-Djust-Shell-Version"] = version;
  return new Response(body, { status, headers });
}

/**
 * The worker, loaded. `fetch` answers the worker's network requests (and records them in
 * `requests`).
 */
export function loadServiceWorker({ fetch = async () => page("<main>x</main>"), caches = new FakeCaches(), version = null, active = null } = {}) {
  const listeners = new Map();
  const requests = [];
  const context = {
    console,
    URL,
    Headers,
    Response,
    Promise,
    Request,
    setTimeout,
    clearTimeout,
    location: new URL(`/static/djust/service-worker.js${version ? `?v=${version}` : ""}`, ORIGIN),
    registration: { scope: SCOPE, active },
    caches, // pass the same one to a second worker to restart it over the same storage
    clients: {
      claimed: false,
      async claim() {
        this.claimed = true;
      },
      async matchAll() {
        return [];
      },
    },
    skipped: 0,
    async skipWaiting() {
      this.skipped += 1;
    },
    fetch: async (request) => {
      requests.push(request);
      return fetch(request);
    },
    addEventListener(type, listener) {
      if (!listeners.has(type)) listeners.set(type, []);
      listeners.get(type).push(listener);
    },
    importScripts(...names) {
      for (const name of names) {
        const file = path.join(clientDir, name);
        vm.runInContext(fs.readFileSync(file, "utf8"), context, { filename: file });
      }
    },
  };
  context.self = context;
  vm.createContext(context);
  const main = path.join(clientDir, "service-worker.js");
  vm.runInContext(fs.readFileSync(main, "utf8"), context, { filename: main });

  /** Dispatches `event` (with `waitUntil`/`respondWith` added) and waits for its promises. */
  async function dispatch(type, event) {
    const waits = [];
    let response = null;
    const full = {
      ...event,
      waitUntil: (promise) => waits.push(promise),
      respondWith: (promise) => {
        response = Promise.resolve(promise);
      },
    };
    for (const listener of listeners.get(type) ?? []) listener(full);
    const answered = response ? await response : null;
    await Promise.all(waits);
    return answered;
  }

  /** Sends message `data` from a window client (overridable fields); resolves its replies. */
  async function message(data, source = {}, origin = ORIGIN) {
    const replies = [];
    const client = { type: "window", url: `${ORIGIN}/page/`, postMessage: (reply) => replies.push(structuredClone(reply)), ...source };
    await dispatch("message", { data, origin, source: client });
    return replies;
  }

  return { self: context, requests, dispatch, message, fetchEvent: (request) => dispatch("fetch", { request }) };
}
