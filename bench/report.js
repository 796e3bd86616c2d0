#!/usr/bin/env node
// Tables (text) and the chart (SVG, drawn here: no libraries) from the
// results object that bench/run.js writes to bench/results/latest.json.
//   node bench/report.js bench/results/latest.json   prints the tables, rewrites latest.svg
'use strict';

const ORDER = ['alligator', 'dlmalloc', 'emmalloc', 'glibc'];
const COLORS = { alligator: '#2e7d32', dlmalloc: '#1565c0', emmalloc: '#ef6c00', glibc: '#757575' };

function fmt(x, d = 2) {
  if (x === null || x === undefined || Number.isNaN(x)) return '-';
  return Math.abs(x) >= 1e4 ? x.toFixed(0) : x.toFixed(d);
}
function mb(x) {
  return x === null || x === undefined ? '-' : (x / 1048576).toFixed(2);
}
function ratio(x, base) {
  return x === null || x === undefined || !base ? '' : ` (${(x / base).toFixed(2)}x)`;
}
function pad(s, n) {
  s = String(s);
  return s.length >= n ? s : s + ' '.repeat(n - s.length);
}
function lpad(s, n) {
  s = String(s);
  return s.length >= n ? s : ' '.repeat(n - s.length) + s;
}

function table(title, header, rows) {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
  const line = (cells) => cells.map((c, i) => (i === 0 ? pad(c, widths[i]) : lpad(c, widths[i]))).join('  ');
  return [title, line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n') + '\n';
}

function find(res, runtime, alloc, w) {
  return res.results.find((r) => r.runtime === runtime && r.allocator === alloc && r.workload === w);
}
function workloads(res) {
  return [...new Set(res.results.map((r) => r.workload))];
}
function allocsOf(res, runtime) {
  return ORDER.filter((a) => res.results.some((r) => r.runtime === runtime && r.allocator === a));
}

function throughputTable(res, runtime) {
  const allocs = allocsOf(res, runtime);
  if (!allocs.length || !res.results.some((r) => r.runtime === runtime && r.ops_per_us)) return '';
  const rows = workloads(res).map((w) => [w, ...allocs.map((a) => {
    const r = find(res, runtime, a, w), d = find(res, runtime, 'dlmalloc', w);
    return r && r.ops_per_us ? fmt(r.ops_per_us) + ratio(r.ops_per_us, d && d.ops_per_us) : '-';
  })]);
  return table(`Throughput, ${runtime}: allocator calls per microsecond, median (ratio to dlmalloc; higher is better)`, ['workload', ...allocs], rows);
}

function heapTable(res, runtime) {
  const allocs = allocsOf(res, runtime).filter((a) => a !== 'glibc');
  if (!allocs.length) return '';
  const rows = workloads(res).map((w) => {
    const d = find(res, runtime, 'dlmalloc', w);
    const any = find(res, runtime, allocs[0], w);
    return [w, mb(any && any.peak_live_bytes), ...allocs.map((a) => {
      const r = find(res, runtime, a, w);
      if (!r || r.peak_heap_bytes === null) return '-';
      return `${mb(r.peak_heap_bytes)}${ratio(r.peak_heap_bytes, d && d.peak_heap_bytes)} ${(r.peak_heap_bytes / r.peak_live_bytes).toFixed(2)}L`;
    })];
  });
  return table(`Peak heap, ${runtime}: MiB (ratio to dlmalloc) and heap / peak live bytes "L" (lower is better)`, ['workload', 'live MiB', ...allocs], rows);
}

function sizeTable(res) {
  const cs = res.code_size;
  if (!cs) return '';
  const d = cs.code_size_bytes.dlmalloc;
  const rows = Object.keys(cs.code_size_bytes).map((a) => [a, cs.total_wasm_bytes[a], cs.code_size_bytes[a] + ratio(cs.code_size_bytes[a], d)]);
  return table(`Code size: .wasm bytes of a minimal -Oz module exporting malloc/free/realloc/calloc/memalign, minus the bump-allocator baseline (${cs.baseline_wasm_bytes} B)`,
    ['allocator', 'module bytes', 'allocator bytes (ratio to dlmalloc)'], rows);
}

function instrTable(res) {
  const allocs = allocsOf(res, 'host');
  if (!res.results.some((r) => r.runtime === 'host' && r.instr_mean)) return '';
  const rows = workloads(res).map((w) => [w, ...allocs.map((a) => {
    const r = find(res, 'host', a, w);
    if (!r || r.instr_mean === null) return '-';
    const g = r.growth_calls ? ` | g${r.growth_calls}:${fmt(r.growth_instr_max, 0)}` : '';
    return `${fmt(r.instr_mean, 1)} / ${r.instr_p99} / ${r.instr_max}${g}`;
  })]);
  return table('Instructions per call, host (i686, callgrind, exact): mean / p99 / max over every call; growth calls apart as "g<calls>:<max>"', ['workload', ...allocs], rows);
}

// The targets of issue 4, evaluated on these numbers.
function targets(res) {
  const out = [];
  const get = (rt, a, w, k) => {
    const r = find(res, rt, a, w);
    return r ? r[k] : null;
  };
  const cmp = (label, v, goal, ok) => out.push(`${ok === null ? '  ?  ' : ok ? ' MET ' : ' NOT '} ${label}: ${v} (target ${goal})`);
  for (const rt of ['node', 'chromium'])
    for (const [w, goal] of [['random_actions', 2], ['small_churn', 1.5]]) {
      const a = get(rt, 'alligator', w, 'ops_per_us'), d = get(rt, 'dlmalloc', w, 'ops_per_us');
      cmp(`speed ${w} ${rt}`, a && d ? (a / d).toFixed(2) + 'x dlmalloc' : '-', `>= ${goal}x`, a && d ? a / d >= goal : null);
    }
  {
    const a = get('node', 'alligator', 'random_actions', 'peak_heap_bytes'), d = get('node', 'dlmalloc', 'random_actions', 'peak_heap_bytes');
    const l = get('node', 'alligator', 'random_actions', 'peak_live_bytes');
    cmp('peak heap random_actions (wasm)', a && d ? (a / d).toFixed(2) + 'x dlmalloc' : '-', '<= 0.8x', a && d ? a / d <= 0.8 : null);
    cmp('peak heap / peak live random_actions (wasm)', a && l ? (a / l).toFixed(2) + 'x' : '-', '<= 1.25x', a && l ? a / l <= 1.25 : null);
  }
  if (res.code_size) {
    const b = res.code_size.code_size_bytes.alligator;
    cmp('code size over baseline', `${b} B`, '<= 1536 B', b <= 1536);
  }
  const rows = res.results.filter((r) => r.runtime === 'host' && r.instr_mean !== null && r.instr_mean !== undefined);
  if (rows.length) {
    const al = rows.filter((r) => r.allocator === 'alligator');
    // max over malloc/free/memalign only: realloc and calloc also copy or
    // zero up to the whole block, which no allocator can do in O(1)
    const noCopyMax = (r) => {
      const k = r && r.instr_by_kind;
      if (!k) return null;
      const ms = ['malloc', 'free', 'memalign'].map((x) => (k[x] ? k[x].max : 0));
      return Math.max(...ms);
    };
    for (const r of al) {
      const peers = ['dlmalloc', 'emmalloc'].map((p) => get('host', p, r.workload, 'instr_max'));
      const ok = r.instr_max <= 2 * r.instr_mean && peers.every((m) => m === null || r.instr_max < m);
      cmp(`max instructions ${r.workload}`, `${r.instr_max} = ${(r.instr_max / r.instr_mean).toFixed(1)}x own mean ${fmt(r.instr_mean, 1)}; peers' max ${peers.join(', ')}`,
        '<= 2x mean and < both peers', ok);
      const m = noCopyMax(r);
      const pm = ['dlmalloc', 'emmalloc'].map((p) => noCopyMax(find(res, 'host', p, r.workload)));
      if (m !== null && (r.instr_by_kind.realloc || r.instr_by_kind.calloc))
        cmp(`  same, malloc/free/memalign only`, `${m} = ${(m / r.instr_mean).toFixed(1)}x own mean; peers' ${pm.join(', ')}`,
          '<= 2x mean and < both peers', m <= 2 * r.instr_mean && pm.every((x) => x === null || m < x));
    }
  }
  return 'Targets (issue 4), on this run:\n' + out.join('\n') + '\n';
}

function tables(res) {
  const m = res.machine || {};
  return [
    `Alligator benchmark, ${res.date}, ${m.cpu} x${m.cores}, ${m.os}, Node ${m.node}${res.chromium ? ', ' + res.chromium : ''}`,
    `load average at the end ${m.load_average ? m.load_average.join(' ') : '?'}${m.loaded ? ' (LOADED MACHINE: timings are noisy)' : ''}; command: ${res.command}`,
    '',
    throughputTable(res, 'node'),
    throughputTable(res, 'chromium'),
    throughputTable(res, 'host'),
    heapTable(res, 'node'),
    sizeTable(res),
    instrTable(res),
    targets(res),
  ].filter((s) => s !== '').join('\n');
}

// ---- SVG: grouped bars, one panel per metric, ratio to dlmalloc ---------------
function esc(s) {
  return String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function svg(res) {
  const ws = workloads(res);
  const panels = [];
  for (const rt of ['node', 'chromium']) {
    if (res.results.some((r) => r.runtime === rt && r.ops_per_us))
      panels.push({ title: `Throughput in ${rt === 'node' ? 'Node (V8)' : 'headless Chromium'}, ratio to dlmalloc (higher is better)`,
        allocs: ['alligator', 'dlmalloc', 'emmalloc'], value: (a, w) => {
          const r = find(res, rt, a, w), d = find(res, rt, 'dlmalloc', w);
          return r && d && r.ops_per_us && d.ops_per_us ? r.ops_per_us / d.ops_per_us : null;
        } });
  }
  if (res.results.some((r) => r.runtime === 'node' && r.peak_heap_bytes))
    panels.push({ title: 'Peak heap / peak live bytes, wasm (lower is better; 1 = no overhead)', allocs: ['alligator', 'dlmalloc', 'emmalloc'],
      value: (a, w) => {
        const r = find(res, 'node', a, w);
        return r && r.peak_heap_bytes ? r.peak_heap_bytes / r.peak_live_bytes : null;
      } });
  if (res.results.some((r) => r.runtime === 'host' && r.instr_mean))
    panels.push({ title: 'Max instructions per call (host, callgrind, growth apart), ratio to dlmalloc (lower is better, log scale)', allocs: ['alligator', 'dlmalloc', 'emmalloc', 'glibc'], log: true,
      value: (a, w) => {
        const r = find(res, 'host', a, w), d = find(res, 'host', 'dlmalloc', w);
        return r && d && r.instr_max && d.instr_max ? r.instr_max / d.instr_max : null;
      } });
  const W = 1000, PH = 230, top = 60, left = 60, right = 20;
  const H = top + panels.length * (PH + 40) + 30;
  const out = [`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="11">`,
    `<rect width="${W}" height="${H}" fill="#fff"/>`,
    `<text x="${left}" y="22" font-size="15" font-weight="bold">Alligator vs dlmalloc, emmalloc${res.results.some((r) => r.allocator === 'glibc') ? ', glibc' : ''}</text>`,
    `<text x="${left}" y="40" fill="#555">${esc(`${res.date.slice(0, 16)}Z, ${(res.machine || {}).cpu} x${(res.machine || {}).cores}${(res.machine || {}).loaded ? ', LOADED machine (noisy timings)' : ''}; ${res.command}`)}</text>`];
  const legendAllocs = ORDER.filter((a) => panels.some((p) => p.allocs.includes(a)));
  legendAllocs.forEach((a, i) => {
    out.push(`<rect x="${W - right - 110}" y="${8 + i * 13}" width="10" height="10" fill="${COLORS[a]}"/><text x="${W - right - 96}" y="${17 + i * 13}">${a}</text>`);
  });
  panels.forEach((p, pi) => {
    const y0 = top + pi * (PH + 40) + 20, plotH = PH - 60;
    const vals = [];
    for (const w of ws) for (const a of p.allocs) vals.push(p.value(a, w));
    const good = vals.filter((v) => v !== null && v > 0);
    let lo = 0, hi = Math.max(1.2, ...good) * 1.1;
    const f = p.log ? (v) => Math.log10(v) : (v) => v;
    if (p.log) {
      lo = Math.log10(Math.min(0.5, ...good) / 1.2);
      hi = Math.log10(Math.max(2, ...good) * 1.2);
    }
    const yOf = (v) => y0 + plotH - ((f(v) - lo) / (hi - lo)) * plotH;
    out.push(`<text x="${left}" y="${y0 - 6}" font-size="12" font-weight="bold">${esc(p.title)}</text>`);
    out.push(`<line x1="${left}" y1="${y0 + plotH}" x2="${W - right}" y2="${y0 + plotH}" stroke="#333"/>`);
    const ticks = p.log ? [0.25, 0.5, 1, 2, 4, 8, 16, 32, 64].filter((t) => f(t) >= lo && f(t) <= hi)
      : Array.from({ length: 6 }, (_, i) => +(hi * i / 5).toPrecision(2));
    for (const t of ticks) {
      const y = yOf(t);
      out.push(`<line x1="${left}" y1="${y}" x2="${W - right}" y2="${y}" stroke="${t === 1 ? '#999' : '#eee'}"${t === 1 ? ' stroke-dasharray="4 3"' : ''}/>`);
      out.push(`<text x="${left - 6}" y="${y + 4}" text-anchor="end" fill="#555">${t}</text>`);
    }
    const gw = (W - left - right) / ws.length, bw = Math.min(22, (gw - 10) / p.allocs.length);
    ws.forEach((w, wi) => {
      const gx = left + wi * gw + (gw - bw * p.allocs.length) / 2;
      p.allocs.forEach((a, ai) => {
        const v = p.value(a, w);
        if (v === null || !(v > 0)) return;
        const y = yOf(v), base = p.log ? yOf(Math.pow(10, lo)) : yOf(0);
        out.push(`<rect x="${(gx + ai * bw).toFixed(1)}" y="${Math.min(y, base).toFixed(1)}" width="${(bw - 2).toFixed(1)}" height="${Math.abs(base - y).toFixed(1)}" fill="${COLORS[a]}"><title>${esc(`${a} ${w}: ${v.toFixed(2)}`)}</title></rect>`);
      });
      out.push(`<text x="${(left + wi * gw + gw / 2).toFixed(1)}" y="${y0 + plotH + 14}" text-anchor="middle" fill="#333">${esc(w.replace('random_actions', 'rand_act').replace('_realloc', '+realloc'))}</text>`);
    });
  });
  out.push('</svg>');
  return out.join('\n') + '\n';
}

module.exports = { tables, svg, targets };

if (require.main === module) {
  const fs = require('fs');
  const path = require('path');
  const file = process.argv[2] || path.join(__dirname, 'results', 'latest.json');
  const res = JSON.parse(fs.readFileSync(file, 'utf8'));
  console.log(tables(res));
  fs.writeFileSync(file.replace(/\.json$/, '.svg'), svg(res));
}
