#!/usr/bin/env node
// Run a wasm32-wasi program in V8 with @bjorn3/browser_wasi_shim (not
// node:wasi, which keeps a stale memory view after memory.grow).
//   node scripts/devtools/run-wasi.js PROGRAM.wasm [ARGS...]
// Prints the program's stdout/stderr and exits with its exit status.
// Output is printed as it comes, so what a program wrote before a trap (a
// Rust panic message, say) is seen.  Also a module: runWasi(path, args) ->
// { code, stdout, stderr }; a trap rejects with an error carrying .stdout
// and .stderr.
'use strict';
const fs = require('fs');
const path = require('path');

async function runWasi(file, args = [], live = false) {
  const { WASI, File, OpenFile, ConsoleStdout } = await import('@bjorn3/browser_wasi_shim');
  const stdout = [], stderr = [];
  const fds = [
    new OpenFile(new File([])),
    ConsoleStdout.lineBuffered((line) => (live ? console.log(line) : stdout.push(line))),
    ConsoleStdout.lineBuffered((line) => (live ? console.error(line) : stderr.push(line))),
  ];
  const wasi = new WASI([path.basename(file), ...args], [], fds, { debug: false });
  const module = await WebAssembly.compile(fs.readFileSync(file));
  const instance = await WebAssembly.instantiate(module, { wasi_snapshot_preview1: wasi.wasiImport });
  let code;
  try {
    code = wasi.start(instance);
  } catch (err) {
    err.stdout = stdout.join('\n');
    err.stderr = stderr.join('\n');
    throw err;
  }
  return { code, stdout: stdout.join('\n'), stderr: stderr.join('\n') };
}

module.exports = { runWasi };

if (require.main === module) {
  const [file, ...args] = process.argv.slice(2);
  if (!file) {
    console.error('usage: run-wasi.js PROGRAM.wasm [ARGS...]');
    process.exit(2);
  }
  runWasi(file, args, true).then(({ code, stdout, stderr }) => {
    if (stdout) console.log(stdout);
    if (stderr) console.error(stderr);
    process.exit(code);
  }, (err) => {
    console.error(`run-wasi: ${file}: ${err && err.stack || err}`);
    process.exit(1);
  });
}
