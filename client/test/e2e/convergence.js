// The convergence check of the browser tests: the DOM of a view, in a canonical text form,
// against a fresh render by the server — over HTTP (a new mount of the application's state) or
// from the view session itself (`html_recovery`).
import assert from 'node:assert/strict';

/**
 * A canonical text form of a DOM subtree: tags, sorted attributes, text. Runs in the page.
 * `skip`: attribute names left out; `fields`: also what a field shows (`:value`, `:checked`,
 * `:disabled` — DOM properties); `pageOwned`: the children of `dj-update="ignore"` elements
 * belong to the page's own script and are not compared.
 */
export function canonical(root, { skip = ['dj-id', 'disabled', 'data-dj-offline-disabled'], fields = false, pageOwned = false } = {}) {
  const walk = (node) => {
    if (node.nodeType === Node.TEXT_NODE) return JSON.stringify(node.data);
    if (node.nodeType !== Node.ELEMENT_NODE) return `#${node.nodeType}`;
    const attrs = [...node.attributes]
      .filter((a) => !skip.includes(a.name))
      .map((a) => `${a.name}=${JSON.stringify(a.value)}`);
    if (fields && node.matches('input, textarea, select')) attrs.push(`:value=${JSON.stringify(node.value)}`);
    if (fields && node.matches('input[type=checkbox], input[type=radio]')) attrs.push(`:checked=${node.checked}`);
    if (fields && node.matches('button, input')) attrs.push(`:disabled=${node.disabled}`);
    const children = pageOwned && node.getAttribute('dj-update') === 'ignore'
      ? '(page-owned)'
      : [...node.childNodes].map(walk).join(',');
    return `<${node.localName} ${attrs.sort().join(' ')}>[${children}]`;
  };
  return [...root.childNodes].map(walk).join(',');
}

const settled = (page) => page.waitForFunction(() => !document.querySelector('[dj-view].dj-loading'));

/** The canonical form of `html` parsed by the page as a `<template>`'s content. */
function canonicalOfFragment(page, html, options) {
  return page.evaluate(([source, html, options]) => {
    const template = document.createElement('template');
    template.innerHTML = html;
    return new Function(`return (${source})`)()(template.content, options);
  }, [canonical.toString(), html, options]);
}

/**
 * The convergence check for state kept by the application: the element at `selector` equals
 * the same element in a fresh render of `url` fetched over HTTP straight from the server.
 */
export async function assertConverged(page, url, selector, options = {}) {
  await settled(page);
  const html = await (await fetch(url)).text();
  const [live, fresh] = await page.evaluate(([source, html, selector, options]) => {
    const toCanonical = new Function(`return (${source})`)();
    const doc = new DOMParser().parseFromString(html, 'text/html');
    return [toCanonical(document.querySelector(selector), options), toCanonical(doc.querySelector(selector), options)];
  }, [canonical.toString(), html, selector, options]);
  assert.equal(live, fresh, 'the view converged to a fresh render of the server state');
}

/**
 * The convergence check for a view whose state lives in its view session (not in the
 * application): the DOM equals the server's whole render of the session (`html_recovery`).
 * `received()` lists the frames the page received so far (default `page.frames.received`).
 */
export async function assertConvergedSession(page, target, { received = () => page.frames.received, ...options } = {}) {
  await settled(page);
  const seen = received().length;
  const live = await page.evaluate(([source, target, options]) => {
    const snapshot = new Function(`return (${source})`)()(document.getElementById(target), options);
    window.djust.requestHtml(target);
    return snapshot;
  }, [canonical.toString(), target, options]);
  let recovery;
  for (let tries = 0; !(recovery = received().slice(seen).find((f) => f.type === 'html_recovery' && f.target === target)); tries += 1) {
    assert.ok(tries < 400, 'the server answered request_html');
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  assert.equal(live, await canonicalOfFragment(page, recovery.html, options), "the view converged to the server's render of its state");
}
