/**
 * `dj-disable-with="Saving…"`: while an event is in flight, the button that carries it (or,
 * for a submitted form, every such button in the form) is disabled and shows that text. The
 * button is locked (`ref_lock.js`): the server's updates to it wait aside and are what it shows
 * once the event is answered.
 * @module disable_with
 */

import { ATTR } from "./constants.js";
import { lock, unlock } from "./ref_lock.js";

/**
 * Disables the `dj-disable-with` buttons of `el` (itself, or inside it when it is a form).
 * @param {Element} el the element an event was sent for
 * @param {Map<string, Element>} ids the view's id map
 * @returns {() => void} ends the lock: the buttons show the server's version
 */
export function disableWith(el, ids) {
  const buttons = el.hasAttribute?.(ATTR.DISABLE_WITH)
    ? [el]
    : el.tagName === "FORM"
      ? [...el.querySelectorAll(`[${ATTR.DISABLE_WITH}]`)]
      : [];
  for (const button of buttons) {
    lock(ids, button);
    const text = button.getAttribute(ATTR.DISABLE_WITH);
    if (button.tagName === "INPUT") button.value = text;
    else button.textContent = text;
    button.disabled = true;
  }
  return () => {
    for (const button of buttons) unlock(ids, button);
  };
}
