#!/usr/bin/env node
// The Rust benchmark (make bench-rust): the workloads of bench/rust/src/lib.rs
// built with each target's default allocator and with Alligator, for
// wasm32-wasi (default: wasi-libc's dlmalloc) and wasm32-unknown-unknown
// (default: Rust's own dlmalloc), run in Node.  Every run is a fresh
// instance; the four builds take turns in each round (interleaved), so
// machine noise hits them alike.  Prints throughput ratios with their
// spread, the peak memory (the module's memory at the end: wasm memory
// never shrinks) and the stripped .wasm size, also over a build with a bump
// allocator (size only, never run: it would run out of memory).  A benchmark, not a test.
//   node bench/rust/run.js BUILD_DIR [RUNS] [SCALE%]
'use strict';
const fs = require('fs');
const path = require('path');
const { execFileSync } = require('child_process');

const WORKLOADS = ['random_actions', 'random_actions_realloc', 'small_churn', 'growth'];
const [dir, runsArg, scaleArg] = process.argv.slice(2);
const RUNS = Number(runsArg || 5), SCALE = Number(scaleArg || 100);
const BUILDS = [
  { target: 'wasm32-wasi', alloc: 'default', label: 'wasi-libc dlmalloc' },
  { target: 'wasm32-wasi', alloc: 'alligator', label: 'Alligator' },
  { target: 'wasm32-unknown-unknown', alloc: 'default', label: 'Rust dlmalloc' },
  { target: 'wasm32-unknown-unknown', alloc: 'alligator', label: 'Alligator' },
];

async function instance(b) {
  const imports = {};
  let wasi;
  if (b.target === 'wasm32-wasi') {
    const { WASI, File, OpenFile, ConsoleStdout } = await import('@bjorn3/browser_wasi_shim');
    wasi = new WASI([], [], [new OpenFile(new File([])), ConsoleStdout.lineBuffered(console.log),
      ConsoleStdout.lineBuffered(console.error)], { debug: false });
    imports.wasi_snapshot_preview1 = wasi.wasiImport;
  }
  const instance = await WebAssembly.instantiate(b.module, imports);
  if (wasi) wasi.initialize(instance);
  return instance;
}

// The size of a build after wasm-strip (Debian's std rlibs carry debuginfo);
// undefined when that build is not there.
function strippedSize(dir, name, target) {
  const file = path.join(dir, name, target, 'release', 'alligator_bench.wasm');
  if (!fs.existsSync(file)) return undefined;
  const stripped = path.join(dir, `${name}.stripped.wasm`);
  fs.copyFileSync(file, stripped);
  execFileSync('wasm-strip', [stripped]);
  return fs.statSync(stripped).size;
}

function median(a) { const s = [...a].sort((x, y) => x - y); return s[s.length >> 1]; }

(async () => {
  for (const b of BUILDS) {
    const name = `${b.target}${b.alloc === 'alligator' ? '-alligator' : ''}`;
    b.file = path.join(dir, name, b.target, 'release', 'alligator_bench.wasm');
    b.module = await WebAssembly.compile(fs.readFileSync(b.file));
    b.size = strippedSize(dir, name, b.target);
    b.bumpSize = strippedSize(dir, `${b.target}-bump`, b.target);
    b.ozSize = strippedSize(dir, `${name}-Oz`, b.target);
    b.ms = WORKLOADS.map(() => []);
    b.peak = [];
    b.sum = [];
  }
  for (const b of BUILDS) for (let w = 0; w < WORKLOADS.length; w++) (await instance(b)).exports.bench_run(w, SCALE);
  for (let r = 0; r < RUNS; r++)
    for (let w = 0; w < WORKLOADS.length; w++)
      for (const b of (r & 1 ? [...BUILDS].reverse() : BUILDS)) {
        const inst = await instance(b);
        const t0 = process.hrtime.bigint();
        const sum = inst.exports.bench_run(w, SCALE) >>> 0;
        b.ms[w].push(Number(process.hrtime.bigint() - t0) / 1e6);
        b.peak[w] = inst.exports.memory.buffer.byteLength;
        if (b.sum[w] === undefined) b.sum[w] = sum;
        else if (b.sum[w] !== sum) throw new Error(`${b.file}: checksum changed`);
      }
  for (let w = 0; w < WORKLOADS.length; w++)
    for (const t of ['wasm32-wasi', 'wasm32-unknown-unknown']) {
      const [d, a] = BUILDS.filter((b) => b.target === t);
      if (d.sum[w] !== a.sum[w]) throw new Error(`${WORKLOADS[w]} on ${t}: checksums differ`);
    }
  console.log(`Rust workloads, ${RUNS} interleaved runs at scale ${SCALE}%, Node ${process.version}`);
  console.log('speed: default time / Alligator time, median of runs (min..max of the per-run ratios); >1 = Alligator faster');
  console.log('peak: wasm memory at the end of a fresh run, MiB');
  for (const t of ['wasm32-wasi', 'wasm32-unknown-unknown']) {
    const [d, a] = BUILDS.filter((b) => b.target === t);
    console.log(`\n${t}: ${d.label} vs Alligator`);
    console.log('| workload | default ms | Alligator ms | speed (range) | peak default | peak Alligator |');
    console.log('|---|---|---|---|---|---|');
    WORKLOADS.forEach((name, w) => {
      const ratios = d.ms[w].map((x, i) => x / a.ms[w][i]);
      const mib = (x) => (x / 1048576).toFixed(2);
      console.log(`| ${name} | ${median(d.ms[w]).toFixed(1)} | ${median(a.ms[w]).toFixed(1)} | ` +
        `${median(ratios).toFixed(2)}× (${Math.min(...ratios).toFixed(2)}..${Math.max(...ratios).toFixed(2)}) | ` +
        `${mib(d.peak[w])} | ${mib(a.peak[w])} |`);
    });
    console.log(`| .wasm, stripped | ${d.size} B | ${a.size} B (${a.size - d.size >= 0 ? '+' : ''}${a.size - d.size} B) | | | |`);
    if (d.bumpSize)
      console.log(`| allocator code (over a bump allocator, ${d.bumpSize} B) | ${d.size - d.bumpSize} B | ${a.size - d.bumpSize} B` +
        `${a.ozSize ? `; ${a.ozSize - d.bumpSize} B with the C side at -Oz` : ''} | | | |`);
  }
})().catch((e) => { console.error(e); process.exit(1); });
