// The heap backend's contract (src/internal.h, al_backend_sbrk): memory that
// someone else grew is never handed out.  test/c/foreign_grow.c interleaves
// malloc/free with foreign growth and checks for overlaps and damage:
// wasm32-wasi (memory.grow, src/heap_wasi.c) and Emscripten (sbrk,
// port/heap_emscripten.c) here; the host shim in `make test-native`.
'use strict';
const assert = require('assert');
const path = require('path');
const { spawnSync } = require('child_process');
const { BUILD } = require('./helpers');
const { runWasi } = require('../scripts/devtools/run-wasi.js');

const OK = /^foreign-grow: \d+ checks, 0 failed$/m;
const GROWS = /foreign-grow: 3000 steps, (\d+) foreign grows/;

describe('heap backend: memory someone else grew is never handed out', function () {
  this.timeout(60000);
  it('wasm32-wasi: malloc interleaved with memory.grow by another user', async () => {
    const r = await runWasi(path.join(BUILD, '..', 'wasi', 'foreign_grow.wasm'));
    assert.strictEqual(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, OK, r.stdout);
    assert.ok(Number(GROWS.exec(r.stdout)[1]) > 0, r.stdout);
  });
  it('Emscripten: malloc interleaved with sbrk by another user', () => {
    const r = spawnSync(process.execPath, ['--no-experimental-fetch', path.join(BUILD, 'foreign-grow-em.js')],
      { encoding: 'utf8' });
    assert.strictEqual(r.status, 0, r.stdout + r.stderr);
    assert.match(r.stdout, OK, r.stdout);
    assert.ok(Number(GROWS.exec(r.stdout)[1]) > 0, r.stdout);
  });
});
