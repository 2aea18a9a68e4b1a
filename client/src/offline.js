/**
 * Offline mode, page half. When what the page shows came from the worker's cache (a document
 * with `<meta name="djust-offline">`, or a shell filled with an `X-Djust-Offline: 1` answer),
 * the page asks the server whether it is reachable (a `HEAD` of `/static/djust/offline.json`,
 * never cached); if not, `<body>` gets `dj-offline`, the `.dj-offline-banner` says "You are
 * offline. This page may be out of date." and submit buttons inside live views are disabled.
 * The server is asked again with backoff (and on `online`); once it answers, the connection is
 * opened again, and everything clears when it is open (at once on a page without live views).
 * @module offline
 */

const CLASS = "dj-offline";
const BANNER_CLASS = "dj-offline-banner";
const BANNER_ID = "dj-offline-banner";
const DISABLED_ATTR = "data-dj-offline-disabled";
const PROBE_URL = "/static/djust/offline.json";
const STYLE_ID = "dj-offline-style";
const SUBMITS = "[dj-view] button[type=submit], [dj-view] input[type=submit], [dj-view] form button:not([type])";
const DEFAULT_CSS = `:where(.${BANNER_CLASS}) { position: fixed; bottom: 0; left: 0; right: 0; z-index: 99997;
  padding: 6px 16px; text-align: center; font: 600 13px/1.4 system-ui, sans-serif; background: #475569; color: #fff; }`;

export const OFFLINE_TEXT = "You are offline. This page may be out of date.";

export default class OfflineMode {
  /**
   * @param {object} env
   * @param {Window} env.window
   * @param {{connect(): void, isOpen(): boolean, views: Map, onOpen(f: Function): void}} env.socket
   * @param {number} [env.firstRetryMs] first delay between probes (doubles up to 15 s)
   */
  constructor({ window, socket, firstRetryMs = 1000 }) {
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
    return Boolean(document.querySelector('meta[name="djust-offline"]'));
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
      await this.window.fetch(`${PROBE_URL}?probe=${Date.now()}`, { method: "HEAD", cache: "no-store" });
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
        this.probeSoon(Math.min(Math.max(delay * 2, this.firstRetryMs), 15_000));
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
    document.body.classList.add(CLASS);
    if (!document.getElementById(STYLE_ID)) {
      const style = document.createElement("style");
      style.id = STYLE_ID;
      style.textContent = DEFAULT_CSS;
      (document.head ?? document.body).prepend(style);
    }
    if (!document.getElementById(BANNER_ID)) {
      const banner = document.createElement("div");
      banner.id = BANNER_ID;
      banner.className = BANNER_CLASS;
      banner.setAttribute("role", "status");
      banner.textContent = OFFLINE_TEXT;
      document.body.append(banner);
    }
    for (const button of document.querySelectorAll(SUBMITS)) {
      if (button.disabled) continue;
      button.disabled = true;
      button.setAttribute(DISABLED_ATTR, "");
    }
  }

  /** The server is back: everything {@link show} did is undone. */
  clear() {
    this.window.clearTimeout(this.timer);
    if (!this.offline) return;
    this.offline = false;
    this.document.body.classList.remove(CLASS);
    this.document.getElementById(BANNER_ID)?.remove();
    for (const button of this.document.querySelectorAll(`[${DISABLED_ATTR}]`)) {
      button.disabled = false;
      button.removeAttribute(DISABLED_ATTR);
    }
  }
}
