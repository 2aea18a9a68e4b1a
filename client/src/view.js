/**
 * One mounted view: its container, its DOM updates and version checks, its events in flight.
 * Its events go through its outbox (`delivery.js`): nothing lost, nothing applied twice. After
 * a reconnection, its mount keeps what the user typed; when the server no longer had its view
 * session it runs form recovery (`form_recovery.js`).
 * @module view
 */

import { indexIds } from "./dom_patch.js";
import { ATTR, CLASS, DOM_EVENT, FRAME, REQUEST_HTML_REASON, WIRE } from "./constants.js";
import Delivery from "./delivery.js";
import { disableWith } from "./disable_with.js";
import { hold, unhold } from "./field_merge.js";
import { autoRecoverEvents, recover, recoveryEvents } from "./form_recovery.js";
import { toolboxFor } from "./toolbox.js";

/** Frames that may carry a title, flash messages and stream operations (`toolbox.js`). */
// A `resumed` frame carries the missed revisions' flash and stream operations and the title.
const WITH_EXTRAS = new Set([FRAME.MOUNT, FRAME.PATCH, FRAME.HTML_UPDATE, FRAME.HTML_RECOVERY, FRAME.NOOP, FRAME.RESUMED]);

export default class View {
  /**
   * @param {Element} container the `[dj-view]` element; its `id` is the view's target
   * @param {import("./socket.js").default} socket where frames go (`send`, `nextRef`); its
   *   `outboxStore`, when set, keeps the view's outbox across reloads of the tab
   * @param {import("./toolbox.js").Toolbox} [toolbox] the page's hooks, flash, … (`toolbox.js`)
   */
  constructor(container, socket, toolbox = toolboxFor(container.ownerDocument)) {
    this.container = container;
    this.socket = socket;
    this.target = container.id;
    this.ids = indexIds(container);
    this.toolbox = toolbox.attach(this);
    /** Events in flight: ref → the element that triggered it. @type {Map<number, Element>} */
    this.pending = new Map();
    /** ref → what to call once it is answered (promise resolvers, dj-disable-with). */
    this.onSettle = new Map();
    this.recovering = false;
    /** Whether a `mount` answer came already (the first one recovers what was typed before it). */
    this.mountedOnce = false;
    /** The next `mount` frame answers a reconnection: keep the fields, then recover. */
    this.reconnecting = false;
    /** The running form recovery, if any (tests await it). @type {Promise<void> | null} */
    this.recovery = null;
    /** A signed state snapshot to send with the next `mount` only (`navigation.js`). */
    this.snapshot = null;
    this.delivery = new Delivery(
      { container, target: this.target, socket, inFlight: (ref, el) => this.inFlight(ref, el) },
      { store: socket.outboxStore ?? null },
    );
  }

  /**
   * A connection opened: sends the `mount` frame (unless the transport already mounted the
   * view) and notes whether it is a reconnection.
   * @param {{reconnect?: boolean, send?: boolean}} [options]
   */
  mount({ reconnect = false, send = true } = {}) {
    this.recovering = false;
    this.reconnecting = reconnect;
    if (send) this.socket.send(this.mountFrame());
  }

  /** @returns {object} the `mount` frame of this view at the page's URL */
  mountFrame() {
    const { pathname, search } = this.container.ownerDocument.location;
    const frame = {
      [WIRE.TYPE]: FRAME.MOUNT,
      [WIRE.TARGET]: this.target,
      [WIRE.VIEW]: this.container.getAttribute(ATTR.VIEW),
      [WIRE.TOKEN]: this.container.getAttribute(ATTR.TOKEN),
      [WIRE.URL]: pathname + search,
    };
    if (this.snapshot) frame[WIRE.SNAPSHOT] = this.snapshot;
    this.snapshot = null;
    const resume = this.delivery.resumeField();
    if (resume) frame[WIRE.RESUME] = resume;
    return frame;
  }

  /**
   * Sends an event and resolves when it is answered.
   * @param {string} event
   * @param {object} params
   * @param {Element} [el]
   * @param {{recovery?: boolean}} [options] passed to {@link pushEvent}
   * @returns {Promise<boolean>} whether the server accepted it (`false`: error, refused by the
   *   outbox, or the connection closed first); `true` at once when it waits in the outbox
   */
  request(event, params, el = this.container, options = {}) {
    const ref = this.pushEvent(event, params, el, options);
    if (ref === null || !this.pending.has(ref)) return Promise.resolve(ref !== null);
    return new Promise((resolve) => this.whenSettled(ref, resolve));
  }

  /**
   * Sends event `event` to the server through the view's outbox: at once when the view is
   * mounted on an open connection, else once it is (in order). `el` (default: the container)
   * and the container carry `dj-loading` while it is in flight.
   * @param {string} event the handler's name
   * @param {object} params the handler's parameters
   * @param {Element} [el] the element the user acted on
   * @param {{recovery?: boolean}} [options] `recovery`: an event of form recovery
   * @returns {number | null} the event's `ref`, or `null` when the outbox refused it (full;
   *   the container got `dj:event-not-applied`)
   */
  pushEvent(event, params, el = this.container, options = {}) {
    return this.delivery.push(event, params, el, options);
  }

  /** Event `ref` was sent: `el` and the container show it in flight until its answer. */
  inFlight(ref, el) {
    this.pending.set(ref, el);
    this.whenSettled(ref, disableWith(el, this.ids));
    // A field's own event in flight: the server's values for it wait for the answer.
    hold(el);
    this.whenSettled(ref, () => unhold(el));
    addLoading(el);
    addLoading(this.container);
  }

  /**
   * Handles a server frame for this view.
   * @param {object} frame
   * @param {boolean} inOrder whether a versioned frame's version is exactly last + 1
   */
  receive(frame, inOrder) {
    const type = frame[WIRE.TYPE];
    const reconnect = this.reconnecting;
    const opening = type === FRAME.MOUNT || type === FRAME.RESUMED;
    if (opening) this.reconnecting = false;
    // What the auto-recover containers hold now (hidden inputs too): the mount's HTML resets them.
    const autoRecovered = type === FRAME.MOUNT && reconnect ? autoRecoverEvents(this.container) : [];
    this.delivery.received(frame);
    // A fresh page token for this URL: a later mount (a reconnect) is never refused for age.
    if (opening && typeof frame[WIRE.TOKEN] === "string") this.container.setAttribute(ATTR.TOKEN, frame[WIRE.TOKEN]);
    switch (type) {
      case FRAME.MOUNT:
      case FRAME.PATCH:
      case FRAME.HTML_UPDATE:
        if (!this.recovering && !inOrder) this.recover(REQUEST_HTML_REASON.VERSION_GAP);
        else if (!this.recovering && !this.apply(frame)) this.recover(REQUEST_HTML_REASON.PATCH_REFUSED);
        break;
      case FRAME.RESUMED:
        this.recovering = false;
        // A reloaded page's DOM is a fresh render, not the revision it resumed: ask for all.
        if (this.delivery.stale || !(inOrder && this.applyResumed(frame))) {
          // The page's DOM is not the session's (a reload): the hooks start now, the whole
          // HTML follows.
          this.toolbox.resumed();
          this.recover();
        }
        break;
      case FRAME.HTML_RECOVERY:
        this.recovering = false;
        this.apply(frame);
        break;
      case FRAME.PUSH_EVENT:
        this.dispatch(DOM_EVENT.PUSH, frame);
        this.toolbox.pushed(frame);
        break;
      case FRAME.ERROR:
        console.error(`[djust] ${this.target}: ${frame[WIRE.CODE]}: ${frame[WIRE.ERROR]}`);
        this.dispatch(DOM_EVENT.ERROR, frame);
        if (frame[WIRE.REF] === undefined) {
          this.settleAll();
          // The error answers the request_html: the view must not stay deaf to its frames.
          if (this.recovering) this.recoveryRefused(frame);
        }
        break;
    }
    if (WITH_EXTRAS.has(frame[WIRE.TYPE])) this.toolbox.extras(frame);
    if (opening) {
      this.container.setAttribute(ATTR.MOUNTED, "");
      this.dispatch(DOM_EVENT.MOUNTED, frame);
    }
    if (frame[WIRE.REF] !== undefined) {
      // A duplicate's answer only ends the wait: the original's effects came with its own.
      const succeeded = type !== FRAME.ERROR && frame[WIRE.DUPLICATE] !== true;
      this.settle(frame[WIRE.REF], succeeded, frame);
    }
    if (type === FRAME.RESUMED) this.delivery.resumed(frame);
    if (type !== FRAME.MOUNT) return;
    const { remounted, replayedFields } = this.delivery.mounted(frame, { reconnect });
    // The state is new: bring back what the user typed, except fields whose own events were
    // just replayed (they would be sent twice). The first mount brings what was typed before it.
    const first = !reconnect && !this.mountedOnce && recoveryEvents(this.container, replayedFields).length > 0;
    this.mountedOnce = true;
    if (remounted || first) {
      const send = (event, params, el) => this.request(event, params, el, { recovery: true });
      this.recovery = recover(this.container, send, { skip: replayedFields, fieldsOnly: !remounted, autoRecovered });
    }
  }

  /**
   * Applies a `resumed` frame (with the hooks around it, like any update): the missed
   * revisions' patches in order, or the whole HTML.
   */
  applyResumed(frame) {
    const patches = frame[WIRE.PATCHES];
    if (Array.isArray(patches)) {
      const applied = patches.every((list) => this.apply({ [WIRE.TYPE]: FRAME.PATCH, [WIRE.PATCHES]: list }));
      this.toolbox.resumed();
      return applied;
    }
    if (typeof frame[WIRE.HTML] === "string") {
      this.apply({ [WIRE.TYPE]: FRAME.HTML_UPDATE, [WIRE.HTML]: frame[WIRE.HTML] });
    }
    this.toolbox.resumed();
    return true;
  }

  /** The page navigated away from the view: its outbox goes (what it still held is reported). */
  left() {
    this.delivery.left();
  }

  /** The connection closed: nothing in flight will be answered. */
  disconnected() {
    this.container.removeAttribute(ATTR.MOUNTED);
    this.delivery.disconnected();
    this.settleAll();
    this.toolbox.disconnected();
  }

  /** Applies a frame's DOM change (with the hooks around it, `toolbox.js`). */
  apply(frame) {
    return this.toolbox.apply(frame);
  }

  /**
   * Lost track of the DOM: ask for the whole HTML, ignore versioned frames until it comes.
   * @param {string} reason a value of `REQUEST_HTML_REASON`
   */
  recover(reason) {
    this.recovering = true;
    this.socket.send({ [WIRE.TYPE]: FRAME.REQUEST_HTML, [WIRE.TARGET]: this.target, [WIRE.REASON]: reason });
  }

  /**
   * The server answered `request_html` with an error (e.g. the view is no longer mounted on
   * the connection): the recovery ends and the view mounts again, as after a reconnect.
   */
  recoveryRefused(frame) {
    this.recovering = false;
    console.warn(`[djust] ${this.target}: request_html refused (${frame[WIRE.CODE]}); mounting the view again`);
    if (this.socket.isOpen()) this.mount({ reconnect: true });
  }

  /**
   * An event is answered: drop its loading state; a form with `dj-submit-reset` whose submit
   * succeeded is reset.
   * @param {number} ref
   * @param {boolean} [succeeded]
   * @param {object} [frame] the answer (its `reply`, or the error)
   */
  settle(ref, succeeded = false, frame = undefined) {
    const el = this.pending.get(ref);
    if (!el) return;
    this.pending.delete(ref);
    for (const callback of this.onSettle.get(ref) ?? []) callback(succeeded, frame);
    this.onSettle.delete(ref);
    if (succeeded && el.tagName === "FORM" && el.hasAttribute(ATTR.SUBMIT_RESET)) el.reset();
    // An unlocked element took the server's attributes back: still in flight, it shows it.
    if ([...this.pending.values()].includes(el)) addLoading(el);
    else removeLoading(el);
    if (this.pending.size === 0) removeLoading(this.container);
  }

  /** Calls `callback(succeeded, answer)` once event `ref` is answered or abandoned. */
  whenSettled(ref, callback) {
    if (!this.onSettle.has(ref)) this.onSettle.set(ref, []);
    this.onSettle.get(ref).push(callback);
  }

  settleAll() {
    for (const ref of [...this.pending.keys()]) this.settle(ref);
  }

  dispatch(type, frame) {
    const { CustomEvent } = this.container.ownerDocument.defaultView;
    this.container.dispatchEvent(new CustomEvent(type, { detail: frame, bubbles: true }));
  }
}

/** Elements that had no `class` attribute before `dj-loading` was added. */
const classless = new WeakSet();

function addLoading(el) {
  if (!el.hasAttribute("class")) classless.add(el);
  el.classList.add(CLASS.LOADING);
}

/** Removes `dj-loading`, and the `class` attribute it created, so the DOM matches the server's. */
function removeLoading(el) {
  el.classList.remove(CLASS.LOADING);
  if (classless.has(el) && el.classList.length === 0) el.removeAttribute("class");
  classless.delete(el);
}
