/**
 * One mounted view: its container, its DOM updates and version checks, its events in flight.
 * @module view
 */

import { applyPatches, indexIds, replaceHtml } from "./dom_patch.js";
import { ATTR, CLASS, DOM_EVENT, FRAME, WIRE } from "./constants.js";

export default class View {
  /**
   * @param {Element} container the `[dj-view]` element; its `id` is the view's target
   * @param {import("./socket.js").default} socket where frames go (`send`, `nextRef`)
   */
  constructor(container, socket) {
    this.container = container;
    this.socket = socket;
    this.target = container.id;
    this.ids = indexIds(container);
    /** Events in flight: ref → the element that triggered it. @type {Map<number, Element>} */
    this.pending = new Map();
    this.recovering = false;
  }

  /** Sends the `mount` frame (on every new connection). */
  mount() {
    this.recovering = false;
    const { pathname, search } = this.container.ownerDocument.location;
    this.socket.send({
      [WIRE.TYPE]: FRAME.MOUNT,
      [WIRE.TARGET]: this.target,
      [WIRE.VIEW]: this.container.getAttribute(ATTR.VIEW),
      [WIRE.TOKEN]: this.container.getAttribute(ATTR.TOKEN),
      [WIRE.URL]: pathname + search,
    });
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
        break;
      case FRAME.ERROR:
        console.error(`[djust] ${this.target}: ${frame[WIRE.CODE]}: ${frame[WIRE.ERROR]}`);
        this.dispatch(DOM_EVENT.ERROR, frame);
        if (frame[WIRE.REF] === undefined) this.settleAll();
        break;
    }
    if (frame[WIRE.TYPE] === FRAME.MOUNT) this.container.setAttribute(ATTR.MOUNTED, "");
    if (frame[WIRE.REF] !== undefined) {
      this.settle(frame[WIRE.REF], frame[WIRE.TYPE] !== FRAME.ERROR);
    }
  }

  /** The connection closed: nothing in flight will be answered. */
  disconnected() {
    this.container.removeAttribute(ATTR.MOUNTED);
    this.settleAll();
  }

  apply(frame) {
    if (frame[WIRE.TYPE] === FRAME.PATCH) return applyPatches(this.ids, frame[WIRE.PATCHES]);
    replaceHtml(this.ids, frame[WIRE.HTML]);
    if (typeof frame[WIRE.TITLE] === "string") this.container.ownerDocument.title = frame[WIRE.TITLE];
    return true;
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
   */
  settle(ref, succeeded = false) {
    const el = this.pending.get(ref);
    if (!el) return;
    this.pending.delete(ref);
    if (succeeded && el.tagName === "FORM" && el.hasAttribute(ATTR.SUBMIT_RESET)) el.reset();
    if (![...this.pending.values()].includes(el)) removeLoading(el);
    if (this.pending.size === 0) removeLoading(this.container);
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
