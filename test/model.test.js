// Model-based random test, driven from JS through the wasm exports:
// hundreds of thousands of malloc/calloc/realloc/memalign/free with sizes
// 0..1 MiB weighted to small, checked after EVERY step against a model of the
// live blocks: alignment, no overlap with any live block, contents preserved
// (fill patterns, checked in full before every free and realloc), calloc
// zeroed, statistics equal to the model's, and alligator_validate() clean.
// Also runs the C model test (test/c/model.c) compiled to wasm.
'use strict';
const assert = require('assert');
const path = require('path');
const { execFileSync } = require('child_process');
const { load, rng, BUILD } = require('./helpers');

const SLOTS = 400;

// Sorted [start, end) intervals of live blocks, for the overlap check.
class Intervals {
  constructor() { this.starts = []; this.ends = new Map(); }
  index(a) {
    let lo = 0, hi = this.starts.length;
    while (lo < hi) { const mid = (lo + hi) >> 1; if (this.starts[mid] < a) lo = mid + 1; else hi = mid; }
    return lo;
  }
  overlapping(a, b) { // a live interval that intersects [a, b), or null
    const i = this.index(a);
    for (const j of [i - 1, i]) {
      if (j < 0 || j >= this.starts.length) continue;
      const s = this.starts[j], e = this.ends.get(s);
      if (s < b && a < e) return [s, e];
    }
    return null;
  }
  add(a, b) { this.starts.splice(this.index(a), 0, a); this.ends.set(a, b); }
  remove(a) { this.starts.splice(this.index(a), 1); this.ends.delete(a); }
}

function runModel(m, seed, steps) {
  const rnd = rng(seed);
  const slots = new Array(SLOTS).fill(null);
  const live = new Intervals();
  const base = m.alligator.stats();
  let nlive = 0, usable = 0, slack = 0;
  const size = () => {
    const r = rnd() % 100;
    if (r < 55) return rnd() % 257;
    if (r < 80) return rnd() % 2049;
    if (r < 96) return rnd() % 65537;
    return rnd() % (1 << 20) + 1;
  };
  const admit = (p, n, align, step, what) => {
    assert.notStrictEqual(p, 0, `step ${step}: ${what}(${n}) returned NULL`);
    assert.strictEqual(p % align, 0, `step ${step}: ${what}(${n}) = ${p} not ${align}-aligned`);
    const u = m._malloc_usable_size(p);
    assert.ok(u >= n, `step ${step}: usable ${u} < ${n}`);
    const hit = live.overlapping(p, p + u);
    assert.strictEqual(hit, null, `step ${step}: [${p}, ${p + u}) overlaps live block ${hit}`);
    live.add(p, p + u);
    return u;
  };
  for (let step = 0; step < steps; step++) {
    const i = rnd() % SLOTS, op = rnd() % 100, b = slots[i];
    if (b && op < 45) {
      assert.strictEqual(m._test_check(b.p, b.n, b.seed), -1, `step ${step}: contents before free`);
      m._free(b.p);
      live.remove(b.p);
      nlive--; usable -= b.u; slack -= b.slack;
      slots[i] = null;
    } else if (b && op < 75) {
      const n = op < 60 ? size() : b.n + rnd() % (b.n + 64);
      assert.strictEqual(m._test_check(b.p, b.n, b.seed), -1, `step ${step}: contents before realloc`);
      live.remove(b.p);
      const q = m._realloc(b.p, n || 1);
      const u = admit(q, n || 1, 16, step, 'realloc');
      const keep = Math.min(b.n, n || 1);
      assert.strictEqual(m._test_check(q, keep, b.seed), -1, `step ${step}: contents after realloc`);
      m._test_fill(q, keep, n || 1, b.seed);
      usable += u - b.u; slack -= b.slack;
      slots[i] = { p: q, n: n || 1, u, seed: b.seed, slack: 0 };
    } else if (!b) {
      let n = size(), p, align = 16, zero = false;
      const kind = rnd() % 10;
      if (kind < 5) p = m._malloc(n);
      else if (kind < 7) { const c = 1 + rnd() % 8; n = Math.floor(n / c) * c; p = m._calloc(c, n / c); zero = true; }
      else { align = 1 << (4 + rnd() % 13); p = kind === 9 ? m._aligned_alloc(align, n) : m._memalign(align, n); }
      const u = admit(p, n, align, step, zero ? 'calloc' : 'malloc');
      if (zero) assert.strictEqual(m._test_check_zero(p, n), -1, `step ${step}: calloc(${n}) not zeroed`);
      const seed = rnd();
      m._test_fill(p, 0, n, seed);
      const sl = align > 16 ? align - 16 : 0;
      nlive++; usable += u; slack += sl;
      slots[i] = { p, n, u, seed, slack: sl };
    }
    const s = m.alligator.stats();
    assert.strictEqual(s.liveAllocations, base.liveAllocations + nlive, `step ${step}: live allocations`);
    assert.ok(s.inUseBytes >= base.inUseBytes + usable && s.inUseBytes <= base.inUseBytes + usable + slack,
      `step ${step}: ${s.inUseBytes} bytes in use, model ${base.inUseBytes + usable} (+${slack})`);
    assert.ok(s.peakInUseBytes >= s.inUseBytes);
    assert.strictEqual(s.heapBytes, s.inUseBytes + s.freeBytes + s.overheadBytes);
    assert.strictEqual(m.alligator.validate(), 0, `step ${step}: heap check`);
  }
  for (const b of slots) if (b) { assert.strictEqual(m._test_check(b.p, b.n, b.seed), -1); m._free(b.p); }
  assert.strictEqual(m.alligator.stats().liveAllocations, base.liveAllocations);
  assert.strictEqual(m.alligator.validate(), 0);
  return m.alligator.stats();
}

describe('model-based random sequence (wasm, driven from JS)', function () {
  this.timeout(300000);
  for (const [route, seed] of [['api-port', 1], ['api-port', 2], ['api-make', 3], ['api-port-oz', 4]]) {
    it(`${route}, seed ${seed}: 100000 steps, every step checked`, async () => {
      const m = await load(route);
      const s = runModel(m, seed, 100000);
      assert.ok(s.heapBytes > 0);
    });
  }
});

describe('model-based random sequence (test/c/model.c compiled to wasm)', function () {
  this.timeout(300000);
  it('100000 steps, validate after every step', () => {
    const out = execFileSync(process.execPath, ['--no-experimental-fetch', path.join(BUILD, 'model-wasm.js'), '100000', '11', '1'],
      { encoding: 'utf8' });
    assert.match(out, /model: 100000 steps, seed 11, .*: ok/);
  });
});
