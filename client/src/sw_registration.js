/**
 * `djust.registerServiceWorker(options)`: registers the djust service worker and turns on
 * what `options` asks for. Every option is off by default:
 *
 * - `instantShell` — the worker answers navigations from a cached shell (the page half,
 *   `instant_shell.js`, runs on every page that is a shell, whatever the options);
 * - `vdomCache`, `stateSnapshot` — accepted, reserved for those features;
 * - `offline`, `updatePrompt` — read by `client.js` (offline mode: saved pages, update prompt);
 *   the worker's URL (`swUrl`) carries its version then;
 * - `swUrl` (`/static/djust/service-worker.js`), `scope` (`/`).
 *
 * The first call's promise is returned by every later call (their options are ignored). It
 * resolves to the registration, or `null` when service workers are unavailable or the
 * registration failed — then a later call tries again.
 * @module sw_registration
 */

import { STATIC_PATH, SW } from "./constants.js";

/**
 * @param {object} env
 * @param {Navigator} env.navigator
 * @returns {(options?: object) => Promise<ServiceWorkerRegistration | null>}
 */
export function serviceWorkerRegistrar({ navigator }) {
  let registering = null;
  return function registerServiceWorker(options = {}) {
    if (registering) return registering;
    const container = navigator.serviceWorker ?? null;
    if (!container) return Promise.resolve(null);
    const swUrl = options.swUrl ?? STATIC_PATH.SERVICE_WORKER;
    const scope = options.scope ?? SW.SCOPE;
    registering = container.register(swUrl, { scope, updateViaCache: "none" }).catch((error) => {
      console.warn("[djust] service worker registration failed:", error);
      registering = null;
      return null;
    });
    return registering;
  };
}

/**
 * The server's registration options, from `<meta name="djust-service-worker">`, or `null`.
 * @param {Document} document
 */
export function serverOptions(document) {
  const meta = document.querySelector(`meta[name="${SW.OPTIONS_META}"]`);
  if (!meta) return null;
  try {
    return JSON.parse(meta.content);
  } catch {
    console.error("[djust] unreadable service worker options", meta.content);
    return null;
  }
}
