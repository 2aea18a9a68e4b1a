/**
 * `dj-disable-with="Saving…"`: while an event is in flight, the button that carries it (or,
 * for a submitted form, every such button in the form) is disabled and shows that text.
 * @module disable_with
 */

import { ATTR } from "./constants.js";

/**
 * Disables the `dj-disable-with` buttons of `el` (itself, or inside it when it is a form).
 * @param {Element} el the element an event was sent for
 * @returns {() => void} puts the buttons back as they were
 */
export function disableWith(el) {
  const buttons = el.hasAttribute?.(ATTR.DISABLE_WITH)
    ? [el]
    : el.tagName === "FORM"
      ? [...el.querySelectorAll(`[${ATTR.DISABLE_WITH}]`)]
      : [];
  const saved = buttons.map((button) => {
    const state = { button, text: button.textContent, disabled: button.disabled };
    button.textContent = button.getAttribute(ATTR.DISABLE_WITH);
    button.disabled = true;
    return state;
  });
  return () => {
    for (const { button, text, disabled } of saved) {
      button.textContent = text;
      button.disabled = disabled;
    }
  };
}
