/**
 * Flash messages (`Context::put_flash(kind, message)`): a frame's `flash` list is shown in the
 * page's flash region, `#dj-flash` (created at the end of `<body>` when the page has none; it is
 * outside the view containers, so messages outlive a live navigation). Each message is
 * `<div class="dj-flash dj-flash-<kind>" data-kind="<kind>" role="status|alert">` with its text
 * and a dismiss button; it goes when dismissed or after `FLASH.TIMEOUT_MS`.
 * @module flash
 */

import { ATTR, FLASH, TOOLBOX } from "./constants.js";

export default class Flash {
  /** @param {Document} document */
  constructor(document) {
    this.document = document;
  }

  /**
   * Shows the messages of a frame's `flash` (anything else is ignored).
   * @param {unknown} messages `[{kind, message}]`
   */
  show(messages) {
    if (!Array.isArray(messages)) return;
    for (const entry of messages) {
      const message = entry?.[TOOLBOX.MESSAGE];
      if (typeof message !== "string" || message === "") continue;
      const kind = FLASH.KIND_PATTERN.test(entry[TOOLBOX.KIND]) ? entry[TOOLBOX.KIND] : FLASH.DEFAULT_KIND;
      this.add(kind, message);
    }
  }

  add(kind, message) {
    const region = this.region();
    const doc = this.document;
    const el = doc.createElement("div");
    el.className = `${FLASH.MESSAGE_CLASS} ${FLASH.KIND_CLASS_PREFIX}${kind}`;
    el.setAttribute(ATTR.FLASH_KIND, kind);
    el.setAttribute("role", kind === "error" ? "alert" : "status");
    const text = doc.createElement("span");
    text.textContent = message;
    const dismiss = doc.createElement("button");
    dismiss.type = "button";
    dismiss.className = FLASH.DISMISS_CLASS;
    dismiss.setAttribute("aria-label", "Dismiss");
    dismiss.textContent = "×";
    dismiss.addEventListener("click", () => el.remove());
    el.append(text, dismiss);
    region.append(el);
    while (region.children.length > FLASH.MAX_MESSAGES) region.firstElementChild.remove();
    const timer = setTimeout(() => el.remove(), FLASH.TIMEOUT_MS);
    timer?.unref?.(); // under node (tests), a shown message does not keep the process alive
  }

  /** The page's `#dj-flash`, created when missing. */
  region() {
    const existing = this.document.getElementById(FLASH.REGION_ID);
    if (existing) return existing;
    const region = this.document.createElement("div");
    region.id = FLASH.REGION_ID;
    region.className = FLASH.REGION_CLASS;
    region.setAttribute("aria-live", "polite");
    this.document.body.append(region);
    return region;
  }
}
