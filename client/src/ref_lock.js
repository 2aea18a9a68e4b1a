/**
 * Ref locking (Phoenix's `phx-ref` clones): while an event is in flight, an element the client
 * changed for it (`dj-disable-with`) keeps the server's version aside. Its children move into a
 * detached shadow (a shallow clone: the server's attributes), its `dj-id` points at the shadow,
 * so every patch for it or inside it lands there; when the last event holding it is answered,
 * the shadow's attributes and children come back. The page ends in the server's version.
 * @module ref_lock
 */

import { ATTR } from "./constants.js";

/** Locked element → `{shadow, holders}`. @type {WeakMap<Element, {shadow: Element, holders: number}>} */
const locks = new WeakMap();
/** Detached copies patches may land in: lock shadows, `dj_update.js` shadows. */
const shadows = new WeakSet();

/**
 * Marks `node` as a shadow: a detached copy of server-owned DOM that patches may target.
 * @param {Element} node
 */
export function markShadow(node) {
  shadows.add(node);
}

/**
 * Locks `el` (once more, when it already is): its server version moves aside.
 * @param {Map<string, Element>} ids the view's id map
 * @param {Element} el
 */
export function lock(ids, el) {
  const held = locks.get(el);
  if (held) {
    held.holders += 1;
    return;
  }
  const shadow = el.cloneNode(false);
  shadow.append(...el.childNodes);
  shadows.add(shadow);
  locks.set(el, { shadow, holders: 1 });
  const id = el.getAttribute(ATTR.ID);
  if (id !== null && ids.get(id) === el) ids.set(id, shadow);
}

/**
 * One holder of `el` is done; the last one puts the server's version (the shadow's attributes
 * and children) back on it.
 * @param {Map<string, Element>} ids
 * @param {Element} el
 */
export function unlock(ids, el) {
  const held = locks.get(el);
  if (!held || --held.holders > 0) return;
  locks.delete(el);
  const { shadow } = held;
  for (const { name } of [...el.attributes]) if (!shadow.hasAttribute(name)) el.removeAttribute(name);
  for (const { namespaceURI, name, value } of shadow.attributes) {
    if (el.getAttribute(name) !== value) el.setAttributeNS(namespaceURI, name, value);
  }
  el.replaceChildren(...shadow.childNodes);
  const id = shadow.getAttribute(ATTR.ID);
  if (id !== null && ids.get(id) === shadow) ids.set(id, el);
}

/**
 * `el` leaves the page (a patch removed or replaced it): its lock ends without putting
 * anything back. Returns its shadow (whose ids must be forgotten), if it was locked.
 * @param {Element} el
 * @returns {Element | undefined}
 */
export function releaseLock(el) {
  const held = locks.get(el);
  if (!held) return undefined;
  locks.delete(el);
  return held.shadow;
}

/** @returns {boolean} whether `el` is locked */
export function isLocked(el) {
  return locks.has(el);
}

/** @returns {boolean} whether `node` is a shadow (see {@link markShadow}) */
export function isShadow(node) {
  return shadows.has(node);
}
