/**
 * Applies the patch operations of `docs/protocol.md` to a view's DOM. Elements are found through
 * a per-view `Map` from `dj-id` to element (`"0"` is the container), kept up to date as nodes
 * are inserted, removed or replaced. The focused element keeps its focus and selection.
 * An op addressed by child index carries the parent's expected child count (`c`): when the
 * DOM disagrees (the browser built a different tree than the server) the patch is refused and
 * logged, never applied to the wrong node. A `<template>`'s children are those of its content.
 * @module dom_patch
 */

import { ATTR, CONTAINER_ID, OP, PATCH } from "./constants.js";
import { isShadow, releaseLock } from "./ref_lock.js";
import { captureEdits, isTextField, restoreEdits, serverValue } from "./field_merge.js";

/** Attributes that also set a DOM property, and the tags they do it on. */
const PROPERTY_ATTRS = {
  value: new Set(["INPUT", "TEXTAREA", "SELECT"]),
  checked: new Set(["INPUT"]),
  selected: new Set(["OPTION"]),
};

/**
 * Builds the id map of a view: `"0"` → the container, every `[dj-id]` inside → its element.
 * @param {Element} container the view container
 * @returns {Map<string, Element>}
 */
export function indexIds(container) {
  const ids = new Map([[CONTAINER_ID, container]]);
  register(ids, container);
  return ids;
}

/**
 * Applies `patches` in order. Stops at the first one that does not fit the DOM (unknown id,
 * index out of range, child count not the expected one, unknown op), logs where (console) and
 * returns `false`: the view must then ask for its HTML.
 * @param {Map<string, Element>} ids the view's id map, updated in place
 * @param {object[]} patches the `patches` array of a `patch` frame
 * @returns {boolean} whether every patch applied
 */
export function applyPatches(ids, patches) {
  return preservingFocus(ids, () => {
    if (!Array.isArray(patches)) return refuse(patches, "not an array");
    for (const [at, patch] of patches.entries()) {
      let why;
      try {
        why = applyOne(ids, patch);
      } catch (error) {
        why = String(error); // the DOM refused an operation (e.g. a hierarchy error)
      }
      if (why) return refuse(patch, `op ${at}: ${why}`);
    }
    return true;
  });
}

function refuse(patch, why) {
  console.warn(`djust: patch refused, the page's DOM is not the server's (${why})`, patch);
  return false;
}

/**
 * Replaces the container's children with `html` (`mount`, `html_update`, `html_recovery`),
 * keeping the fields' values (`field_merge.js`): `keep: "all"` (a reconnect's mount: what every
 * field shows, form recovery sends what differs), `"edits"` (a first mount: what the user
 * changed), else (`"merge"`) the changes the server did not overrule meanwhile.
 * @param {Map<string, Element>} ids the view's id map, rebuilt in place
 * @param {string} html the view's inner HTML, ids stamped
 * @param {{keep?: "all" | "edits" | "merge"}} [options]
 */
export function replaceHtml(ids, html, { keep = "merge" } = {}) {
  const container = ids.get(CONTAINER_ID);
  preservingFocus(ids, () => {
    const edits = captureEdits(container, { all: keep === "all" });
    setChildren(ids, container, html);
    restoreEdits(container, edits, { keepAll: keep !== "merge" });
  });
}

/** Applies one op; returns why it does not fit the DOM, or nothing. */
function applyOne(ids, patch) {
  const el = ids.get(String(patch[PATCH.ID]));
  if (!el) return `no element dj-id=${patch[PATCH.ID]}`;
  if (!inView(ids, el)) return `<${el.localName} dj-id=${patch[PATCH.ID]}> is no longer in the page`;
  const apply = OPS[patch[PATCH.OP]];
  if (!apply) return `unknown op ${patch[PATCH.OP]}`;
  const expected = patch[PATCH.CHILDREN];
  const count = parentNode(el).childNodes.length;
  if (expected !== undefined && expected !== count) {
    return `<${el.localName} dj-id=${patch[PATCH.ID]}> has ${count} children, the server's ${expected}`;
  }
  const shown = el.tagName === "TEXTAREA" || PROPERTY_ATTRS.value.has(el.tagName) ? el.value : undefined;
  if (apply(parentNode(el), patch, ids, el, shown) === false) return `does not fit <${el.localName}>`;
  // A textarea's text is its server value.
  if (el.tagName === "TEXTAREA" && patch[PATCH.OP] !== OP.ATTR && patch[PATCH.OP] !== OP.RMATTR) {
    serverValue(el, el.defaultValue, shown);
  }
  return undefined;
}

/**
 * Whether `el` is where the view's patches may go: inside the container, inside a `<template>`'s
 * content, or inside the shadow of a locked element (`ref_lock.js`) — never a detached node.
 */
function inView(ids, el) {
  const container = ids.get(CONTAINER_ID);
  if (el === container || container.contains(el)) return true;
  const root = el.getRootNode();
  return isShadow(root) || (root.nodeType === root.DOCUMENT_FRAGMENT_NODE && root !== el);
}

/** Where an element's children are: a `<template>`'s are in its content. */
function parentNode(el) {
  return el.localName === "template" && el.namespaceURI === HTML_NS ? el.content : el;
}

const OPS = {
  [OP.TEXT](el, patch) {
    const node = el.childNodes[patch[PATCH.INDEX]];
    if (!isIndex(patch[PATCH.INDEX], el.childNodes.length - 1) || node.nodeType !== node.TEXT_NODE) {
      return false;
    }
    const raw = patch[PATCH.RAW];
    const text = raw === undefined ? patch[PATCH.VALUE] : decodeText(el.ownerDocument, raw);
    if (typeof text !== "string") return false;
    node.data = text;
  },
  [OP.ATTR](_, patch, _ids, el, shown) {
    setAttribute(el, patch[PATCH.KEY], patch[PATCH.VALUE]);
    syncProperty(el, patch[PATCH.KEY], patch[PATCH.VALUE], shown);
  },
  [OP.RMATTR](_, patch, _ids, el, shown) {
    el.removeAttribute(patch[PATCH.KEY]);
    syncProperty(el, patch[PATCH.KEY], null, shown);
  },
  [OP.INSERT](parent, patch, ids, el) {
    const index = patch[PATCH.INDEX];
    if (!isIndex(index, parent.childNodes.length)) return false;
    const html = patch[PATCH.HTML];
    const text = patch[PATCH.TEXT];
    if (typeof (html ?? text) !== "string") return false;
    const nodes = html === undefined ? el.ownerDocument.createTextNode(text) : parseHtml(el, html);
    register(ids, nodes);
    parent.insertBefore(nodes, parent.childNodes[index] ?? null);
  },
  [OP.REMOVE](el, patch, ids) {
    const index = patch[PATCH.INDEX];
    const count = patch[PATCH.COUNT];
    if (!isIndex(index, el.childNodes.length) || !isIndex(count, el.childNodes.length - index)) {
      return false;
    }
    for (let removed = 0; removed < count; removed++) {
      const node = el.childNodes[index];
      unregister(ids, node);
      node.remove();
    }
  },
  [OP.MOVE](el, patch) {
    const last = el.childNodes.length - 1;
    if (!isIndex(patch[PATCH.FROM], last) || !isIndex(patch[PATCH.TO], last)) return false;
    const node = el.childNodes[patch[PATCH.FROM]];
    node.remove();
    el.insertBefore(node, el.childNodes[patch[PATCH.TO]] ?? null);
  },
  [OP.HTML](_, patch, ids, el) {
    setChildren(ids, el, patch[PATCH.HTML]);
  },
};

/** Namespaces of the prefixed attributes the parser puts in one on SVG/MathML elements. */
const ATTR_NAMESPACES = {
  xlink: "http://www.w3.org/1999/xlink",
  xml: "http://www.w3.org/XML/1998/namespace",
  xmlns: "http://www.w3.org/2000/xmlns/",
};

/** Sets an attribute as the parser would (`xlink:href` on SVG in the XLink namespace). */
function setAttribute(el, name, value) {
  const prefix = name.includes(":") ? name.slice(0, name.indexOf(":")) : undefined;
  if (prefix && ATTR_NAMESPACES[prefix] && el.namespaceURI !== HTML_NS) {
    el.setAttributeNS(ATTR_NAMESPACES[prefix], name, value);
  } else if (name === "xmlns" && el.namespaceURI !== HTML_NS) {
    el.setAttributeNS(ATTR_NAMESPACES.xmlns, name, value);
  } else {
    el.setAttribute(name, value);
  }
}

const HTML_NS = "http://www.w3.org/1999/xhtml";

function isIndex(value, max) {
  return Number.isInteger(value) && value >= 0 && value <= max;
}

function setChildren(ids, el, html) {
  const parent = parentNode(el);
  for (const child of parent.childNodes) unregister(ids, child);
  const nodes = parseHtml(el, html);
  register(ids, nodes);
  parent.replaceChildren(nodes);
}

/** Wrappers that make the parser put a foreign parent's children in its namespace. */
const FOREIGN_WRAPPERS = {
  "http://www.w3.org/2000/svg": "svg",
  "http://www.w3.org/1998/Math/MathML": "math",
};

/**
 * Parses `html` as children of `el`: in a `<template>`, so that rows, cells and options parse
 * outside their parents; inside `<svg>`/`<math>` (and `el` itself) when `el` is SVG/MathML
 * content, so that its children get the namespace (or, in an integration point such as
 * `<foreignObject>` or `<mi>`, the HTML) the page's parser gives them.
 */
function parseHtml(el, html) {
  const template = el.ownerDocument.createElement("template");
  const root = FOREIGN_WRAPPERS[el.namespaceURI];
  if (!root) {
    template.innerHTML = html;
    return template.content;
  }
  const inner = el.localName === root ? "" : el.localName;
  template.innerHTML = inner ? `<${root}><${inner}>${html}</${inner}></${root}>` : `<${root}>${html}</${root}>`;
  const parent = inner ? template.content.firstChild.firstChild : template.content.firstChild;
  const fragment = el.ownerDocument.createDocumentFragment();
  fragment.append(...parent.childNodes);
  return fragment;
}

/** Decodes character references the way the parser does in text (RCDATA keeps tags as text). */
function decodeText(doc, raw) {
  const textarea = doc.createElement("textarea");
  textarea.innerHTML = raw;
  return textarea.textContent;
}

function register(ids, root) {
  for (const el of stamped(root)) ids.set(el.getAttribute(ATTR.ID), el);
}

function unregister(ids, node) {
  for (const el of stamped(node)) {
    const shadow = releaseLock(el);
    if (shadow) unregister(ids, shadow);
    const id = el.getAttribute(ATTR.ID);
    if (ids.get(id) === el) ids.delete(id);
  }
}

/** `root` and the elements with a `dj-id` inside it, `<template>` contents included. */
function* stamped(root) {
  if (root.nodeType === root.ELEMENT_NODE && root.hasAttribute(ATTR.ID)) yield root;
  if (root.localName === "template" && root.content) yield* stamped(root.content);
  if (!root.querySelectorAll) return;
  for (const el of root.querySelectorAll(`[${ATTR.ID}], template`)) {
    if (el.hasAttribute(ATTR.ID)) yield el;
    if (el.localName === "template" && el.content) yield* stamped(el.content);
  }
}

/**
 * `value`/`checked`/`selected` also set the property: at once for checkboxes, radios and
 * options; for a text field, once the user no longer edits it (`field_merge.js`).
 */
function syncProperty(el, name, value, shown) {
  if (!PROPERTY_ATTRS[name]?.has(el.tagName)) return;
  if (name === "value" && isTextField(el)) serverValue(el, value ?? "", shown);
  else if (name === "value") el.value = value ?? "";
  else el[name] = value !== null;
}

/**
 * Runs `change` and then gives focus and selection back to the element that had them. When
 * that element was replaced, its successor (same `dj-id`, same tag) gets focus, selection and,
 * for a text field, the text the user was typing.
 */
function preservingFocus(ids, change) {
  const container = ids.get(CONTAINER_ID);
  const doc = container.ownerDocument;
  const focused = doc.activeElement;
  if (!focused || focused === container || !container.contains(focused)) return change();
  const selection = hasSelection(focused)
    ? [focused.selectionStart, focused.selectionEnd, focused.selectionDirection]
    : null;
  const result = change();
  const successor = container.contains(focused) ? focused : ids.get(focused.getAttribute(ATTR.ID));
  if (!successor || successor.tagName !== focused.tagName) return result;
  // Unkeyed fields (no name nor id) keep what the user is typing too.
  if (successor !== focused && selection && hasSelection(successor) && focused.value !== focused.defaultValue && successor.value === successor.defaultValue) {
    successor.value = focused.value;
  }
  if (doc.activeElement !== successor) successor.focus({ preventScroll: true });
  if (selection && hasSelection(successor)) restoreSelection(successor, selection);
  return result;
}

function hasSelection(el) {
  return typeof el.selectionStart === "number";
}

function restoreSelection(el, [start, end, direction]) {
  if (el.selectionStart !== start || el.selectionEnd !== end) {
    el.setSelectionRange(start, end, direction);
  }
}
