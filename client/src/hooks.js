/**
 * Client hooks (Phoenix's lifecycle): `dj-hook="Name"` on an element with an `id` runs hook
 * `Name` for it. A hook is an object (or a class) with any of `mounted`, `beforeUpdate`,
 * `updated`, `destroyed`, `disconnected`, `reconnected`; `this` is the hook instance, with
 * `this.el`, `this.pushEvent(event, payload)` (a Promise of the server's reply),
 * `this.pushEventTo(selector, event, payload)`, `this.handleEvent(name, callback)` and
 * `this.removeHandleEvent(ref)`.
 *
 * Hooks are registered with `window.DjustHooks = {Name: {...}}` before the client loads, or
 * `djust.registerHook(name, hook)` at any time (elements already on the page are mounted then).
 * An element is mounted once its view is mounted or once a patch inserts it; destroyed when a
 * patch removes it, a whole-HTML update replaces it, or its view goes away.
 * @module hooks
 */

import { ATTR, HOOK_CALLBACK, HOOKS_GLOBAL } from "./constants.js";

/**
 * One view's part of the page, as the hooks see it.
 * @typedef {object} HookScope
 * @property {Element} container the view container
 * @property {(event: string, payload: object, el: Element) => Promise<unknown>} push sends an
 *   event of this view and resolves with the server's reply
 * @property {boolean} active whether the view is mounted (hooks run only then)
 */

export default class Hooks {
  /**
   * @param {Window} window the page's window (its `DjustHooks` are registered now)
   */
  constructor(window) {
    this.window = window;
    /** @type {Map<string, object | Function>} */
    this.definitions = new Map();
    /** Mounted hooks: element → {hook, name, scope, handlers, disconnected}. */
    this.instances = new Map();
    /** @type {Set<HookScope>} */
    this.scopes = new Set();
    this.nextHandlerRef = 0;
    const preset = window[HOOKS_GLOBAL];
    if (preset && typeof preset === "object") {
      for (const [name, definition] of Object.entries(preset)) this.register(name, definition);
    }
  }

  /**
   * Registers hook `name`; elements already on the page that name it are mounted now.
   * @param {string} name
   * @param {object | Function} definition the callbacks (an object, or a class)
   */
  register(name, definition) {
    if (typeof name !== "string" || !definition || !["object", "function"].includes(typeof definition)) {
      throw new TypeError("djust.registerHook(name, hook): a name and an object or class");
    }
    this.definitions.set(name, definition);
    for (const scope of this.scopes) this.sync(scope);
  }

  /** @param {HookScope} scope */
  addScope(scope) {
    this.scopes.add(scope);
  }

  /**
   * Mounts the hooks of the scope's new hook elements and destroys those of elements that left
   * it (or whose `dj-hook` changed).
   * @param {HookScope} scope
   */
  sync(scope) {
    if (!scope.active) return;
    const found = new Set(scope.container.querySelectorAll(`[${ATTR.HOOK}]`));
    for (const [el, entry] of this.instances) {
      if (entry.scope === scope && (!found.has(el) || el.getAttribute(ATTR.HOOK) !== entry.name)) {
        this.destroy(el);
      }
    }
    for (const el of found) {
      if (!this.instances.has(el)) this.mount(el, scope);
    }
  }

  /** Destroys the hooks whose element is no longer in the page (its view was dropped). */
  prune() {
    for (const [el, entry] of this.instances) {
      if (!el.isConnected || !entry.scope.container.contains(el)) this.destroy(el);
    }
    for (const scope of this.scopes) if (!scope.container.isConnected) this.scopes.delete(scope);
  }

  /**
   * The mounted hooks of `elements` and of their hook ancestors inside the scope.
   * @param {HookScope} scope
   * @param {Iterable<Element>} elements
   * @returns {Set<Element>}
   */
  around(scope, elements) {
    const hooked = new Set();
    for (const start of elements) {
      for (let el = start.closest?.(`[${ATTR.HOOK}]`); el && scope.container.contains(el); ) {
        if (this.instances.has(el)) hooked.add(el);
        el = el.parentElement?.closest(`[${ATTR.HOOK}]`);
      }
    }
    return hooked;
  }

  /** Calls `beforeUpdate` of the hooks of `elements` (see {@link around}). */
  beforeUpdate(elements) {
    for (const el of elements) this.call(el, HOOK_CALLBACK.BEFORE_UPDATE);
  }

  /** Calls `updated` of the hooks of `elements` that are still mounted. */
  updated(elements) {
    for (const el of elements) this.call(el, HOOK_CALLBACK.UPDATED);
  }

  /** The scope's connection closed. */
  disconnected(scope) {
    for (const [el, entry] of this.instances) {
      if (entry.scope !== scope || entry.disconnected) continue;
      entry.disconnected = true;
      this.call(el, HOOK_CALLBACK.DISCONNECTED);
    }
  }

  /** The scope's view is mounted again: hooks that lived through the loss hear `reconnected`. */
  reconnected(scope) {
    for (const [el, entry] of this.instances) {
      if (entry.scope !== scope || !entry.disconnected) continue;
      entry.disconnected = false;
      this.call(el, HOOK_CALLBACK.RECONNECTED);
    }
  }

  /**
   * Delivers a server push to every hook that called `handleEvent(event, …)`.
   * @param {string} event
   * @param {unknown} payload
   */
  dispatch(event, payload) {
    for (const entry of [...this.instances.values()]) {
      for (const handler of [...entry.handlers.values()]) {
        if (handler.event !== event) continue;
        try {
          handler.callback.call(entry.hook, payload);
        } catch (error) {
          console.error(`[djust] hook ${entry.name}: handleEvent("${event}") failed`, error);
        }
      }
    }
  }

  mount(el, scope) {
    const name = el.getAttribute(ATTR.HOOK);
    const definition = this.definitions.get(name);
    if (!definition) return; // mounted once it is registered
    if (!el.id) {
      console.error(`[djust] dj-hook="${name}" needs an id on its element; not mounted`, el);
      return;
    }
    const entry = { hook: null, name, scope, handlers: new Map(), disconnected: false };
    try {
      entry.hook = this.instantiate(definition, el, entry);
    } catch (error) {
      console.error(`[djust] hook ${name} could not be created`, error);
      return;
    }
    this.instances.set(el, entry);
    this.call(el, HOOK_CALLBACK.MOUNTED);
  }

  destroy(el) {
    if (!this.instances.has(el)) return;
    this.call(el, HOOK_CALLBACK.DESTROYED);
    this.instances.get(el).handlers.clear();
    this.instances.delete(el);
  }

  instantiate(definition, el, entry) {
    const hook = typeof definition === "function" ? new definition() : Object.create(definition);
    const hooks = this;
    Object.assign(hook, {
      el,
      pushEvent(event, payload = {}, onReply) {
        return withReply(entry.scope.push(event, payload, el), onReply);
      },
      pushEventTo(selector, event, payload = {}, onReply) {
        return withReply(hooks.pushTo(selector, event, payload), onReply);
      },
      handleEvent(event, callback) {
        hooks.nextHandlerRef += 1;
        entry.handlers.set(hooks.nextHandlerRef, { event, callback });
        return hooks.nextHandlerRef;
      },
      removeHandleEvent(ref) {
        entry.handlers.delete(ref);
      },
    });
    return hook;
  }

  /**
   * Sends `event` to the view of every element `selector` matches (each view once); resolves
   * with their replies in that order.
   */
  pushTo(selector, event, payload) {
    let matches;
    try {
      matches = [...this.window.document.querySelectorAll(selector)];
    } catch (error) {
      return Promise.reject(error);
    }
    const scopes = new Map();
    for (const el of matches) {
      const scope = [...this.scopes].find((candidate) => candidate.container.contains(el));
      if (scope && !scopes.has(scope)) scopes.set(scope, el);
    }
    if (scopes.size === 0) return Promise.reject(new Error(`no live view matches ${selector}`));
    return Promise.all([...scopes].map(([scope, el]) => scope.push(event, payload, el)));
  }

  call(el, callback) {
    const entry = this.instances.get(el);
    const fn = entry?.hook[callback];
    if (typeof fn !== "function") return;
    try {
      fn.call(entry.hook);
    } catch (error) {
      console.error(`[djust] hook ${entry.name}: ${callback} failed`, error);
    }
  }
}

/** Phoenix's form: with `onReply`, calls it with the reply (errors are logged); else the Promise. */
function withReply(promise, onReply) {
  if (typeof onReply !== "function") return promise;
  promise.then(onReply, (error) => console.error("[djust] pushEvent failed", error));
  return undefined;
}
