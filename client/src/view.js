/**
 * One mounted view: its container, its DOM updates and version checks, its events in flight.
 * After a reconnection, its mount keeps what the user typed and runs form recovery
 * (`form_recovery.js`).
 * @module view
 */

import { indexIds } from "./dom_patch.js";
import { ATTR, CLASS, DOM_EVENT, FRAME, WIRE } from "./constants.js";
import { disableWith } from "./disable_with.js";
import { captureFields, recover, restoreFields } from "./form_recovery.js";
import { toolboxFor } from "./toolbox.js";

/** Frames that may carry a title, flash messages and stream operations (`toolbox.js`). */
const WITH_EXTRAS = new Set([FRAME.MOUNT, FRAME.PATCH, FRAME.HTML_UPDATE, FRAME.HTML_RECOVERY, FRAME.NOOP]);

export default class View {
  /**
   * @param {Element} container the `[dj-view]` element; its `id` is the view's target
   * @param {import("./socket.js").default} socket where frames go (`send`, `nextRef`)
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
    /** The next `mount` frame answers a reconnection: keep the fields, then recover. */
    this.reconnecting = false;
    /** The running form recovery, if any (tests await it). @type {Promise<void> | null} */
    this.recovery = null;
    /** A signed state snapshot to send with the next `mount` only (`navigation.js`). */
    this.snapshot = null;
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
    return frame;
  }

  /**
   * Sends an event and resolves when it is answered.
   * @param {string} event
   * @param {object} params
   * @param {Element} [el]
   * @returns {Promise<boolean>} whether the server accepted it (`false`: error, not
   *   connected, or the connection closed first)
   */
  request(event, params, el = this.container) {
    const ref = this.pushEvent(event, params, el);
    // Not sent, or kept by the reconnection bridge for a replay: nothing to wait for.
    if (ref === null || !this.pending.has(ref)) return Promise.resolve(ref !== null);
    return new Promise((resolve) => this.whenSettled(ref, resolve));
  }

  /**
   * Sends event `event` to the server; `el` (default: the container) and the container carry
   * `dj-loading` until the answer.
   * @param {string} event the handler's name
   * @param {object} params the handler's parameters
   * @param {Element} [el] the element the user acted on
   * @returns {number | null} the event's `ref`, or `null` when the socket is not open (with
   *   the reconnection bridge on, the `ref` of an event kept for replay; it is not in flight)
   */
  pushEvent(event, params, el = this.container) {
    const ref = this.socket.nextRef();
    const frame = {
      [WIRE.TYPE]: FRAME.EVENT,
      [WIRE.TARGET]: this.target,
      [WIRE.EVENT]: event,
      [WIRE.PARAMS]: params,
      [WIRE.REF]: ref,
    };
    // Not connected (or replaying): the reconnection bridge, if on, keeps it for the replay.
    if (this.socket.bridge?.holds(frame)) return ref;
    const sent = this.socket.send(frame);
    if (!sent) return null;
    this.pending.set(ref, el);
    this.whenSettled(ref, disableWith(el));
    addLoading(el);
    addLoading(this.container);
    return ref;
  }

  /**
   * Handles a server frame for this view.
   * @param {object} frame
   * @param {boolean} inOrder whether a versioned frame's version is exactly last + 1
   */
  receive(frame, inOrder) {
    const reconnectMount = frame[WIRE.TYPE] === FRAME.MOUNT && this.reconnecting;
    if (frame[WIRE.TYPE] === FRAME.MOUNT) this.reconnecting = false;
    const fields = reconnectMount ? captureFields(this.container) : null;
    switch (frame[WIRE.TYPE]) {
      case FRAME.MOUNT:
      case FRAME.PATCH:
      case FRAME.HTML_UPDATE:
        if (!this.recovering && !(inOrder && this.apply(frame))) this.recover();
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
        if (frame[WIRE.REF] === undefined) this.settleAll();
        break;
    }
    if (WITH_EXTRAS.has(frame[WIRE.TYPE])) this.toolbox.extras(frame);
    if (fields) restoreFields(this.container, fields);
    if (frame[WIRE.TYPE] === FRAME.MOUNT) {
      this.container.setAttribute(ATTR.MOUNTED, "");
      this.dispatch(DOM_EVENT.MOUNTED, frame);
    }
    if (frame[WIRE.REF] !== undefined) {
      this.settle(frame[WIRE.REF], frame[WIRE.TYPE] !== FRAME.ERROR, frame);
    }
    if (reconnectMount) {
      // Recovery compares each field with what the server renders: wait until events the
      // bridge replays have been answered, so a value typed while offline is sent once.
      this.recovery = this.socket
        .afterReplay()
        .then((open) => open && recover(this.container, (event, params, el) => this.request(event, params, el)));
    }
  }

  /** The connection closed: nothing in flight will be answered. */
  disconnected() {
    this.container.removeAttribute(ATTR.MOUNTED);
    this.settleAll();
    this.toolbox.disconnected();
  }

  /** Applies a frame's DOM change (with the hooks around it, `toolbox.js`). */
  apply(frame) {
    return this.toolbox.apply(frame);
  }

  /** Lost track of the DOM: ask for the whole HTML, ignore versioned frames until it comes. */
  recover() {
    this.recovering = true;
    this.socket.send({ [WIRE.TYPE]: FRAME.REQUEST_HTML, [WIRE.TARGET]: this.target });
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
    if (![...this.pending.values()].includes(el)) removeLoading(el);
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
