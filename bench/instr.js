#!/usr/bin/env node
// Callgrind counts for a few allocators and workloads, without the rest of
// `make bench` (for measuring one change): the same runs as --only instr.
// "pair" among the workloads (and the default: every workload and pair) is
// the fast-path pair, a loop of malloc(n)+free (bench/host/pair.c).
//
//   node bench/instr.js [alligator,dlmalloc] [small_churn,json,pair] [--build build/bench]
// Needs build/bench/host/bench-<alloc>-instr (make build/bench/host/bench-alligator-instr).
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');
const { callgrind, INSTR_SCALE, runPairs } = require('./run.js');

async function main() {
  const args = process.argv.slice(2);
  let build = path.resolve(__dirname, '..', 'build/bench');
  const bi = args.indexOf('--build');
  if (bi >= 0) build = path.resolve(args.splice(bi, 2)[1]);
  const allocs = (args[0] || 'alligator').split(',');
  const asked = (args[1] || [...Object.keys(INSTR_SCALE), 'pair'].join(',')).split(',');
  const workloads = asked.filter((w) => w !== 'pair');
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'alligator-instr-'));
  const jobs = [];
  for (const w of workloads) for (const a of allocs) jobs.push({ a, w });
  let next = 0;
  const worker = async () => {
    while (next < jobs.length) {
      const { a, w } = jobs[next++];
      const r = await callgrind(build, a, w, 1, INSTR_SCALE[w], tmp);
      const k = Object.entries(r.instr_by_kind).map(([n, v]) => `${n} ${v.mean.toFixed(1)}/${v.max}`).join(', ');
      const nc = r.instr_max_nocopy !== r.instr_max ? `, without realloc's copy ${r.instr_max_nocopy} (${r.instr_max_nocopy_call.kind})` : '';
      console.log(`${w.padEnd(23)} ${a.padEnd(10)} mean ${r.instr_mean.toFixed(1).padStart(6)} p99 ${String(r.instr_p99).padStart(5)} max ${String(r.instr_max).padStart(5)} (${r.instr_max_call.kind})${nc}  ${k}`);
    }
  };
  await Promise.all([worker(), worker()]);
  fs.rmSync(tmp, { recursive: true, force: true });
  if (asked.includes('pair')) {
    const pairs = await runPairs(build, allocs);
    for (const a of allocs)
      for (const r of pairs[a])
        console.log(`${('pair malloc(' + r.size + ')+free').padEnd(23)} ${a.padEnd(10)} ${String(r.instr).padStart(6)} instructions per iteration (the loop's own ${r.loop_instr} included)`);
  }
}
main().catch((e) => {
  console.error(e && e.stack ? e.stack : e);
  process.exit(1);
});
