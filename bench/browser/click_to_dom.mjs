// S10: browser click → DOM updated, in Chromium. Opens PAGE, waits until its live view is
// mounted, then N times: dispatches a click on CLICK from inside the page and times, with
// `performance.now()`, until a MutationObserver sees TARGET (or its subtree) change. The
// click is made in the page (not through the DevTools protocol), so the figure is what a
// user waits for: the client's event handling, the round trip, the server's work, the patch.
//
//   node bench/browser/click_to_dom.mjs --page URL --click '#increment' --target '#count'
//        [--setup '#run' --ready-when 'tbody tr:nth-child(1000)'] [--clicks 200] [--warm 20]
//        [--side ours|djust]
//
// performance.now() is coarsened to 100 µs in a page that is not cross-origin isolated.
// Prints one line: `clicks N p50 X p90 Y p99 Z max W` (µs), parsed by bench/harness.
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { parseArgs } from 'node:util';

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(path.join(here, '../../client/package.json'));
const { chromium } = require('playwright-core');

const { values: opts } = parseArgs({
  options: {
    page: { type: 'string' },
    click: { type: 'string' },
    target: { type: 'string' },
    setup: { type: 'string' },
    'ready-when': { type: 'string' },
    clicks: { type: 'string', default: '200' },
    warm: { type: 'string', default: '20' },
    side: { type: 'string', default: 'ours' },
  },
});
if (!opts.page || !opts.click || !opts.target) {
  console.error('usage: click_to_dom.mjs --page URL --click SELECTOR --target SELECTOR');
  process.exit(2);
}

/** When the page's live view can take events: ours marks its container, djust sets a flag. */
const READY = {
  ours: () => document.querySelector('[dj-view][dj-mounted]') !== null,
  djust: () => window.djust?._mountReady === true && document.body.classList.contains('dj-connected'),
};

/** In the page: click `click`, resolve the µs until `target` changed (rejects after 10 s). */
function timeOneClick([click, target]) {
  return new Promise((resolve, reject) => {
    const observed = document.querySelector(target);
    const button = document.querySelector(click);
    if (!observed || !button) return reject(new Error(`missing ${observed ? click : target}`));
    const timer = setTimeout(() => {
      observer.disconnect();
      reject(new Error('no DOM change within 10 s'));
    }, 10_000);
    const observer = new MutationObserver(() => {
      const elapsed = performance.now() - start;
      observer.disconnect();
      clearTimeout(timer);
      resolve(Math.round(elapsed * 1000));
    });
    observer.observe(observed, { subtree: true, childList: true, characterData: true, attributes: true });
    const start = performance.now();
    button.click();
  });
}

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--no-first-run'],
});
try {
  const page = await browser.newPage();
  await page.goto(opts.page);
  await page.waitForFunction(READY[opts.side] ?? READY.ours, null, { timeout: 30_000 });
  if (opts.setup) {
    // The setup may replace the target (a whole-HTML update): wait for what it makes instead.
    await page.click(opts.setup);
    await page.waitForSelector(opts['ready-when'] ?? opts.target, { timeout: 30_000 });
  }
  const settle = () => page.waitForTimeout(5);
  for (let i = 0; i < Number(opts.warm); i += 1) {
    await page.evaluate(timeOneClick, [opts.click, opts.target]);
    await settle();
  }
  const times = [];
  for (let i = 0; i < Number(opts.clicks); i += 1) {
    times.push(await page.evaluate(timeOneClick, [opts.click, opts.target]));
    await settle();
  }
  times.sort((a, b) => a - b);
  const at = (q) => times[Math.min(times.length - 1, Math.floor(q * times.length))];
  console.log(`clicks ${times.length} p50 ${at(0.5)} p90 ${at(0.9)} p99 ${at(0.99)} max ${times.at(-1)}`);
} finally {
  await browser.close();
}
