// Drives Debian's chromium (headless) through the collector's flame graph page with puppeteer-core:
//   node check-flamegraph.mjs URL SCREENSHOT [FUNCTION]
// Waits for the first drawing, then, with FUNCTION: finds its box, clicks it (zoom) and searches for it.
// Prints one JSON line with what it measured; the C# test asserts on it.
import puppeteer from 'puppeteer-core';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const [url, screenshot, hot] = process.argv.slice(2);
const browser = await puppeteer.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  headless: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', `--user-data-dir=${mkdtempSync(join(tmpdir(), 'chromium-'))}`],
});
const result = {};
let page;
try {
  page = await browser.newPage();
  await page.setViewport({ width: 1400, height: 900 });
  const errors = [];
  page.on('pageerror', (error) => { errors.push(String(error)); console.error(String(error)); });
  result.errors = errors;
  page.on('console', (message) => console.error('console:', message.text()));
  page.on('requestfailed', (request) => errors.push(`request failed: ${request.url()}`));
  // A browser just launched is still starting its own processes for a second or so, on the same two cores as the
  // page: measured here, the first drawing took 270-440 ms straight after launch and 210-240 ms once the browser had
  // settled for 1.5 s. A user opens the page in a running browser, so the timing starts after a pause.
  await new Promise((resolve) => setTimeout(resolve, 1500));
  await page.goto(url, { waitUntil: 'domcontentloaded' });
  await page.waitForFunction(() => window.firstRenderMs !== undefined, { timeout: 30000 });
  result.firstRenderMs = await page.evaluate(() => window.firstRenderMs);
  result.status = await page.$eval('#status', (e) => e.textContent);
  result.frames = await page.$$eval('#chart g.frame', (gs) => gs.length);
  if (hot) {
    // Live data arrives every report; wait (with redraws) until the function has a box.
    const selector = `#chart g.frame[name="${hot}"]`;
    await page.waitForSelector(selector, { timeout: 30000 });
    result.chartWidth = await page.$eval('#chart svg', (svg) => Number(svg.getAttribute('width')));
    result.widthBefore = await page.$eval(`${selector} rect`, (r) => Number(r.getAttribute('width')));
    await page.click(selector);
    await page.waitForFunction((s) => Number(document.querySelector(`${s} rect`).getAttribute('width')) > 0.95 * Number(document.querySelector('#chart svg').getAttribute('width')),
      { timeout: 10000 }, selector);
    result.widthAfterZoom = await page.$eval(`${selector} rect`, (r) => Number(r.getAttribute('width')));
    await page.type('#search', hot);
    await page.waitForFunction((s) => document.querySelector(`${s} rect`).getAttribute('fill').toUpperCase() === '#E600E6', { timeout: 10000 }, selector);
    result.highlighted = await page.$$eval('#chart g.frame rect', (rects) => rects.filter((r) => (r.getAttribute('fill') || '').toUpperCase() === '#E600E6').length);
    result.topFunction = await page.$eval('#top tbody tr td:last-child', (td) => td.textContent);
  }
  result.errors = errors;
} catch (error) {
  result.failure = String(error);
} finally {
  // Taken also after a failure: the picture shows what the page looked like when it went wrong.
  if (page) await page.screenshot({ path: screenshot, fullPage: false }).catch(() => {});
  await browser.close();
}
console.log(JSON.stringify(result));
process.exitCode = result.failure ? 1 : 0;
