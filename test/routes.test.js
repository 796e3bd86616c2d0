// The build routes (issue 8, items 2-7): threads on the make route, shared
// memory through the port, C++ on both routes, brk(), Module.alligator in a
// build that exports neither malloc nor free, and the port's library at the
// user's optimisation level.  Modules are built by `make test-wasm`.
'use strict';
const assert = require('assert');
const fs = require('fs');
const path = require('path');
const { spawnSync } = require('child_process');
const { BUILD } = require('./helpers');

const ROOT = path.join(__dirname, '..');
const env = { ...process.env, NODE_PATH: process.env.NODE_PATH || '/usr/share/nodejs' };
const run = (cmd, args, opts = {}) => spawnSync(cmd, args, { cwd: ROOT, encoding: 'utf8', env, timeout: 120000, ...opts });
const runNode = (js, ...args) => run(process.execPath, ['--no-experimental-fetch', path.join(BUILD, js), ...args]);

// A modularized module, its printed lines collected.
async function loadPrinting(name) {
  const out = [];
  const m = await require(path.join(BUILD, name + '.js'))({
    wasmBinary: fs.readFileSync(path.join(BUILD, name + '.wasm')), print: (s) => out.push(s),
  });
  return { m, out };
}

// The port's library name and the flags it is built with, for emcc arguments
// (read by use_port.py's Settings as emcc reads them).
function portLibrary(args) {
  const r = run('python3', ['-c', `
import importlib.util, json, sys
sys.path.insert(0, 'test/port')
import use_port
spec = importlib.util.spec_from_file_location('p', 'emscripten.py'); p = importlib.util.module_from_spec(spec); spec.loader.exec_module(p)
print(p.get_lib_name(use_port.Settings(json.loads(sys.argv[1]))))`, JSON.stringify(args)]);
  assert.strictEqual(r.status, 0, r.stderr);
  return r.stdout.trim();
}

describe('build routes', function () {
  this.timeout(120000);

  describe('threads', () => {
    it('shared memory in any form gets the locked library from the port (-sWASM_WORKERS too)', () => {
      for (const args of [['-pthread'], ['-sUSE_PTHREADS'], ['-sUSE_PTHREADS=1'], ['-sWASM_WORKERS'],
        ['-sWASM_WORKERS=1'], ['-sSHARED_MEMORY'], ['-sSHARED_MEMORY=1']])
        assert.strictEqual(portLibrary(args), 'liballigator-mt.a', args.join(' '));
      for (const args of [[], ['-sWASM_WORKERS=0'], ['-sSHARED_MEMORY=0'], ['-O2']])
        assert.strictEqual(portLibrary(args), 'liballigator.a', args.join(' '));
    });

    it('the lock is compiled in whenever the code is compiled for shared memory (-matomics, -pthread)', () => {
      const probe = '#include "lock.h"\n#ifndef AL_HAS_LOCK\n#error no lock\n#endif\n';
      const compiles = (...flags) => run('emcc', [...flags, '-Isrc', '-fsyntax-only', '-x', 'c', '-'], { input: probe }).status === 0;
      assert.ok(compiles('-matomics'), '-matomics (what -sWASM_WORKERS compiles with) must get the lock');
      assert.ok(compiles('-pthread'), '-pthread');
      assert.ok(!compiles(), 'no shared memory: no lock');
    });

    it('the port builds the -sWASM_WORKERS library with atomics and the lock', () => {
      // 3.1.6 has no -sWASM_WORKERS, so the final compile fails; the port's
      // library is built before it, exactly as current emcc would.
      const cache = path.join(BUILD, 'port-ww-cache');
      fs.rmSync(cache, { recursive: true, force: true });
      const r = run('python3', ['test/port/use_port.py', '--cache', cache, 'emcc', '-sMALLOC=none', '-sWASM_WORKERS',
        '--use-port=emscripten.py:js=false', '-c', 'test/wasm/brk.c', '-o', path.join(cache, 'x.o')],
      { env: { ...env, USE_PORT_VERBOSE: '1' } });
      assert.match(r.stderr, /building port library liballigator-nojs-mt\.a/);
      assert.match(r.stderr, /-matomics -mbulk-memory/);
      const nm = run('emnm', [path.join(cache, 'lib', 'liballigator-nojs-mt.a')]);
      assert.match(nm.stdout, / [DBC] al_lock_flag/, 'the lock flag is defined in the library');
    });

    it('the make route: test_pthread_sbrk passes with liballigator-mt.a (make wasm-flags-mt)', () => {
      const r = runNode('pthread-sbrk.js', '8', '2000');
      assert.strictEqual(r.status, 0, r.stdout + r.stderr);
      assert.doesNotMatch(r.stdout, /corrupted/i);
      assert.match(r.stdout, /8 threads x 2000 allocations x 3 rounds, 0 heap problems/);
    });

    it('the make route: the lock-free library in a -pthread link fails at link time, saying what to use', () => {
      const out = path.join(BUILD, 'wrong-combination.js');
      const r = run('bash', ['-c', `emcc -pthread test/wasm/pthread_sbrk.c $(make -s wasm-flags) -o ${out}`]);
      assert.notStrictEqual(r.status, 0, 'the link must fail');
      assert.match(r.stderr, /--shared-memory is disallowed by NOT-THREAD-SAFE--use-liballigator-mt\.a-with--pthread\.o/);
      assert.ok(!fs.existsSync(out.replace(/\.js$/, '.wasm')), 'no module written');
    });

    it('make wasm-flags THREADS=1 and make wasm-flags-mt print the threaded flags', () => {
      const mt = run('make', ['-s', 'wasm-flags-mt']).stdout.trim();
      assert.strictEqual(run('make', ['-s', 'wasm-flags', 'THREADS=1']).stdout.trim(), mt);
      assert.match(mt, /^-pthread -sMALLOC=none \S+\/build\/wasm\/liballigator-mt\.a /);
      assert.match(run('make', ['-s', 'wasm-flags']).stdout, /^-sMALLOC=none \S+\/build\/wasm\/liballigator\.a /);
    });
  });

  for (const route of ['port', 'make']) {
    describe(`C++ through the ${route} route`, () => {
      it('new/delete, std::vector and std::string are served by Alligator', async () => {
        const { m, out } = await loadPrinting(`cxx-${route}`);
        const line = out.find((l) => l.startsWith('cxx:'));
        const [, before, during, after, inUse, problems] =
          line.match(/live before (\d+) during (\d+) after (\d+), in use during (\d+), sum \d+, heap problems (-?\d+)/).map(Number);
        // 1000 nodes + 1000 strings (past the small-string buffer) + 1000 vectors' buffers
        assert.ok(during - before >= 3000, line);
        assert.ok(inUse >= 1000 * 60, line);
        assert.ok(after < during - 2900, line);
        assert.strictEqual(problems, 0);
        assert.strictEqual(m.alligator.validate(), 0);
      });

      it('Module.alligator.heapMap() works in a build that exports neither malloc nor free', async () => {
        const { m } = await loadPrinting(`cxx-${route}`);
        const wasm = new WebAssembly.Module(fs.readFileSync(path.join(BUILD, `cxx-${route}.wasm`)));
        assert.ok(!WebAssembly.Module.exports(wasm).some((e) => e.name === 'free'), 'free is not exported');
        const map = m.alligator.heapMap();
        assert.ok(map.length >= 2, JSON.stringify(map));
        assert.ok(map.some((e) => e.kind === 'minipage' && e.used > 0), 'the map shows used minipages');
        assert.ok(map.every((e, i) => i === 0 || e.address > map[i - 1].address), 'address order');
        // the buffer the map was read from is freed again
        const live = m.alligator.stats().liveAllocations;
        m.alligator.heapMap();
        assert.strictEqual(m.alligator.stats().liveAllocations, live);
      });
    });
  }

  it('brk() under -sMALLOC=none: brk(sbrk(0) + 4096), then a new segment without overlap', () => {
    const r = runNode('brk.js');
    assert.strictEqual(r.status, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /^brk: ok \(0 failed\)/m);
  });

  it('the port builds an -Oz library for -Os/-Oz links and an -O2 one for -O0..-O3', () => {
    for (const o of ['-Oz', '-Os']) assert.strictEqual(portLibrary([o]), 'liballigator-Oz.a', o);
    for (const o of ['-O0', '-O1', '-O2', '-O3', '-O', '-Og']) assert.strictEqual(portLibrary([o]), 'liballigator.a', o);
    assert.strictEqual(portLibrary(['-Oz', '-pthread']), 'liballigator-mt-Oz.a');
    // and the -Oz library is compiled at -Oz (after build_port's own -O2)
    const cache = path.join(BUILD, 'port-oz-cache');
    fs.rmSync(cache, { recursive: true, force: true });
    const r = run('python3', ['test/port/use_port.py', '--cache', cache, 'emcc', '-sMALLOC=none', '-Oz',
      '--use-port=emscripten.py:js=false', '-c', 'test/wasm/brk.c', '-o', path.join(cache, 'x.o')],
    { env: { ...env, USE_PORT_VERBOSE: '1' } });
    assert.strictEqual(r.status, 0, r.stderr);
    assert.match(r.stderr, /building port library liballigator-nojs-Oz\.a/);
    const compiles = r.stderr.split('\n').filter((l) => / -c \S+\.c /.test(l) && l.includes('/src/'));
    assert.ok(compiles.length >= 3 && compiles.every((l) => /-O2 -Oz /.test(l)), compiles.join('\n'));
  });
});
