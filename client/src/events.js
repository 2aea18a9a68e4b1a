/**
 * Event bindings (`dj-click`, `dj-submit`, …) by delegation: one listener per DOM event type
 * on the document, finding the bound element and its view when an event happens, so patched-in
 * elements need no wiring. Also rate limiting (`dj-debounce`, `dj-throttle`), window-level key
 * bindings (`dj-window-keydown`/`-keyup` on any element: every key press on the page) and JS
 * commands: a binding whose value is a JSON list runs it (`js_commands.js`) instead of sending.
 * @module events
 */

import { ATTR, DEBOUNCE_BLUR, PARAM } from "./constants.js";
import { hold, release, unhold } from "./field_merge.js";
import { fieldValue, serializeForm } from "./form.js";
import { execute, isCommands } from "./js_commands.js";

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

/** Bindings on any element, triggered by a key press anywhere on the page. */
const WINDOW_BINDINGS = [
  { attr: ATTR.WINDOW_KEYDOWN, on: "keydown", params: keyParams },
  { attr: ATTR.WINDOW_KEYUP, on: "keyup", params: keyParams },
];

const DOM_EVENTS = [...new Set(BINDINGS.map((binding) => binding.on))];

/**
 * Listens on `root` for every binding.
 * @param {Document | Element} root where the listeners go (the document)
 * @param {(el: Element) => import("./view.js").default | undefined} viewFor the view an element
 *   belongs to
 * @param {object} [options]
 * @param {(href: string, options: {replace: boolean}) => void} [options.navigate] where a JS
 *   `navigate` command goes (default: a page load)
 * @returns {() => void} removes the listeners
 */
export function bindEvents(root, viewFor, { navigate = (href) => defaultNavigate(root, href) } = {}) {
  const limiter = new Limiter();
  const context = { viewFor, limiter, navigate };
  const listener = (event) => {
    if (event.type === "focusout") {
      // Leaving a field sends what its debounce held back; a server value kept aside applies.
      limiter.flushOnBlur(event.target);
      if (event.target?.tagName) release(event.target, { leaving: true });
    }
    for (const binding of BINDINGS) {
      if (binding.on === event.type) handle(binding, event, context);
    }
    for (const binding of WINDOW_BINDINGS) {
      if (binding.on !== event.type) continue;
      for (const el of root.querySelectorAll(`[${binding.attr}]`)) fire(binding, el, event, context);
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

function handle(binding, event, context) {
  const target = event.target;
  if (typeof target?.closest !== "function") return; // not an element (e.g. the document)
  const el = binding.ancestor ? target.closest(`[${binding.attr}]`) : target;
  if (!el?.hasAttribute(binding.attr)) return;
  if (binding.on === "submit") {
    event.preventDefault();
    // The submit carries every field: their debounced events are dropped (as Phoenix does).
    context.limiter.cancelWithin(el);
  }
  fire(binding, el, event, context);
}

/** Sends the binding's event, or runs its JS commands (whose `push` sends with the same params). */
function fire(binding, el, event, { viewFor, limiter, navigate }) {
  const params = binding.params(el, event);
  if (params === null) return;
  const name = el.getAttribute(binding.attr);
  const all = { ...valueParams(el), ...params };
  const push = (handler, extra = {}) => viewFor(el)?.pushEvent(handler, { ...all, ...extra }, el);
  if (isCommands(name)) limiter.run(el, binding.attr, () => execute(name, el, { push, navigate }));
  else limiter.run(el, binding.attr, () => push(name));
}

function defaultNavigate(root, href) {
  (root.defaultView ?? root.ownerDocument.defaultView).location.assign(href);
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
    if (onBlur || debounce !== null) {
      state.next = send;
      // Waiting to be sent, the field is being edited (`field_merge.js`).
      if (!state.held) hold(el);
      state.held = true;
      clearTimeout(state.timer);
      state.timer = onBlur ? null : setTimeout(() => this.flush(el, state), debounce);
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

  /** Sends what a debounce of `el` held back (`state`), now. */
  flush(el, state) {
    const next = this.end(el, state);
    next?.();
    // Sent, it is in flight: the view holds the field until the answer.
    if (next) unhold(el);
  }

  /** Drops what a debounce of `el` held back; returns it. */
  end(el, state) {
    if (!state.held) return null;
    clearTimeout(state.timer);
    const next = state.next;
    Object.assign(state, { timer: null, next: null, held: false });
    return next;
  }

  /** Leaving `el`: what its debounces held back is sent. */
  flushOnBlur(el) {
    for (const state of this.states.get(el)?.values() ?? []) this.flush(el, state);
  }

  /** A form is submitted: the debounced events of its fields are dropped. */
  cancelWithin(form) {
    for (const field of form.elements ?? []) {
      for (const state of this.states.get(field)?.values() ?? []) if (this.end(field, state)) unhold(field);
    }
  }

  state(el, attr) {
    let byAttr = this.states.get(el);
    if (!byAttr) this.states.set(el, (byAttr = new Map()));
    if (!byAttr.has(attr)) byAttr.set(attr, { timer: null, next: null, held: false });
    return byAttr.get(attr);
  }
}

/** A non-negative integer attribute value, or `null`. */
function milliseconds(value) {
  return value !== null && /^\d+$/.test(value) ? Number(value) : null;
}
