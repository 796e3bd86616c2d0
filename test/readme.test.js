// The README's shell commands, run as written (the rule: a command the README
// shows is run by a test).  Every line of its ```sh blocks runs in a scratch
// folder holding an app.c and an app.cpp, with `path/to/alligator` standing
// for this checkout; where this emcc has no --use-port (< 3.1.54), the port
// lines run through test/port/use_port.py, which makes emcc's calls.  Only
// `npm test` is left out: it is this suite.
'use strict';
const assert = require('assert');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { spawnSync } = require('child_process');
const { APP_C, APP_SERVED } = require('./helpers');

const ROOT = path.join(__dirname, '..');
const env = { ...process.env, NODE_PATH: process.env.NODE_PATH || '/usr/share/nodejs' };

// The lines of the README's ```sh blocks, without trailing comments.
function readmeCommands() {
  const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  return [...readme.matchAll(/^```sh\n([\s\S]*?)^```/gm)].flatMap((m) => m[1].split('\n'))
    .map((l) => l.replace(/\s+#.*$/, '').trim()).filter(Boolean);
}

const APP_CPP = `#include <cstdio>
#include <string>
#include <vector>
#include <alligator.h>
int main() {
  std::vector<std::string> v(1000, std::string(100, 'x'));  // the vector's 12 KB buffer: a large block
  alligator_stats_t st;
  alligator_stats(&st);
  std::printf("app: alligator live %zu in use %zu large %zu\\n", st.live_allocations, st.in_use_bytes, st.large_blocks);
  return st.live_allocations >= 1000 ? 0 : 1;
}
`;

function emccHasUsePort() {
  const m = spawnSync('emcc', ['--version'], { encoding: 'utf8' }).stdout.match(/(\d+)\.(\d+)\.(\d+)/);
  const v = m ? m.slice(1).map(Number) : [0, 0, 0];
  return v[0] * 1e6 + v[1] * 1e3 + v[2] >= 3001054;
}

describe('README commands, as written', function () {
  this.timeout(300000);
  const commands = readmeCommands();
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'alligator-readme-'));
  after(() => fs.rmSync(scratch, { recursive: true, force: true }));
  fs.writeFileSync(path.join(scratch, 'app.c'), APP_C);
  fs.writeFileSync(path.join(scratch, 'app.cpp'), APP_CPP);

  it('the README shows the make route, the threaded make route and the port route', () => {
    assert.ok(commands.some((c) => c.includes('$(make -s -C path/to/alligator wasm-flags)')));
    assert.ok(commands.some((c) => c.includes('wasm-flags-mt')));
    assert.ok(commands.some((c) => c.includes('--use-port=path/to/alligator/emscripten.py')));
  });

  for (const command of commands) {
    if (command === 'npm test') continue; // the suite itself
    it(command, () => {
      let line = command.split('path/to/alligator').join(ROOT);
      if (/^(emcc|em\+\+) .*--use-port=/.test(line) && !emccHasUsePort())
        line = `python3 ${ROOT}/test/port/use_port.py --cache ${ROOT}/build/port-cache ${line}`;
      const cwd = command.startsWith('npm ') ? ROOT : scratch; // npm scripts run in the checkout
      fs.rmSync(path.join(scratch, 'app.wasm'), { force: true });
      const r = spawnSync('bash', ['-c', line], { cwd, env, encoding: 'utf8', timeout: 240000 });
      assert.strictEqual(r.status, 0, `${line}\n${r.stdout}\n${r.stderr}`);
      if (/-o app\.js/.test(command)) {
        const run = spawnSync(process.execPath, ['--no-experimental-fetch', 'app.js'], { cwd: scratch, encoding: 'utf8' });
        assert.strictEqual(run.status, 0, run.stdout + run.stderr);
        assert.match(run.stdout, APP_SERVED, 'Alligator served the program');
      }
      if (/:help$/.test(command)) assert.match(r.stdout, /checked/);
    });
  }
});
