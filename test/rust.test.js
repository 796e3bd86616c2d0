// The Rust crate (rust/, mk/rust.mk) in V8: the wasm32-unknown-unknown
// module under a plain WebAssembly.instantiate (no imports at all), and the
// wasm32-wasi example through @bjorn3/browser_wasi_shim, without wasi-libc's
// dlmalloc.  The modules are built by `make test-wasm`; the cargo tests run
// in `make rust-test`.
'use strict';
const assert = require('assert');
const fs = require('fs');
const path = require('path');
const { runWasi } = require('../scripts/devtools/run-wasi.js');

const W = path.join(__dirname, '..', 'build', 'rust', 'wasm');

function needModules(ctx) {
  const skipped = path.join(W, 'SKIPPED');
  if (fs.existsSync(skipped)) {
    console.log(`      ${fs.readFileSync(skipped, 'utf8').trim()}`);
    ctx.skip();
  }
}

// Function names from a module's "name" section (subsection 1).
function functionNames(file) {
  const b = fs.readFileSync(file);
  let i = 8;
  const leb = () => {
    let v = 0, shift = 0, c;
    do { c = b[i++]; v += (c & 0x7f) * 2 ** shift; shift += 7; } while (c & 0x80);
    return v;
  };
  const names = [];
  while (i < b.length) {
    const id = b[i++], size = leb(), end = i + size;
    if (id === 0) {
      const n = leb(), name = b.toString('utf8', i, i + n);
      i += n;
      if (name === 'name')
        while (i < end) {
          const sub = b[i++], len = leb(), subEnd = i + len;
          if (sub === 1) for (let k = leb(); k > 0; k--) { leb(); const m = leb(); names.push(b.toString('utf8', i, i + m)); i += m; }
          i = subEnd;
        }
    }
    i = end;
  }
  return names;
}

describe('Rust: wasm32-unknown-unknown module (plain WebAssembly.instantiate)', function () {
  this.timeout(60000);
  let e, text;
  before(async function () {
    needModules(this);
    const module = await WebAssembly.compile(fs.readFileSync(path.join(W, 'unknown.wasm')));
    assert.deepStrictEqual(WebAssembly.Module.imports(module), [], 'the module imports nothing');
    e = (await WebAssembly.instantiate(module, {})).exports;
    text = (p) => {
      const m = new Uint8Array(e.memory.buffer);
      let n = p;
      while (m[n]) n++;
      return Buffer.from(m.subarray(p, n)).toString('utf8');
    };
  });
  const ok = (name, ...args) => assert.strictEqual(e[name](...args), 0, text(e.test_message()));

  it('statistics agree with themselves, the heap map and validate()', function () { ok('test_stats'); });
  it('Rust allocations, Rust\'s own dlmalloc (System) and raw memory.grow never overlap', function () {
    ok('test_mix');
    ok('test_stats');
  });
  it('the wee_alloc pattern (85196 B / 80000 B, 20000 rounds) keeps the heap flat', function () {
    ok('test_wee_alloc', 0);
    const heap = e.heap_bytes();
    ok('test_wee_alloc', 1);
    ok('test_wee_alloc', 0);
    assert.strictEqual(e.heap_bytes(), heap);
  });
  it('a misuse hook set from Rust sees a double free and a foreign pointer', function () { ok('test_misuse_hook'); });
  it('by default a double free traps, and JS reads the message from alligator_last_error', function () {
    assert.throws(() => e.double_free(), WebAssembly.RuntimeError);
    assert.match(text(e.alligator_last_error()), /^alligator: double free: 0x[0-9a-f]+ \(in free\)\n$/);
  });
});

describe('Rust: wasm32-wasi example (Alligator is the C library\'s malloc)', function () {
  this.timeout(60000);
  before(function () { needModules(this); });

  it('runs: Rust, C malloc and memory.grow without overlaps; strdup allocates from Alligator', async function () {
    const r = await runWasi(path.join(W, 'wasi.wasm'));
    assert.strictEqual(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /mix: \d+ regions, no overlaps/);
    assert.match(r.stdout, /strdup: 1 allocation\(s\) in Alligator's heap, (1[5-9]|[2-9]\d) bytes usable/);
    assert.match(r.stdout, /validate=0/);
  });

  it('links no dlmalloc (the control, Rust\'s default allocator, does)', function () {
    const dl = (names) => names.filter((n) => /^dl(malloc|free|realloc|calloc)/.test(n));
    const control = functionNames(path.join(W, 'plain-wasi.wasm'));
    assert.ok(dl(control).length > 0, 'the control has wasi-libc\'s dlmalloc');
    const names = functionNames(path.join(W, 'wasi.wasm'));
    // malloc (weak) and alligator_malloc (strong, what the crate calls) are
    // aliases of Alligator's al_malloc: the name section names the definition
    assert.ok(names.includes('al_malloc') && names.includes('al_free'), 'Alligator\'s definitions present');
    assert.deepStrictEqual(dl(names), []);
  });
});
