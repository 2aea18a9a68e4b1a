/**
 * The user's fields against the server's values (`docs/protocol.md`, "Focused fields").
 *
 * A text field (`<input>` of a text-like type, `<textarea>`) is **being edited** while it has
 * focus, while an event of its own is in flight ({@link hold}/{@link unhold}, by `view.js`) or
 * while a debounced event of it waits (`events.js`). A server value that arrives for it then is
 * kept aside with what the field showed at that moment, and applied as soon as the field is no
 * longer being edited — unless the user changed it since (their newer value is on its way).
 * A late answer therefore never rolls back newer typing, and a change the server made to a
 * focused field is never lost. Checkboxes, radios and selects are never exempt: the server's
 * state applies at once.
 *
 * Whole-HTML updates ({@link captureEdits}/{@link restoreEdits}) keep what the user changed and
 * the server did not; fields are matched by form, name and the `dj-key`s of their rows, never
 * by position, and hidden inputs are never carried over.
 * @module field_merge
 */

import { ATTR } from "./constants.js";

/** Input types whose value is text the user types. */
const TEXT_TYPES = new Set(["text", "search", "email", "url", "tel", "password", "number", "date", "time", "datetime-local", "month", "week", "color", "range"]);
const FIELDS = "input, textarea, select";

/** field → `{holds, deferred: {value, shown} | null}`. @type {WeakMap<Element, object>} */
const states = new WeakMap();

function state(el) {
  let entry = states.get(el);
  if (!entry) states.set(el, (entry = { holds: 0, deferred: null }));
  return entry;
}

/** @returns {boolean} whether `el` holds typed text (its value is kept while edited) */
export function isTextField(el) {
  return el.tagName === "TEXTAREA" || (el.tagName === "INPUT" && TEXT_TYPES.has(el.type));
}

/** @returns {boolean} whether the user is editing `el` (see the module doc) */
export function isEditing(el, { leaving = false } = {}) {
  const focused = !leaving && el.ownerDocument.activeElement === el;
  return focused || (states.get(el)?.holds ?? 0) > 0;
}

/**
 * The server set text field `el`'s value to `value`: applied now, or kept aside while the user
 * edits it. Call it after the attribute (or a textarea's text) changed.
 * @param {HTMLInputElement | HTMLTextAreaElement} el
 * @param {string} value
 * @param {string} shown what the field showed before the change
 */
export function serverValue(el, value, shown) {
  if (!isEditing(el)) {
    el.value = value;
    if (states.get(el)) states.get(el).deferred = null;
    return;
  }
  if (el.value !== shown) el.value = shown; // a textarea not yet dirty followed its text
  state(el).deferred = { value, shown };
}

/** An event of `el` is in flight, or a debounced one waits: it is being edited. */
export function hold(el) {
  state(el).holds += 1;
}

/** One reason `el` was being edited is gone: a kept server value may now apply. */
export function unhold(el) {
  const entry = states.get(el);
  if (!entry || entry.holds === 0) return;
  entry.holds -= 1;
  release(el);
}

/**
 * Applies the server value kept for `el` once it is no longer being edited, unless the user
 * changed the field since it came.
 * @param {Element} el
 * @param {{leaving?: boolean}} [options] `leaving`: `el` is losing focus (a `focusout`)
 */
export function release(el, { leaving = false } = {}) {
  const entry = states.get(el);
  if (!entry?.deferred || isEditing(el, { leaving })) return;
  const { value, shown } = entry.deferred;
  entry.deferred = null;
  if (el.value === shown && el.isConnected) el.value = value;
}

/**
 * The key of a field: its form (`id` or `name`), its name (and, for a checkbox or radio, its
 * value), the `dj-key`s of the rows around it; `null` for a field that cannot be told apart
 * (no name nor id), a hidden input or a file input.
 * @param {Element} el
 * @param {Element} container the view container
 * @returns {string | null}
 */
export function fieldKey(el, container) {
  if (el.type === "hidden" || el.type === "file") return null;
  const name = el.getAttribute("name") || (el.id ? `#${el.id}` : "");
  if (!name) return null;
  const form = el.form ? el.form.id || el.form.getAttribute("name") || "form" : "";
  const rows = [];
  for (let row = el.parentElement?.closest(`[${ATTR.ROW_KEY}]`); row && container.contains(row); row = row.parentElement?.closest(`[${ATTR.ROW_KEY}]`)) {
    rows.push(row.getAttribute(ATTR.ROW_KEY));
  }
  const choice = el.type === "checkbox" || el.type === "radio" ? el.getAttribute("value") ?? "on" : "";
  return JSON.stringify([form, name, choice, rows]);
}

/** The fields of `container` by key; keys that occur twice are left out (ambiguous). */
export function fieldsByKey(container) {
  const byKey = new Map();
  const twice = new Set();
  for (const el of container.querySelectorAll(FIELDS)) {
    const key = fieldKey(el, container);
    if (key === null) continue;
    if (byKey.has(key)) twice.add(key);
    byKey.set(key, el);
  }
  for (const key of twice) byKey.delete(key);
  return byKey;
}

/**
 * What the user changed in the fields of `container` (value ≠ the server's default), by key;
 * with `all`, what every field shows (a reconnect: the server that rendered it may be gone).
 * @param {Element} container
 * @param {{all?: boolean}} [options]
 * @returns {Map<string, {value: string, checked: boolean, selected: boolean[], defaults: string, editing: boolean}>}
 */
export function captureEdits(container, { all = false } = {}) {
  const edits = new Map();
  for (const [key, el] of fieldsByKey(container)) {
    if (!all && !isEdited(el)) continue;
    edits.set(key, {
      value: el.value,
      checked: Boolean(el.checked),
      selected: el.tagName === "SELECT" ? [...el.options].map((option) => option.selected) : [],
      defaults: defaultsOf(el),
      editing: isEditing(el),
    });
  }
  return edits;
}

/**
 * Puts captured edits back into the fields of the same key: always (`keepAll`: a mount, whose
 * recovery then sends them), else when the server's default did not change or the user is
 * editing the field.
 * @param {Element} container
 * @param {ReturnType<typeof captureEdits>} edits
 * @param {{keepAll?: boolean}} [options]
 */
export function restoreEdits(container, edits, { keepAll = false } = {}) {
  if (edits.size === 0) return;
  for (const [key, el] of fieldsByKey(container)) {
    const saved = edits.get(key);
    if (!saved) continue;
    const changed = saved.defaults !== defaultsOf(el);
    if (!keepAll && !saved.editing && changed) continue; // the server's now
    if (el.type === "checkbox" || el.type === "radio") el.checked = saved.checked;
    else if (el.tagName === "SELECT") {
      if (saved.selected.length === el.options.length) saved.selected.forEach((on, i) => (el.options[i].selected = on));
    } else el.value = saved.value;
    // Being edited: the server's new value waits until the user is done.
    if (!keepAll && changed && isTextField(el)) state(el).deferred = { value: el.defaultValue, shown: saved.value };
  }
}

/** Whether the field's state differs from its server-rendered default. */
function isEdited(el) {
  if (el.type === "checkbox" || el.type === "radio") return el.checked !== el.defaultChecked;
  if (el.tagName === "SELECT") return [...el.options].some((option) => option.selected !== option.defaultSelected);
  return el.value !== el.defaultValue;
}

/** The server's defaults of a field, as one string. */
function defaultsOf(el) {
  if (el.type === "checkbox" || el.type === "radio") return String(el.defaultChecked);
  if (el.tagName === "SELECT") return [...el.options].map((option) => `${option.value}:${option.defaultSelected}`).join("\n");
  return el.defaultValue;
}
