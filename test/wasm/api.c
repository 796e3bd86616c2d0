/* The wasm test module: Alligator linked through the port (or the make
 * route), plus helpers the Mocha tests call.  Fill and check run here, in
 * wasm, so that checking every byte stays fast. */
#include <errno.h>
#include <malloc.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <emscripten/emscripten.h>
#include "alligator.h"
#include "../c/repeat.h"

EMSCRIPTEN_KEEPALIVE int test_errno(void) { return errno; }
EMSCRIPTEN_KEEPALIVE void test_set_errno(int e) { errno = e; }

static unsigned char pattern(uint32_t seed, size_t i) { return (unsigned char)(seed ^ (i * 131u) ^ (i >> 9)); }

EMSCRIPTEN_KEEPALIVE void test_fill(unsigned char *p, size_t from, size_t n, uint32_t seed) {
  for (size_t i = from; i < n; i++) p[i] = pattern(seed, i);
}
/* Index of the first wrong byte in [0, n), or -1. */
EMSCRIPTEN_KEEPALIVE long test_check(const unsigned char *p, size_t n, uint32_t seed) {
  for (size_t i = 0; i < n; i++)
    if (p[i] != pattern(seed, i)) return (long)i;
  return -1;
}
EMSCRIPTEN_KEEPALIVE long test_check_zero(const unsigned char *p, size_t n) {
  for (size_t i = 0; i < n; i++)
    if (p[i]) return (long)i;
  return -1;
}

/* mallinfo() returns a struct: hand its fields to JS one by one. */
EMSCRIPTEN_KEEPALIVE int test_mallinfo(int field) {
  struct mallinfo mi = mallinfo();
  int f[] = {mi.arena, mi.ordblks, mi.smblks, mi.hblks, mi.hblkhd, mi.usmblks, mi.fsmblks, mi.uordblks, mi.fordblks, mi.keepcost};
  return field >= 0 && field < 10 ? f[field] : -1;
}

/* posix_memalign through a static out-pointer. */
static void *pm_out;
EMSCRIPTEN_KEEPALIVE int test_posix_memalign(size_t align, size_t n) { return posix_memalign(&pm_out, align, n); }
EMSCRIPTEN_KEEPALIVE void *test_posix_memalign_result(void) { return pm_out; }

/* Misuse: record instead of aborting, so tests can see each case caught. */
static int last_kind;
static void *last_ptr;
static void record(int kind, void *p, const char *msg) { (void)msg; last_kind = kind; last_ptr = p; }
EMSCRIPTEN_KEEPALIVE void test_catch_misuse(int on) { alligator_set_error_handler(on ? record : NULL); last_kind = 0; }
EMSCRIPTEN_KEEPALIVE int test_misuse_kind(void) { return last_kind; }
EMSCRIPTEN_KEEPALIVE void *test_misuse_ptr(void) { return last_ptr; }

/* Sizes and offsets of the C structs, to check the JS reader against. */
EMSCRIPTEN_KEEPALIVE size_t test_stats_field(int i) {
  alligator_stats_t st;
  alligator_stats(&st);
  size_t f[] = {st.heap_bytes, st.in_use_bytes, st.peak_in_use_bytes, st.free_bytes, st.overhead_bytes,
                st.live_allocations, st.minipages, st.large_blocks, st.large_bytes, st.free_spans,
                st.free_span_bytes, st.largest_free_bytes, st.oom_count, st.grow_count};
  return i >= 0 && i < 14 ? f[i] : 0;
}
EMSCRIPTEN_KEEPALIVE double test_fragmentation(void) {
  alligator_stats_t st;
  alligator_stats(&st);
  return st.fragmentation;
}

/* The repeated-workload mixes of test/c/repeat.h (test/reuse.test.js). */
EMSCRIPTEN_KEEPALIVE unsigned test_repeat_mixes(void) { return REPEAT_NMIXES; }
EMSCRIPTEN_KEEPALIVE unsigned test_repeat_runs(void) { return REPEAT_RUNS; }
EMSCRIPTEN_KEEPALIVE const char *test_repeat_name(unsigned mix) { return mix < REPEAT_NMIXES ? repeat_mixes[mix].name : ""; }
EMSCRIPTEN_KEEPALIVE int test_repeat_run(unsigned mix) { return repeat_run(mix); }
EMSCRIPTEN_KEEPALIVE unsigned test_repeat_random_count(void) { return REPEAT_RANDOM; }
static repeat_mix repeat_random; /* the mix of the last test_repeat_random_pick */
EMSCRIPTEN_KEEPALIVE void test_repeat_random_pick(unsigned seed) { repeat_random_mix(seed, &repeat_random); }
EMSCRIPTEN_KEEPALIVE int test_repeat_random_run(void) { return repeat_run_mix(&repeat_random); }

int main(void) { return 0; }
