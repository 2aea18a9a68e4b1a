/**
 * Live navigation: `<a dj-link href>` clicks, back/forward and the server's `navigate` and
 * `live_patch` frames move between pages over the open connection, with `history.pushState`
 * and without a page load (`docs/protocol.md`, "Live navigation").
 *
 * `djust:before-navigate` fires on `window` before the URL changes (`detail.fromUrl` is the page
 * being left) and `djust:navigated` once the new page's view is mounted. The server's `navigate`
 * frame carries signed snapshots of the views left; they are kept under the URL left and sent
 * back with the view's `mount` when the user comes back to it. The scroll position of each
 * history entry is kept in its state and restored on back/forward. With the service worker's
 * VDOM cache, every mount of a page's view stores its HTML under the page's URL, and
 * back/forward paints the cached HTML at once, before the server answers.
 * @module navigation
 */

import { ATTR, DOM_EVENT, ERROR_CODE, FRAME, NAV_EVENT, PAGE_CACHE, WIRE } from "./constants.js";

export default class Navigation {
  /**
   * @param {object} env
   * @param {Window} env.window
   * @param {import("./socket.js").default} env.socket
   * @param {(container: Element) => import("./view.js").default} env.makeView
   * @param {import("./lazy.js").default} env.lazy
   * @param {import("./snapshot.js").SnapshotStore} env.snapshots
   */
  constructor({ window, socket, makeView, lazy, snapshots }) {
    this.window = window;
    this.document = window.document;
    this.socket = socket;
    this.makeView = makeView;
    this.lazy = lazy;
    this.snapshots = snapshots;
    this.current = here(window.location);
    /** The navigation asked of the server, until its `navigate` answer. */
    this.pending = null;
    /** The service worker's VDOM cache (`page_cache.js`), when the server turned it on. */
    this.vdom = null;
    /** target → `{view, blob}`: the snapshot of each view's last mount. */
    this.mountSnapshots = new Map();
    const { history } = window;
    history.replaceState({ ...history.state, djust: true, scroll: window.scrollY }, "");
    // The position of each entry is restored once its page is mounted, not before.
    if ("scrollRestoration" in history) history.scrollRestoration = "manual";
    socket.on(FRAME.NAVIGATE, (frame) => this.arrived(frame));
    socket.on(FRAME.LIVE_PATCH, (frame) => this.patched(frame));
    socket.on(FRAME.ERROR, (frame) => this.refused(frame));
    // A navigation whose answer the lost connection will never bring: the page's views and
    // tokens are the old page's under the new URL; a page load is the only way on.
    socket.onLost(() => this.interrupted());
  }

  /** Listens for `dj-link` clicks, back/forward, and scrolling (kept in the history entry). */
  listen() {
    this.document.addEventListener("click", (event) => this.clicked(event));
    this.document.addEventListener(DOM_EVENT.MOUNTED, (event) => this.mounted(event));
    let timer = null;
    this.window.addEventListener("scroll", () => {
      clearTimeout(timer);
      timer = setTimeout(() => this.keepScroll(), SCROLL_KEEP_MS);
    });
    this.window.addEventListener("popstate", (event) => {
      if (event.state?.djust) this.go(here(this.window.location), { back: true, scroll: event.state.scroll });
    });
  }

  clicked(event) {
    if (event.defaultPrevented || event.button !== 0) return;
    if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    const link = event.target.closest?.(`a[${ATTR.LINK}][href]`);
    if (!link || (link.target && link.target !== "_self")) return;
    const url = new URL(link.href, this.window.location.href);
    if (url.origin !== this.window.location.origin) return;
    event.preventDefault();
    this.go(url.pathname + url.search);
  }

  /**
   * Navigates to `url` (path and query) over the connection; a full page load when it is not
   * open.
   * @param {string} url
   * @param {{back?: boolean, scroll?: number}} [options] `back`: a back/forward (the URL has
   *   already changed), with the entry's `scroll`
   */
  go(url, { back = false, scroll = 0 } = {}) {
    if (!this.socket.isOpen()) {
      if (back) this.window.location.reload();
      else this.window.location.assign(url);
      return;
    }
    this.leaving(url, back);
    const pending = { url, back, scroll, snapshot: back ? this.snapshots.get(url) : null, painted: null };
    if (back && this.vdom) pending.painted = this.vdom.lookupVdom(url).then((html) => this.paint(pending, html));
    this.pending = pending;
    this.socket.send({ [WIRE.TYPE]: FRAME.LIVE_REDIRECT, [WIRE.URL]: url });
  }

  /**
   * Before the URL changes: tell listeners; remember the scroll position of the entry left
   * (on back/forward the entry has already changed: its position was kept while scrolling)
   * and, with the VDOM cache, the page's HTML as the user last saw it.
   */
  leaving(toUrl, back = false) {
    if (!back) this.keepScroll();
    const first = this.document.querySelector(`[${ATTR.VIEW}][${ATTR.MOUNTED}]`);
    if (this.vdom && first) this.vdom.storeVdom(this.current, first.innerHTML, 0).catch(() => undefined);
    // The snapshot of the last mount, kept under the URL left; the server's `navigate.left`
    // (the state at this moment) replaces it.
    const mounted = first && this.mountSnapshots.get(first.id);
    if (mounted) this.snapshots.put(this.current, mounted.view, mounted.blob);
    this.emit(NAV_EVENT.BEFORE, { fromUrl: this.current, toUrl });
  }

  /** Stores the scroll position in the current history entry. */
  keepScroll() {
    const { history } = this.window;
    if (history.state?.djust) history.replaceState({ ...history.state, scroll: this.window.scrollY }, "");
  }

  /** The server's `navigate`: asked for, or a view's `live_redirect`. */
  async arrived(frame) {
    const url = frame[WIRE.URL];
    let pending = this.pending;
    this.pending = null;
    if (!pending || pending.url !== url) {
      this.leaving(url);
      pending = { url, back: false, scroll: 0, snapshot: null };
    }
    const fromUrl = this.current;
    for (const left of frame[WIRE.LEFT] ?? []) {
      this.snapshots.put(fromUrl, left[WIRE.VIEW], left[WIRE.SNAPSHOT]);
    }
    if (!pending.back) this.window.history.pushState({ djust: true, scroll: 0 }, "", url);
    this.current = url;
    const [kept, painted] = await Promise.all([pending.snapshot, pending.painted]);
    const paintedLate = painted !== null && !pending.applied;
    this.replaceViews(frame[WIRE.VIEWS] ?? [], { kept, painted }, () => {
      this.window.scrollTo(0, pending.scroll);
      this.emit(NAV_EVENT.NAVIGATED, { fromUrl, toUrl: url });
    });
    // The cache answered after the server's `navigate`: painted now, still before the mount.
    if (paintedLate) this.emit(PAGE_CACHE.APPLIED_EVENT, { url });
    return true;
  }

  /**
   * Replaces the page's containers with `containers`; mounts the eager ones (the first with
   * `kept`, a snapshot for its view, and showing `painted`, the cached HTML, until its mount
   * answers), hands the lazy ones to lazy hydration; `done` runs once the first is mounted.
   */
  replaceViews(containers, { kept = null, painted = null }, done) {
    const root = this.dropViews();
    const elements = containers.map((spec) => {
      const el = this.document.createElement("div");
      el.id = spec[WIRE.TARGET];
      el.setAttribute(ATTR.VIEW, spec[WIRE.VIEW]);
      el.setAttribute(ATTR.TOKEN, spec[WIRE.TOKEN]);
      if (spec[WIRE.LAZY]) el.setAttribute(ATTR.LAZY, spec[WIRE.LAZY]);
      return el;
    });
    root.replaceChildren(...elements);
    let first = true;
    for (const el of elements) {
      if (el.hasAttribute(ATTR.LAZY)) {
        this.lazy.register(el);
        continue;
      }
      if (first && painted !== null) el.innerHTML = painted;
      const view = this.makeView(el);
      if (first) {
        el.addEventListener(DOM_EVENT.MOUNTED, done, { once: true });
        if (kept && kept.view === el.getAttribute(ATTR.VIEW)) view.snapshot = kept.blob;
        first = false;
      }
      this.socket.join(view);
    }
    if (first) done();
  }

  /** Forgets the page's views; returns the element that holds their containers. */
  dropViews() {
    const painted = this.document.querySelector(`[${PAGE_CACHE.PAINTED_ATTR}]`);
    const old = [...this.document.querySelectorAll(`[${ATTR.VIEW}]`)];
    for (const container of old) {
      this.socket.views.get(container.id)?.left?.();
      this.socket.views.delete(container.id);
    }
    return (old[0] ?? painted)?.parentElement ?? this.document.querySelector("main") ?? this.document.body;
  }

  /**
   * Back/forward with the VDOM cache: paints the cached `html` of the page at once, unless
   * the navigation is over or another one started; resolves `html` for the first container.
   */
  paint(pending, html) {
    if (html === null || this.pending !== pending) return html;
    const root = this.dropViews();
    const placeholder = this.document.createElement("div");
    placeholder.setAttribute(PAGE_CACHE.PAINTED_ATTR, "");
    placeholder.innerHTML = html;
    root.replaceChildren(placeholder);
    pending.applied = true;
    this.emit(PAGE_CACHE.APPLIED_EVENT, { url: pending.url });
    return html;
  }

  /**
   * A view was mounted: its snapshot is noted; the page's view's HTML goes to the VDOM cache
   * under the page's URL.
   */
  mounted(event) {
    const blob = event.detail?.[WIRE.SNAPSHOT];
    if (typeof blob === "string") {
      this.mountSnapshots.set(event.target.id, { view: event.detail[WIRE.VIEW], blob });
    }
    const first = this.document.querySelector(`[${ATTR.VIEW}]`);
    const html = event.detail?.[WIRE.HTML];
    if (this.vdom && event.target === first && typeof html === "string") {
      this.vdom.storeVdom(this.current, html, event.detail[WIRE.VERSION]).catch(() => undefined);
    }
  }

  /** A view changed the URL (`Context::live_patch`): a new history entry, same views. */
  patched(frame) {
    const url = frame[WIRE.URL];
    if (typeof url !== "string") return false;
    this.emit(NAV_EVENT.BEFORE, { fromUrl: this.current, toUrl: url });
    this.window.history.pushState({ djust: true, scroll: this.window.scrollY }, "", url);
    // The old tokens name the old path: a reconnect at the new URL needs these.
    for (const [target, token] of Object.entries(frame[WIRE.TOKENS] ?? {})) {
      if (typeof token === "string") this.socket.views.get(target)?.container.setAttribute(ATTR.TOKEN, token);
    }
    const fromUrl = this.current;
    this.current = url;
    this.emit(NAV_EVENT.NAVIGATED, { fromUrl, toUrl: url });
    return true;
  }

  /** The connection was lost while a navigation waited for its answer: load the page. */
  interrupted() {
    if (!this.pending) return;
    const { url, back } = this.pending;
    this.pending = null;
    if (back) this.window.location.reload();
    else this.window.location.assign(url);
  }

  /** No live page at the URL asked for, or a server without live navigation: load it. */
  refused(frame) {
    if (!this.pending) return false;
    const code = frame[WIRE.CODE];
    const oldServer = code === ERROR_CODE.UNKNOWN_TYPE && String(frame[WIRE.ERROR]).includes(FRAME.LIVE_REDIRECT);
    if (code !== ERROR_CODE.NOT_FOUND && !oldServer) return false;
    const { url, back } = this.pending;
    this.pending = null;
    if (back) this.window.location.reload();
    else this.window.location.assign(url);
    return true;
  }

  emit(type, detail) {
    const { CustomEvent } = this.window;
    this.window.dispatchEvent(new CustomEvent(type, { detail }));
  }
}

/** How long scrolling must pause before its position is stored in the history entry. */
const SCROLL_KEEP_MS = 150;

/** Path and query of `location`. */
function here(location) {
  return location.pathname + location.search;
}
