// Memory that cannot shrink must be reused: three patterns whose heap must
// stay bounded, and out-of-memory under -sMAXIMUM_MEMORY.
// The heap is measured in 64 KiB wasm pages of memory and in bytes obtained
// from sbrk; both are printed, so the closing note can quote them.
'use strict';
const assert = require('assert');
const { load, ENOMEM } = require('./helpers');

const pages = (m) => m.HEAP8.length / 65536;

function measure(m, label, warmup, total, body) {
  for (let i = 0; i < warmup; i++) body(i);
  const heap1 = m.alligator.stats().heapBytes, pages1 = pages(m);
  for (let i = warmup; i < total; i++) body(i);
  const heap2 = m.alligator.stats().heapBytes, pages2 = pages(m);
  console.log(`      ${label}: heap ${heap1} B / ${pages1} pages after ${warmup} rounds, ` +
              `${heap2} B / ${pages2} pages after ${total}`);
  assert.strictEqual(heap2, heap1, `${label}: the heap grew from ${heap1} to ${heap2} bytes`);
  assert.strictEqual(pages2, pages1, `${label}: memory grew from ${pages1} to ${pages2} pages`);
  assert.strictEqual(m.alligator.validate(), 0);
  return heap2;
}

describe('reuse: the heap stays bounded', function () {
  this.timeout(120000);
  let m;
  beforeEach(async () => { m = await load('api-port'); });

  it('alternating malloc/free of 85196 B and 80000 B', () => {
    const heap = measure(m, 'alternating 85196/80000', 10, 20000, () => {
      const a = m._malloc(85196); m._free(a);
      const b = m._malloc(80000); m._free(b);
    });
    assert.ok(heap < 4 * 85196, `heap ${heap} for one 85 KB block at a time`);
    // the same, with one of each alive while the other is allocated
    let a = m._malloc(85196), b = m._malloc(80000);
    measure(m, 'overlapping 85196/80000', 10, 20000, () => {
      m._free(a); a = m._malloc(85196);
      m._free(b); b = m._malloc(80000);
    });
    m._free(a); m._free(b);
  });

  it('2 MB of small objects freed, then one 2 MB block: served without growing', () => {
    const small = [];
    let total = 0;
    for (let i = 0; total < 2 * 1024 * 1024; i++) {
      const n = 16 + (i * 7919) % 240;
      small.push(m._malloc(n));
      total += n;
    }
    const before = m.alligator.stats();
    small.forEach((p) => m._free(p));
    const big = m._malloc(2 * 1024 * 1024);
    assert.ok(big);
    const after = m.alligator.stats();
    console.log(`      2 MB small then 2 MB block: heap ${before.heapBytes} B before, ${after.heapBytes} B after`);
    assert.strictEqual(after.heapBytes, before.heapBytes, 'the freed MiniPages served the 2 MB block');
    m._free(big);
    // and back again, repeatedly
    measure(m, '2 MB small <-> 2 MB block', 2, 30, () => {
      const ps = [];
      for (let i = 0; i < 20000; i++) ps.push(m._malloc(16 + (i * 7919) % 240));
      ps.forEach((p) => m._free(p));
      m._free(m._malloc(2 * 1024 * 1024));
    });
  });

  it('fill with 64 B objects, free, fill with 1 KiB objects, free, repeated', () => {
    measure(m, '64 B fill <-> 1 KiB fill', 2, 40, () => {
      let ps = [];
      for (let i = 0; i < 30000; i++) ps.push(m._malloc(64));
      ps.forEach((p) => m._free(p));
      ps = [];
      for (let i = 0; i < 1900; i++) ps.push(m._malloc(1024));
      ps.forEach((p) => m._free(p));
    });
  });

  // Issue 10: the same workload repeated in one instance must not grow the
  // heap after its second run.  The mixes are test/c/repeat.h's (the native
  // test runs them too); each in a fresh instance.
  it('a workload repeated 7 times grows the heap only in its first two runs', async () => {
    const runs = m._test_repeat_runs();
    for (let mix = 0; mix < m._test_repeat_mixes(); mix++) {
      const r = await load('api-port');
      const name = r.UTF8ToString(r._test_repeat_name(mix));
      const heap = [];
      for (let run = 1; run <= runs; run++) {
        assert.strictEqual(r._test_repeat_run(mix), 0, `${name}: run ${run} failed`);
        heap.push(r.alligator.stats().heapBytes);
      }
      console.log(`      ${name}: heap after each run ${heap.join(' ')}`);
      for (let run = 3; run <= runs; run++) {
        assert.strictEqual(heap[run - 1], heap[1], `${name}: the heap grew from ${heap[1]} B after run 2 to ${heap[run - 1]} B after run ${run}`);
      }
      assert.strictEqual(r.alligator.stats().inUseBytes, 0);
      assert.strictEqual(r.alligator.validate(), 0);
    }
  });

  it('so do workloads drawn from seeds (test/c/repeat.h, repeat_random_mix)', async () => {
    const runs = m._test_repeat_runs(), count = m._test_repeat_random_count();
    assert.ok(count > 0);
    for (let seed = 1; seed <= count; seed++) {
      const r = await load('api-port');
      r._test_repeat_random_pick(seed);
      const heap = [];
      for (let run = 1; run <= runs; run++) {
        assert.strictEqual(r._test_repeat_random_run(), 0, `seed ${seed}: run ${run} failed`);
        heap.push(r.alligator.stats().heapBytes);
      }
      for (let run = 3; run <= runs; run++) {
        assert.strictEqual(heap[run - 1], heap[1], `seed ${seed}: the heap grew from ${heap[1]} B after run 2 to ${heap[run - 1]} B after run ${run}`);
      }
      assert.strictEqual(r.alligator.stats().inUseBytes, 0);
    }
  });

  it('calloc of fresh memory needs no memset, and reused memory is zeroed', () => {
    const p = m._calloc(4, 1 << 20);
    assert.strictEqual(m._test_check_zero(p, 4 << 20), -1);
    m._test_fill(p, 0, 4 << 20, 5);
    m._free(p);
    const q = m._calloc(4, 1 << 20);
    assert.strictEqual(q, p, 'the same memory comes back');
    assert.strictEqual(m._test_check_zero(q, 4 << 20), -1);
    m._free(q);
  });
});

describe('out of memory (-sMAXIMUM_MEMORY=32MB)', function () {
  this.timeout(60000);
  it('returns NULL with ENOMEM, stays consistent, and works again after frees', async () => {
    const m = await load('api-oom');
    const blocks = [];
    for (;;) {
      m._test_set_errno(0);
      const p = m._malloc(1 << 20);
      if (!p) break;
      m._test_fill(p, 0, 1 << 20, blocks.length);
      blocks.push(p);
      assert.ok(blocks.length < 64, 'the ceiling was not enforced');
    }
    assert.strictEqual(m.errno(), ENOMEM);
    assert.ok(blocks.length >= 20, `only ${blocks.length} MiB before the 32 MiB ceiling`);
    const s = m.alligator.stats();
    assert.ok(s.oomCount >= 1);
    assert.strictEqual(m.alligator.validate(), 0);
    // small requests may still be served from what is left; then fail cleanly too
    let small = 0;
    for (let p; (p = m._malloc(4000)); small++) assert.ok(small < 100000);
    assert.strictEqual(m.errno(), ENOMEM);
    assert.strictEqual(m.alligator.validate(), 0);
    blocks.forEach((p, i) => { assert.strictEqual(m._test_check(p, 1 << 20, i), -1, 'contents survive OOM'); });
    for (let i = 0; i < blocks.length; i += 2) m._free(blocks[i]);
    const again = m._malloc(1 << 20);
    assert.ok(again, 'an allocation succeeds after frees');
    for (let i = 1; i < blocks.length; i += 2) m._free(blocks[i]);
    m._free(again);
    const big = m._malloc(16 << 20);
    assert.ok(big, 'freed blocks coalesce into one 16 MiB block');
    m._free(big);
    assert.strictEqual(m.alligator.validate(), 0);
  });
});
