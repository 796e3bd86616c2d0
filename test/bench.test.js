// The benchmark's quick mode (issue 4): every allocator (Alligator through
// the port, dlmalloc, emmalloc in wasm; the same three natively plus glibc)
// runs every workload to completion, small, and the checksums must agree.
// No timing is asserted.  The modules and binaries are built by `make
// test-wasm` (WASM_TESTS in mk/bench.mk); `make bench-quick` runs the same.
'use strict';
const { execFileSync } = require('child_process');
const path = require('path');

describe('benchmark quick mode', function () {
  this.timeout(180000);
  it('runs every workload on every allocator with identical checksums', function () {
    const root = path.resolve(__dirname, '..');
    const out = execFileSync(process.execPath, [path.join(root, 'bench', 'run.js'), '--quick', '--build', path.join(root, 'build', 'bench')],
      { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    if (!/checksums agree/.test(out)) throw new Error(out);
  });
});
