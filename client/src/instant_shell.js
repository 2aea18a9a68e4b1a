/**
 * The instant shell, page half. When the service worker answered the navigation with the
 * cached shell (its `<main>` is an empty placeholder), fetch the page's `<main>` content with
 * `X-Djust-Main-Only: 1`, swap it in, mount the live views inside it, set the title and
 * dispatch `djust:shell-swapped`. Without `X-Djust-Main-Only-Response: 1`, on any error, or
 * when the response's shell version differs from the shell's, the shell is dropped and the
 * page loaded normally (at most once per URL in a short while, so that a broken server never
 * makes a reload loop). The worker half, which caches and serves the shell, is
 * `sw/instant_shell.js`.
 * @module instant_shell
 */

import { HEADER, SHELL_ATTR, SW, SW_MESSAGE } from "./constants.js";

/**
 * @param {Document} document
 * @returns {Element | null} the shell's placeholder `<main>`, if the page is a shell
 */
export function placeholderOf(document) {
  return document.querySelector(`main[${SHELL_ATTR.PLACEHOLDER}="1"]`);
}

/**
 * Fills the shell's `<main>`.
 * @param {object} env
 * @param {Window} env.window the page's window (`document`, `location`, `fetch`,
 *   `navigator.serviceWorker`, `sessionStorage`)
 * @param {(main: Element) => void} env.mountInside mounts the live views inside `main`
 * @returns {Promise<boolean>} whether the page was a shell that is now filled
 */
export async function fillShell({ window, mountInside }) {
  const { document, location } = window;
  const placeholder = placeholderOf(document);
  if (!placeholder) return false;
  try {
    const response = await window.fetch(location.href, {
      method: "GET",
      credentials: "same-origin",
      cache: "no-store",
      headers: { [HEADER.MAIN_ONLY]: "1" },
    });
    if (response.redirected) {
      // The URL moved (`/old/` → 301 → `/new/`): a full navigation to where it went, never
      // the target's content under the old URL (its views' tokens name the new path).
      window.location.replace(response.url);
      return false;
    }
    if (!response.ok || response.headers.get(HEADER.MAIN_ONLY_RESPONSE) !== "1") {
      throw new Error(`main-only answer ${response.status} without ${HEADER.MAIN_ONLY_RESPONSE}`);
    }
    const version = response.headers.get(HEADER.SHELL_VERSION);
    // A copy the worker kept (offline mode) is the best there is while the server is down.
    const offline = response.headers.get(HEADER.OFFLINE) === "1";
    if (!offline && (version === null || version !== placeholder.getAttribute(SHELL_ATTR.VERSION))) {
      throw new Error(`shell version ${placeholder.getAttribute(SHELL_ATTR.VERSION)} is not the server's (${version})`);
    }
    const html = await response.text();
    placeholder.innerHTML = html;
    placeholder.removeAttribute(SHELL_ATTR.PLACEHOLDER);
    placeholder.removeAttribute(SHELL_ATTR.VERSION);
    const title = response.headers.get(HEADER.TITLE);
    if (title !== null) document.title = decodeURIComponent(title);
    markCurrentLinks(document, location);
    mountInside(placeholder);
    const { CustomEvent } = window;
    window.dispatchEvent(new CustomEvent(SW.SWAPPED_EVENT, { detail: { url: location.href, offline } }));
    return true;
  } catch (error) {
    console.warn("[djust] instant shell: loading the page normally:", error.message);
    await fallBack(window);
    return false;
  }
}

/**
 * The shell was made from another page: its chrome marks that page's link as current. Links
 * outside `<main>` get `aria-current="page"` when they point at this page, and lose it otherwise.
 */
function markCurrentLinks(document, location) {
  const marked = document.querySelectorAll('[aria-current="page"]');
  if (marked.length === 0) return;
  const here = new URL(location.href).pathname;
  for (const link of document.querySelectorAll("a[href]")) {
    if (link.closest("main")) continue;
    if (new URL(link.href, location.href).pathname === here) link.setAttribute("aria-current", "page");
    else link.removeAttribute("aria-current");
  }
}

/** How long the page waits for the worker to confirm the shell is gone before reloading. */
const CLEAR_ACK_MS = 2_000;

/**
 * Asks the worker to drop its shell and resolves once it has (or after {@link CLEAR_ACK_MS}):
 * the reload's navigation must not reach the worker before the message does.
 */
function clearShell(window) {
  const controller = window.navigator.serviceWorker?.controller;
  if (!controller) return Promise.resolve();
  const { MessageChannel } = window;
  if (typeof MessageChannel !== "function") {
    controller.postMessage({ type: SW_MESSAGE.CLEAR_SHELL });
    return Promise.resolve();
  }
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    const timer = setTimeout(resolve, CLEAR_ACK_MS);
    channel.port1.onmessage = () => {
      clearTimeout(timer);
      channel.port1.close();
      resolve();
    };
    controller.postMessage({ type: SW_MESSAGE.CLEAR_SHELL }, [channel.port2]);
  });
}

/**
 * Drops the shell and reloads the page from the network, unless it just did for this URL (no
 * reload loops): after a refused token, after a shell that could not be filled.
 * @param {Window} window
 */
export async function reloadFromNetwork(window) {
  await fallBack(window, "the server refused this page's token again");
}

/** Drops the shell and reloads the page from the network (unless it just did). */
async function fallBack(window, why = "instant shell: the page could not be loaded") {
  await clearShell(window);
  const storage = window.sessionStorage;
  const [url, time] = (storage?.getItem(SW.RELOAD_KEY) ?? "").split(" ");
  if (url === window.location.href && Date.now() - Number(time) < SW.RELOAD_GUARD_MS) {
    console.error(`[djust] ${why}; not reloading again`);
    return;
  }
  storage?.setItem(SW.RELOAD_KEY, `${window.location.href} ${Date.now()}`);
  window.location.reload();
}
