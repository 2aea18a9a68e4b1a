/**
 * Reading form fields into event params (`docs/protocol.md`, "Client → server frames").
 * @module form
 */

/** Controls that never carry a value of their own in a submission. */
const SKIPPED_TYPES = new Set(["submit", "button", "reset", "image", "file"]);

/**
 * Every named, enabled field of `form`: `name` → value; a name that occurs more than once →
 * an array; checkboxes and radios only when checked (`value`, or `"on"` without one); a
 * `<select multiple>` → the array of its selected values. The button that submitted the
 * form counts as a field when it has a name.
 * @param {HTMLFormElement} form
 * @param {HTMLElement | null} [submitter] `SubmitEvent.submitter`
 * @returns {Record<string, string | string[]>}
 */
export function serializeForm(form, submitter = null) {
  const params = {};
  for (const field of form.elements) {
    if (!field.name || field.disabled || SKIPPED_TYPES.has(field.type)) continue;
    if ((field.type === "checkbox" || field.type === "radio") && !field.checked) continue;
    if (field.type === "select-multiple") {
      params[field.name] = [].concat(params[field.name] ?? [], selectedValues(field));
    } else {
      add(params, field.name, field.value);
    }
  }
  if (submitter?.name && submitter.form === form) add(params, submitter.name, submitter.value);
  return params;
}

/**
 * The value of one field as `dj-change`/`dj-input`/`dj-blur`/`dj-focus` send it: a
 * checkbox's `checked`, a `<select multiple>`'s selected values, otherwise `value`
 * (`undefined` for an element that has none).
 * @param {Element} el
 * @returns {string | boolean | string[] | undefined}
 */
export function fieldValue(el) {
  if (el.type === "checkbox") return el.checked;
  if (el.type === "select-multiple") return selectedValues(el);
  return typeof el.value === "string" ? el.value : undefined;
}

function selectedValues(select) {
  return [...select.selectedOptions].map((option) => option.value);
}

function add(params, name, value) {
  const previous = params[name];
  if (previous === undefined) params[name] = value;
  else if (Array.isArray(previous)) previous.push(value);
  else params[name] = [previous, value];
}
