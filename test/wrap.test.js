// Emscripten's documented malloc-wrapping pattern (test/wasm/wrap_malloc.c):
// a program that defines malloc and free, calling emscripten_builtin_malloc
// and emscripten_builtin_free inside, links against Alligator (its public
// names are weak) and Alligator serves the memory; so does one that defines
// only malloc.  Built by `make test-wasm` (make route).
'use strict';
const assert = require('assert');
const path = require('path');
const { spawnSync } = require('child_process');
const { BUILD } = require('./helpers');

describe('wrapping malloc (Emscripten\'s emscripten_builtin_malloc pattern)', function () {
  this.timeout(30000);
  for (const [name, what] of [['wrap-malloc', 'malloc and free'], ['wrap-malloc-only', 'only malloc']]) {
    it(`a program defining ${what} links, its wrappers run, Alligator holds the blocks`, () => {
      const r = spawnSync(process.execPath, ['--no-experimental-fetch', path.join(BUILD, name + '.js')],
        { encoding: 'utf8' });
      assert.strictEqual(r.status, 0, r.stdout + r.stderr);
      assert.match(r.stdout, new RegExp(`^${name}: \\d+ checks, 0 failed$`, 'm'), r.stdout + r.stderr);
      assert.doesNotMatch(r.stdout, /FAIL/);
    });
  }
});
