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
    await page.waitForSelector(`#chart g.frame[name="${hot}"]`, { timeout: 30000 });
    // Then hold the picture still, as someone about to click would: each live redraw renumbers the boxes and animates
    // them to their new places for 300 ms (growing new ones from zero width), and a click during that can land on a
    // neighbour. The function can also have more than one box: samples taken before a new process's unwind tables
    // were ready stop early and make a narrow tower of their own beside the complete stacks. The widest box is the
    // one to click; it holds most samples, so wait until it is over a twentieth of the chart.
    await page.click('#live');
    const widest = (name) => {
      const boxes = [...document.querySelectorAll('#chart g.frame')].filter((g) => g.getAttribute('name') === name);
      const width = (g) => Number(g.querySelector('rect')?.getAttribute('width')) || 0;
      return boxes.reduce((best, g) => (best === null || width(g) > width(best) ? g : best), null);
    };
    await page.waitForFunction((name, find) => {
      const box = new Function(`return ${find}`)()(name);
      return box !== null && Number(box.querySelector('rect').getAttribute('width')) > 0.05 * Number(document.querySelector('#chart svg').getAttribute('width'));
    }, { timeout: 10000 }, hot, widest.toString());
    await new Promise((resolve) => setTimeout(resolve, 400));
    await page.evaluate((name, find) => new Function(`return ${find}`)()(name).setAttribute('data-check', 'hot'), hot, widest.toString());
    const selector = '#chart g.frame[data-check="hot"]';
    result.boxes = await page.$$eval(`#chart g.frame[name="${hot}"]`, (gs) => gs.length);
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
