// The measuring loop, shared by Node (bench/run.js) and the Chromium page
// (bench/page.html): the same code times the same wasm modules in both.
//
// Each measurement instantiates a fresh module instance (fresh memory, so
// the heap high-water mark belongs to that one run) from a compiled
// WebAssembly.Module that is shared by all runs (so V8's optimised code is
// reused: one warm-up run per cell lets tier-up happen before timing).
(function (root) {
  'use strict';

  function instantiate(factory, module) {
    return factory({
      print() {},
      printErr() {},
      instantiateWasm(imports, done) {
        WebAssembly.instantiate(module, imports).then((instance) => done(instance, module));
        return {};
      },
    });
  }

  async function workloadNames(factory, module) {
    const m = await instantiate(factory, module);
    const names = [];
    for (let i = 0; i < m._bench_wasm_workloads(); i++) names.push(m.UTF8ToString(m._bench_wasm_workload_name(i)));
    return names;
  }

  // One run of workload w in a fresh instance.
  async function measureOnce(factory, module, w, seed, scale) {
    const m = await instantiate(factory, module);
    const t0 = performance.now();
    const checksum = m._bench_wasm_run(w, seed, scale) >>> 0;
    const t1 = performance.now();
    return {
      checksum,
      ms: t1 - t0,
      ops: m._bench_wasm_ops(),
      peak_live_bytes: m._bench_wasm_peak_live(),
      peak_heap_bytes: m._bench_wasm_peak_heap(),
    };
  }

  function median(xs) {
    const s = xs.slice().sort((a, b) => a - b);
    const n = s.length;
    return n % 2 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
  }

  // allocs: [{name, factory, module}].  Runs are interleaved (run r of every
  // allocator before run r + 1 of any) so that drift in machine load hits all
  // allocators alike.  Returns one row per allocator x workload.
  async function runSuite({ allocs, runs = 5, warmup = 1, seed = 1, scale = 1, workloads = null, log = () => {} }) {
    const names = await workloadNames(allocs[0].factory, allocs[0].module);
    const ws = names.map((n, i) => i).filter((i) => !workloads || workloads.includes(names[i]));
    const cells = {};
    for (const w of ws) for (const a of allocs) cells[a.name + '/' + w] = { times: [], first: null, sums: new Set() };
    for (let r = -warmup; r < runs; r++) {
      for (const w of ws) {
        for (const a of allocs) {
          const res = await measureOnce(a.factory, a.module, w, seed, scale);
          const c = cells[a.name + '/' + w];
          c.sums.add(res.checksum);
          if (!c.first) c.first = res;
          if (r >= 0) c.times.push(res.ms);
        }
        log(`run ${r < 0 ? 'warm-up' : r + 1 + '/' + runs}: ${names[w]} done`);
      }
    }
    const rows = [];
    for (const w of ws) {
      for (const a of allocs) {
        const c = cells[a.name + '/' + w];
        const ms = median(c.times.length ? c.times : [NaN]);
        rows.push({
          allocator: a.name,
          workload: names[w],
          checksum: c.first.checksum,
          checksum_stable: c.sums.size === 1,
          ops: c.first.ops,
          ms_median: ms,
          ms_all: c.times,
          ops_per_us: c.times.length ? c.first.ops / (ms * 1000) : null,
          peak_heap_bytes: c.first.peak_heap_bytes,
          peak_live_bytes: c.first.peak_live_bytes,
        });
      }
    }
    return rows;
  }

  const api = { instantiate, measureOnce, runSuite, median, workloadNames };
  if (typeof module === 'object' && module.exports) module.exports = api;
  else root.AlligatorBench = api;
})(typeof globalThis !== 'undefined' ? globalThis : this);
