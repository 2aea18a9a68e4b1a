/**
 * Event bindings (`dj-click`, `dj-submit`, …) by delegation: one listener per DOM event type
 * on the document, finding the bound element and its view when an event happens, so patched-in
 * elements need no wiring. Also rate limiting (`dj-debounce`, `dj-throttle`).
 * @module events
 */

import { ATTR, DEBOUNCE_BLUR, PARAM } from "./constants.js";
import { fieldValue, serializeForm } from "./form.js";

/**
 * Each binding: its attribute, the DOM event that triggers it, whether the bound element may
 * be an ancestor of the event's target (otherwise it must be the target), and its params
 * besides `dj-value-*`.
 */
const BINDINGS = [
  { attr: ATTR.CLICK, on: "click", ancestor: true, params: () => ({}) },
  { attr: ATTR.SUBMIT, on: "submit", ancestor: true, params: submitParams },
  { attr: ATTR.CHANGE, on: "change", params: fieldParams },
  { attr: ATTR.INPUT, on: "input", params: fieldParams },
  { attr: ATTR.FOCUS, on: "focusin", params: fieldParams },
  { attr: ATTR.BLUR, on: "focusout", params: fieldParams },
  { attr: ATTR.KEYDOWN, on: "keydown", ancestor: true, params: keyParams },
  { attr: ATTR.KEYUP, on: "keyup", ancestor: true, params: keyParams },
];

const DOM_EVENTS = [...new Set(BINDINGS.map((binding) => binding.on))];

/**
 * Listens on `root` for every binding.
 * @param {Document | Element} root where the listeners go (the document)
 * @param {(el: Element) => import("./view.js").default | undefined} viewFor the view an element
 *   belongs to
 * @returns {() => void} removes the listeners
 */
export function bindEvents(root, viewFor) {
  const limiter = new Limiter();
  const listener = (event) => {
    if (event.type === "focusout") limiter.flushOnBlur(event.target);
    for (const binding of BINDINGS) {
      if (binding.on === event.type) handle(binding, event, viewFor, limiter);
    }
  };
  for (const type of DOM_EVENTS) root.addEventListener(type, listener);
  return () => {
    for (const type of DOM_EVENTS) root.removeEventListener(type, listener);
  };
}

/**
 * The `dj-value-*` params of `el`: `dj-value-user-id="7"` → `{user_id: "7"}`.
 * @param {Element} el
 * @returns {Record<string, string>}
 */
export function valueParams(el) {
  const params = {};
  for (const { name, value } of el.attributes) {
    if (name.startsWith(ATTR.VALUE_PREFIX)) {
      params[name.slice(ATTR.VALUE_PREFIX.length).replaceAll("-", "_")] = value;
    }
  }
  return params;
}

function handle(binding, event, viewFor, limiter) {
  const target = event.target;
  if (typeof target?.closest !== "function") return; // not an element (e.g. the document)
  const el = binding.ancestor ? target.closest(`[${binding.attr}]`) : target;
  if (!el?.hasAttribute(binding.attr)) return;
  if (binding.on === "submit") event.preventDefault();
  const params = binding.params(el, event);
  if (params === null) return;
  const name = el.getAttribute(binding.attr);
  const all = { ...valueParams(el), ...params };
  limiter.run(el, binding.attr, () => viewFor(el)?.pushEvent(name, all, el));
}

function submitParams(form, event) {
  return serializeForm(form, event.submitter);
}

function fieldParams(el) {
  const params = {};
  const value = fieldValue(el);
  if (value !== undefined) params[PARAM.VALUE] = value;
  if (el.name) params[PARAM.FIELD] = el.name;
  return params;
}

/** `null` (do not send) when the element filters keys and this is not its key. */
function keyParams(el, event) {
  const filter = el.getAttribute(ATTR.KEY_FILTER);
  if (filter !== null && filter !== event.key) return null;
  const params = { [PARAM.KEY]: event.key };
  const value = fieldValue(el);
  if (value !== undefined) params[PARAM.VALUE] = value;
  return params;
}

/** Applies `dj-debounce` and `dj-throttle`, per element and binding. */
class Limiter {
  constructor() {
    /** @type {WeakMap<Element, Map<string, {timer: any, next: Function | null}>>} */
    this.states = new WeakMap();
  }

  run(el, attr, send) {
    const onBlur = el.getAttribute(ATTR.DEBOUNCE) === DEBOUNCE_BLUR;
    const debounce = milliseconds(el.getAttribute(ATTR.DEBOUNCE));
    const throttle = milliseconds(el.getAttribute(ATTR.THROTTLE));
    if (!onBlur && debounce === null && throttle === null) {
      send();
      return;
    }
    const state = this.state(el, attr);
    if (onBlur) {
      state.next = send;
    } else if (debounce !== null) {
      clearTimeout(state.timer);
      state.timer = setTimeout(send, debounce);
    } else {
      this.throttle(state, throttle, send);
    }
  }

  /** Sends at once, then at most once per `ms`: the last call of each window at its end. */
  throttle(state, ms, send) {
    if (state.timer) {
      state.next = send;
      return;
    }
    send();
    const tick = () => {
      const next = state.next;
      state.next = null;
      state.timer = next ? setTimeout(tick, ms) : null;
      next?.();
    };
    state.timer = setTimeout(tick, ms);
  }

  /** Sends what `dj-debounce="blur"` held back for `el`. */
  flushOnBlur(el) {
    if (el.getAttribute?.(ATTR.DEBOUNCE) !== DEBOUNCE_BLUR) return;
    for (const state of this.states.get(el)?.values() ?? []) {
      const next = state.next;
      state.next = null;
      next?.();
    }
  }

  state(el, attr) {
    let byAttr = this.states.get(el);
    if (!byAttr) this.states.set(el, (byAttr = new Map()));
    if (!byAttr.has(attr)) byAttr.set(attr, { timer: null, next: null });
    return byAttr.get(attr);
  }
}

/** A non-negative integer attribute value, or `null`. */
function milliseconds(value) {
  return value !== null && /^\d+$/.test(value) ? Number(value) : null;
}
