// The benchmark's quick mode (issue 4): every allocator (Alligator through
// the port, dlmalloc, emmalloc in wasm; the same three natively plus glibc)
// runs every workload to completion, small, and the checksums must agree.
// No timing is asserted.  The modules and binaries are built by `make
// test-wasm` (WASM_TESTS in mk/bench.mk); `make bench-quick` runs the same.
'use strict';
const assert = require('assert');
const { execFileSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');

describe('benchmark quick mode', function () {
  this.timeout(180000);
  it('runs every workload on every allocator with identical checksums', function () {
    const root = path.resolve(__dirname, '..');
    const out = execFileSync(process.execPath, [path.join(root, 'bench', 'run.js'), '--quick', '--build', path.join(root, 'build', 'bench')],
      { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    if (!/checksums agree/.test(out)) throw new Error(out);
    // and the code-size part: every size module measured (bytes, not time)
    if (!/^code size .*alligator-nojs \d+/m.test(out)) throw new Error(out);
  });

  // `make bench` from a fresh clone: with an empty build folder, the dry run
  // of every route builds each module the measurement reads before running it.
  it('make bench (BENCH_ONLY=instr,size) builds everything it measures from a fresh clone', function () {
    const root = path.resolve(__dirname, '..');
    const fresh = fs.mkdtempSync(path.join(os.tmpdir(), 'alligator-bench-'));
    try {
      const out = execFileSync('make', ['-n', 'bench', 'BENCH_ONLY=instr,size', `B=${fresh}`],
        { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
      const run = out.indexOf('bench/run.js');
      assert.ok(run > 0, out);
      for (const m of ['baseline', 'alligator', 'alligator-nojs', 'alligator-Oz', 'dlmalloc', 'emmalloc'])
        assert.ok(out.lastIndexOf(`-o ${fresh}/bench/size/${m}.js`, run) >= 0, `${m}.js is built before the run`);
    } finally {
      fs.rmSync(fresh, { recursive: true, force: true });
    }
  });
});
