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
    // and its per-function breakdown (the same code with a name section)
    if (!/^code size per function \(alligator-nojs, \d+ functions, code section \d+ B\): \w+ \d+/m.test(out)) throw new Error(out);
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
      for (const m of ['baseline', 'alligator', 'alligator-nojs', 'alligator-nojs-names', 'alligator-Oz', 'dlmalloc', 'emmalloc'])
        assert.ok(out.lastIndexOf(`-o ${fresh}/bench/size/${m}.js`, run) >= 0, `${m}.js is built before the run`);
    } finally {
      fs.rmSync(fresh, { recursive: true, force: true });
    }
  });
});

// bench/README.md's `node bench/...` commands, as written (after `make
// test-wasm` built what they read).  The fast-path pair two ways from the
// same callgrind binary: the count per iteration (instr.js, what make bench
// stores) and the per-instruction profile (fastpath.js) must add up to the
// same number; the per-function sizes to the code section.
describe('bench/README.md commands', function () {
  this.timeout(120000);
  const root = path.resolve(__dirname, '..');
  const readme = fs.readFileSync(path.join(root, 'bench', 'README.md'), 'utf8');
  const commands = [...readme.matchAll(/^ {4}(node bench\/\S+\.js[^#\n]*?)\s*(#.*)?$/gm)].map((m) => m[1]);
  const out = {};
  const run = (script) => {
    const cmd = commands.find((c) => c.startsWith(`node bench/${script} `));
    assert.ok(cmd, `bench/README.md shows node bench/${script}`);
    if (!(cmd in out)) out[cmd] = execFileSync('sh', ['-c', cmd], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    return out[cmd];
  };
  const instrBinary = fs.existsSync(path.join(root, 'build', 'bench', 'host', 'bench-alligator-instr'));

  it('the pair loop: instructions per iteration = the sum of its per-instruction profile', function () {
    if (!instrBinary) {
      console.log('      (skipped: no build/bench/host/bench-alligator-instr; valgrind is needed)');
      this.skip();
    }
    const pair = run('instr.js');
    const m = /^pair malloc\(32\)\+free\s+alligator\s+([\d.]+) instructions per iteration \(the loop's own ([\d.]+) included\)/m.exec(pair);
    assert.ok(m, pair);
    const profile = run('fastpath.js');
    assert.match(profile, /^alligator: one iteration of the loop malloc\(32\)\+free/m);
    for (const f of ['pair_loop', 'alligator_malloc', 'alligator_free']) assert.match(profile, new RegExp(`^${f}: [\\d.]+ instructions per iteration`, 'm'));
    const total = /^([\d.]+) instructions per iteration in all/m.exec(profile);
    assert.ok(total, profile);
    assert.ok(Math.abs(+total[1] - +m[1]) <= 0.01, `profile ${total[1]}, pair ${m[1]}`);
    assert.ok(+m[1] > +m[2] && +m[2] > 0, pair);
  });

  it('the code size per function adds up to the code section', function () {
    const lines = run('wasm_funcs.js').trim().split('\n');
    const last = /^\s*(\d+)\s+\((\d+) functions; code section (\d+) B\)$/.exec(lines.pop());
    assert.ok(last, lines.join('\n'));
    const sizes = lines.map((l) => +/^\s*(\d+)\s+\S+$/.exec(l)[1]);
    assert.strictEqual(sizes.length, +last[2]);
    assert.strictEqual(sizes.reduce((a, b) => a + b, 0), +last[1]);
    assert.ok(+last[3] > +last[1] && +last[3] <= +last[1] + 5, 'the bodies and the count fill the code section');
  });

  it('the before/after table: one row per workload, the after columns from the second run', function () {
    const table = run('compare.js').trim().split('\n');
    const cmd = commands.find((c) => c.startsWith('node bench/compare.js '));
    const [, after] = cmd.split(/\s+/).slice(2).map((f) => JSON.parse(fs.readFileSync(path.join(root, f), 'utf8')));
    const ws = [...new Set(after.results.map((r) => r.workload))];
    assert.strictEqual(table.length, 2 + ws.length, table.join('\n'));
    for (const w of ws) {
      const r = after.results.find((x) => x.runtime === 'host' && x.allocator === 'alligator' && x.workload === w);
      const row = table.find((l) => l.startsWith(`| ${w} |`));
      assert.ok(row, `a row for ${w}`);
      assert.strictEqual(row.split(' | ')[2], r.instr_mean.toFixed(1), row);
    }
  });

  it('every node bench/ command bench/README.md shows is run here', function () {
    const needsInstr = (c) => /^node bench\/(instr|fastpath)\.js /.test(c);
    assert.deepStrictEqual(commands.filter((c) => !(c in out) && (instrBinary || !needsInstr(c))), []);
  });
});

// The report's parts that are pure functions of numbers: the wasm reader
// behind the per-function code size, and issue 10's targets.
describe('benchmark report', function () {
  const wasmFuncs = require('../bench/wasm_funcs.js');
  const report = require('../bench/report.js');

  it('reads each function body size and name from a wasm module', function () {
    const leb = (n) => (n < 128 ? [n] : [(n & 0x7f) | 0x80, ...leb(n >> 7)]);
    const sec = (id, bytes) => [id, ...leb(bytes.length), ...bytes];
    const str = (s) => [s.length, ...Buffer.from(s)];
    const body = (n) => [...leb(n + 2), 0, ...Array(n).fill(0x01), 0x0b]; // no locals, n nops, end
    const buf = Buffer.from([0x00, 0x61, 0x73, 0x6d, 1, 0, 0, 0,
      ...sec(1, [1, 0x60, 0, 0]),                                  // type 0: () -> ()
      ...sec(2, [2, ...str('env'), ...str('f'), 0, 0,              // an imported function
        ...str('env'), ...str('m'), 2, 1, 1, 2]),                  // and a memory with a maximum
      ...sec(3, [2, 0, 0]),
      ...sec(10, [2, ...body(3), ...body(130)]),                    // 130 nops: a 2-byte size
      ...sec(0, [...str('name'), 1, 8, 2, 1, ...str('a'), 2, ...str('bb')])]);
    new WebAssembly.Module(buf); // a valid module
    const m = wasmFuncs.parse(buf);
    assert.strictEqual(m.imported_functions, 1);
    assert.deepStrictEqual(m.functions, [{ index: 1, name: 'a', bytes: 1 + 5 }, { index: 2, name: 'bb', bytes: 2 + 132 }]);
    assert.strictEqual(m.code_section_bytes, 1 + 6 + 134);
  });

  it("prints issue 10's targets MET or NOT with the measured figures", function () {
    const ws = ['random_actions', 'random_actions_realloc', 'small_churn', 'class_sweep', 'fragmentation', 'json', 'adv_dlmalloc'];
    const results = [];
    for (const w of ws) {
      for (const rt of ['node', 'chromium']) {
        const speed = { alligator: w.startsWith('random') ? 2 : 1.5, dlmalloc: 1, emmalloc: 1 };
        for (const a of Object.keys(speed))
          results.push({ allocator: a, workload: w, runtime: rt, ops_per_us: speed[a], peak_heap_bytes: a === 'alligator' ? 110 : 120, peak_live_bytes: 100 });
      }
      results.push({ allocator: 'alligator', workload: w, runtime: 'host', instr_mean: 35, instr_max: w.startsWith('adv') ? 900 : 450, instr_max_call: { kind: 'free' } });
    }
    const res = {
      results, code_size: { code_size_bytes: { 'alligator-nojs': 4096 } },
      pair_instr: { alligator: [{ size: 16, instr: 30, loop_instr: 4 }, { size: 32, instr: 30, loop_instr: 4 }] },
    };
    const lines = (r) => report.targets(r).trim().split('\n').slice(1);
    const all = lines(res);
    assert.strictEqual(all.length, 12, all.join('\n'));
    for (const l of all) assert.match(l, /^ MET /, all.join('\n'));
    assert.ok(all.includes(' MET  1 malloc(n)+free loop <= 30 instructions per iteration: n=16 30.0, n=32 30.0'), all.join('\n'));
    assert.ok(all.includes(' MET  3 peak heap <= 1.10x peak live, random_actions (wasm): 1.10x'), all.join('\n'));
    // each just over its bound
    const find = (rt, a, w) => results.find((r) => r.runtime === rt && r.allocator === a && r.workload === w);
    find('host', 'alligator', 'json').instr_mean = 35.1;
    res.pair_instr.alligator[1].instr = 31;
    find('node', 'alligator', 'class_sweep').ops_per_us = 1.49;
    find('chromium', 'alligator', 'random_actions_realloc').ops_per_us = 1.99;
    find('node', 'emmalloc', 'adv_dlmalloc').ops_per_us = 1.6;
    find('node', 'alligator', 'fragmentation').peak_heap_bytes = 121;
    find('host', 'alligator', 'small_churn').instr_max = 451;
    res.code_size.code_size_bytes['alligator-nojs'] = 4097;
    const some = lines(res);
    assert.deepStrictEqual(some.filter((l) => /^ NOT /.test(l)), [
      ' NOT  1 mean instructions per call (i686 callgrind) <= 35: small_churn 35.0, class_sweep 35.0, fragmentation 35.0, json 35.1',
      ' NOT  1 malloc(n)+free loop <= 30 instructions per iteration: n=16 30.0, n=32 31.0',
      ' NOT  2 node >= 1.5x dlmalloc: small_churn 1.50x, class_sweep 1.49x, fragmentation 1.50x, json 1.50x',
      ' NOT  2 node >= 1.0x dlmalloc and emmalloc on every workload (ratios to dlmalloc/emmalloc): adv_dlmalloc 1.50x/0.94x',
      ' NOT  2 chromium >= 2x dlmalloc: random_actions 2.00x, random_actions_realloc 1.99x',
      ' NOT  3 peak heap <= dlmalloc\'s (wasm): fragmentation 1.01x',
      ' NOT  4 worst non-growing call <= 450 instructions (non-adversarial; realloc\'s copy of the block apart): small_churn 451 (free)',
      ' NOT  5 code size, alligator-nojs (-Oz, js=false) <= 4096 B: 4097 B',
    ]);
    // a realloc whose copy makes it the worst call: judged without the copy, shown with it
    Object.assign(find('host', 'alligator', 'small_churn'), {
      instr_max: 2000, instr_max_call: { kind: 'realloc' }, instr_max_nocopy: 440, instr_max_nocopy_call: { kind: 'free' },
    });
    assert.ok(lines(res).some((l) => /^ MET  4 .*copy of the block apart\): all 6 workloads$/.test(l)), lines(res).join('\n'));
    find('host', 'alligator', 'small_churn').instr_max_nocopy = 451;
    assert.ok(lines(res).some((l) => /^ NOT  4 .*: small_churn 451 \(free\), 2000 \(realloc\) with the copy$/.test(l)), lines(res).join('\n'));
  });

  it("tells realloc's copy apart in the per-call dumps (bench/run.js parseDumps, summarise)", function () {
    const { parseDumps, summarise, COPY_FN } = require('../bench/run.js');
    // three dumps as callgrind writes them with --combine-dumps: a free, a
    // realloc that calls the copy (inclusive cost 900 on the line after
    // calls=), a second realloc naming the function by its id only
    const text = ['version: 1', 'creator: callgrind', '', 'part: 1', 'fn=(1) alligator_free', '10 30', 'totals: 40',
      'part: 2', 'fn=(2) alligator_realloc', '20 50', `cfn=(3) ${COPY_FN}`, 'calls=1 0', '20 900', '21 10', 'totals: 970',
      'part: 3', 'fn=(2)', '20 40', 'cfn=(3)', 'calls=1 0', '20 100', 'totals: 150',
      'part: 4', 'fn=(4) main', '1 5', 'totals: 5', ''].join('\n');
    const d = parseDumps(text);
    assert.deepStrictEqual(d, { totals: [40, 970, 150, 5], copies: [0, 900, 100, 0] });
    const r = summarise({ checksum: 1 }, Buffer.from([1, 2, 2]), d.totals, d.copies);
    assert.strictEqual(r.instr_max, 970);
    assert.strictEqual(r.instr_max_call.kind, 'realloc');
    assert.strictEqual(r.instr_max_nocopy, 70);
    assert.strictEqual(r.instr_max_nocopy_call.kind, 'realloc');
  });
});
