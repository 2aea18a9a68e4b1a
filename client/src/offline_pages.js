/**
 * Offline mode, page half of the worker's messages: pages saved for offline
 * (`djust.saveForOffline(url)`, `removeFromOffline(url)`, `offlinePages()`), the list of them
 * in every `[dj-offline-pages]` element (the offline page's), the reload when the worker saw
 * another user's partition (`DJUST_PARTITION_CHANGED`), and new versions: a waiting worker
 * dispatches `djust:sw-update` (cancelable) on `window`; unless cancelled, and when the server
 * left the prompt on, a small `.dj-sw-update` prompt offers to reload into the new version.
 * @module offline_pages
 */

const REPLY = "DJUST_OFFLINE_REPLY";
const TIMEOUT_MS = 10_000;
export const UPDATE_EVENT = "djust:sw-update";

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
      if (data.type === REPLY) {
        this.waiting.get(data.requestId)?.(data);
        this.waiting.delete(data.requestId);
      } else if (data.type === "DJUST_PARTITION_CHANGED") {
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
      const timer = this.window.setTimeout(() => resolve({ ok: false }), TIMEOUT_MS);
      this.waiting.set(requestId, (reply) => {
        this.window.clearTimeout(timer);
        resolve(reply);
      });
      registration.active.postMessage({ ...message, requestId });
    });
  }

  /** @returns {Promise<boolean>} whether `url` is now kept until removed */
  async save(url = this.window.location.href) {
    const reply = await this.ask({ type: "DJUST_SAVE_OFFLINE", url: String(url) });
    this.fillLists();
    return reply.ok === true;
  }

  /** @returns {Promise<boolean>} */
  async remove(url = this.window.location.href) {
    const reply = await this.ask({ type: "DJUST_REMOVE_OFFLINE", url: String(url) });
    this.fillLists();
    return reply.ok === true;
  }

  /** @returns {Promise<{url: string, title: string, ts: number}[]>} the saved pages */
  async list() {
    const reply = await this.ask({ type: "DJUST_OFFLINE_PAGES" });
    return Array.isArray(reply.pages) ? reply.pages : [];
  }

  /** Fills every `[dj-offline-pages]` element with links to the saved pages. */
  async fillLists() {
    const lists = [...this.window.document.querySelectorAll("[dj-offline-pages]")];
    if (lists.length === 0) return;
    const pages = await this.list();
    const doc = this.window.document;
    for (const list of lists) {
      list.replaceChildren();
      if (pages.length === 0) {
        list.textContent = "No pages saved for offline.";
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
      const event = new this.window.CustomEvent(UPDATE_EVENT, { cancelable: true, detail: { registration } });
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
    box.className = "dj-sw-update";
    box.setAttribute("role", "status");
    box.style.cssText = "position:fixed;right:1rem;bottom:2.5rem;z-index:99999;padding:.5rem 1rem;background:#1e293b;color:#fff;font:13px system-ui,sans-serif;border-radius:.25rem";
    box.textContent = "A new version is available. ";
    const button = doc.createElement("button");
    button.type = "button";
    button.textContent = "Reload";
    button.addEventListener("click", () => {
      this.container.addEventListener("controllerchange", () => this.window.location.reload(), { once: true });
      waiting.postMessage({ type: "DJUST_SKIP_WAITING" });
    });
    box.append(button);
    doc.body.append(box);
  }
}
