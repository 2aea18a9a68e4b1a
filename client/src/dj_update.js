/**
 * Elements whose children the server does not own: `dj-update="ignore"` (the page's scripts
 * own them), `dj-update="append"`/`"prepend"` (children with an `id` are added or updated in
 * place, never removed by a render) and `dj-stream` containers (children come from stream ops,
 * `streams.js`).
 *
 * Each such element (a **root**) has a **shadow**: a detached copy of it as the server sees it.
 * The view's id map points the root's `dj-id` and every `dj-id` inside it at the shadow, so the
 * server's patches land there, index for index, and never touch the live children. After each
 * batch the live root takes what it must from its shadow: `data-*` attributes the batch set or
 * removed, and for append/prepend the shadow's children with an `id`.
 * @module dj_update
 */

import { ATTR, OP, PATCH, UPDATE } from "./constants.js";
import { markShadow } from "./ref_lock.js";

/** Selector of every root. */
const ROOTS = `[${ATTR.UPDATE}="${UPDATE.IGNORE}"], [${ATTR.UPDATE}="${UPDATE.APPEND}"], [${ATTR.UPDATE}="${UPDATE.PREPEND}"], [${ATTR.STREAM}]`;
const DATA_PREFIX = "data-";

export default class OwnedChildren {
  /**
   * @param {Map<string, Element>} ids the view's id map (`dom_patch.js`), updated in place
   * @param {Element} container the view container
   */
  constructor(ids, container) {
    this.ids = ids;
    this.container = container;
    /** live root → its shadow. @type {Map<Element, Element>} */
    this.shadows = new Map();
    /** shadow → live root. @type {Map<Element, Element>} */
    this.roots = new Map();
    this.adopt();
  }

  /** The live root of the shadow node `node` belongs to, if it is in a shadow. */
  liveOf(node) {
    let top = node;
    while (top.parentElement) top = top.parentElement;
    return this.roots.get(top);
  }

  /** Gives a shadow to every root in the container that has none (outermost roots only). */
  adopt() {
    for (const live of this.container.querySelectorAll(ROOTS)) {
      if (this.shadows.has(live) || this.insideRoot(live)) continue;
      const shadow = live.cloneNode(true);
      this.link(live, shadow);
      for (const el of [shadow, ...shadow.querySelectorAll(`[${ATTR.ID}]`)]) {
        if (el.hasAttribute(ATTR.ID)) this.ids.set(el.getAttribute(ATTR.ID), el);
      }
    }
  }

  /**
   * After a patch batch: forgets roots the batch removed, merges the `data-*` attributes the
   * batch changed on a shadow root into its live root, merges append/prepend children, and
   * adopts roots the batch inserted.
   * @param {object[]} patches the batch, already applied
   */
  patched(patches) {
    this.forgetRemoved();
    const touched = new Set();
    for (const patch of patches) {
      const el = this.ids.get(String(patch[PATCH.ID]));
      const live = el && this.liveOf(el);
      if (!live) continue;
      touched.add(live);
      const op = patch[PATCH.OP];
      const name = patch[PATCH.KEY];
      if (el !== this.shadows.get(live) || typeof name !== "string" || !name.startsWith(DATA_PREFIX)) continue;
      if (op === OP.ATTR) live.setAttribute(name, patch[PATCH.VALUE]);
      if (op === OP.RMATTR) live.removeAttribute(name);
    }
    for (const live of touched) this.mergeChildren(live);
    this.adopt();
  }

  /**
   * Replaces the container's HTML with `replace()` (`dom_patch.replaceHtml`) keeping every
   * live root the new HTML still has (same `id` and tag): the live element goes where the new
   * one was and the new one becomes its shadow. `keepStreams: false` (a `mount`) lets stream
   * containers start empty: the mount's stream ops fill them again.
   * @param {() => void} replace
   * @param {{keepStreams?: boolean}} [options]
   * @returns {Set<Element>} the live roots kept
   */
  replaced(replace, { keepStreams = true } = {}) {
    const kept = new Map();
    for (const [live, shadow] of this.shadows) {
      if (live.id && (keepStreams || !live.hasAttribute(ATTR.STREAM))) kept.set(live.id, { live, shadow });
    }
    this.forgetAll();
    const doc = this.container.ownerDocument;
    const focused = doc.activeElement;
    replace();
    const survivors = new Set();
    for (const fresh of this.container.querySelectorAll(ROOTS)) {
      const old = kept.get(fresh.id);
      if (!old || !this.container.contains(fresh) || old.live.tagName !== fresh.tagName) continue;
      if (this.insideRoot(fresh)) continue;
      fresh.replaceWith(old.live);
      mergeData(old.live, old.shadow, fresh);
      old.live.setAttribute(ATTR.ID, fresh.getAttribute(ATTR.ID));
      this.link(old.live, fresh);
      this.mergeChildren(old.live);
      survivors.add(old.live);
    }
    this.adopt();
    if (focused && !focused.isConnected) return survivors;
    if (focused && doc.activeElement !== focused && [...survivors].some((live) => live.contains(focused))) {
      focused.focus({ preventScroll: true });
    }
    return survivors;
  }

  /** Append/prepend: the shadow's children with an `id` are added to, or updated in, the live root. */
  mergeChildren(live) {
    const mode = live.getAttribute(ATTR.UPDATE);
    if (mode !== UPDATE.APPEND && mode !== UPDATE.PREPEND) return;
    const shadow = this.shadows.get(live);
    const byId = new Map([...live.children].filter((child) => child.id).map((child) => [child.id, child]));
    const added = [];
    for (const child of shadow.children) {
      if (!child.id) continue;
      const current = byId.get(child.id);
      if (!current) added.push(child.cloneNode(true));
      else if (current.outerHTML !== child.outerHTML) current.replaceWith(child.cloneNode(true));
    }
    if (mode === UPDATE.APPEND) live.append(...added);
    else live.prepend(...added);
  }

  link(live, shadow) {
    markShadow(shadow);
    this.shadows.set(live, shadow);
    this.roots.set(shadow, live);
  }

  insideRoot(el) {
    const parent = el.parentElement?.closest(ROOTS);
    return Boolean(parent && this.container.contains(parent));
  }

  /** Drops the roots a batch removed from the container, and their ids. */
  forgetRemoved() {
    for (const [live, shadow] of this.shadows) {
      if (!this.container.contains(live)) this.forget(live, shadow);
    }
  }

  forgetAll() {
    for (const [live, shadow] of this.shadows) this.forget(live, shadow);
  }

  forget(live, shadow) {
    for (const el of [shadow, ...shadow.querySelectorAll(`[${ATTR.ID}]`)]) {
      const id = el.getAttribute(ATTR.ID);
      if (this.ids.get(id) === el) this.ids.delete(id);
    }
    this.shadows.delete(live);
    this.roots.delete(shadow);
  }
}

/**
 * A whole-HTML update of a kept root: `data-*` attributes take the new HTML's values; those the
 * server had set before and no longer renders are removed (a script's own `data-*` stay).
 */
function mergeData(live, oldShadow, fresh) {
  for (const { name, value } of fresh.attributes) {
    if (name.startsWith(DATA_PREFIX) && live.getAttribute(name) !== value) live.setAttribute(name, value);
  }
  for (const { name } of [...oldShadow.attributes]) {
    if (name.startsWith(DATA_PREFIX) && !fresh.hasAttribute(name)) live.removeAttribute(name);
  }
}
