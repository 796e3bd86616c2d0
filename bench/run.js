#!/usr/bin/env node
// Runs the benchmark (bench/README.md).  Called by `make bench` / `make bench-quick`
// after the builds; measures, checks checksums, writes bench/results/latest.json
// and .svg, prints the tables (bench/report.js).
//
//   node bench/run.js [--quick] [--build build/bench] [--out bench/results]
//                     [--runs 5] [--scale 1] [--only node,chromium,host,instr,size] [--loaded]
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');
const http = require('http');
const { execFileSync, spawn } = require('child_process');
const harness = require('./harness.js');
const report = require('./report.js');
const wasmFuncs = require('./wasm_funcs.js');

const ALLOCS = ['alligator', 'dlmalloc', 'emmalloc'];
const HOST_ALLOCS = [...ALLOCS, 'glibc'];
const ROOT = path.resolve(__dirname, '..');

// Workload lengths for the callgrind runs (~20-60 thousand calls each: every
// call is one callgrind dump).  The timed runs use --scale (default 1).
const INSTR_SCALE = {
  random_actions: 0.075, random_actions_realloc: 0.075, small_churn: 0.1, growth: 0.05,
  class_sweep: 0.01, fragmentation: 0.25, json: 0.02, adv_dlmalloc: 0.17, adv_emmalloc: 0.1, adv_alligator: 0.2,
};
const QUICK_SCALE = 0.1;

function parseArgs(argv) {
  const o = { quick: false, build: 'build/bench', out: 'bench/results', runs: 5, scale: 1, only: null, loaded: false, seed: 1 };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--quick') o.quick = true;
    else if (a === '--loaded') o.loaded = true;
    else if (a === '--build') o.build = argv[++i];
    else if (a === '--out') o.out = argv[++i];
    else if (a === '--runs') o.runs = +argv[++i];
    else if (a === '--scale') o.scale = +argv[++i];
    else if (a === '--seed') o.seed = +argv[++i];
    else if (a === '--only') o.only = argv[++i].split(',');
    else throw new Error('unknown argument ' + a);
  }
  o.build = path.resolve(ROOT, o.build);
  o.out = path.resolve(ROOT, o.out);
  return o;
}

const t0 = Date.now();
function log(msg) {
  process.stderr.write(`[bench ${((Date.now() - t0) / 1000).toFixed(0).padStart(4)} s] ${msg}\n`);
}

// ---- wasm in Node ----------------------------------------------------------------
async function loadAllocs(build) {
  const allocs = [];
  for (const name of ALLOCS) {
    const js = path.join(build, 'wasm', `bench-${name}.js`);
    const factory = require(js);
    const module = await WebAssembly.compile(fs.readFileSync(js.replace(/\.js$/, '.wasm')));
    allocs.push({ name, factory, module });
  }
  return allocs;
}

async function runNode(o) {
  const allocs = await loadAllocs(o.build);
  log(`node: ${ALLOCS.join(', ')}: ${o.runs} timed runs per cell after 1 warm-up (scale ${o.scale})`);
  return harness.runSuite({ allocs, runs: o.runs, warmup: 1, seed: o.seed, scale: o.scale, log: (m) => log('node ' + m) });
}

// ---- wasm in headless Chromium -------------------------------------------------
function serve(build) {
  const types = { '.html': 'text/html', '.js': 'text/javascript', '.wasm': 'application/wasm' };
  const files = {
    '/page.html': path.join(__dirname, 'page.html'),
    '/harness.js': path.join(__dirname, 'harness.js'),
  };
  for (const a of ALLOCS)
    for (const ext of ['.js', '.wasm']) files[`/bench-${a}${ext}`] = path.join(build, 'wasm', `bench-${a}${ext}`);
  const server = http.createServer((req, res) => {
    const f = files[req.url.split('?')[0]];
    if (!f) {
      res.writeHead(404);
      res.end();
      return;
    }
    // cross-origin isolated: performance.now() is then precise to 5 us
    // instead of 100 us
    res.writeHead(200, {
      'Content-Type': types[path.extname(f)] || 'application/octet-stream', 'Cache-Control': 'no-store',
      'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp',
    });
    res.end(fs.readFileSync(f));
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

async function runChromium(o) {
  let chromium;
  try {
    ({ chromium } = require('playwright-core'));
  } catch (e) {
    log('chromium: playwright-core is not installed (npm install): skipped');
    return null;
  }
  const exe = process.env.CHROMIUM || '/usr/bin/chromium';
  if (!fs.existsSync(exe)) {
    log(`chromium: ${exe} not found (apt-get install chromium): skipped`);
    return null;
  }
  const server = await serve(o.build);
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'alligator-bench-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: exe,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  try {
    const page = await context.newPage();
    page.on('console', (m) => log('chromium ' + m.text()));
    page.setDefaultTimeout(0);
    await page.goto(`http://127.0.0.1:${server.address().port}/page.html`);
    const version = context.browser() ? context.browser().version() : null;
    log(`chromium ${version || ''}: ${o.runs} timed runs per cell after 1 warm-up (scale ${o.scale})`);
    const rows = await page.evaluate((cfg) => window.runBench(cfg), { allocs: ALLOCS, runs: o.runs, seed: o.seed, scale: o.scale });
    const ua = await page.evaluate(() => navigator.userAgent + (self.crossOriginIsolated ? ' (cross-origin isolated)' : ''));
    return { rows, userAgent: ua };
  } finally {
    await context.close();
    server.close();
    fs.rmSync(userDataDir, { recursive: true, force: true });
  }
}

// ---- host: the same workloads natively --------------------------------------------
function runHostOnce(build, alloc, workload, seed, scale) {
  const exe = path.join(build, 'host', `bench-${alloc}`);
  const out = execFileSync(exe, [workload, String(seed), String(scale)], { encoding: 'utf8' });
  return JSON.parse(out);
}

function runHost(o, workloads) {
  log(`host: ${HOST_ALLOCS.join(', ')}: ${o.runs} timed runs per cell (scale ${o.scale})`);
  const rows = [];
  const times = {};
  const first = {};
  for (let r = 0; r < o.runs; r++) {
    for (const w of workloads) {
      for (const a of HOST_ALLOCS) {
        const res = runHostOnce(o.build, a, w, o.seed, o.scale);
        (times[a + '/' + w] = times[a + '/' + w] || []).push(res.seconds * 1000);
        if (!first[a + '/' + w]) first[a + '/' + w] = res;
      }
    }
    log(`host run ${r + 1}/${o.runs} done`);
  }
  for (const w of workloads)
    for (const a of HOST_ALLOCS) {
      const f = first[a + '/' + w];
      const ms = harness.median(times[a + '/' + w]);
      rows.push({
        allocator: a, workload: w, checksum: f.checksum, ops: f.ops, ms_median: ms, ms_all: times[a + '/' + w],
        ops_per_us: f.ops / (ms * 1000),
        peak_heap_bytes: a === 'glibc' ? null : f.peak_heap_bytes, peak_live_bytes: f.peak_live_bytes,
      });
    }
  return rows;
}

// ---- exact instruction counts per call: callgrind ---------------------------------
// In the -instr builds every allocator call is wrapped in callgrind client
// requests: CALLGRIND_ZERO_STATS just before, CALLGRIND_DUMP_STATS just after
// (all dumps in one file), so each dump's "totals:" line is the instructions of
// exactly one call: the call, the allocator, its memset/memcpy, plus the
// constant cost of the requests, which 8 empty pairs at the start measure and
// which is subtracted.  The binary logs each call's kind (7 = empty pair) and
// whether the heap grew during it, in the same order.
// (--zero-before/--dump-after=op_* were tried first: callgrind's function
// entry/exit tracking misses some calls that go through the PLT into libc,
// which merged several calls into one dump for glibc.)
const KIND = ['malloc', 'free', 'realloc', 'calloc', 'memalign'];

function callgrind(build, alloc, workload, seed, scale, tmp) {
  const exe = path.join(build, 'host', `bench-${alloc}-instr`);
  const out = path.join(tmp, `${alloc}-${workload}.cg`);
  const oplog = path.join(tmp, `${alloc}-${workload}.ops`);
  const args = ['--tool=callgrind', '--combine-dumps=yes', '--dump-line=no', '--dump-instr=no',
    `--callgrind-out-file=${out}`];
  args.push(exe, workload, String(seed), String(scale), oplog);
  return new Promise((resolve, reject) => {
    const p = spawn('valgrind', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '', stderr = '';
    p.stdout.on('data', (d) => (stdout += d));
    p.stderr.on('data', (d) => (stderr += d));
    p.on('close', (code) => {
      if (code !== 0) return reject(new Error(`callgrind ${alloc} ${workload}: exit ${code}\n${stderr.slice(-2000)}`));
      try {
        const res = JSON.parse(stdout);
        const kinds = fs.readFileSync(oplog);
        const text = fs.readFileSync(out, 'latin1');
        const { totals, copies } = parseDumps(text);
        fs.rmSync(out, { force: true });
        fs.rmSync(oplog, { force: true });
        // one dump per call, plus callgrind's own final dump at exit
        if (totals.length !== kinds.length + 1)
          return reject(new Error(`callgrind ${alloc} ${workload}: ${totals.length} dumps for ${kinds.length} calls`));
        resolve(summarise(res, kinds, totals, copies));
      } catch (e) {
        reject(e);
      }
    });
  });
}

// realloc's copy of a moving block is O(n) by design: src/malloc.c does it in
// copy_block, out of line, so that each dump's inclusive cost of the calls to
// it can be told apart (the "_nocopy" figures).
const COPY_FN = 'copy_block';

// A combined callgrind file, one part per dump: each part's total, and the
// inclusive cost of its calls to COPY_FN (function names are compressed:
// "(id) name" the first time, "(id)" after, across parts).
function parseDumps(text) {
  const totals = [], copies = [];
  const names = new Map();
  let copy = 0, callee = null, inCall = false;
  for (const line of text.split('\n')) {
    if (line.startsWith('part: ')) {
      if (totals.length > copies.length) copies.push(copy);
      copy = 0;
      continue;
    }
    if (line.startsWith('totals: ')) {
      totals.push(+line.slice(8));
      continue;
    }
    const f = /^c?fn=\((\d+)\)(?: (.*))?$/.exec(line);
    if (f) {
      if (f[2] !== undefined) names.set(f[1], f[2]);
      if (line[0] === 'c') callee = names.get(f[1]);
      continue;
    }
    if (line.startsWith('calls=')) {
      inCall = true;
      continue;
    }
    if (inCall) { // the line after calls=: position(s), then the call's inclusive cost
      inCall = false;
      if (callee === COPY_FN) copy += +line.trim().split(/\s+/).pop();
    }
  }
  if (totals.length > copies.length) copies.push(copy);
  return { totals, copies };
}

function pct(sorted, q) {
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
}

function summarise(res, kinds, totals, copies = []) {
  const normal = [], growth = [];
  const perKind = KIND.map(() => []);
  let maxCall = null, maxNoCopy = null;
  const empty = [];
  for (let i = 0; i < kinds.length; i++) if ((kinds[i] & 15) === 7) empty.push(totals[i]);
  const overhead = empty.length ? Math.min(...empty) : 0;
  for (let i = 0; i < kinds.length; i++) {
    const k = kinds[i] & 15, grew = (kinds[i] & 16) !== 0, n = totals[i] - overhead;
    if (k === 7) continue;
    if (grew) {
      growth.push(n);
      continue;
    }
    normal.push(n);
    perKind[k].push(n);
    if (!maxCall || n > maxCall.instr) maxCall = { instr: n, kind: KIND[k], index: i };
    const c = n - (copies[i] || 0);
    if (!maxNoCopy || c > maxNoCopy.instr) maxNoCopy = { instr: c, kind: KIND[k], index: i };
  }
  const sorted = normal.slice().sort((a, b) => a - b);
  const mean = (xs) => (xs.length ? xs.reduce((s, x) => s + x, 0) / xs.length : null);
  return {
    checksum: res.checksum,
    instr_request_overhead: overhead,
    instr_request_overhead_spread: empty.length ? Math.max(...empty) - overhead : null,
    instr_calls: normal.length,
    instr_mean: mean(normal),
    instr_p99: sorted.length ? pct(sorted, 0.99) : null,
    instr_max: sorted.length ? sorted[sorted.length - 1] : null,
    instr_max_call: maxCall,
    // the same with realloc's copy of the block (COPY_FN) left out: O(1) part only
    instr_max_nocopy: maxNoCopy ? maxNoCopy.instr : null,
    instr_max_nocopy_call: maxNoCopy,
    instr_by_kind: Object.fromEntries(KIND.map((k, i) => [k, perKind[i].length
      ? { calls: perKind[i].length, mean: mean(perKind[i]), max: Math.max(...perKind[i]) } : null]).filter((e) => e[1])),
    growth_calls: growth.length,
    growth_instr_mean: mean(growth),
    growth_instr_max: growth.length ? Math.max(...growth) : null,
  };
}

// ---- the fast-path pair: a loop of malloc(n)+free of one size ----------------------
// bench/host/pair.c runs PAIR_LOOPS[0] and PAIR_LOOPS[1] iterations, each loop
// one dump, then the same two loops without the calls: instructions per
// iteration = the difference of the two dumps / the difference of the lengths
// (the requests and the loop set-up cancel), from exact counts.  It includes
// the loop's own few instructions (loop_instr, from the empty loops) and the
// call sequences, as a program's loop would.
const PAIR_SIZES = [16, 32, 256];
const PAIR_LOOPS = [1000, 11000];

function pairInstr(build, alloc, size, tmp) {
  const exe = path.join(build, 'host', `bench-${alloc}-instr`);
  const out = path.join(tmp, `${alloc}-pair-${size}.cg`);
  const args = ['--tool=callgrind', '--combine-dumps=yes', '--dump-line=no', '--dump-instr=no',
    `--callgrind-out-file=${out}`, exe, 'pair', String(size), ...PAIR_LOOPS.map(String)];
  return new Promise((resolve, reject) => {
    const p = spawn('valgrind', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    p.stderr.on('data', (d) => (stderr += d));
    p.stdout.resume();
    p.on('close', (code) => {
      if (code !== 0) return reject(new Error(`callgrind ${alloc} pair ${size}: exit ${code}\n${stderr.slice(-2000)}`));
      const t = [...fs.readFileSync(out, 'latin1').matchAll(/^totals: (\d+)/gm)].map((m) => +m[1]);
      fs.rmSync(out, { force: true });
      // four loops, plus callgrind's own final dump at exit
      if (t.length !== 5) return reject(new Error(`callgrind ${alloc} pair ${size}: ${t.length} dumps, not 5`));
      // (to 0.01: the two dumps' constant parts differ by a few instructions,
      // which is < 0.001 per iteration)
      const per = (a, b) => Math.round(((b - a) / (PAIR_LOOPS[1] - PAIR_LOOPS[0])) * 100) / 100;
      resolve({ size, instr: per(t[0], t[1]), loop_instr: per(t[2], t[3]) });
    });
  });
}

// {alloc: [{size, instr, loop_instr}]}, two at a time
async function runPairs(build, allocs, log) {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'alligator-bench-pair-'));
  const jobs = [];
  for (const a of allocs) for (const s of PAIR_SIZES) jobs.push({ a, s });
  const out = Object.fromEntries(allocs.map((a) => [a, []]));
  let next = 0;
  const worker = async () => {
    while (next < jobs.length) {
      const { a, s } = jobs[next++];
      const r = await pairInstr(build, a, s, tmp);
      out[a].push(r);
      if (log) log(`instr pair ${a} malloc(${s})+free: ${r.instr} instructions per iteration (loop ${r.loop_instr})`);
    }
  };
  await Promise.all([worker(), worker()]);
  fs.rmSync(tmp, { recursive: true, force: true });
  for (const a of allocs) out[a].sort((x, y) => x.size - y.size);
  return out;
}

async function runInstr(o, workloads) {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'alligator-bench-cg-'));
  const jobs = [];
  for (const w of workloads) for (const a of HOST_ALLOCS) jobs.push({ a, w });
  const results = {};
  const parallel = Math.max(1, Math.min(2, os.cpus().length));
  log(`instr: callgrind, ${jobs.length} runs, ${parallel} at a time`);
  let next = 0, done = 0;
  async function worker() {
    while (next < jobs.length) {
      const { a, w } = jobs[next++];
      results[a + '/' + w] = await callgrind(o.build, a, w, o.seed, INSTR_SCALE[w], tmp);
      done++;
      const r = results[a + '/' + w];
      log(`instr ${done}/${jobs.length}: ${w} ${a}: mean ${r.instr_mean.toFixed(1)}, p99 ${r.instr_p99}, max ${r.instr_max} (${r.instr_calls} calls; ${r.growth_calls} growth calls apart)`);
    }
  }
  await Promise.all(Array.from({ length: parallel }, worker));
  fs.rmSync(tmp, { recursive: true, force: true });
  return results;
}

// ---- code size -------------------------------------------------------------------
function codeSize(build) {
  const size = (n) => fs.statSync(path.join(build, 'size', `${n}.wasm`)).size;
  const base = size('baseline');
  const out = { baseline_wasm_bytes: base, total_wasm_bytes: {}, code_size_bytes: {} };
  for (const a of [...ALLOCS, 'alligator-Oz', 'alligator-nojs']) {
    out.total_wasm_bytes[a] = size(a);
    out.code_size_bytes[a] = size(a) - base;
  }
  // per function: the same link with a name section (its code section must
  // be the measured module's, byte for byte in size)
  const named = wasmFuncs.functionSizes(path.join(build, 'size', 'alligator-nojs-names.wasm'));
  const plain = wasmFuncs.functionSizes(path.join(build, 'size', 'alligator-nojs.wasm'));
  if (named.code_section_bytes !== plain.code_section_bytes || named.functions.length !== plain.functions.length)
    throw new Error(`size: alligator-nojs-names.wasm has ${named.functions.length} functions in ${named.code_section_bytes} B of code, ` +
      `alligator-nojs.wasm ${plain.functions.length} in ${plain.code_section_bytes} B: not the same code`);
  out.functions = {
    module: 'alligator-nojs', code_section_bytes: plain.code_section_bytes,
    functions: named.functions.map((f) => ({ name: f.name || `#${f.index}`, bytes: f.bytes })).sort((a, b) => b.bytes - a.bytes),
  };
  return out;
}

// ---- checksums ---------------------------------------------------------------------
function checkChecksums(rows, what) {
  const by = {};
  for (const r of rows) (by[r.workload] = by[r.workload] || []).push(r);
  const bad = [];
  for (const [w, rs] of Object.entries(by)) {
    const sums = new Set(rs.map((r) => r.checksum));
    if (sums.size !== 1 || rs.some((r) => !r.checksum || r.checksum_stable === false))
      bad.push(`${what} ${w}: ` + rs.map((r) => `${r.allocator}=${r.checksum}`).join(' '));
  }
  return bad;
}

function machine(o) {
  const cpus = os.cpus();
  return {
    host: os.hostname(), cpu: cpus[0] ? cpus[0].model : '?', cores: cpus.length, os: `${os.type()} ${os.release()}`,
    node: process.version, load_average: os.loadavg().map((x) => +x.toFixed(2)),
    loaded: o.loaded || os.loadavg()[0] > 0.5 * cpus.length,
  };
}

// ---- main ---------------------------------------------------------------------------
async function quick(o) {
  const start = Date.now();
  const allocs = await loadAllocs(o.build);
  log(`quick: every allocator runs every workload once at scale ${QUICK_SCALE} (wasm in Node, then host); checksums must agree; no timing`);
  const rows = await harness.runSuite({ allocs, runs: 0, warmup: 1, seed: o.seed, scale: QUICK_SCALE });
  const workloads = [...new Set(rows.map((r) => r.workload))];
  const host = [];
  for (const w of workloads)
    for (const a of HOST_ALLOCS) {
      const r = runHostOnce(o.build, a, w, o.seed, QUICK_SCALE);
      host.push({ allocator: a, workload: w, checksum: r.checksum, ops: r.ops });
    }
  const bad = [...checkChecksums(rows, 'wasm'), ...checkChecksums(host, 'host')];
  console.log('workload                  ops     checksum    (wasm: ' + ALLOCS.join(', ') + '; host: ' + HOST_ALLOCS.join(', ') + ')');
  for (const w of workloads) {
    const r = rows.find((x) => x.workload === w);
    const h = host.find((x) => x.workload === w);
    const same = h.checksum === r.checksum ? 'host = wasm' : 'host checksum differs (not 32-bit?)';
    console.log(`${w.padEnd(24)} ${String(r.ops).padStart(7)}  ${String(r.checksum).padStart(10)}  ${same}`);
  }
  // the code-size part (sizes, no timing): every size module is there and measured
  const cs = codeSize(o.build);
  console.log(`code size (-Oz, wasm bytes over the bump baseline of ${cs.baseline_wasm_bytes} B): ` +
    Object.entries(cs.code_size_bytes).map(([a, n]) => `${a} ${n}`).join(', '));
  const top = cs.functions.functions.slice(0, 5).map((f) => `${f.name} ${f.bytes}`).join(', ');
  console.log(`code size per function (${cs.functions.module}, ${cs.functions.functions.length} functions, ` +
    `code section ${cs.functions.code_section_bytes} B): ${top}, ...`);
  for (const [a, n] of Object.entries(cs.code_size_bytes)) if (!(n > 0)) bad.push(`size ${a}: ${n} B over the baseline`);
  const unnamed = cs.functions.functions.filter((f) => f.name.startsWith('#')).length;
  if (unnamed) bad.push(`size per function: ${unnamed} functions without a name in alligator-nojs-names.wasm`);
  if (bad.length) {
    console.log('bench-quick: FAILED (checksums or sizes):\n  ' + bad.join('\n  '));
    process.exit(1);
  }
  console.log(`bench-quick: ${workloads.length} workloads x ${ALLOCS.length} wasm + ${HOST_ALLOCS.length} host allocators: checksums agree (${((Date.now() - start) / 1000).toFixed(1)} s)`);
}

async function full(o) {
  const want = (k) => !o.only || o.only.includes(k);
  const latest = path.join(o.out, 'latest.json');
  // --only: keep the other parts of the previous results
  const prev = o.only && fs.existsSync(latest) ? JSON.parse(fs.readFileSync(latest, 'utf8')) : null;
  const result = {
    date: new Date().toISOString(),
    machine: machine(o),
    command: 'make bench' + (o.runs !== 5 ? ` BENCH_RUNS=${o.runs}` : '') + (o.scale !== 1 ? ` BENCH_SCALE=${o.scale}` : '') +
      (o.only ? ` BENCH_ONLY=${o.only.join(',')}` : '') + (o.loaded ? ' BENCH_LOADED=1' : ''),
    settings: { runs: o.runs, scale: o.scale, seed: o.seed, instr_scale: INSTR_SCALE, pair_sizes: PAIR_SIZES, pair_loops: PAIR_LOOPS, wasm_flags: '-O2', host_flags: '-O2 -m32' },
    code_size_bytes: prev ? prev.code_size_bytes : {},
    code_size: prev ? prev.code_size : null,
    pair_instr: prev ? prev.pair_instr || null : null,
    chromium: prev ? prev.chromium : null,
    // host rows are rebuilt below (merged with the old ones) whenever host or instr runs
    results: prev ? prev.results.filter((r) => (r.runtime === 'host' ? !(want('host') || want('instr')) : !want(r.runtime))) : [],
    checksum_problems: [],
  };
  // parts kept from an earlier run (--only): say which command made them
  if (prev) result.earlier_commands = [...(prev.earlier_commands || []), `${prev.command} (${prev.date})`];
  let workloads = null;
  if (want('size')) {
    const cs = codeSize(o.build);
    result.code_size = cs;
    result.code_size_bytes = { alligator: cs.code_size_bytes.alligator, dlmalloc: cs.code_size_bytes.dlmalloc, emmalloc: cs.code_size_bytes.emmalloc };
    log(`size: bytes over the bump baseline (${cs.baseline_wasm_bytes} B): ` + JSON.stringify(cs.code_size_bytes));
  }
  const push = (rows, runtime, extra = {}) => {
    for (const r of rows) {
      result.results.push({
        allocator: r.allocator, workload: r.workload, runtime,
        ops_per_us: r.ops_per_us, instr_mean: null, instr_p99: null, instr_max: null,
        peak_heap_bytes: r.peak_heap_bytes, peak_live_bytes: r.peak_live_bytes,
        checksum: r.checksum, ops: r.ops, ms_median: r.ms_median, ms_all: r.ms_all, ...extra,
      });
    }
  };
  if (want('node')) {
    const rows = await runNode(o);
    result.checksum_problems.push(...checkChecksums(rows, 'node'));
    push(rows, 'node');
    workloads = [...new Set(rows.map((r) => r.workload))];
  }
  if (want('chromium')) {
    const c = await runChromium(o);
    if (c) {
      result.checksum_problems.push(...checkChecksums(c.rows, 'chromium'));
      result.chromium = c.userAgent;
      push(c.rows, 'chromium');
      workloads = workloads || [...new Set(c.rows.map((r) => r.workload))];
    }
  }
  if (!workloads) {
    const allocs = await loadAllocs(o.build);
    workloads = await harness.workloadNames(allocs[0].factory, allocs[0].module);
  }
  if (want('host') || want('instr')) {
    const hostRows = want('host') ? runHost(o, workloads) : [];
    if (hostRows.length) result.checksum_problems.push(...checkChecksums(hostRows, 'host'));
    const instr = want('instr') ? await runInstr(o, workloads) : {};
    if (want('instr')) result.pair_instr = await runPairs(o.build, HOST_ALLOCS, log);
    if (Object.keys(instr).length)
      result.checksum_problems.push(...checkChecksums(Object.entries(instr).map(([k, v]) => ({ allocator: k.split('/')[0], workload: k.split('/')[1], checksum: v.checksum })), 'instr'));
    for (const w of workloads)
      for (const a of HOST_ALLOCS) {
        const h = hostRows.find((r) => r.allocator === a && r.workload === w);
        const i = instr[a + '/' + w];
        const old = prev && prev.results.find((r) => r.runtime === 'host' && r.allocator === a && r.workload === w);
        const row = old && !(h && i) ? { ...old } : { allocator: a, workload: w, runtime: 'host' };
        if (h) Object.assign(row, {
          ops_per_us: h.ops_per_us, peak_heap_bytes: h.peak_heap_bytes, peak_live_bytes: h.peak_live_bytes,
          checksum: h.checksum, ops: h.ops, ms_median: h.ms_median, ms_all: h.ms_all,
        });
        if (i) Object.assign(row, { instr_scale: INSTR_SCALE[w], ...i });
        for (const k of ['ops_per_us', 'instr_mean', 'instr_p99', 'instr_max', 'peak_heap_bytes', 'peak_live_bytes'])
          if (!(k in row)) row[k] = null;
        result.results.push(row);
      }
  }
  fs.mkdirSync(o.out, { recursive: true });
  fs.writeFileSync(latest, JSON.stringify(result, null, 1) + '\n');
  fs.writeFileSync(path.join(o.out, 'latest.svg'), report.svg(result));
  console.log(report.tables(result));
  log(`wrote ${path.relative(ROOT, latest)} and latest.svg`);
  if (result.checksum_problems.length) {
    console.log('CHECKSUMS DIFFER:\n  ' + result.checksum_problems.join('\n  '));
    process.exit(1);
  }
}

module.exports = { callgrind, parseDumps, summarise, COPY_FN, INSTR_SCALE, runPairs, PAIR_SIZES, PAIR_LOOPS };
if (require.main === module) {
  const o = parseArgs(process.argv.slice(2));
  (o.quick ? quick(o) : full(o)).catch((e) => {
    console.error(e && e.stack ? e.stack : e);
    process.exit(1);
  });
}
