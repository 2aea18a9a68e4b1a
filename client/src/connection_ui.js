/**
 * What the page shows of the connection: `dj-connected` / `dj-disconnected` on `<body>`; while
 * reconnecting, the `.dj-reconnecting-banner` ("Reconnecting… (attempt N of 10)"),
 * `data-dj-reconnect-attempt` and the `--dj-reconnect-attempt` custom property on `<body>`;
 * after the last attempt, the `.dj-connection-lost-banner` with a reload button. The default
 * styles are zero-specificity (`:where`), so any page CSS restyles them.
 * @module connection_ui
 */

import { ATTR, CLASS, CONNECTION_UI } from "./constants.js";

const DEFAULT_CSS = `
:where(.${CLASS.RECONNECTING_BANNER}, .${CLASS.LOST_BANNER}) {
  position: fixed; top: 0; left: 0; right: 0; z-index: 99998; padding: 6px 16px;
  text-align: center; font: 600 13px/1.4 system-ui, sans-serif;
  background: #f59e0b; color: #1c1917;
}
:where(.${CLASS.LOST_BANNER}) { background: #b91c1c; color: #fff; }
:where(.${CLASS.LOST_BANNER} button) { margin-left: .5em; font: inherit; cursor: pointer; }
`;

export default class ConnectionUi {
  /**
   * @param {Document} document
   * @param {number} maxAttempts shown as "of N"
   */
  constructor(document, maxAttempts) {
    this.document = document;
    this.maxAttempts = maxAttempts;
  }

  /** The connection is open: `dj-connected`, nothing else. */
  connected() {
    this.clear();
    this.setClass(true);
  }

  /** The connection closed: `dj-disconnected`. */
  disconnected() {
    this.setClass(false);
  }

  /**
   * Waiting for attempt `attempt`: banner, attribute and custom property.
   * @param {number} attempt
   */
  reconnecting(attempt) {
    const body = this.document.body;
    this.setClass(false);
    body.classList.remove(CLASS.CONNECTION_LOST);
    this.document.getElementById(CLASS.LOST_BANNER)?.remove();
    body.setAttribute(ATTR.RECONNECT_ATTEMPT, String(attempt));
    body.style.setProperty(CONNECTION_UI.ATTEMPT_PROPERTY, String(attempt));
    const banner = this.banner(CLASS.RECONNECTING_BANNER);
    banner.textContent = `Reconnecting\u2026 (attempt ${attempt} of ${this.maxAttempts})`;
  }

  /** No more attempts: "Connection lost — reload". */
  lost() {
    this.clear();
    this.setClass(false);
    this.document.body.classList.add(CLASS.CONNECTION_LOST);
    const banner = this.banner(CLASS.LOST_BANNER);
    banner.setAttribute("role", "alert");
    banner.textContent = "Connection lost \u2014 ";
    const reload = this.document.createElement("button");
    reload.type = "button";
    reload.textContent = "reload";
    reload.addEventListener("click", () => this.document.location.reload());
    banner.append(reload);
  }

  /** Removes the banners, the attempt attribute and property, and the final state. */
  clear() {
    const body = this.document.body;
    body.removeAttribute(ATTR.RECONNECT_ATTEMPT);
    body.style.removeProperty(CONNECTION_UI.ATTEMPT_PROPERTY);
    if (body.getAttribute("style") === "") body.removeAttribute("style");
    body.classList.remove(CLASS.CONNECTION_LOST);
    this.document.getElementById(CLASS.RECONNECTING_BANNER)?.remove();
    this.document.getElementById(CLASS.LOST_BANNER)?.remove();
  }

  setClass(connected) {
    const body = this.document.body;
    body.classList.toggle(CLASS.CONNECTED, connected);
    body.classList.toggle(CLASS.DISCONNECTED, !connected);
  }

  /** The banner whose id and class are `name`, created when missing. */
  banner(name) {
    this.installStyle();
    let banner = this.document.getElementById(name);
    if (!banner) {
      banner = this.document.createElement("div");
      banner.id = name;
      banner.className = name;
      banner.setAttribute("aria-live", "polite");
      this.document.body.append(banner);
    }
    return banner;
  }

  installStyle() {
    if (this.document.getElementById(CONNECTION_UI.STYLE_ID)) return;
    const style = this.document.createElement("style");
    style.id = CONNECTION_UI.STYLE_ID;
    style.textContent = DEFAULT_CSS;
    (this.document.head ?? this.document.body).prepend(style);
  }
}
