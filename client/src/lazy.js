/**
 * Lazy views: containers with `dj-lazy` are mounted only when they are needed — `viewport`
 * (default: scrolled into view), `click`, `hover` or `idle`. The views that become ready in the
 * same tick (or before the connection opened) are mounted with one `mount_batch` frame; the
 * server answers one `mount_batch` frame (`docs/protocol.md`). A view that failed to mount gets
 * `dj-mount-failed` (the server's message) and a `djust:mount-failed` event.
 *
 * `window.DJUST_USE_MOUNT_BATCH = false` mounts them one by one, and so does an old server's
 * "unknown message type" answer to a batch.
 * @module lazy
 */

import { ATTR, DOM_EVENT, ERROR_CODE, FRAME, LAZY, WIRE } from "./constants.js";

export default class LazyHydration {
  /**
   * @param {object} env
   * @param {Window} env.window
   * @param {import("./socket.js").default} env.socket
   * @param {(container: Element) => import("./view.js").default} env.makeView
   * @param {(url: string) => void} [env.navigate] follows a batch's `navigate` entries
   */
  constructor({ window, socket, makeView, navigate = (url) => window.location.assign(url) }) {
    this.window = window;
    this.socket = socket;
    this.makeView = makeView;
    this.navigate = navigate;
    /** Containers ready to mount. @type {Element[]} */
    this.queue = [];
    this.scheduled = false;
    /** The views of the batch awaiting its answer. @type {import("./view.js").default[] | null} */
    this.inFlight = null;
    this.observer = null;
    socket.on(FRAME.MOUNT_BATCH, (frame) => this.answered(frame));
    socket.on(FRAME.ERROR, (frame) => this.refused(frame));
    socket.onOpen(() => this.flush());
  }

  /** Watches `container` (a `[dj-view][dj-lazy]`) until its trigger fires. */
  register(container) {
    const mode = container.getAttribute(ATTR.LAZY) || LAZY.VIEWPORT;
    const ready = () => this.ready(container);
    container.addEventListener(DOM_EVENT.ERROR, (event) => {
      if (event.detail?.[WIRE.CODE] === ERROR_CODE.MOUNT_FAILED) this.failed(container, event.detail);
    });
    switch (mode) {
      case LAZY.CLICK:
        container.addEventListener("click", ready, { once: true });
        break;
      case LAZY.HOVER:
        container.addEventListener("mouseenter", ready, { once: true });
        break;
      case LAZY.IDLE:
        if (this.window.requestIdleCallback) {
          this.window.requestIdleCallback(ready, { timeout: LAZY.IDLE_TIMEOUT_MS });
        } else {
          this.window.setTimeout(ready, LAZY.IDLE_FALLBACK_MS);
        }
        break;
      default:
        this.observe(container);
    }
  }

  observe(container) {
    const { IntersectionObserver } = this.window;
    if (!IntersectionObserver) {
      this.ready(container);
      return;
    }
    this.observer ??= new IntersectionObserver(
      (entries) => {
        for (const entry of entries) {
          if (!entry.isIntersecting) continue;
          this.observer.unobserve(entry.target);
          this.ready(entry.target);
        }
      },
      { rootMargin: LAZY.ROOT_MARGIN, threshold: 0 },
    );
    this.observer.observe(container);
  }

  /** `container` is needed: it is mounted with the others ready in the same tick. */
  ready(container) {
    // A trigger of a page left since (live navigation): its container is gone, so is it.
    if (!container.isConnected) return;
    if (container.hasAttribute(ATTR.HYDRATED) || this.queue.includes(container)) return;
    this.queue.push(container);
    if (this.scheduled) return;
    this.scheduled = true;
    queueMicrotask(() => this.flush());
  }

  /** Mounts the queued views (once the connection is open): one batch, or one by one. */
  flush() {
    this.scheduled = false;
    if (!this.socket.isOpen() || this.queue.length === 0) return;
    const views = this.queue.splice(0).filter((container) => container.isConnected).map((container) => {
      container.removeAttribute(ATTR.LAZY);
      container.setAttribute(ATTR.HYDRATED, "true");
      const view = this.makeView(container);
      this.socket.views.set(view.target, view);
      view.mount({ send: false });
      return view;
    });
    if (views.length === 0) return;
    if (views.length >= 2 && this.window[LAZY.BATCH_SWITCH] !== false) {
      this.inFlight = views;
      const entries = views.map((view) => {
        const { [WIRE.TYPE]: _type, ...entry } = view.mountFrame();
        return entry;
      });
      this.socket.send({ [WIRE.TYPE]: FRAME.MOUNT_BATCH, [WIRE.VIEWS]: entries });
      return;
    }
    for (const view of views) this.socket.send(view.mountFrame());
  }

  /** The server's `mount_batch`: each mount goes to its view, failures are shown. */
  answered(frame) {
    this.inFlight = null;
    for (const mount of frame[WIRE.VIEWS] ?? []) this.socket.deliver(mount);
    for (const failure of frame[WIRE.FAILED] ?? []) {
      const container = this.window.document.getElementById(failure[WIRE.TARGET]);
      if (container) this.failed(container, failure);
    }
    const [first] = frame[WIRE.NAVIGATE] ?? [];
    if (first && typeof first[WIRE.URL] === "string") this.navigate(first[WIRE.URL]);
    return true;
  }

  /** An old server does not know `mount_batch`: mount the batch's views one by one. */
  refused(frame) {
    const batch = this.inFlight;
    if (!batch || frame[WIRE.CODE] !== ERROR_CODE.UNKNOWN_TYPE) return false;
    if (!LAZY.FALLBACK_PATTERN.test(String(frame[WIRE.ERROR] ?? ""))) return false;
    this.inFlight = null;
    for (const view of batch) this.socket.send(view.mountFrame());
    return true;
  }

  /** Shows that the view of `container` could not be mounted. */
  failed(container, failure) {
    this.socket.views.delete(container.id);
    const message = String(failure[WIRE.ERROR] ?? "the view could not be loaded");
    container.setAttribute(ATTR.MOUNT_FAILED, message);
    container.textContent = message;
    const { CustomEvent } = this.window;
    container.dispatchEvent(new CustomEvent(DOM_EVENT.MOUNT_FAILED, { detail: failure, bubbles: true }));
  }
}
