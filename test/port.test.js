// The port file's options, through test/port/use_port.py (the calls current
// emcc makes on a port file; on Emscripten >= 3.1.54 it runs emcc itself).
'use strict';
const assert = require('assert');
const fs = require('fs');
const path = require('path');
const { spawnSync } = require('child_process');
const { load, BUILD } = require('./helpers');

const ROOT = path.join(__dirname, '..');
const usePort = (portArg) => spawnSync('python3', [path.join(ROOT, 'test/port/use_port.py'), '--cache',
  path.join(BUILD, 'port-options-cache'), 'emcc', '-sMALLOC=none', `--use-port=${portArg}`, '-c', 'nothing.c'],
{ cwd: ROOT, encoding: 'utf8' });

describe('the port file', function () {
  this.timeout(30000);

  it('js=false leaves out Module.alligator and the code behind it', async () => {
    const withJs = await load('api-port'), without = await load('api-nojs');
    assert.ok(withJs.alligator && typeof withJs.alligator.stats === 'function');
    assert.strictEqual(without.alligator, undefined);
    const p = without._malloc(100);
    assert.ok(p && without._malloc_usable_size(p) >= 100, 'malloc still works');
    without._free(p);
    const size = (n) => fs.statSync(path.join(BUILD, n + '.wasm')).size;
    assert.ok(size('api-nojs') < size('api-port') - 2000,
      `js=false: ${size('api-nojs')} B, js=true: ${size('api-port')} B`);
  });

  it('rejects an unknown option and a value that is not a boolean', () => {
    let r = usePort('emscripten.py:colour=green');
    assert.notStrictEqual(r.status, 0);
    assert.match(r.stderr, /unknown option colour/);
    r = usePort('emscripten.py:checked=maybe');
    assert.notStrictEqual(r.status, 0);
    assert.match(r.stderr, /checked expects true or false, got maybe/);
  });

  it('names a distinct library for each build variant', () => {
    const r = spawnSync('python3', ['-c', `
import importlib.util, sys
spec = importlib.util.spec_from_file_location('p', 'emscripten.py'); p = importlib.util.module_from_spec(spec); spec.loader.exec_module(p)
class S: PTHREADS = False; SHRINK_LEVEL = 0
names = set()
for checked in (False, True):
  for js in (False, True):
    for threads in (False, True):
      for shrink in (0, 2):
        p.opts.update(checked=checked, js=js); S.PTHREADS = threads; S.SHRINK_LEVEL = shrink; names.add(p.get_lib_name(S))
print(len(names), sorted(names))`], { cwd: ROOT, encoding: 'utf8' });
    assert.strictEqual(r.status, 0, r.stderr);
    assert.match(r.stdout, /^16 /, r.stdout);
  });
});
