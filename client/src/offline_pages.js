/**
 * Offline mode, page half of the worker's messages: pages saved for offline
 * (`djust.saveForOffline(url)`, `removeFromOffline(url)`, `offlinePages()`), the list of them
 * in every `[dj-offline-pages]` element (the offline page's), the reload when the worker saw
 * another user's partition (`DJUST_PARTITION_CHANGED`), and new versions: a waiting worker
 * dispatches `djust:sw-update` (cancelable) on `window`; unless cancelled, and when the server
 * left the prompt on, a small `.dj-sw-update` prompt offers to reload into the new version.
 * The worker half, which keeps the pages, is `sw/offline_pages.js`.
 * @module offline_pages
 */

import { OFFLINE_PAGES, SW_MESSAGE } from "./constants.js";

export default class OfflinePages {
  /**
   * @param {object} env
   * @param {Window} env.window
   * @param {() => string | null} env.partition the page's partition, once known
   */
  constructor({ window, partition }) {
    this.window = window;
    this.container = window.navigator.serviceWorker ?? null;
    this.lastId = 0;
    this.waiting = new Map();
    this.container?.addEventListener("message", (event) => {
      const data = event.data ?? {};
      if (data.type === SW_MESSAGE.OFFLINE_REPLY) {
        this.waiting.get(data.requestId)?.(data);
        this.waiting.delete(data.requestId);
      } else if (data.type === SW_MESSAGE.PARTITION_CHANGED) {
        const mine = partition();
        if (mine && mine !== data.partition) window.location.reload();
      }
    });
  }

  /** Posts `message` to the active worker; resolves its reply (`{ok: false}` without one). */
  async ask(message) {
    if (!this.container) return { ok: false };
    const registration = await this.container.ready;
    const requestId = `offline-${(this.lastId += 1)}`;
    return new Promise((resolve) => {
      const timer = this.window.setTimeout(() => resolve({ ok: false }), OFFLINE_PAGES.REPLY_TIMEOUT_MS);
      this.waiting.set(requestId, (reply) => {
        this.window.clearTimeout(timer);
        resolve(reply);
      });
      registration.active.postMessage({ ...message, requestId });
    });
  }

  /** @returns {Promise<boolean>} whether `url` is now kept until removed */
  async save(url = this.window.location.href) {
    const reply = await this.ask({ type: SW_MESSAGE.SAVE_OFFLINE, url: String(url) });
    this.fillLists();
    return reply.ok === true;
  }

  /** @returns {Promise<boolean>} */
  async remove(url = this.window.location.href) {
    const reply = await this.ask({ type: SW_MESSAGE.REMOVE_OFFLINE, url: String(url) });
    this.fillLists();
    return reply.ok === true;
  }

  /** @returns {Promise<{url: string, title: string, ts: number}[]>} the saved pages */
  async list() {
    const reply = await this.ask({ type: SW_MESSAGE.OFFLINE_PAGES });
    return Array.isArray(reply.pages) ? reply.pages : [];
  }

  /** Fills every `[dj-offline-pages]` element with links to the saved pages. */
  async fillLists() {
    const lists = [...this.window.document.querySelectorAll(`[${OFFLINE_PAGES.LIST_ATTR}]`)];
    if (lists.length === 0) return;
    const pages = await this.list();
    const doc = this.window.document;
    for (const list of lists) {
      list.replaceChildren();
      if (pages.length === 0) {
        list.textContent = OFFLINE_PAGES.EMPTY_TEXT;
        continue;
      }
      const ul = doc.createElement("ul");
      for (const page of pages) {
        const link = doc.createElement("a");
        link.href = page.url;
        link.textContent = page.title || page.url;
        const li = doc.createElement("li");
        li.append(link);
        ul.append(li);
      }
      list.append(ul);
    }
  }

  /** Watches `registration` for a waiting new version (see the module docs). */
  watchUpdates(registration, { prompt }) {
    if (!registration || !this.container) return;
    let announced = false;
    const announce = () => {
      const waiting = registration.waiting;
      if (!waiting || !this.container.controller || announced) return;
      announced = true;
      const event = new this.window.CustomEvent(OFFLINE_PAGES.UPDATE_EVENT, { cancelable: true, detail: { registration } });
      if (this.window.dispatchEvent(event) && prompt) this.showPrompt(waiting);
    };
    registration.addEventListener("updatefound", () => {
      const worker = registration.installing;
      worker?.addEventListener("statechange", () => worker.state === "installed" && announce());
    });
    announce();
  }

  /** The default prompt: "A new version is available. Reload". */
  showPrompt(waiting) {
    const doc = this.window.document;
    const box = doc.createElement("div");
    box.className = OFFLINE_PAGES.UPDATE_CLASS;
    box.setAttribute("role", "status");
    box.style.cssText = "position:fixed;right:1rem;bottom:2.5rem;z-index:99999;padding:.5rem 1rem;background:#1e293b;color:#fff;font:13px system-ui,sans-serif;border-radius:.25rem";
    box.textContent = OFFLINE_PAGES.UPDATE_TEXT;
    const button = doc.createElement("button");
    button.type = "button";
    button.textContent = OFFLINE_PAGES.RELOAD_TEXT;
    button.addEventListener("click", () => {
      this.container.addEventListener("controllerchange", () => this.window.location.reload(), { once: true });
      waiting.postMessage({ type: SW_MESSAGE.SKIP_WAITING });
    });
    box.append(button);
    doc.body.append(box);
  }
}
