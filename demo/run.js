// `npm run demo`: run the demo app (built through the port by `make demo`) in
// Node and print its heap statistics from JS, as a page would read them.
'use strict';
const fs = require('fs');
const path = require('path');

const dir = path.join(__dirname, '..', 'build', 'demo');
const kib = (n) => (n / 1024).toFixed(1).padStart(9) + ' KiB';

function table(title, s) {
  console.log(`\n${title}`);
  console.log(`  heap (from sbrk)   ${kib(s.heapBytes)}`);
  console.log(`  in use             ${kib(s.inUseBytes)}   (peak ${kib(s.peakInUseBytes).trim()})`);
  console.log(`  free, reusable     ${kib(s.freeBytes)}   in ${s.freeSpans} free span(s), fragmentation ${s.fragmentation.toFixed(3)}`);
  console.log(`  overhead           ${kib(s.overheadBytes)}   (span headers, MiniPage tails)`);
  console.log(`  live allocations   ${String(s.liveAllocations).padStart(9)}   (${s.minipages} MiniPages, ${s.largeBlocks} large blocks)`);
  const used = s.classes.filter((c) => c.pages);
  if (used.length) {
    console.log('  class     pages   segments used/total   unused');
    for (const c of used) {
      console.log(`  ${String(c.size).padStart(5)} B ${String(c.pages).padStart(7)}   ${String(c.used).padStart(8)} / ${String(c.pages * c.slots).padEnd(8)}   ${kib(c.wasteBytes)}`);
    }
  }
}

require(path.join(dir, 'demo.js'))({ wasmBinary: fs.readFileSync(path.join(dir, 'demo.wasm')) }).then((m) => {
  const words = Number(process.env.DEMO_WORDS || 200000);
  m._demo_run(words);
  const s = m.ccall('demo_count', 'number', ['string'], ['alligators and crocodiles and caimans']);
  const text = m.allocateUTF8('a string the JS runtime allocated in the wasm heap');
  m._demo_count(text);
  table(`Module.alligator.stats() with the word table alive (${words} words + ${s} from JS):`, m.alligator.stats());
  m._free(text);
  m._demo_teardown();
  table('After freeing everything (the heap never shrinks; its memory is reusable):', m.alligator.stats());
  const problems = m.alligator.validate();
  console.log(`\nModule.alligator.validate(): ${problems} problem(s)`);
  process.exit(problems ? 1 : 0);
});
