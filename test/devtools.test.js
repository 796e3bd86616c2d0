// Developer tools (mk/devtools.mk): the hello world as wasm (port build and
// the two debug builds) and the WASI builds run in V8 through
// @bjorn3/browser_wasi_shim.  The modules are built by `make test-wasm`.
'use strict';
const assert = require('assert');
const fs = require('fs');
const path = require('path');
const { spawnSync } = require('child_process');
const { runWasi } = require('../scripts/devtools/run-wasi.js');

const B = path.join(__dirname, '..', 'build');

function runNode(js) {
  const r = spawnSync(process.execPath, ['--no-experimental-fetch', js], { encoding: 'utf8', timeout: 60000 });
  return { code: r.status, out: r.stdout + r.stderr };
}

// Names of a wasm binary's custom sections.
function customSections(file) {
  const b = fs.readFileSync(file);
  assert.strictEqual(b.readUInt32LE(0), 0x6d736100, `${file} is not wasm`);
  const names = [];
  let i = 8;
  const leb = () => {
    let v = 0, shift = 0, byte;
    do { byte = b[i++]; v += (byte & 0x7f) * 2 ** shift; shift += 7; } while (byte & 0x80);
    return v;
  };
  while (i < b.length) {
    const id = b[i++];
    const size = leb();
    const end = i + size;
    if (id === 0) {
      const n = leb();
      names.push(b.toString('utf8', i, i + n));
    }
    i = end;
  }
  return names;
}

function checkHello(out) {
  assert.match(out, /Alligator [0-9.]+ hello world/);
  assert.match(out, /realloc kept the contents: yes/);
  assert.match(out, /heap check +0 problems/);
  assert.match(out, /allocations counted and returned: yes/);
  const live = out.match(/live allocations +(\d+) \/ (\d+)/);
  assert.ok(live && Number(live[1]) >= 66, `live allocations while running: ${live && live[1]}`);
}

describe('hello world (wasm)', function () {
  this.timeout(60000);

  it('the port build runs in Node and prints Alligator statistics', function () {
    const r = runNode(path.join(B, 'hello', 'alligator.js'));
    assert.strictEqual(r.code, 0, r.out);
    checkHello(r.out);
    assert.ok(fs.existsSync(path.join(B, 'hello', 'alligator.wasm')));
  });

  it('the source-map debug build maps wasm code to hello.c and the allocator sources', function () {
    const dir = path.join(B, 'hello', 'debug');
    const map = JSON.parse(fs.readFileSync(path.join(dir, 'alligator.wasm.map'), 'utf8'));
    const sources = map.sources.map((s) => path.resolve(dir, s));
    for (const f of ['examples/hello-world/hello.c', 'src/malloc.c', 'src/span.c', 'src/minipage.c'])
      assert.ok(sources.includes(path.resolve(__dirname, '..', f)), `${f} not in the source map: ${map.sources}`);
    assert.ok(map.mappings.length > 1000, 'source map has almost no mappings');
    assert.ok(customSections(path.join(dir, 'alligator.wasm')).includes('sourceMappingURL'));
    const r = runNode(path.join(dir, 'alligator.js'));
    assert.strictEqual(r.code, 0, r.out);
    checkHello(r.out);
  });

  it('the DWARF debug build carries debug info for the allocator', function () {
    const wasm = path.join(B, 'hello', 'debug-dwarf', 'alligator.wasm');
    const sections = customSections(wasm);
    for (const s of ['.debug_info', '.debug_line', '.debug_abbrev'])
      assert.ok(sections.includes(s), `${s} missing: ${sections}`);
    const bytes = fs.readFileSync(wasm).toString('latin1');
    for (const f of ['malloc.c', 'span.c', 'hello.c', 'al_span_take'])
      assert.ok(bytes.includes(f), `${f} not named in the DWARF`);
    const r = runNode(path.join(B, 'hello', 'debug-dwarf', 'alligator.js'));
    assert.strictEqual(r.code, 0, r.out);
  });
});

describe('test-c under Emscripten (make route)', function () {
  this.timeout(60000);
  it('passes every check, and its allocations are Alligator\'s', function () {
    const r = runNode(path.join(B, 'test', 'test-c-em.js'));
    assert.strictEqual(r.code, 0, r.out);
    assert.doesNotMatch(r.out, /FAIL/);
    const m = r.out.match(/test-c: (\d+) checks, (\d+) failed/);
    assert.ok(m && Number(m[1]) > 300 && m[2] === '0', r.out);
  });
});

describe('WASI (wasm32-wasi, Alligator instead of wasi-libc malloc)', function () {
  this.timeout(120000);

  it('test-c passes every check, and its allocations are Alligator\'s', async function () {
    const r = await runWasi(path.join(B, 'wasi', 'test-c.wasm'));
    assert.strictEqual(r.code, 0, r.stdout + r.stderr);
    // test_is_alligator: malloc/free move Alligator's live-allocation count.
    assert.doesNotMatch(r.stdout, /FAIL/);
    const m = r.stdout.match(/test-c: (\d+) checks, (\d+) failed/);
    assert.ok(m && Number(m[1]) > 300 && m[2] === '0', r.stdout);
  });

  it('hello world prints Alligator statistics', async function () {
    const r = await runWasi(path.join(B, 'wasi', 'hello.wasm'));
    assert.strictEqual(r.code, 0, r.stdout + r.stderr);
    checkHello(r.stdout);
  });

  it('the model test holds for 20000 random steps with heap checks', async function () {
    const r = await runWasi(path.join(B, 'wasi', 'model.wasm'), ['20000', '11', '50']);
    assert.strictEqual(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /model: 20000 steps, seed 11.*: ok/);
  });
});
