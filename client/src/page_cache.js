/**
 * The page half of the service worker's VDOM cache and state snapshot store
 * (`sw/page_cache.js`): messages to the active worker, replies matched by `requestId`, a miss
 * when the worker does not answer within 500 ms. Every message carries the page's partition
 * (`dj-partition` on the page's view container), so entries of one user and language are never
 * served to another; until the partition is known nothing is stored or found. It is a snapshot
 * store (`put`/`get`, see `snapshot.js`) and a VDOM cache (`storeVdom`/`lookupVdom`).
 * @module page_cache
 */

import { PAGE_CACHE, SW_MESSAGE } from "./constants.js";

export default class ServiceWorkerPageCache {
  /**
   * @param {object} env
   * @param {ServiceWorkerContainer} env.serviceWorker `navigator.serviceWorker`
   * @param {() => string | null} env.partition the page's partition key, once known
   * @param {number} [env.timeoutMs] how long a lookup waits for the worker
   */
  constructor({ serviceWorker, partition, timeoutMs = PAGE_CACHE.LOOKUP_TIMEOUT_MS }) {
    this.serviceWorker = serviceWorker;
    this.partition = partition;
    this.timeoutMs = timeoutMs;
    this.lastId = 0;
    /** requestId → resolve. @type {Map<string, (reply: object | null) => void>} */
    this.waiting = new Map();
    serviceWorker.addEventListener("message", (event) => {
      const resolve = this.waiting.get(event.data?.requestId);
      if (!resolve) return;
      this.waiting.delete(event.data.requestId);
      resolve(event.data);
    });
  }

  /**
   * Posts `message` (with the partition) to the active worker, once there is one; `false`
   * without a partition (nothing is sent).
   */
  async post(message) {
    const partition = this.partition();
    if (!partition) return false;
    const registration = await this.serviceWorker.ready;
    registration.active?.postMessage({ ...message, partition });
    return Boolean(registration.active);
  }

  /** Posts `message` and resolves its reply, or `null` after the timeout. */
  ask(message) {
    this.lastId += 1;
    const requestId = `${message.type}-${this.lastId}-${Date.now().toString(36)}`;
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.waiting.delete(requestId);
        resolve(null);
      }, this.timeoutMs);
      this.waiting.set(requestId, (reply) => {
        clearTimeout(timer);
        resolve(reply);
      });
      this.post({ ...message, requestId }).then(
        (sent) => sent || this.waiting.get(requestId)?.(null),
        () => this.waiting.get(requestId)?.(null),
      );
    });
  }

  /** Sends the server's TTL and size to the worker. */
  configure({ ttlSeconds, maxEntries }) {
    return this.post({ type: SW_MESSAGE.VDOM_CONFIG, ttl_seconds: ttlSeconds, max_entries: maxEntries });
  }

  /** Keeps the HTML of the view at `url`. */
  storeVdom(url, html, version) {
    return this.post({ type: SW_MESSAGE.VDOM_CACHE, url, html, version });
  }

  /** The fresh cached HTML of `url`, or `null`. */
  async lookupVdom(url) {
    const reply = await this.ask({ type: SW_MESSAGE.VDOM_CACHE_LOOKUP, url });
    return reply?.hit && !reply.stale && typeof reply.html === "string" ? reply.html : null;
  }

  /** Snapshot store: keeps `blob` of `view` left at `url`. */
  put(url, view, blob) {
    return this.post({ type: SW_MESSAGE.STATE_SNAPSHOT, url, view_slug: view, state_json: blob });
  }

  /** Snapshot store: the snapshot kept for `url`, or `null`. */
  async get(url) {
    const reply = await this.ask({ type: SW_MESSAGE.STATE_SNAPSHOT_LOOKUP, url });
    if (!reply?.hit || typeof reply.state_json !== "string") return null;
    return { view: reply.view_slug, blob: reply.state_json };
  }
}
