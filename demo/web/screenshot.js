#!/usr/bin/env node
// A screenshot of the heap page mid-run (for docs/heap-page.png):
//   node demo/web/screenshot.js [OUT.png]      (needs `make web` and Chromium)
// Starts the page's server on a free loopback port, runs the random-sizes
// workload continuously with the detailed map on, runs a comparison, starts
// the workload again and takes the picture while it runs.
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');
const { start, missingApps, ROOT } = require('./server.js');

const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

// Launch Chromium through playwright-core with a fresh profile; returns { context, close }.
async function launch() {
  const { chromium } = require('playwright-core');
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'alligator-web-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM, headless: true, args: ARGS, viewport: { width: 1440, height: 1000 },
  });
  return {
    context,
    close: async () => { await context.close(); fs.rmSync(profile, { recursive: true, force: true }); },
  };
}

async function main() {
  const out = path.resolve(process.argv[2] || path.join(ROOT, 'test-output', 'heap-page.png'));
  if (missingApps().length) throw new Error('run `make web` first');
  if (!fs.existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} not found (apt-get install chromium)`);
  const { server, url } = await start(0);
  const browser = await launch();
  try {
    const page = await browser.context.newPage();
    page.on('pageerror', (e) => console.error('page error:', e.message));
    await page.goto(url);
    await page.waitForSelector('body[data-ready="1"][data-allocator="alligator"]');
    await page.check('input[name=workload][value="3"]');
    await page.selectOption('#cmp-workload', '3');
    await page.click('#compare');
    await page.waitForSelector('body[data-comparing="0"]');
    await page.check('input[name=workload][value="1"]');
    await page.click('label:has(#live-map)');
    await page.click('#run');
    await page.waitForFunction(() => window.demo.steps >= 40);
    await page.check('input[name=workload][value="0"]');
    await page.waitForFunction(() => window.demo.steps >= 70);
    fs.mkdirSync(path.dirname(out), { recursive: true });
    await page.screenshot({ path: out, fullPage: true });
    console.log(`wrote ${path.relative(process.cwd(), out)} at step ${await page.evaluate(() => window.demo.steps)}`);
  } finally {
    await browser.close();
    server.close();
  }
}

module.exports = { launch, CHROMIUM, ARGS };

if (require.main === module) {
  main().catch((e) => { console.error(e.message || e); process.exit(1); });
}
