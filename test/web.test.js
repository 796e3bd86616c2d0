// The heap page (demo/web) in headless Chromium through playwright-core:
// each workload runs, the numbers on the page match what the wasm module
// reports, the heap map draws cells, the page switches to dlmalloc and
// emmalloc, the comparison runs; a screenshot goes to test-output/web.png.
// Skipped, with the reason, where Chromium or playwright-core is missing.
'use strict';
const assert = require('assert');
const fs = require('fs');
const path = require('path');
const { start, missingApps, ROOT } = require('../demo/web/server.js');

const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const WORKLOADS = ['small-object churn', 'random sizes', 'growing buffers', 'fragmentation adversary'];
const BYTE_CARDS = ['heapBytes', 'inUseBytes', 'peakInUseBytes', 'freeBytes', 'overheadBytes'];
const COUNT_CARDS = ['liveAllocations', 'minipages', 'largeBlocks', 'freeSpans', 'growCount'];

function whyNot() {
  if (!fs.existsSync(CHROMIUM)) return `Chromium: ${CHROMIUM} not found (Debian: apt-get install chromium; make setup installs it)`;
  try { require.resolve('playwright-core'); } catch (e) { return 'playwright-core, which is not installed (npm ci)'; }
  return null;
}

const num = (text) => {
  const digits = String(text).replace(/[^0-9]/g, '');
  assert.ok(digits.length, `no number in "${text}"`);
  return Number(digits);
};

describe('heap page in Chromium (demo/web)', function () {
  this.timeout(60000);
  let server, url, browser, page;
  let alligatorSteps = null;
  const pageErrors = [];

  before(async function () {
    const reason = whyNot();
    if (reason) {
      console.log(`      skipped, the browser test needs ${reason}`);
      this.skip();
    }
    const missing = missingApps();
    assert.deepStrictEqual(missing, [], `build/web/{${missing}}.wasm missing: run \`make web\``);
    ({ server, url } = await start(0));
    const { launch } = require('../demo/web/screenshot.js');
    browser = await launch();
    page = await browser.context.newPage();
    page.on('pageerror', (e) => pageErrors.push(e.message));
    page.setDefaultTimeout(20000);
    await page.goto(url);
    await page.waitForSelector('body[data-ready="1"][data-allocator="alligator"]');
  });

  after(async function () {
    if (browser) await browser.close();
    if (server) server.close();
  });

  // What the page shows, read from the DOM.
  async function shown() {
    return page.evaluate(() => {
      const card = (k) => document.querySelector(`.card[data-stat="${k}"]`);
      const out = { cards: {}, exact: {}, classes: [] };
      for (const c of document.querySelectorAll('.card')) {
        out.cards[c.dataset.stat] = c.querySelector('.value').textContent;
        out.exact[c.dataset.stat] = c.querySelector('.exact').textContent;
      }
      for (const tr of document.querySelectorAll('#classes tbody tr')) {
        out.classes.push({
          size: tr.querySelector('[data-col=size]').textContent,
          pages: tr.querySelector('[data-col=pages]').textContent,
          segments: tr.querySelector('[data-col=segments]').textContent,
          waste: tr.querySelector('[data-col=waste]').textContent,
        });
      }
      out.greyed = [...document.querySelectorAll('.card.na')].map((c) => c.dataset.stat);
      out.steps = document.querySelector('#steps').textContent;
      out.ops = document.querySelector('#opcount').textContent;
      out.hasCard = !!card('heapBytes');
      return out;
    });
  }

  // What the wasm module reports.
  function reported() {
    return page.evaluate(() => {
      const m = window.demo.module;
      return {
        stats: m.alligator ? m.alligator.stats() : null,
        problems: m.alligator ? m.alligator.validate() : null,
        heap: m._app_heap_bytes() >>> 0,
        requested: m._app_requested_bytes() >>> 0,
        live: m._app_live() >>> 0,
        mallinfoInUse: m._app_mallinfo(7) >>> 0,
        mallinfoFree: m._app_mallinfo(8) >>> 0,
        ops: m._app_ops() >>> 0,
      };
    });
  }

  async function checkAlligatorPage() {
    const dom = await shown();
    const mod = await reported();
    const s = mod.stats;
    assert.ok(s, 'Module.alligator is missing from the Alligator build');
    assert.strictEqual(mod.problems, 0, 'Module.alligator.validate() found heap problems');
    for (const k of BYTE_CARDS) assert.strictEqual(num(dom.exact[k]), s[k], `card ${k}: page "${dom.exact[k]}", stats() ${s[k]}`);
    for (const k of COUNT_CARDS) assert.strictEqual(num(dom.cards[k]), s[k], `card ${k}: page "${dom.cards[k]}", stats() ${s[k]}`);
    assert.strictEqual(num(dom.exact.requestedBytes), mod.requested, 'requested bytes');
    assert.strictEqual(dom.cards.fragmentation, (s.fragmentation * 100).toFixed(1) + ' %', 'fragmentation');
    assert.deepStrictEqual(dom.greyed, [], 'cards greyed out as "Alligator only" in the Alligator build');
    assert.strictEqual(dom.classes.length, s.classes.length, 'class table rows vs Module.alligator.stats().classes');
    s.classes.forEach((k, i) => {
      const row = dom.classes[i];
      assert.strictEqual(row.size, k.size >= 1024 ? `${k.size / 1024} KiB` : `${k.size} B`, `class ${i} size`);
      assert.strictEqual(num(row.pages), k.pages, `class ${i} MiniPages`);
      const [used, total] = row.segments.split('/').map(num);
      assert.deepStrictEqual([used, total], [k.used, k.pages * k.slots], `class ${i} segments`);
      assert.strictEqual(num(row.waste), k.wasteBytes, `class ${i} waste`);
    });
    assert.strictEqual(num(dom.ops), mod.ops, 'operations counter');
    return { dom, mod };
  }

  async function pickWorkload(i) {
    await page.check(`input[name=workload][value="${i}"]`);
  }

  it('loads the Alligator build and shows its stats', async function () {
    assert.ok(await page.evaluate(() => !!window.demo.module.alligator), 'no Module.alligator');
    await checkAlligatorPage();
  });

  it('takes the class count and unit geometry from the module (Module.alligator.geometry())', async function () {
    const { geo, s } = await page.evaluate(() => ({ geo: window.demo.module.alligator.geometry(), s: window.demo.module.alligator.stats() }));
    const label = (v) => (v >= 1024 && v % 1024 === 0 ? `${v / 1024} KiB` : `${v} B`);
    assert.strictEqual(geo.classes, s.classes.length);
    assert.deepStrictEqual(geo.classSizes, s.classes.map((k) => k.size));
    assert.strictEqual(geo.smallestClass, s.classes[0].size);
    assert.strictEqual(geo.largestClass, s.classes[s.classes.length - 1].size);
    assert.strictEqual(geo.headerBytes + geo.sectionBytes, geo.unitBytes);
    assert.ok(geo.largestClass <= geo.sectionBytes && geo.headerBytes > 0 && geo.headerBytes % 16 === 0, JSON.stringify(geo));
    assert.strictEqual(await page.$$eval('#classes tbody tr', (trs) => trs.length), s.classes.length, 'class table rows');
    assert.strictEqual(await page.$$eval('#map-legend .lg-item:first-child .ramp i', (is) => is.length), s.classes.length, 'legend swatches');
    assert.strictEqual(await page.textContent('#class-hint'),
      `MiniPages of ${geo.unitBytes} B: ${label(geo.headerBytes)} header + ${label(geo.sectionBytes)} of segments`);
    assert.match(await page.textContent('#map-legend'), new RegExp(`MiniPage by class: ${label(geo.smallestClass)} \u2192 ${label(geo.largestClass)}`));
    assert.strictEqual(await page.textContent('#source'), `from Module.alligator.stats(), O(${s.classes.length}) per frame`);
  });

  WORKLOADS.forEach((name, i) => {
    it(`workload ${i} (${name}): the page's numbers match Module.alligator.stats()`, async function () {
      await pickWorkload(i);
      const before = await reported();
      for (let k = 0; k < 3; k++) await page.click('#step');
      const { mod } = await checkAlligatorPage();
      assert.strictEqual(mod.ops - before.ops, 3 * Number(await page.inputValue('#ops')), 'three steps of operations ran');
      assert.ok(mod.stats.liveAllocations > 0 && mod.stats.inUseBytes > 0, 'the workload holds memory');
    });
  });

  it('runs continuously, pauses, and the numbers still match', async function () {
    await pickWorkload(1);
    const from = await page.evaluate(() => window.demo.steps);
    await page.click('#run');
    assert.strictEqual(await page.textContent('#run'), 'Pause');
    await page.waitForFunction((n) => window.demo.steps >= n + 5, from);
    await page.click('#run');
    await page.waitForSelector('body[data-running="0"]');
    assert.ok(num(await page.textContent('#steps')) >= from + 5, 'the step counter went on');
    await checkAlligatorPage();
  });

  it('the heap map shows a cell per MiniPage, on demand and after each step', async function () {
    await page.click('#refresh-map');
    const drawn = await page.evaluate(() => {
      const c = document.querySelector('#heapmap');
      const g = c.getContext('2d');
      const px = g.getImageData(0, 0, c.width, c.height).data;
      let colored = 0;
      for (let i = 0; i < px.length; i += 4) if (px[i] + px[i + 1] + px[i + 2] > 120) colored++;
      return { cells: Number(c.dataset.cells), units: Number(c.dataset.units), large: Number(c.dataset.large), colored, visible: !c.hidden && c.width > 0 };
    });
    const map = await page.evaluate(() => window.demo.module.alligator.heapMap());
    const minipages = map.filter((e) => e.kind === 'minipage').length;
    assert.ok(drawn.visible, 'map canvas hidden');
    assert.ok(minipages > 0, 'the heap has MiniPages after the workloads');
    assert.strictEqual(drawn.cells, minipages, 'cells drawn vs MiniPages in heapMap()');
    assert.ok(drawn.colored > minipages, `only ${drawn.colored} colored pixels`);
    assert.match(await page.textContent('#map-summary'), new RegExp(`^${minipages.toLocaleString("en-US")} MiniPages? `));
    // the unit size on the page is C's: a MiniPage span in heapMap() is one unit
    const geo = await page.evaluate(() => window.demo.module.alligator.geometry());
    assert.deepStrictEqual([...new Set(map.filter((e) => e.kind === 'minipage').map((e) => e.bytes))], [geo.unitBytes],
      'MiniPage spans in heapMap() vs geometry().unitBytes');
    const unitsShown = (await page.textContent('#map-summary')).match(/([0-9,]+) units of ([0-9,]+) B/);
    assert.ok(unitsShown, 'no "N units of B" in the map summary');
    assert.strictEqual(num(unitsShown[2]), geo.unitBytes, 'unit size in the map summary');
    assert.strictEqual(num(unitsShown[1]), drawn.units, 'units in the map summary vs cells laid out');
    // the detailed map: redrawn after a step
    await page.click('label:has(#live-map)');
    assert.ok(await page.isChecked('#live-map'));
    await pickWorkload(0);
    await page.click('#step');
    const steps = num(await page.textContent('#steps'));
    assert.match(await page.textContent('#map-summary'), new RegExp(`at step ${steps.toLocaleString('en-US')}$`));
    await checkAlligatorPage(); // the map's walk allocates: the cards are read after it
    await page.click('label:has(#live-map)');
  });

  it('reset frees everything', async function () {
    await page.click('#reset');
    const { mod, dom } = await checkAlligatorPage();
    assert.strictEqual(mod.stats.inUseBytes, 0);
    assert.strictEqual(mod.stats.liveAllocations, 0);
    assert.strictEqual(mod.requested, 0);
    assert.strictEqual(dom.cards.inUseBytes, '0 B');
  });

  for (const kind of ['dlmalloc', 'emmalloc']) {
    it(`switches to ${kind}: heap and in-use numbers from sbrk and mallinfo`, async function () {
      if (alligatorSteps === null) alligatorSteps = await page.evaluate(() => window.demo.steps);
      await page.click(`.alloc-switch button[data-alloc=${kind}]`);
      await page.waitForSelector(`body[data-ready="1"][data-allocator="${kind}"]`);
      assert.strictEqual(await page.evaluate(() => window.demo.module.alligator), undefined, `${kind} build has Module.alligator`);
      await pickWorkload(1);
      await page.click('#step');
      await page.click('#step');
      const dom = await shown();
      const mod = await reported();
      assert.ok(mod.heap > 0 && mod.live > 0);
      assert.strictEqual(num(dom.exact.heapBytes), mod.heap, 'heap = sbrk(0) - heap base');
      assert.strictEqual(num(dom.exact.inUseBytes), mod.mallinfoInUse, 'in use = mallinfo().uordblks');
      assert.strictEqual(num(dom.exact.freeBytes), mod.mallinfoFree, 'free = mallinfo().fordblks');
      assert.strictEqual(num(dom.cards.liveAllocations), mod.live);
      assert.strictEqual(num(dom.exact.requestedBytes), mod.requested);
      assert.strictEqual(dom.exact.minipages, 'Alligator only');
      assert.deepStrictEqual(dom.greyed, ['minipages', 'largeBlocks', 'freeSpans', 'fragmentation', 'growCount']);
      assert.strictEqual(await page.textContent('#alloc-name'), kind);
      assert.ok(await page.isHidden('#classes'), 'class table shown for a peer');
      assert.ok(await page.isVisible('#map-empty'), 'heap map shown for a peer');
    });
  }

  it('switches back to Alligator with its state kept', async function () {
    assert.ok(alligatorSteps > 0);
    await page.click('.alloc-switch button[data-alloc=alligator]');
    await page.waitForSelector('body[data-ready="1"][data-allocator="alligator"]');
    assert.strictEqual(await page.evaluate(() => window.demo.steps), alligatorSteps);
    assert.strictEqual(num(await page.textContent('#steps')), alligatorSteps);
    await checkAlligatorPage();
  });

  it('compares the three allocators on the same workload', async function () {
    await page.selectOption('#cmp-workload', '3');
    await page.selectOption('#cmp-steps', '20');
    await page.click('#compare');
    await page.waitForSelector('body[data-comparing="0"]', { timeout: 45000 });
    const results = await page.evaluate(() => window.demo.comparison);
    assert.deepStrictEqual(results.map((r) => r.kind), ['alligator', 'dlmalloc', 'emmalloc']);
    const ops = 20 * Number(await page.inputValue('#ops'));
    // the same seed and operations: every allocator holds the same requested bytes
    assert.ok(results.every((r) => r.ops === ops && r.requestedBytes === results[0].requestedBytes && r.heapBytes > 0));
    const rows = await page.$$eval('#cmp-table tbody tr', (trs) => trs.map((tr) => [tr.dataset.alloc, tr.querySelector('[data-col=heap]').textContent]));
    assert.deepStrictEqual(rows.map((r) => r[0]), ['alligator', 'dlmalloc', 'emmalloc']);
    assert.strictEqual(await page.$$eval('#cmp-bars .barrow', (els) => els.length), 6);
  });

  it('saves a screenshot to test-output/web.png', async function () {
    await pickWorkload(1);
    await page.click('label:has(#live-map)');
    for (let k = 0; k < 5; k++) await page.click('#step');
    const out = path.join(ROOT, 'test-output', 'web.png');
    fs.mkdirSync(path.dirname(out), { recursive: true });
    if (fs.existsSync(out)) fs.unlinkSync(out);
    await page.screenshot({ path: out, fullPage: true });
    assert.ok(fs.statSync(out).size > 10000);
  });

  it('raised no error in the page', function () {
    assert.deepStrictEqual(pageErrors, []);
  });
});
