#!/usr/bin/env node
// Before/after table of two benchmark results (bench/results/latest.json of
// two runs), as bench/README.md prints it: per workload, Alligator's mean
// instructions per call (and dlmalloc's, from the second run), its worst
// malloc/free/memalign call that does not grow the heap, its peak heap and
// its throughput as ratios to dlmalloc in the same run (Node, Chromium).
// Markdown on stdout; "-" where a run lacks the figure.
//
//   node bench/compare.js BEFORE.json AFTER.json
// bench/results/before-7ed2ef0.json is the run issue 10 started from (at
// 7ed2ef0, committed as latest.json in 631749c).
'use strict';
const fs = require('fs');

const WORST_KINDS = ['malloc', 'free', 'memalign']; // realloc's worst is a malloc, a free and a copy

function find(res, runtime, alloc, w) {
  return res.results.find((r) => r.runtime === runtime && r.allocator === alloc && r.workload === w) || null;
}
function num(r, k) {
  return r && typeof r[k] === 'number' ? r[k] : null;
}
function worst(r) {
  if (!r || !r.instr_by_kind) return null;
  const m = WORST_KINDS.map((k) => r.instr_by_kind[k] && r.instr_by_kind[k].max).filter((v) => typeof v === 'number');
  return m.length ? Math.max(...m) : null;
}
function toDl(res, runtime, w, k) { // Alligator's figure over dlmalloc's, in one run
  const a = num(find(res, runtime, 'alligator', w), k), d = num(find(res, runtime, 'dlmalloc', w), k);
  return a && d ? a / d : null;
}
const f1 = (v) => (v === null ? '-' : v.toFixed(1));
const fi = (v) => (v === null ? '-' : String(v));
const fx = (v) => (v === null ? '-' : v.toFixed(2) + 'x');

function compare(before, after) {
  const ws = [...new Set(after.results.map((r) => r.workload))];
  const rows = ws.map((w) => {
    const hb = find(before, 'host', 'alligator', w), ha = find(after, 'host', 'alligator', w);
    return [w,
      f1(num(hb, 'instr_mean')), f1(num(ha, 'instr_mean')), f1(num(find(after, 'host', 'dlmalloc', w), 'instr_mean')),
      fi(worst(hb)), fi(worst(ha)),
      fx(toDl(before, 'node', w, 'peak_heap_bytes')), fx(toDl(after, 'node', w, 'peak_heap_bytes')),
      fx(toDl(before, 'node', w, 'ops_per_us')), fx(toDl(after, 'node', w, 'ops_per_us')),
      fx(toDl(before, 'chromium', w, 'ops_per_us')), fx(toDl(after, 'chromium', w, 'ops_per_us'))];
  });
  const head = ['workload', 'mean instr before', 'after', 'dlmalloc', 'worst malloc/free/memalign before', 'after',
    'peak heap vs dlmalloc (wasm) before', 'after', 'Node vs dlmalloc before', 'after', 'Chromium before', 'after'];
  return [head, head.map(() => '---'), ...rows].map((r) => `| ${r.join(' | ')} |`).join('\n') + '\n';
}

if (require.main === module) {
  const [b, a] = process.argv.slice(2);
  if (!b || !a) {
    console.error('usage: node bench/compare.js BEFORE.json AFTER.json');
    process.exit(2);
  }
  process.stdout.write(compare(JSON.parse(fs.readFileSync(b, 'utf8')), JSON.parse(fs.readFileSync(a, 'utf8'))));
}
module.exports = { compare };
