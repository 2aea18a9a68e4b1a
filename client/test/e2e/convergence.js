// The convergence check of the browser tests whose state lives in the application or in a view
// session: the DOM of a view, in a canonical text form, against a fresh render by the server.
import assert from 'node:assert/strict';

/** A canonical text form of a DOM subtree (tags, sorted attributes, text). Runs in the page. */
export function canonical(root) {
  const walk = (node) => {
    if (node.nodeType === Node.TEXT_NODE) return JSON.stringify(node.data);
    if (node.nodeType !== Node.ELEMENT_NODE) return `#${node.nodeType}`;
    const attrs = [...node.attributes]
      .filter((a) => a.name !== 'dj-id' && a.name !== 'disabled' && a.name !== 'data-dj-offline-disabled')
      .map((a) => `${a.name}=${JSON.stringify(a.value)}`)
      .sort();
    return `<${node.localName} ${attrs.join(' ')}>[${[...node.childNodes].map(walk).join(',')}]`;
  };
  return [...root.childNodes].map(walk).join(',');
}

/**
 * The convergence check for a view whose state lives in its view session (not in the
 * application): the DOM equals the server's whole render of the session (`html_recovery`).
 */
export async function assertConvergedSession(page, target) {
  await page.waitForFunction(() => !document.querySelector('[dj-view].dj-loading'));
  const seen = page.frames.received.length;
  const live = await page.evaluate(([source, target]) => {
    const snapshot = new Function(`return (${source})`)()(document.getElementById(target));
    window.djust.requestHtml(target);
    return snapshot;
  }, [canonical.toString(), target]);
  let recovery;
  for (let tries = 0; !(recovery = page.frames.received.slice(seen).find((f) => f.type === 'html_recovery' && f.target === target)); tries += 1) {
    assert.ok(tries < 400, 'the server answered request_html');
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  const fresh = await page.evaluate(([source, html]) => {
    const template = document.createElement('template');
    template.innerHTML = html;
    return new Function(`return (${source})`)()(template.content);
  }, [canonical.toString(), recovery.html]);
  assert.equal(live, fresh, "the view converged to the server's render of its state");
}
