#!/usr/bin/env node
// The fast paths per instruction: the instructions one iteration of the pair
// loop (malloc(n)+free, bench/host/pair.c) executes, function by function,
// from callgrind's per-instruction counts and objdump's disassembly of the
// same binary.  Each instruction's count is the difference between the loops
// of 11000 and 1000 iterations, divided by 10000 (1 = once per iteration;
// the instructions no iteration runs are left out).
//
//   node bench/fastpath.js [alligator|dlmalloc|emmalloc|glibc] [32] [--build build/bench]
// Needs valgrind, objdump and build/bench/host/bench-<alloc>-instr
// (make build/bench/host/bench-alligator-instr).
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');
const { execFileSync } = require('child_process');
const { PAIR_LOOPS } = require('./run.js');

// {function: Map(address -> instructions executed)} of one callgrind dump
// (--dump-instr=yes --dump-line=no, names and positions uncompressed); the
// line after "calls=" is the call's inclusive cost, not an instruction's.
function perInstruction(file) {
  const fns = {};
  let fn = null, skip = false;
  for (const l of fs.readFileSync(file, 'latin1').split('\n')) {
    if (l.startsWith('fn=')) fn = fns[l.slice(3)] = fns[l.slice(3)] || new Map();
    else if (l.startsWith('calls=')) skip = true;
    else if (/^0x[0-9a-f]+ \d+$/.test(l)) {
      if (skip) skip = false;
      else if (fn) {
        const [a, n] = l.split(' ');
        const addr = parseInt(a, 16);
        fn.set(addr, (fn.get(addr) || 0) + +n);
      }
    }
  }
  return fns;
}

// address -> "mnemonic operands" of the binary's text
function disassembly(exe) {
  const out = execFileSync('objdump', ['-d', '--no-show-raw-insn', exe], { encoding: 'utf8', maxBuffer: 1 << 28 });
  const text = new Map();
  for (const l of out.split('\n')) {
    const m = /^\s+([0-9a-f]+):\s+(.*)$/.exec(l);
    if (m) text.set(parseInt(m[1], 16), m[2].replace(/\s+/g, ' ').trim());
  }
  return text;
}

function main() {
  const args = process.argv.slice(2);
  let build = path.resolve(__dirname, '..', 'build/bench');
  const bi = args.indexOf('--build');
  if (bi >= 0) build = path.resolve(args.splice(bi, 2)[1]);
  const alloc = args[0] || 'alligator';
  const size = +(args[1] || 32);
  const exe = path.join(build, 'host', `bench-${alloc}-instr`);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'alligator-fastpath-'));
  try {
    const out = path.join(tmp, 'cg.out');
    execFileSync('valgrind', ['--tool=callgrind', '--dump-instr=yes', '--dump-line=no', '--compress-strings=no',
      '--compress-pos=no', `--callgrind-out-file=${out}`, exe, 'pair', String(size), ...PAIR_LOOPS.map(String)],
    { stdio: ['ignore', 'ignore', 'pipe'] });
    // dumps 1 and 2: the two pair loops (bench/host/pair.c)
    const [short, long] = [perInstruction(`${out}.1`), perInstruction(`${out}.2`)];
    const iters = PAIR_LOOPS[1] - PAIR_LOOPS[0];
    const text = disassembly(exe);
    console.log(`${alloc}: one iteration of the loop malloc(${size})+free, per instruction (i686, ${path.relative(process.cwd(), exe)}; ` +
      `callgrind, loops of ${PAIR_LOOPS[1]} minus ${PAIR_LOOPS[0]} iterations)`);
    let total = 0;
    const rows = [];
    for (const [fn, counts] of Object.entries(long)) {
      const per = [...counts].map(([a, n]) => [a, (n - ((short[fn] && short[fn].get(a)) || 0)) / iters])
        .filter(([, k]) => k >= 0.005).sort((x, y) => x[0] - y[0]);
      if (!per.length) continue;
      const sum = per.reduce((s, [, k]) => s + k, 0);
      total += sum;
      rows.push({ fn, first: per[0][0], sum, per });
    }
    // in the order the iteration runs them: the loop first, then by address
    rows.sort((x, y) => (x.fn === 'pair_loop' ? -1 : y.fn === 'pair_loop' ? 1 : x.first - y.first));
    for (const r of rows) {
      console.log(`\n${r.fn}: ${+r.sum.toFixed(2)} instructions per iteration`);
      for (const [a, k] of r.per)
        console.log(`  ${k === 1 ? '    ' : k.toFixed(2).padStart(4)}  ${a.toString(16)}  ${text.get(a) || '?'}`);
    }
    console.log(`\n${+total.toFixed(2)} instructions per iteration in all (counts other than 1 are shown: the share of iterations that run the instruction)`);
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}
main();
