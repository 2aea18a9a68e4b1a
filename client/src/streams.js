/**
 * Streams: collections the server renders once and forgets. A frame's `streams` list carries
 * operations on `[dj-stream="name"]` containers of its view, applied in order after the
 * frame's own DOM change: `insert` (items at a position, each updated in place when an element
 * of its `id` is there already; then the `limit`), `delete` (by `id`) and `reset` (empty).
 * The server never patches inside a stream container (`dj_update.js` shadows it).
 * @module streams
 */

import { ATTR, STREAM_OP, TOOLBOX } from "./constants.js";

/**
 * Applies the `streams` operations of a frame to `container`'s stream containers. An operation
 * on a stream the view does not show, or of an unknown kind, is skipped with a console error.
 * @param {Element} container the view container
 * @param {unknown} ops the frame's `streams` (absent: nothing to do)
 */
export function applyStreams(container, ops) {
  if (!Array.isArray(ops)) return;
  for (const op of ops) {
    const name = op?.[TOOLBOX.STREAM];
    const target = typeof name === "string" ? findStream(container, name) : null;
    const apply = OPS[op?.[TOOLBOX.OP]];
    if (!target || !apply) {
      console.error("[djust] stream operation skipped", op);
      continue;
    }
    apply(target, op);
  }
}

function findStream(container, name) {
  for (const el of container.querySelectorAll(`[${ATTR.STREAM}]`)) {
    if (el.getAttribute(ATTR.STREAM) === name) return el;
  }
  return null;
}

const OPS = {
  [STREAM_OP.RESET](target) {
    target.replaceChildren();
  },
  [STREAM_OP.DELETE](target, op) {
    const ids = Array.isArray(op[TOOLBOX.IDS]) ? op[TOOLBOX.IDS] : [];
    for (const id of ids) childById(target, id)?.remove();
  },
  [STREAM_OP.INSERT](target, op) {
    const items = Array.isArray(op[TOOLBOX.ITEMS]) ? op[TOOLBOX.ITEMS] : [];
    const at = Number.isInteger(op[TOOLBOX.AT]) ? op[TOOLBOX.AT] : -1;
    items.forEach((item, n) => {
      const el = itemElement(target, item);
      if (!el) return;
      const current = childById(target, el.id);
      if (current) current.replaceWith(el);
      else if (at < 0) target.append(el);
      else target.insertBefore(el, target.children[at + n] ?? null);
    });
    enforceLimit(target, op[TOOLBOX.LIMIT]);
  },
};

/** The element of an item: its `html`'s first element, given the item's `id`. */
function itemElement(target, item) {
  const id = item?.[TOOLBOX.ID];
  const html = item?.[TOOLBOX.HTML];
  if (typeof id !== "string" || id === "" || typeof html !== "string") return null;
  const template = target.ownerDocument.createElement("template");
  template.innerHTML = html;
  const el = template.content.firstElementChild;
  if (!el) return null;
  el.id = id;
  return el;
}

function childById(target, id) {
  for (const child of target.children) if (child.id === id) return child;
  return null;
}

/** `limit` n > 0 keeps the first n children, n < 0 the last −n. */
function enforceLimit(target, limit) {
  if (!Number.isInteger(limit) || limit === 0) return;
  while (target.children.length > Math.abs(limit)) {
    (limit > 0 ? target.lastElementChild : target.firstElementChild).remove();
  }
}
