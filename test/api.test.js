// Every API function and its edge cases, in wasm, through both build routes:
// the port file (api-port) and the make route for Emscripten 3.1.6 (api-make),
// and the port's -Oz library (api-port-oz: malloc and free on their full paths).
'use strict';
const assert = require('assert');
const { load, ENOMEM, EINVAL } = require('./helpers');

const SIZES = [0, 1, 15, 16, 17, 100, 255, 256, 1000, 1024, 2047, 2048, 2049, 4096, 10000, 65536, 100000, 1 << 20];

for (const route of ['api-port', 'api-make', 'api-port-oz']) {
  describe(`API (${route})`, function () {
    let m;
    before(async () => { m = await load(route); });
    afterEach(() => assert.strictEqual(m.alligator.validate(), 0, 'heap check'));

    const live = () => m.alligator.stats().liveAllocations;

    it('malloc: 16-aligned, usable >= requested, distinct, for small and large sizes', () => {
      const ptrs = SIZES.map((n) => {
        const p = m._malloc(n);
        assert.notStrictEqual(p, 0, `malloc(${n})`);
        assert.strictEqual(p % 16, 0, `malloc(${n}) = ${p} not 16-aligned`);
        assert.ok(m._malloc_usable_size(p) >= n, `usable(${n})`);
        m._test_fill(p, 0, n, n);
        return p;
      });
      assert.strictEqual(new Set(ptrs).size, ptrs.length, 'distinct pointers');
      ptrs.forEach((p, i) => assert.strictEqual(m._test_check(p, SIZES[i], SIZES[i]), -1, 'contents'));
      ptrs.forEach((p) => m._free(p));
    });

    it('malloc(0) gives a unique pointer; free(NULL) does nothing', () => {
      const a = m._malloc(0), b = m._malloc(0);
      assert.ok(a && b && a !== b);
      const before = live();
      m._free(0);
      assert.strictEqual(live(), before);
      m._free(a); m._free(b);
    });

    it('free gives memory back: live allocations and bytes in use return to where they were', () => {
      const s0 = m.alligator.stats();
      const ptrs = SIZES.map((n) => m._malloc(n));
      assert.strictEqual(live(), s0.liveAllocations + SIZES.length);
      ptrs.forEach((p) => m._free(p));
      const s1 = m.alligator.stats();
      assert.strictEqual(s1.liveAllocations, s0.liveAllocations);
      assert.strictEqual(s1.inUseBytes, s0.inUseBytes);
    });

    it('calloc zeroes memory that was used before, small and large', () => {
      for (const n of [24, 1000, 3000, 50000]) {
        const dirty = m._malloc(n);
        m._test_fill(dirty, 0, n, 7);
        m._free(dirty);
        const p = m._calloc(1, n);
        assert.strictEqual(m._test_check_zero(p, n), -1, `calloc(1, ${n})`);
        m._free(p);
      }
      const fresh = m._calloc(1000, 1000); // from new memory: zero without memset
      assert.strictEqual(m._test_check_zero(fresh, 1000000), -1);
      m._free(fresh);
    });

    it('calloc: n * size overflow returns NULL with ENOMEM', () => {
      m._test_set_errno(0);
      assert.strictEqual(m._calloc(0x10000, 0x10001), 0);
      assert.strictEqual(m.errno(), ENOMEM);
    });

    it('realloc: NULL acts as malloc, 0 frees, contents kept when growing and shrinking', () => {
      const p = m._realloc(0, 100);
      assert.ok(p);
      m._test_fill(p, 0, 100, 3);
      let q = p;
      for (const n of [200, 3000, 70000, 500000, 40, 5000, 20]) {
        const old = Math.min(n, m._malloc_usable_size(q));
        const keep = Math.min(old, 20);
        q = m._realloc(q, n);
        assert.ok(q && q % 16 === 0, `realloc to ${n}`);
        assert.strictEqual(m._test_check(q, keep, 3), -1, `contents after realloc to ${n}`);
        m._test_fill(q, 0, n, 3);
      }
      const before = live();
      assert.strictEqual(m._realloc(q, 0), 0, 'realloc(p, 0) returns NULL');
      assert.strictEqual(live(), before - 1, 'and frees p');
    });

    it('realloc resizes large blocks in place when it can', () => {
      const p = m._malloc(100000);
      assert.strictEqual(m._realloc(p, 60000), p, 'shrink in place');
      const q = m._malloc(3000); // something after it, then free it: room to grow into
      m._free(q);
      assert.strictEqual(m._realloc(p, 61000), p, 'grow into free space in place');
      m._free(p);
      const small = m._malloc(100);
      assert.strictEqual(m._realloc(small, 90), small, 'small shrink within the class stays');
      m._free(small);
    });

    it('realloc failure leaves the block untouched (ENOMEM)', () => {
      const p = m._malloc(64);
      m._test_fill(p, 0, 64, 9);
      m._test_set_errno(0);
      assert.strictEqual(m._realloc(p, 0xFFFFFFF0), 0);
      assert.strictEqual(m.errno(), ENOMEM);
      assert.strictEqual(m._test_check(p, 64, 9), -1);
      m._free(p);
    });

    it('reallocarray checks count * size for overflow', () => {
      const p = m._malloc(10);
      assert.strictEqual(m._reallocarray(p, 0x10000, 0x10001), 0);
      assert.strictEqual(m.errno(), ENOMEM);
      const q = m._reallocarray(p, 10, 10);
      assert.ok(q && m._malloc_usable_size(q) >= 100);
      m._free(q);
    });

    it('memalign and aligned_alloc honour every power of two up to 64 KiB', () => {
      const ptrs = [];
      for (let a = 1; a <= 65536; a *= 2) {
        for (const n of [0, 1, 24, 700, 2048, 5000, 70000]) {
          const p = m._memalign(a, n), q = m._aligned_alloc(a, n);
          assert.ok(p && q, `memalign(${a}, ${n})`);
          assert.strictEqual(p % Math.max(a, 16), 0, `memalign(${a}, ${n}) = ${p}`);
          assert.strictEqual(q % Math.max(a, 16), 0, `aligned_alloc(${a}, ${n}) = ${q}`);
          assert.ok(m._malloc_usable_size(p) >= n);
          m._test_fill(p, 0, n, a);
          ptrs.push([p, n, a], [q, 0, 0]);
        }
      }
      assert.strictEqual(m.alligator.validate(), 0);
      for (const [p, n, a] of ptrs) {
        assert.strictEqual(m._test_check(p, n, a), -1);
        m._free(p);
      }
    });

    it('aligned_alloc and posix_memalign reject bad alignments with EINVAL', () => {
      m._test_set_errno(0);
      assert.strictEqual(m._aligned_alloc(3, 10), 0);
      assert.strictEqual(m.errno(), EINVAL);
      assert.strictEqual(m._test_posix_memalign(3, 10), EINVAL, 'not a power of two');
      assert.strictEqual(m._test_posix_memalign(2, 10), EINVAL, 'not a multiple of sizeof(void *)');
      assert.strictEqual(m._test_posix_memalign(0, 10), EINVAL, 'zero');
      assert.strictEqual(m._test_posix_memalign(64, 0xFFFFFFF0), ENOMEM, 'too big');
      assert.strictEqual(m._test_posix_memalign(256, 1000), 0);
      const p = m._test_posix_memalign_result();
      assert.strictEqual(p % 256, 0);
      m._free(p);
    });

    it('malloc_usable_size(NULL) is 0; a small request gets the smallest class that holds it', () => {
      assert.strictEqual(m._malloc_usable_size(0), 0);
      const classes = m.alligator.stats().classes.map((c) => c.size);
      for (let n = 0; n <= 2048; n += 7) {
        const p = m._malloc(n), u = m._malloc_usable_size(p);
        assert.strictEqual(u, classes.find((s) => s >= n), `usable(${n}) is the smallest class that holds it`);
        m._free(p);
      }
    });

    it('alligator.geometry() is the heap the map shows: units, header, classes', () => {
      const g = m.alligator.geometry(), s = m.alligator.stats();
      assert.strictEqual(g.classes, s.classes.length);
      assert.deepStrictEqual(g.classSizes, s.classes.map((c) => c.size));
      assert.deepStrictEqual([g.smallestClass, g.largestClass], [g.classSizes[0], g.classSizes[g.classes - 1]]);
      assert.strictEqual(g.headerBytes + g.sectionBytes, g.unitBytes);
      assert.ok(g.largestClass <= g.sectionBytes, 'the largest class fits a section');
      const p = m._malloc(g.smallestClass);
      const spans = m.alligator.heapMap(), pages = spans.filter((e) => e.kind === 'minipage');
      assert.ok(pages.length > 0);
      for (const e of pages) assert.strictEqual(e.bytes, g.unitBytes, `MiniPage at ${e.address}`);
      const home = pages.find((e) => e.address <= p && p < e.address + e.bytes);
      assert.ok(home && p - home.address >= g.headerBytes, `segment ${p} lies past its MiniPage's ${g.headerBytes} B header`);
      m._free(p);
    });

    it('requests that cannot be met return NULL with ENOMEM and count as out-of-memory', () => {
      const before = m.alligator.stats().oomCount;
      for (const n of [0xFFFFFFF0, 0xF0000000, 0x80000001]) {
        m._test_set_errno(0);
        assert.strictEqual(m._malloc(n), 0, `malloc(${n})`);
        assert.strictEqual(m.errno(), ENOMEM);
      }
      assert.strictEqual(m._memalign(65536, 0xFFFF0000), 0);
      assert.ok(m.alligator.stats().oomCount >= before + 4);
      const p = m._malloc(1000); // still works
      assert.ok(p);
      m._free(p);
    });

    it('mallinfo agrees with alligator_stats', () => {
      const p = m._malloc(5000), q = m._malloc(50);
      const s = m.alligator.stats();
      assert.strictEqual(m._test_mallinfo(0), s.heapBytes, 'arena');
      assert.strictEqual(m._test_mallinfo(7), s.inUseBytes, 'uordblks');
      assert.strictEqual(m._test_mallinfo(8), s.freeBytes, 'fordblks');
      assert.strictEqual(m._test_mallinfo(3), s.largeBlocks, 'hblks');
      assert.strictEqual(m._test_mallinfo(5), s.peakInUseBytes, 'usmblks');
      m._free(p); m._free(q);
    });

    it('emscripten_builtin_malloc/free/memalign are Alligator', () => {
      const before = live();
      const p = m._emscripten_builtin_malloc(100), q = m._emscripten_builtin_memalign(4096, 100);
      assert.ok(p && q && q % 4096 === 0);
      assert.strictEqual(live(), before + 2);
      m._emscripten_builtin_free(p);
      m._emscripten_builtin_free(q);
      assert.strictEqual(live(), before);
    });

    it("Emscripten's JS runtime allocates through Alligator (allocateUTF8)", () => {
      const before = m.alligator.stats();
      const text = 'crocodylia '.repeat(50);
      const p = m.allocateUTF8(text);
      const after = m.alligator.stats();
      assert.strictEqual(after.liveAllocations, before.liveAllocations + 1);
      assert.ok(m._malloc_usable_size(p) >= text.length + 1);
      assert.strictEqual(m.UTF8ToString(p), text);
      m._free(p);
    });

    it('Module.alligator.stats() reads the same numbers as the C struct', () => {
      const keep = [m._malloc(10), m._malloc(3000), m._malloc(200000), m._memalign(1024, 100)];
      m._free(keep[1]);
      const s = m.alligator.stats();
      const names = ['heapBytes', 'inUseBytes', 'peakInUseBytes', 'freeBytes', 'overheadBytes', 'liveAllocations',
        'minipages', 'largeBlocks', 'largeBytes', 'freeSpans', 'freeSpanBytes', 'largestFreeBytes', 'oomCount', 'growCount'];
      names.forEach((k, i) => assert.strictEqual(s[k], m._test_stats_field(i), k));
      assert.strictEqual(s.fragmentation, m._test_fragmentation());
      assert.strictEqual(s.classes.length, 21);
      assert.strictEqual(s.classes.reduce((a, c) => a + c.pages, 0), s.minipages);
      assert.strictEqual(s.heapBytes, s.inUseBytes + s.freeBytes + s.overheadBytes);
      assert.ok(s.fragmentation >= 0 && s.fragmentation < 1);
      [keep[0], keep[2], keep[3]].forEach((p) => m._free(p));
    });

    it('heapMap() covers the heap in address order', () => {
      const keep = [m._malloc(100), m._malloc(9000)];
      const map = m.alligator.heapMap();
      const s = m.alligator.stats();
      assert.ok(map.length > 2);
      for (let i = 1; i < map.length; i++) {
        if (map[i - 1].kind !== 'end') assert.strictEqual(map[i].address, map[i - 1].address + map[i - 1].bytes, `span ${i}`);
      }
      assert.strictEqual(map[map.length - 1].kind, 'end');
      const pages = map.filter((e) => e.kind === 'minipage');
      assert.strictEqual(pages.length, m.alligator.stats().minipages + 0, 'one entry per MiniPage');
      assert.ok(map.some((e) => e.kind === 'large'));
      assert.ok(s.heapBytes >= map.reduce((a, e) => a + (e.kind === 'end' ? 0 : e.bytes), 0));
      keep.forEach((p) => m._free(p));
    });

    it('someone else moving the break (sbrk) starts a new heap segment; both stay usable', () => {
      const a = m._malloc(100000);
      const before = m.alligator.stats();
      const foreign = m._sbrk(12345); // not ours: Alligator must not hand this out
      assert.notStrictEqual(foreign, -1);
      m._test_fill(foreign, 0, 12345, 77);
      const blocks = [];
      for (let i = 0; i < 20 || m.alligator.stats().heapBytes === before.heapBytes; i++) { // until it grows
        assert.ok(i < 2000, 'the heap never grew');
        const p = m._malloc(60000);
        assert.ok(p);
        assert.ok(p + 60000 <= foreign || p >= foreign + 12345, `block ${p} overlaps the foreign sbrk memory`);
        m._test_fill(p, 0, 60000, i);
        blocks.push(p);
      }
      assert.ok(m.alligator.stats().heapBytes > before.heapBytes);
      assert.strictEqual(m.alligator.validate(), 0);
      const map = m.alligator.heapMap();
      assert.ok(map.filter((e) => e.kind === 'end').length >= 2, 'two segments, each closed by an END header');
      blocks.forEach((p, i) => { assert.strictEqual(m._test_check(p, 60000, i), -1); m._free(p); });
      m._free(a);
      assert.strictEqual(m._test_check(foreign, 12345, 77), -1, 'the foreign memory was left alone');
      assert.strictEqual(m.alligator.validate(), 0);
    });

    it('misuse is caught with the kind of misuse, and the heap stays consistent', () => {
      m._test_catch_misuse(1);
      try {
        const p = m._malloc(40);
        m._free(p);
        m._free(p);
        assert.strictEqual(m._test_misuse_kind(), 1, 'double free of a small block');
        const big = m._malloc(50000);
        m._free(big);
        m._test_catch_misuse(1);
        m._free(big);
        assert.strictEqual(m._test_misuse_kind(), 1, 'double free of a large block');
        const q = m._malloc(50000);
        m._test_catch_misuse(1);
        m._free(q + 64);
        assert.strictEqual(m._test_misuse_kind(), 2, 'pointer into the middle of a large block');
        m._test_catch_misuse(1);
        m._free(16);
        assert.strictEqual(m._test_misuse_kind(), 2, 'pointer below the heap');
        m._free(q);
        assert.strictEqual(m.alligator.validate(), 0);
      } finally {
        m._test_catch_misuse(0);
      }
    });
  });
}
