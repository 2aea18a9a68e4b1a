/**
 * Offline mode, what the page tells the user. When what the page shows came from the worker's cache (a document
 * with `<meta name="djust-offline">`, or a shell filled with an `X-Djust-Offline: 1` answer),
 * the page asks the server whether it is reachable (a `HEAD` of `/static/djust/offline.json`,
 * never cached); if not, `<body>` gets `dj-offline`, the `.dj-offline-banner` says "You are
 * offline. This page may be out of date." and submit buttons inside live views are disabled.
 * The server is asked again with backoff (and on `online`); once it answers, the connection is
 * opened again, and everything clears when it is open (at once on a page without live views).
 * The worker's offline answers come from `sw/offline_fetch.js`.
 * @module offline_status
 */

import { OFFLINE, OFFLINE_MARK, STATIC_PATH } from "./constants.js";

const DEFAULT_CSS = `:where(.${OFFLINE.BANNER_CLASS}) { position: fixed; bottom: 0; left: 0; right: 0; z-index: 99997;
  padding: 6px 16px; text-align: center; font: 600 13px/1.4 system-ui, sans-serif; background: #475569; color: #fff; }`;

export default class OfflineStatus {
  /**
   * @param {object} env
   * @param {Window} env.window
   * @param {{connect(): void, isOpen(): boolean, views: Map, onOpen(f: Function): void}} env.socket
   * @param {number} [env.firstRetryMs] first delay between probes (doubles up to 15 s)
   */
  constructor({ window, socket, firstRetryMs = OFFLINE.PROBE_FIRST_MS }) {
    this.window = window;
    this.document = window.document;
    this.socket = socket;
    this.firstRetryMs = firstRetryMs;
    this.offline = false;
    this.timer = null;
    socket.onOpen(() => this.clear());
    window.addEventListener("online", () => this.offline && this.probeSoon(0));
  }

  /** Whether the document itself was answered from the worker's cache. */
  static servedFromCache(document) {
    return Boolean(document.querySelector(`meta[name="${OFFLINE_MARK.META}"]`));
  }

  /** What the page shows came from the cache: tell the user unless the server answers. */
  async fromCache() {
    if (await this.reachable()) return;
    this.show();
    this.probeSoon(this.firstRetryMs);
  }

  /** Whether the server answers (any HTTP answer counts). */
  async reachable() {
    try {
      await this.window.fetch(`${STATIC_PATH.OFFLINE_CONFIG}?probe=${Date.now()}`, { method: "HEAD", cache: "no-store" });
      return true;
    } catch {
      return false;
    }
  }

  probeSoon(delay) {
    this.window.clearTimeout(this.timer);
    this.timer = this.window.setTimeout(async () => {
      if (!this.offline) return;
      if (!(await this.reachable())) {
        this.probeSoon(Math.min(Math.max(delay * 2, this.firstRetryMs), OFFLINE.PROBE_MAX_MS));
      } else if (this.socket.views.size > 0) {
        if (!this.socket.isOpen()) this.socket.connect(); // clears once open
      } else {
        this.clear();
      }
    }, delay);
  }

  /** `dj-offline`, the banner, and the live views' submit buttons disabled. */
  show() {
    this.offline = true;
    const { document } = this;
    document.body.classList.add(OFFLINE.CLASS);
    if (!document.getElementById(OFFLINE.STYLE_ID)) {
      const style = document.createElement("style");
      style.id = OFFLINE.STYLE_ID;
      style.textContent = DEFAULT_CSS;
      (document.head ?? document.body).prepend(style);
    }
    if (!document.getElementById(OFFLINE.BANNER_ID)) {
      const banner = document.createElement("div");
      banner.id = OFFLINE.BANNER_ID;
      banner.className = OFFLINE.BANNER_CLASS;
      banner.setAttribute("role", "status");
      banner.textContent = OFFLINE.BANNER_TEXT;
      document.body.append(banner);
    }
    for (const button of document.querySelectorAll(OFFLINE.SUBMITS)) {
      if (button.disabled) continue;
      button.disabled = true;
      button.setAttribute(OFFLINE.DISABLED_ATTR, "");
    }
  }

  /** The server is back: everything {@link show} did is undone. */
  clear() {
    this.window.clearTimeout(this.timer);
    if (!this.offline) return;
    this.offline = false;
    this.document.body.classList.remove(OFFLINE.CLASS);
    this.document.getElementById(OFFLINE.BANNER_ID)?.remove();
    for (const button of this.document.querySelectorAll(`[${OFFLINE.DISABLED_ATTR}]`)) {
      button.disabled = false;
      button.removeAttribute(OFFLINE.DISABLED_ATTR);
    }
  }
}
