// Misuse is caught inside wasm too: test/c/misuse.c, one process per case,
// must abort with "alligator: <kind>: <address>" naming the address it used.
// The normal build (make route) and the checked build (the port's checked=true).
'use strict';
const assert = require('assert');
const path = require('path');
const { spawnSync } = require('child_process');
const { BUILD } = require('./helpers');

// The cases are written once, in test/c/misuse.c: `misuse --list`.
function cases(build) {
  const r = spawnSync(process.execPath, ['--no-experimental-fetch', path.join(BUILD, build + '.js'), '--list'],
    { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${build} --list failed: ${r.stdout}${r.stderr}`);
  return r.stdout.trim().split('\n').map((line) => {
    const [name, kind, checkedOnly] = line.split('|');
    return [name, kind, checkedOnly === '1'];
  });
}

for (const [build, checked] of [['misuse-wasm', false], ['misuse-checked-wasm', true]]) {
  describe(`misuse in wasm (${checked ? 'checked build' : 'normal build'})`, function () {
    this.timeout(30000);
    const all = cases(build);
    it('lists its cases', () => assert.ok(all.length >= 15, `only ${all.length} cases`));
    for (const [name, kind, checkedOnly] of all) {
      if (checkedOnly && !checked) continue;
      it(`${name}: ${kind}`, () => {
        const r = spawnSync(process.execPath, ['--no-experimental-fetch', path.join(BUILD, build + '.js'), name],
          { encoding: 'utf8' });
        const ptr = /ptr=(0x[0-9a-f]+)/.exec(r.stdout);
        assert.ok(ptr, `no pointer announced; stdout: ${r.stdout} stderr: ${r.stderr}`);
        assert.notStrictEqual(r.status, 0, 'the program must not finish normally');
        assert.doesNotMatch(r.stdout, /not caught/);
        assert.match(r.stderr, new RegExp(`alligator: ${kind}: ${ptr[1]} `), r.stderr);
      });
    }
  });
}

describe('threads in wasm (-pthread: the port builds the locked liballigator-mt.a)', function () {
  this.timeout(120000);
  it('4 threads allocate, check and free at once, passing blocks between them', () => {
    const r = spawnSync(process.execPath, ['--no-experimental-fetch', path.join(BUILD, 'threads-wasm.js'), '4', '50000'],
      { encoding: 'utf8', timeout: 100000 });
    assert.match(r.stdout, /threads: 4 threads x 50000 rounds, 0 content errors, 0 heap problems, .*: ok/, r.stdout + r.stderr);
    assert.strictEqual(r.status, 0);
  });
});
