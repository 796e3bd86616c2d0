/* The wasm side of the benchmark: exports for bench/harness.js.  The heap's
 * size is the sbrk break minus __heap_base (wasm memory never shrinks, and
 * every allocator here takes its memory from sbrk). */
#define _DEFAULT_SOURCE /* sbrk under -std=c11 */
#include <emscripten.h>
#include <unistd.h>
#include "bench.h"

extern size_t __heap_base;
size_t bench_heap_bytes(void) { return (size_t)sbrk(0) - (size_t)&__heap_base; }
unsigned long bench_grow_count(void) { return 0; }

static bench_result res;
EMSCRIPTEN_KEEPALIVE unsigned bench_wasm_run(int w, unsigned seed, double scale) {
  bench_run(w, seed, scale, &res);
  return res.checksum;
}
EMSCRIPTEN_KEEPALIVE double bench_wasm_ops(void) { return res.ops; }
EMSCRIPTEN_KEEPALIVE double bench_wasm_peak_live(void) { return res.peak_live_bytes; }
EMSCRIPTEN_KEEPALIVE double bench_wasm_peak_heap(void) { return res.peak_heap_bytes; }
EMSCRIPTEN_KEEPALIVE int bench_wasm_workloads(void) { return W_COUNT; }
EMSCRIPTEN_KEEPALIVE const char *bench_wasm_workload_name(int w) { return bench_workload_names[w]; }
