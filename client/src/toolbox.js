/**
 * A LiveView's toolbox in the page, around the DOM updates of `view.js`: hooks (`hooks.js`),
 * elements whose children the server does not own (`dj_update.js`), sticky JS commands
 * (`js_commands.js`), streams (`streams.js`), flash messages (`flash.js`), the page title,
 * server pushes to hooks and to `window`, and hook events that resolve with the server's reply.
 *
 * One {@link Toolbox} per page (`toolboxFor(document)`); each view gets a {@link ViewToolbox}.
 * @module toolbox
 */

import { applyPatches, replaceHtml } from "./dom_patch.js";
import Flash from "./flash.js";
import Hooks from "./hooks.js";
import OwnedChildren from "./dj_update.js";
import { captureSticky, reapply, restoreSticky } from "./js_commands.js";
import { applyStreams } from "./streams.js";
import { ATTR, FRAME, NAV_EVENT, OP, PATCH, PUSH_EVENT_PREFIX, TOOLBOX, WIRE } from "./constants.js";

const toolboxes = new WeakMap();

/**
 * The page's toolbox (made on first use).
 * @param {Document} document
 * @returns {Toolbox}
 */
export function toolboxFor(document) {
  if (!toolboxes.has(document)) toolboxes.set(document, new Toolbox(document.defaultView));
  return toolboxes.get(document);
}

export class Toolbox {
  /** @param {Window} window */
  constructor(window) {
    this.window = window;
    this.hooks = new Hooks(window);
    this.flash = new Flash(window.document);
    /** Where JS `navigate` goes; the client sets live navigation. */
    this.navigate = (href) => window.location.assign(href);
    window.addEventListener(NAV_EVENT.NAVIGATED, () => this.hooks.prune());
  }

  /**
   * @param {import("./view.js").default} view
   * @returns {ViewToolbox}
   */
  attach(view) {
    return new ViewToolbox(this, view);
  }

  /**
   * A `navigate` frame: shows the flash messages it carries (they outlive the navigation).
   * @returns {false} the frame is still live navigation's to handle
   */
  navigating(frame) {
    this.flash.show(frame[TOOLBOX.FLASH]);
    return false;
  }

  /**
   * A `push_event` frame: to the hooks' `handleEvent`, then to `window` as `dj:<event>`
   * (`detail`: the payload).
   */
  pushed(frame) {
    const event = frame[WIRE.EVENT];
    if (typeof event !== "string") return;
    const payload = frame[WIRE.PAYLOAD] ?? {};
    this.hooks.dispatch(event, payload);
    const { CustomEvent } = this.window;
    this.window.dispatchEvent(new CustomEvent(PUSH_EVENT_PREFIX + event, { detail: payload }));
  }
}

/** One view's toolbox: its owned children, its hook scope. */
export class ViewToolbox {
  /**
   * @param {Toolbox} toolbox
   * @param {import("./view.js").default} view (its `ids` and `container` are set)
   */
  constructor(toolbox, view) {
    this.toolbox = toolbox;
    this.view = view;
    this.owned = new OwnedChildren(view.ids, view.container);
    this.scope = {
      container: view.container,
      active: false,
      push: (event, payload, el) => requestReply(view, event, payload, el),
    };
    toolbox.hooks.addScope(this.scope);
    /** The connection closed since the view's last mount: the next mount is a reconnection. */
    this.lost = false;
  }

  /**
   * Applies a `mount`, `patch`, `html_update` or `html_recovery` frame's DOM change, with the
   * hook callbacks around it.
   * @returns {boolean} whether it applied (a patch that does not fit: `false`)
   */
  apply(frame) {
    return frame[WIRE.TYPE] === FRAME.PATCH ? this.patch(frame[WIRE.PATCHES]) : this.replace(frame);
  }

  patch(patches) {
    const { hooks } = this.toolbox;
    const ids = this.view.ids;
    const list = Array.isArray(patches) ? patches : [];
    const targets = list.map((patch) => ids.get(String(patch[PATCH.ID]))).filter(Boolean);
    const live = targets.map((el) => this.owned.liveOf(el) ?? el);
    const around = hooks.around(this.scope, live);
    const attrTargets = list
      .filter((patch) => patch[PATCH.OP] === OP.ATTR || patch[PATCH.OP] === OP.RMATTR)
      .map((patch) => ids.get(String(patch[PATCH.ID])))
      .filter(Boolean);
    hooks.beforeUpdate(around);
    const applied = applyPatches(ids, patches);
    this.owned.patched(list);
    for (const el of attrTargets) reapply(el);
    hooks.sync(this.scope);
    hooks.updated([...around].filter((el) => hooks.instances.has(el)));
    return applied;
  }

  /** The view's session was resumed after a reconnect (its DOM kept): hooks hear of it. */
  resumed() {
    const { hooks } = this.toolbox;
    this.scope.active = true;
    const reconnect = this.lost;
    this.lost = false;
    hooks.sync(this.scope);
    if (reconnect) hooks.reconnected(this.scope);
  }

  replace(frame) {
    const { hooks } = this.toolbox;
    const { container, ids } = this.view;
    const mount = frame[WIRE.TYPE] === FRAME.MOUNT;
    const reconnect = mount && this.lost;
    const sticky = captureSticky(container);
    const keep = reconnect ? "all" : mount ? "edits" : "merge";
    const keptRoots = [...this.owned.shadows.keys()].filter((el) => hooks.instances.has(el));
    if (!reconnect) hooks.beforeUpdate(keptRoots);
    const hooked = reconnect ? hookedById(hooks, this.scope) : null;
    const survivors = this.owned.replaced(() => replaceHtml(ids, frame[WIRE.HTML], { keep }), { keepStreams: !mount });
    if (hooked) keepHookElements(container, ids, hooked);
    restoreSticky(ids, sticky);
    if (mount) {
      this.scope.active = true;
      this.lost = false;
      hooks.prune();
    }
    hooks.sync(this.scope);
    if (reconnect) hooks.reconnected(this.scope);
    else hooks.updated(keptRoots.filter((el) => survivors.has(el) && hooks.instances.has(el)));
    return true;
  }

  /**
   * What any frame of the view may carry besides its DOM change: the page title, flash
   * messages, stream operations (applied even when the frame's patch was not).
   */
  extras(frame) {
    const title = frame[WIRE.TITLE];
    if (typeof title === "string") this.view.container.ownerDocument.title = title;
    this.toolbox.flash.show(frame[TOOLBOX.FLASH]);
    if (frame[TOOLBOX.STREAMS] !== undefined) {
      applyStreams(this.view.container, frame[TOOLBOX.STREAMS]);
      this.toolbox.hooks.sync(this.scope);
    }
  }

  /** A `push_event` frame of this view (see {@link Toolbox#pushed}). */
  pushed(frame) {
    this.toolbox.pushed(frame);
  }

  /** The connection closed. */
  disconnected() {
    this.lost = true;
    this.toolbox.hooks.disconnected(this.scope);
  }
}

/**
 * Sends a hook's event; resolves with the server's `reply` (`null` without one, or when the
 * connection is down and the outbox keeps the event for delivery after the reconnect), rejects
 * on an `error` answer or when the connection closes while it is in flight.
 */
function requestReply(view, event, params, el) {
  const ref = view.pushEvent(event, params, el);
  if (ref === null) return Promise.reject(new Error("djust: not connected"));
  if (!view.pending.has(ref)) return Promise.resolve(null);
  return new Promise((resolve, reject) => {
    view.whenSettled(ref, (succeeded, frame) => {
      if (succeeded) resolve(frame?.[TOOLBOX.REPLY] ?? null);
      else reject(Object.assign(new Error(frame?.[WIRE.ERROR] ?? "djust: the connection closed"), { code: frame?.[WIRE.CODE] }));
    });
  });
}

/** The mounted hook elements of `scope` that have an `id`, by `id`. */
function hookedById(hooks, scope) {
  const byId = new Map();
  for (const [el, entry] of hooks.instances) if (entry.scope === scope && el.id) byId.set(el.id, el);
  return byId;
}

/**
 * A reconnection's mount: each hook element the new HTML still has (same `id` and `dj-hook`)
 * stays, taking the new element's attributes and children, so its hook lives on.
 */
function keepHookElements(container, ids, hooked) {
  for (const fresh of [...container.querySelectorAll(`[${ATTR.HOOK}]`)]) {
    const live = hooked.get(fresh.id);
    if (!live || live === fresh || !container.contains(fresh)) continue;
    if (live.tagName !== fresh.tagName || live.getAttribute(ATTR.HOOK) !== fresh.getAttribute(ATTR.HOOK)) continue;
    for (const { name } of [...live.attributes]) if (!fresh.hasAttribute(name)) live.removeAttribute(name);
    for (const { name, value } of fresh.attributes) if (live.getAttribute(name) !== value) live.setAttribute(name, value);
    live.replaceChildren(...fresh.childNodes);
    fresh.replaceWith(live);
    if (live.hasAttribute(ATTR.ID)) ids.set(live.getAttribute(ATTR.ID), live);
  }
}
