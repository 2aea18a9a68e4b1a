/**
 * JS commands: a binding attribute (`dj-click`, `dj-submit`, `dj-window-keydown`, …) whose value
 * starts with `[` holds a JSON list of `[kind, args]` commands, rendered by the server's typed
 * builder (`djust_core::js::JS`). They run in the page, without a round trip, except `push`,
 * which sends an event.
 *
 * What `show`, `hide`, `toggle`, the class commands and the attribute commands do is **sticky**:
 * it is remembered per element and done again after a server patch changes that element's
 * attributes, and carried over to the element of the same `dj-id` after a whole-HTML update.
 * @module js_commands
 */

import { ATTR, JS_ARG, JS_OP, JS_PREFIX } from "./constants.js";

/** What commands did to an element: classes (name → added), attributes (name → value or null), display. */
const sticky = new WeakMap();

/**
 * @param {string | null} value a binding attribute's value
 * @returns {boolean} whether it holds JS commands rather than a handler name
 */
export function isCommands(value) {
  return typeof value === "string" && value.trimStart().startsWith(JS_PREFIX);
}

/**
 * What commands need from the page.
 * @typedef {object} CommandContext
 * @property {(event: string, value: object) => void} push sends `event` from the element
 * @property {(href: string, options: {replace: boolean}) => void} navigate live navigation
 */

/**
 * Runs the commands of `json` for `el`, in order. A list that does not parse, an unknown kind or
 * a bad selector is reported on the console and skipped; the other commands still run.
 * @param {string} json
 * @param {Element} el the element the binding is on
 * @param {CommandContext} context
 */
export function execute(json, el, context) {
  let commands;
  try {
    commands = JSON.parse(json);
  } catch {
    console.error("[djust] JS commands that are not JSON", json);
    return;
  }
  if (!Array.isArray(commands)) return;
  for (const command of commands) {
    const [kind, args = {}] = Array.isArray(command) ? command : [];
    const run = COMMANDS[kind];
    if (!run || typeof args !== "object" || args === null) {
      console.error("[djust] unknown JS command", command);
      continue;
    }
    let targets;
    try {
      targets = typeof args[JS_ARG.TO] === "string" ? [...el.ownerDocument.querySelectorAll(args[JS_ARG.TO])] : [el];
    } catch (error) {
      console.error(`[djust] JS command ${kind}: bad selector`, error);
      continue;
    }
    run(targets, args, context);
  }
}

/** Does again what commands did to `el` (after a patch changed its attributes). */
export function reapply(el) {
  const state = sticky.get(el);
  if (!state) return;
  for (const [name, added] of state.classes) el.classList.toggle(name, added);
  for (const [name, value] of state.attrs) {
    if (value === null) el.removeAttribute(name);
    else if (el.getAttribute(name) !== value) el.setAttribute(name, value);
  }
  if (state.display !== undefined) el.style.display = state.display;
}

/**
 * Before a whole-HTML update: what commands did to the elements inside `container`, by `dj-id`.
 * @param {Element} container
 * @returns {Map<string, {tag: string, state: object}>}
 */
export function captureSticky(container) {
  const captured = new Map();
  for (const el of container.querySelectorAll(`[${ATTR.ID}]`)) {
    const state = sticky.get(el);
    if (state) captured.set(el.getAttribute(ATTR.ID), { tag: el.tagName, state });
  }
  return captured;
}

/**
 * After a whole-HTML update: the elements of the same `dj-id` and tag get the state back.
 * @param {Map<string, Element>} ids the view's id map
 * @param {ReturnType<typeof captureSticky>} captured
 */
export function restoreSticky(ids, captured) {
  for (const [id, { tag, state }] of captured) {
    const el = ids.get(id);
    if (!el?.isConnected || el.tagName !== tag) continue;
    sticky.set(el, state);
    reapply(el);
  }
}

function stateOf(el) {
  if (!sticky.has(el)) sticky.set(el, { classes: new Map(), attrs: new Map(), display: undefined });
  return sticky.get(el);
}

function names(args) {
  const value = args[JS_ARG.NAMES];
  const list = Array.isArray(value) ? value : typeof value === "string" ? value.split(/\s+/) : [];
  return list.filter((name) => typeof name === "string" && name !== "");
}

function setClasses(el, classNames, added) {
  const state = stateOf(el);
  for (const name of classNames) {
    el.classList.toggle(name, added);
    state.classes.set(name, added);
  }
}

function setDisplay(el, display) {
  stateOf(el).display = display;
  el.style.display = display;
}

function isVisible(el) {
  return el.ownerDocument.defaultView.getComputedStyle(el).display !== "none";
}

/** Adds the `transition` classes for `time` ms (default 200). */
function transition(el, args) {
  const classNames = names({ [JS_ARG.NAMES]: args.transition ?? args[JS_ARG.NAMES] });
  if (classNames.length === 0) return;
  el.classList.add(...classNames);
  const time = Number.isFinite(args[JS_ARG.TIME]) ? args[JS_ARG.TIME] : 200;
  setTimeout(() => el.classList.remove(...classNames), time);
}

function show(el, args) {
  if (args.transition) transition(el, args);
  setDisplay(el, typeof args[JS_ARG.DISPLAY] === "string" ? args[JS_ARG.DISPLAY] : "block");
}

function hide(el, args) {
  if (args.transition) transition(el, args);
  setDisplay(el, "none");
}

const COMMANDS = {
  [JS_OP.SHOW](targets, args) {
    for (const el of targets) show(el, args);
  },
  [JS_OP.HIDE](targets, args) {
    for (const el of targets) hide(el, args);
  },
  [JS_OP.TOGGLE](targets, args) {
    for (const el of targets) (isVisible(el) ? hide : show)(el, args);
  },
  [JS_OP.ADD_CLASS](targets, args) {
    for (const el of targets) setClasses(el, names(args), true);
  },
  [JS_OP.REMOVE_CLASS](targets, args) {
    for (const el of targets) setClasses(el, names(args), false);
  },
  [JS_OP.TOGGLE_CLASS](targets, args) {
    for (const el of targets) {
      for (const name of names(args)) setClasses(el, [name], !el.classList.contains(name));
    }
  },
  [JS_OP.TRANSITION](targets, args) {
    for (const el of targets) transition(el, { ...args, transition: args[JS_ARG.NAMES] });
  },
  [JS_OP.SET_ATTR](targets, args) {
    const [name, value] = Array.isArray(args[JS_ARG.ATTR]) ? args[JS_ARG.ATTR] : [];
    if (typeof name !== "string" || typeof value !== "string") return;
    for (const el of targets) {
      el.setAttribute(name, value);
      stateOf(el).attrs.set(name, value);
    }
  },
  [JS_OP.REMOVE_ATTR](targets, args) {
    const name = args[JS_ARG.ATTR];
    if (typeof name !== "string") return;
    for (const el of targets) {
      el.removeAttribute(name);
      stateOf(el).attrs.set(name, null);
    }
  },
  [JS_OP.DISPATCH](targets, args) {
    const event = args[JS_ARG.EVENT];
    if (typeof event !== "string") return;
    for (const el of targets) {
      const { CustomEvent } = el.ownerDocument.defaultView;
      el.dispatchEvent(new CustomEvent(event, { detail: args[JS_ARG.DETAIL] ?? {}, bubbles: args.bubbles !== false }));
    }
  },
  [JS_OP.PUSH](targets, args, context) {
    const event = args[JS_ARG.EVENT];
    const value = args[JS_ARG.VALUE];
    if (typeof event === "string") context.push(event, value && typeof value === "object" ? value : {});
  },
  [JS_OP.FOCUS](targets) {
    targets[0]?.focus();
  },
  [JS_OP.NAVIGATE](targets, args, context) {
    const href = args[JS_ARG.HREF];
    if (typeof href === "string") context.navigate(href, { replace: args[JS_ARG.REPLACE] === true });
  },
};
