// Loading the wasm test modules built by `make test-wasm`.
'use strict';
const fs = require('fs');
const path = require('path');

const BUILD = path.join(__dirname, '..', 'build', 'test');

// Emscripten 3.1.6's loader would fetch() the .wasm; hand it the bytes instead.
async function load(name) {
  const js = path.join(BUILD, name + '.js');
  if (!fs.existsSync(js)) throw new Error(`${js} is missing: run "make test-wasm" first`);
  const create = require(js);
  const m = await create({ wasmBinary: fs.readFileSync(path.join(BUILD, name + '.wasm')), print: () => {} });
  m.errno = () => m._test_errno();
  return m;
}

// A deterministic generator (same sequence for a seed everywhere).
function rng(seed) {
  let s = BigInt(seed) * 0x9E3779B97F4A7C15n + 1n;
  const M = (1n << 64n) - 1n;
  return () => {
    s = (s * 6364136223846793005n + 1442695040888963407n) & M;
    return Number(s >> 33n);
  };
}

const ENOMEM = 48, EINVAL = 28; // Emscripten's (musl's wasi) errno values

// A user's program for the build-route tests: Alligator must have served it.
const APP_C = `#include <stdio.h>
#include <stdlib.h>
#include <alligator.h>
int main(void) {
  char *p = malloc(5000);
  alligator_stats_t st;
  alligator_stats(&st);
  printf("app: alligator live %zu in use %zu large %zu\\n", st.live_allocations, st.in_use_bytes, st.large_blocks);
  free(p);
  return st.live_allocations ? 0 : 1;
}
`;
const APP_SERVED = /^app: alligator live [1-9]\d* in use [1-9]\d* large [1-9]/m;

module.exports = { load, rng, ENOMEM, EINVAL, BUILD, APP_C, APP_SERVED };
