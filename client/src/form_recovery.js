/**
 * After a reconnect mount, brings the server's state back to what the user sees.
 *
 * 1. The mount's HTML replaces the view's DOM; what the user changed in its fields is carried
 *    over by `dom_patch.replaceHtml` (`field_merge.js`: matched by form, name and row `dj-key`,
 *    never by position; hidden inputs never), as DOM properties — the attributes stay the
 *    server's defaults.
 * 2. {@link recoveryEvents}: every `input`/`textarea`/`select` with `dj-change` or `dj-input`
 *    whose value differs from its server-rendered default gets the event it would send on a
 *    change (`dj-change` if present, else `dj-input`). Skipped: `dj-no-recover` (on the field or
 *    an ancestor) and fields inside a `dj-auto-recover` container.
 * 3. {@link autoRecoverEvents}: each `dj-auto-recover="handler"` container calls `handler` once
 *    with `{_form_values, _data_attrs}`.
 *
 * {@link recover} sends them in that order, one at a time, each awaiting its answer. It runs
 * after a reconnect whose `mount` started a new view session (a resumed one lost nothing), and
 * after the first mount when the user changed fields before it (a slow connection, a page from
 * the offline cache); a field whose own events the outbox holds is left alone (it would be
 * sent twice).
 * @module form_recovery
 */

import { ATTR, PARAM } from "./constants.js";
import { valueParams } from "./events.js";
import { fieldKey } from "./field_merge.js";
import { fieldValue } from "./form.js";

const FIELDS = "input, textarea, select";

/**
 * Whether a field's DOM value differs from its server-rendered default: checkbox and radio →
 * the `checked` attribute; select → the `option[selected]` (else the first option); other
 * inputs and textarea → the `value` attribute / text content (`defaultValue`).
 * @param {HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement} el
 * @returns {boolean}
 */
export function differsFromDefault(el) {
  if (el.type === "checkbox" || el.type === "radio") return el.checked !== el.defaultChecked;
  if (el.tagName === "SELECT") {
    const options = [...el.options];
    const defaults = options.map((option) => option.defaultSelected);
    if (!el.multiple && !defaults.includes(true) && options.length > 0) defaults[0] = true;
    return options.some((option, i) => option.selected !== defaults[i]);
  }
  return el.value !== el.defaultValue;
}

/**
 * The synthetic change events of form recovery, in document order.
 * @param {Element} container the view container
 * @param {Set<string>} [skip] fields to leave alone: their keys (`field_merge.fieldKey`), else
 *   their `dj-id`s
 * @returns {{el: Element, event: string, params: object}[]}
 */
export function recoveryEvents(container, skip = new Set()) {
  const events = [];
  for (const el of container.querySelectorAll(FIELDS)) {
    const event = el.getAttribute(ATTR.CHANGE) ?? el.getAttribute(ATTR.INPUT);
    if (event === null || el.type === "hidden" || skip.has(fieldKey(el, container) ?? el.getAttribute(ATTR.ID))) continue;
    if (el.closest(`[${ATTR.NO_RECOVER}], [${ATTR.AUTO_RECOVER}]`)) continue;
    if (!differsFromDefault(el)) continue;
    // A radio group changed: only the newly checked radio speaks for it.
    if (el.type === "radio" && !el.checked) continue;
    const params = { ...valueParams(el), [PARAM.VALUE]: fieldValue(el) };
    if (el.name) params[PARAM.FIELD] = el.name;
    events.push({ el, event, params });
  }
  return events;
}

/**
 * One event per `dj-auto-recover` container: `{_form_values: {name: value}, _data_attrs:
 * {key: value}}` — named fields (checkbox → `checked`; radio → its value, only when checked;
 * select multiple → the array of selected values) and the container's `data-*` attributes
 * without the `data-` prefix.
 * @param {Element} container the view container
 * @returns {{el: Element, event: string, params: object}[]}
 */
export function autoRecoverEvents(container) {
  return [...container.querySelectorAll(`[${ATTR.AUTO_RECOVER}]`)].map((el) => {
    const formValues = {};
    for (const field of el.querySelectorAll(FIELDS)) {
      if (!field.name || (field.type === "radio" && !field.checked)) continue;
      formValues[field.name] = fieldValue(field);
    }
    const dataAttrs = {};
    for (const { name, value } of el.attributes) {
      if (name.startsWith("data-")) dataAttrs[name.slice("data-".length)] = value;
    }
    const params = { _form_values: formValues, _data_attrs: dataAttrs };
    return { el, event: el.getAttribute(ATTR.AUTO_RECOVER), params };
  });
}

/**
 * Sends the recovery events, then the auto-recover events, one at a time.
 * @param {Element} container
 * @param {(event: string, params: object, el: Element) => Promise<unknown>} send resolves
 *   when the server answered
 * @param {object} [options]
 * @param {Set<string>} [options.skip] fields to leave alone (keys, else `dj-id`s)
 * @param {boolean} [options.fieldsOnly] no auto-recover events (the first mount: nothing lost)
 * @param {ReturnType<typeof autoRecoverEvents>} [options.autoRecovered] the auto-recover events
 *   as they were before the mount's HTML came: their `_form_values` are what the page had
 */
export async function recover(container, send, { skip, fieldsOnly = false, autoRecovered = [] } = {}) {
  for (const { el, event, params } of recoveryEvents(container, skip)) await send(event, params, el);
  if (fieldsOnly) return;
  for (const [i, { el, event, params }] of autoRecoverEvents(container).entries()) {
    const before = autoRecovered[i]?.event === event ? autoRecovered[i].params._form_values : null;
    await send(event, before ? { ...params, _form_values: before } : params, el);
  }
}
