// The heap page: loads the workload app (demo/web/app.c) built with
// Alligator, dlmalloc or emmalloc, runs its workloads and shows the heap.
// Per-frame numbers come from Module.alligator.stats() (O(size classes)); the
// class table, the map legend and the texts about units are built from
// Module.alligator.geometry() once the Alligator build is loaded; the heap map
// walks the heap (Module.alligator.heapMap()) only on demand or when the
// detailed map is turned on.  The peers have no Module.alligator: their
// numbers come from the app's sbrk and mallinfo() exports.
'use strict';
(function () {
  const APPS = {
    alligator: { label: 'Alligator', factory: 'createAlligatorApp' },
    dlmalloc: { label: 'dlmalloc', factory: 'createDlmallocApp' },
    emmalloc: { label: 'emmalloc', factory: 'createEmmallocApp' },
  };
  const KINDS = Object.keys(APPS);
  const SEED = 2026;
  const MI_UORDBLKS = 7, MI_FORDBLKS = 8;
  const $ = (sel) => document.querySelector(sel);

  // ---- formatting -----------------------------------------------------------
  const int = (v) => Math.round(v).toLocaleString('en-US');
  function bytes(v) {
    const u = ['B', 'KiB', 'MiB', 'GiB'];
    let i = 0;
    while (v >= 1024 && i < u.length - 1) { v /= 1024; i++; }
    return (i === 0 ? String(v) : v >= 100 ? v.toFixed(1) : v.toFixed(2)) + ' ' + u[i];
  }
  const sizeLabel = (s) => (s >= 1024 && s % 1024 === 0 ? `${s / 1024} KiB` : `${s} B`);

  // ---- loading the apps -------------------------------------------------------
  const scripts = {};
  function loadScript(kind) {
    if (!scripts[kind]) {
      scripts[kind] = new Promise((resolve, reject) => {
        const el = document.createElement('script');
        el.src = `build/${kind}.js`;
        el.onload = () => resolve();
        el.onerror = () => reject(new Error(`cannot load build/${kind}.js (run \`make web\`)`));
        document.head.appendChild(el);
      });
    }
    return scripts[kind];
  }
  async function instantiate(kind) {
    await loadScript(kind);
    const m = await window[APPS[kind].factory]({
      locateFile: (p) => 'build/' + p,
      print: (t) => console.log(`[${kind}] ${t}`),
      printErr: (t) => console.warn(`[${kind}] ${t}`),
    });
    m._app_seed(SEED);
    return m;
  }

  // ---- state --------------------------------------------------------------------
  const insts = {};  // kind -> { module, steps, ops, lastMs, peak, samples }
  let cur = null;
  let running = false;
  let mapDirty = true;
  let geo = null;    // Module.alligator.geometry(), from the first Alligator build loaded

  function readStats(inst) {
    const m = inst.module;
    const sbrkBytes = m._app_heap_bytes() >>> 0;
    const requestedBytes = m._app_requested_bytes() >>> 0;
    if (m.alligator) {
      const s = m.alligator.stats();
      s.requestedBytes = requestedBytes;
      s.sbrkBytes = sbrkBytes;
      return s;
    }
    const inUse = m._app_mallinfo(MI_UORDBLKS) >>> 0, free = m._app_mallinfo(MI_FORDBLKS) >>> 0;
    inst.peak = Math.max(inst.peak, inUse);
    return {
      heapBytes: sbrkBytes, inUseBytes: inUse, peakInUseBytes: inst.peak, freeBytes: free,
      overheadBytes: Math.max(0, sbrkBytes - inUse - free), liveAllocations: m._app_live() >>> 0,
      requestedBytes, sbrkBytes,
    };
  }

  // ---- stat cards -----------------------------------------------------------------
  const CARDS = [
    { key: 'heapBytes', label: 'Heap size', kind: 'bytes', accent: '#4fc3f7' },
    { key: 'inUseBytes', label: 'In use', kind: 'bytes', accent: '#7ee787' },
    { key: 'peakInUseBytes', label: 'Peak in use', kind: 'bytes', accent: '#ffb454' },
    { key: 'requestedBytes', label: 'Requested (app)', kind: 'bytes', accent: '#c792ea' },
    { key: 'freeBytes', label: 'Free, reusable', kind: 'bytes' },
    { key: 'overheadBytes', label: 'Overhead', kind: 'bytes' },
    { key: 'liveAllocations', label: 'Live allocations', kind: 'count' },
    { key: 'minipages', label: 'MiniPages', kind: 'count', only: true },
    { key: 'largeBlocks', label: 'Large blocks', kind: 'count', only: true },
    { key: 'freeSpans', label: 'Free spans', kind: 'count', only: true },
    { key: 'fragmentation', label: 'Fragmentation', kind: 'pct', only: true },
    { key: 'growCount', label: 'Heap growths', kind: 'count', only: true },
  ];
  const cardEls = {};
  function buildCards() {
    const box = $('#cards');
    for (const c of CARDS) {
      const el = document.createElement('div');
      el.className = 'card';
      el.dataset.stat = c.key;
      if (c.accent) el.style.setProperty('--accent', c.accent);
      el.innerHTML = `<div class="label">${c.label}</div><div class="value">&ndash;</div><div class="exact">&nbsp;</div>`;
      box.appendChild(el);
      cardEls[c.key] = { el, value: el.querySelector('.value'), exact: el.querySelector('.exact') };
    }
  }
  function setText(el, t) { if (el.textContent !== t) el.textContent = t; }
  function renderCards(s, isAlligator) {
    for (const c of CARDS) {
      const e = cardEls[c.key];
      const v = s[c.key];
      const na = v === undefined || (!!c.only && !isAlligator);
      e.el.classList.toggle('na', na);
      if (na) { setText(e.value, '\u2013'); setText(e.exact, 'Alligator only'); continue; }
      if (c.kind === 'bytes') { setText(e.value, bytes(v)); setText(e.exact, int(v) + ' B'); }
      else if (c.kind === 'pct') { setText(e.value, (v * 100).toFixed(1) + ' %'); setText(e.exact, `largest free ${bytes(s.largestFreeBytes)}`); }
      else { setText(e.value, int(v)); setText(e.exact, c.key === 'growCount' ? `${s.oomCount} out of memory` : c.key === 'liveAllocations' && isAlligator ? `${int(s.liveAllocations - s.largeBlocks)} small` : '\u00a0'); }
    }
    if (!isAlligator) setText(cardEls.peakInUseBytes.exact, cardEls.peakInUseBytes.exact.textContent.replace(/( \(sampled\))?$/, ' (sampled)'));
  }

  // ---- size-class table ---------------------------------------------------------------
  // The SVID meaning of each field; every allocator fills them its own way
  // (emmalloc, for one, walks its regions and defines arena differently).
  const MALLINFO = [
    ['arena', 'non-mmapped space'], ['ordblks', 'free chunks'], ['smblks', 'free small (fastbin) blocks'],
    ['hblks', 'mmapped regions'], ['hblkhd', 'bytes in mmapped regions'], ['usmblks', 'high-water mark'],
    ['fsmblks', 'bytes in free small blocks'], ['uordblks', 'bytes allocated: shown as In use'],
    ['fordblks', 'bytes free: shown as Free'], ['keepcost', 'releasable space at the top'],
  ];
  const rowEls = [];
  function buildTable() {
    const tbody = $('#classes tbody');
    for (let c = 0; c < geo.classes; c++) {
      const tr = document.createElement('tr');
      tr.dataset.class = String(c);
      tr.innerHTML = `<td class="cls"><i class="sw"></i><span data-col="size"></span></td><td data-col="pages"></td>` +
        `<td data-col="segments"></td><td class="fillcol"><div class="bar"><div></div></div></td><td data-col="waste"></td>`;
      tbody.appendChild(tr);
      rowEls.push({
        tr, size: tr.querySelector('[data-col=size]'), pages: tr.querySelector('[data-col=pages]'),
        segments: tr.querySelector('[data-col=segments]'), bar: tr.querySelector('.bar div'),
        waste: tr.querySelector('[data-col=waste]'), sw: tr.querySelector('.sw'),
      });
    }
    $('#classes tfoot').innerHTML = '<tr><td>Total</td><td data-col="pages"></td><td data-col="segments"></td><td class="fillcol"></td><td data-col="waste"></td></tr>';
  }
  function renderTable(s) {
    const isAlligator = !!s.classes;
    $('#classes').hidden = !isAlligator;
    $('#class-na').hidden = isAlligator;
    if (!isAlligator) {
      setText($('#class-na-text'), `${APPS[cur.kind].label} has no size classes to show (no Module.alligator). Its own mallinfo() (SVID fields, as ${APPS[cur.kind].label} defines them):`);
      const m = cur.module;
      $('#mallinfo').innerHTML = MALLINFO.map(([name, what], i) => `<tr data-field="${name}"><td>${name}</td><td>${int(m._app_mallinfo(i) >>> 0)}</td><td>${what}</td></tr>`).join('');
      setText($('#class-hint'), 'from mallinfo(), which walks the heap');
      return;
    }
    setText($('#class-hint'), `MiniPages of ${geo.unitBytes} B: ${sizeLabel(geo.headerBytes)} header + ${sizeLabel(geo.sectionBytes)} of segments`);
    let pages = 0, used = 0, total = 0, waste = 0;
    s.classes.forEach((k, c) => {
      const r = rowEls[c], tot = k.pages * k.slots, fill = tot ? k.used / tot : 0;
      r.tr.classList.toggle('idle', k.pages === 0);
      setText(r.size, sizeLabel(k.size));
      setText(r.pages, int(k.pages));
      setText(r.segments, `${int(k.used)} / ${int(tot)}`);
      r.bar.style.width = (fill * 100).toFixed(1) + '%';
      r.bar.style.background = window.classColor(c, 0.85);
      r.sw.style.background = window.classColor(c, 0.85);
      setText(r.waste, int(k.wasteBytes) + ' B');
      pages += k.pages; used += k.used; total += tot; waste += k.wasteBytes;
    });
    const f = $('#classes tfoot');
    setText(f.querySelector('[data-col=pages]'), int(pages));
    setText(f.querySelector('[data-col=segments]'), `${int(used)} / ${int(total)}`);
    setText(f.querySelector('[data-col=waste]'), int(waste) + ' B');
  }

  // ---- chart ------------------------------------------------------------------------------
  const SERIES = [
    { key: 'heap', label: 'Heap size', color: '#4fc3f7', fill: 'rgba(79,195,247,.28)', stepped: true },
    { key: 'inUse', label: 'In use', color: '#7ee787', fill: 'rgba(126,231,135,.12)' },
    { key: 'peak', label: 'Peak in use', color: '#ffb454', dash: [6, 4], width: 1.6, stepped: true },
    { key: 'requested', label: 'Requested', color: '#c792ea', width: 1.2, dash: [2, 3] },
  ];
  let chart, cmpChart;
  const CMP_SERIES = [
    { key: 'alligator', label: 'Alligator', color: '#3ddc84', width: 2, stepped: true },
    { key: 'dlmalloc', label: 'dlmalloc', color: '#ffb454', width: 1.6, stepped: true },
    { key: 'emmalloc', label: 'emmalloc', color: '#c792ea', width: 1.6, stepped: true, dash: [5, 3] },
  ];
  function buildLegend() {
    const box = $('#chart-legend');
    for (const s of SERIES) {
      const b = document.createElement('button');
      b.className = 'lg';
      b.innerHTML = `<i style="background:${s.color}"></i>${s.label}`;
      b.onclick = () => { chart.toggle(s.key); b.classList.toggle('off'); };
      box.appendChild(b);
    }
  }

  // ---- heap map -----------------------------------------------------------------------------
  let map;
  function buildMapLegend() {
    let sw = '';
    for (let c = 0; c < geo.classes; c++) sw += `<i style="background:${window.classColor(c, 0.85)}"></i>`;
    let fills = '';
    for (const f of [0.1, 0.4, 0.7, 1]) fills += `<i style="background:${window.classColor(6, f)}"></i>`;
    $('#map-legend').innerHTML =
      `<span class="lg-item"><span class="ramp">${sw}</span>MiniPage by class: ${sizeLabel(geo.smallestClass)} &rarr; ${sizeLabel(geo.largestClass)}</span>` +
      `<span class="lg-item"><span class="ramp">${fills}</span>fill: few &rarr; all segments used</span>` +
      `<span class="lg-item"><i class="box" style="background:${window.HEAP_COLORS.LARGE}"></i>large block</span>` +
      `<span class="lg-item"><i class="box hatch"></i>free span</span>` +
      `<span class="lg-item"><i class="box endtick"></i>segment end</span>`;
  }
  function refreshMap() {
    const m = cur.module;
    if (!m.alligator) {
      map.set([]);
      $('#map-empty').hidden = false;
      $('#map-empty').innerHTML = `${APPS[cur.kind].label} has no heap map (no Module.alligator): switch to Alligator.`;
      $('#map-summary').textContent = '';
      $('#heapmap').hidden = true;
      return;
    }
    const t0 = performance.now();
    const spans = m.alligator.heapMap();
    const ms = performance.now() - t0;
    $('#heapmap').hidden = false;
    $('#map-empty').hidden = true;
    const k = map.set(spans);
    const n = (v, one, many) => `${int(v)} ${v === 1 ? one : many}`;
    $('#map-summary').textContent = `${n(k.minipage, 'MiniPage', 'MiniPages')} \u00b7 ${n(k.large, 'large block', 'large blocks')} \u00b7 ` +
      `${n(k.free, 'free span', 'free spans')} \u00b7 ${int(map.units)} units of ${geo.unitBytes} B (${bytes(map.units * geo.unitBytes)}) \u00b7 ` +
      `walked in ${ms.toFixed(1)} ms at step ${int(cur.steps)}`;
    mapDirty = false;
  }

  // ---- rendering a step ------------------------------------------------------------------------
  function render({ sample = true } = {}) {
    const s = readStats(cur);
    const isAlligator = !!cur.module.alligator;
    renderCards(s, isAlligator);
    renderTable(s);
    setText($('#steps'), int(cur.steps));
    setText($('#opcount'), int(cur.ops));
    setText($('#lastms'), cur.lastMs == null ? '\u2013' : cur.lastMs.toFixed(2) + ' ms');
    setText($('#failures'), int(cur.module._app_failures() >>> 0));
    if (sample) {
      const smp = { heap: s.heapBytes, inUse: s.inUseBytes, peak: s.peakInUseBytes, requested: s.requestedBytes, label: `step ${int(cur.steps)}` };
      cur.samples.push(smp);
      if (cur.samples.length > chart.capacity) cur.samples.shift();
      chart.push(smp);
    }
    window.demo.shown = s;
  }

  function afterChange() {
    mapDirty = true;
    if ($('#live-map').checked) refreshMap(); // before reading the stats: the walk mallocs its buffer
    render();
  }

  function workload() { return Number(document.querySelector('input[name=workload]:checked').value); }
  function opsPerStep() { return Number($('#ops').value); }

  function step() {
    const n = opsPerStep(), w = workload();
    const t0 = performance.now();
    cur.module._app_step(w, n);
    cur.lastMs = performance.now() - t0;
    cur.steps++;
    cur.ops += n;
    afterChange();
  }

  function setRunning(on) {
    running = on;
    $('#run').textContent = on ? 'Pause' : 'Run';
    $('#run').classList.toggle('running', on);
    document.body.dataset.running = on ? '1' : '0';
    if (on) requestAnimationFrame(frame);
  }
  function frame() {
    if (!running) return;
    try { step(); } catch (e) { fail(e); return; }
    requestAnimationFrame(frame);
  }

  function fail(e) {
    setRunning(false);
    $('#status').textContent = 'error: ' + (e && e.message ? e.message : e);
    $('#status').classList.add('err');
    console.error(e);
  }

  async function select(kind) {
    setRunning(false);
    document.body.dataset.ready = '0';
    for (const b of document.querySelectorAll('.alloc-switch button')) {
      b.classList.toggle('on', b.dataset.alloc === kind);
      b.setAttribute('aria-checked', String(b.dataset.alloc === kind));
    }
    $('#status').classList.remove('err');
    $('#status').textContent = `loading ${APPS[kind].label}\u2026`;
    if (!insts[kind]) insts[kind] = { kind, module: await instantiate(kind), steps: 0, ops: 0, lastMs: null, peak: 0, samples: [] };
    cur = insts[kind];
    const isAlligator = !!cur.module.alligator;
    if (isAlligator && !geo) {
      geo = cur.module.alligator.geometry();
      window.setHeapGeometry(geo);
      buildTable();
      buildMapLegend();
    }
    setText($('#alloc-name'), APPS[kind].label);
    $('#alloc-name').dataset.kind = kind;
    setText($('#source'), isAlligator ? `from Module.alligator.stats(), O(${geo.classes}) per frame`
      : 'from the app: sbrk(0) and mallinfo() (no Module.alligator)');
    chart.samples = cur.samples.slice();
    chart.draw();
    $('#live-map').disabled = !isAlligator;
    $('#refresh-map').disabled = !isAlligator;
    if (isAlligator) {
      if ($('#live-map').checked) refreshMap();
      else {
        $('#heapmap').hidden = !map.spans || !map.spans.length;
        $('#map-empty').hidden = !$('#heapmap').hidden;
        $('#map-empty').innerHTML = 'Press <b>Refresh map</b> (or turn on the detailed map) to walk the heap.';
      }
    } else refreshMap();
    render({ sample: cur.samples.length === 0 });
    $('#status').textContent = `${APPS[kind].label} ready \u00b7 ${bytes(cur.module.HEAP8.length)} of linear memory`;
    document.body.dataset.allocator = kind;
    document.body.dataset.ready = '1';
    window.demo.kind = kind;
  }

  // ---- comparison ----------------------------------------------------------------------------------
  async function compare() {
    const btn = $('#compare');
    btn.disabled = true;
    document.body.dataset.comparing = '1';
    const w = Number($('#cmp-workload').value), steps = Number($('#cmp-steps').value), n = opsPerStep();
    const tbody = $('#cmp-table tbody');
    tbody.innerHTML = '';
    $('#cmp-bars').innerHTML = '';
    const results = [], heaps = {};
    const wname = $('#cmp-workload').selectedOptions[0].textContent;
    $('#cmp-caption').textContent = `${wname} \u00b7 ${int(steps)} steps \u00d7 ${int(n)} operations \u00b7 seed ${SEED}`;
    try {
      for (const kind of KINDS) {
        const tr = document.createElement('tr');
        tr.dataset.alloc = kind;
        tr.innerHTML = `<td>${APPS[kind].label}</td><td colspan="5" class="hint">running ${steps} steps of ${int(n)} operations\u2026</td>`;
        tbody.appendChild(tr);
        const m = await instantiate(kind);
        let ms = 0;
        const every = Math.max(1, Math.round(steps / 50)), heap = [];
        for (let i = 0; i < steps;) {
          const chunk = Math.min(every, steps - i);
          const t0 = performance.now();
          for (let j = 0; j < chunk; j++) m._app_step(w, n);
          ms += performance.now() - t0;
          i += chunk;
          heap.push({ step: i, bytes: m._app_heap_bytes() >>> 0 });
          if (i % 10 < chunk) await new Promise((r) => setTimeout(r, 0));
        }
        heaps[kind] = heap;
        const r = {
          kind, heapBytes: m._app_heap_bytes() >>> 0,
          inUseBytes: m.alligator ? m.alligator.stats().inUseBytes : m._app_mallinfo(MI_UORDBLKS) >>> 0,
          requestedBytes: m._app_requested_bytes() >>> 0, ms, ops: steps * n,
        };
        results.push(r);
        tr.innerHTML = `<td>${APPS[kind].label}</td><td data-col="heap">${bytes(r.heapBytes)}</td><td data-col="inuse">${bytes(r.inUseBytes)}</td>` +
          `<td>${bytes(r.requestedBytes)}</td><td data-col="ms">${r.ms.toFixed(1)} ms</td><td>${int(r.ops / Math.max(r.ms, 0.001))}</td>`;
      }
      renderBars(results);
      const samples = heaps.alligator.map((h, i) => ({
        alligator: h.bytes, dlmalloc: heaps.dlmalloc[i].bytes, emmalloc: heaps.emmalloc[i].bytes, label: `heap after step ${int(h.step)}`,
      }));
      cmpChart.capacity = Math.max(2, samples.length);
      cmpChart.samples = samples;
      $('#cmp-chart-wrap').hidden = false;
      cmpChart.draw();
      window.demo.comparison = results;
    } catch (e) {
      fail(e);
    } finally {
      btn.disabled = false;
      document.body.dataset.comparing = '0';
    }
  }
  function renderBars(results) {
    const maxHeap = Math.max(...results.map((r) => r.heapBytes), 1), maxMs = Math.max(...results.map((r) => r.ms), 0.001);
    const minHeap = Math.min(...results.map((r) => r.heapBytes)), minMs = Math.min(...results.map((r) => r.ms));
    let html = '<div class="bars-col"><h3>Heap size</h3>';
    for (const r of results) {
      html += `<div class="barrow ${r.heapBytes === minHeap ? 'best' : ''}"><span>${APPS[r.kind].label}</span><div class="track"><div class="fillbar heap" style="width:${(100 * r.heapBytes / maxHeap).toFixed(1)}%"></div></div><b>${bytes(r.heapBytes)}</b></div>`;
    }
    html += '</div><div class="bars-col"><h3>Time</h3>';
    for (const r of results) {
      html += `<div class="barrow ${r.ms === minMs ? 'best' : ''}"><span>${APPS[r.kind].label}</span><div class="track"><div class="fillbar ms" style="width:${(100 * r.ms / maxMs).toFixed(1)}%"></div></div><b>${r.ms.toFixed(1)} ms</b></div>`;
    }
    $('#cmp-bars').innerHTML = html + '</div>';
  }

  // ---- wiring ----------------------------------------------------------------------------------------
  window.demo = {
    get module() { return cur && cur.module; },
    get steps() { return cur ? cur.steps : 0; },
    get running() { return running; },
    kind: null, shown: null, comparison: null,
    select, step: () => step(), refreshMap: () => { refreshMap(); render({ sample: false }); },
  };
  window.classSize = (c) => (cur && cur.module.alligator ? cur.module.alligator.stats().classes[c].size : '');

  function init() {
    buildCards();
    buildLegend();
    chart = new window.TimeChart($('#chart'), SERIES, { capacity: 300 });
    map = new window.HeapMap($('#heapmap'), $('#map-tip'));
    cmpChart = new window.TimeChart($('#cmp-chart'), CMP_SERIES, { capacity: 2, footerText: () => 'heap size (sbrk) during the run' });
    $('#cmp-chart-legend').innerHTML = CMP_SERIES.map((s) => `<span class="lg"><i style="background:${s.color}"></i>${s.label}</span>`).join('');
    $('#heapmap').hidden = true;
    for (const b of document.querySelectorAll('.alloc-switch button')) b.onclick = () => select(b.dataset.alloc).catch(fail);
    $('#step').onclick = () => { setRunning(false); try { step(); } catch (e) { fail(e); } };
    $('#run').onclick = () => setRunning(!running);
    $('#reset').onclick = () => { setRunning(false); cur.module._app_reset(); afterChange(); };
    $('#refresh-map').onclick = () => { refreshMap(); render({ sample: false }); };
    $('#live-map').onchange = () => { if ($('#live-map').checked && mapDirty) { refreshMap(); render({ sample: false }); } };
    $('#compare').onclick = () => compare();
    document.body.dataset.running = '0';
    select('alligator').catch(fail);
  }
  init();
})();
