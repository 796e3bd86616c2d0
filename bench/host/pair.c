/* The fast-path pair, for callgrind (-instr builds only):
 *   bench-ALLOC-instr pair SIZE SHORT LONG
 * After one unmeasured warm-up loop, four loops run, each between
 * CALLGRIND_ZERO_STATS and CALLGRIND_DUMP_STATS (one dump each, in this
 * order): SHORT and LONG iterations of malloc(SIZE)+free, then SHORT and LONG
 * iterations of the same loop without the two calls.  bench/run.js takes
 * (dump2 - dump1) / (LONG - SHORT): the instructions of one iteration, the
 * constant costs (requests, loop set-up) cancelled; the empty loops give the
 * loop's own share of it. */
#include <stdio.h>
#include <stdlib.h>
#include <valgrind/callgrind.h>
#include "../bench.h"

/* The block escapes through the asm, so the pair cannot be folded away. */
__attribute__((noinline)) static void pair_loop(size_t n, long iters) {
  for (long i = 0; i < iters; i++) {
    void *p = B_MALLOC(n);
    __asm__ volatile("" : "+r"(p)::"memory");
    B_FREE(p);
  }
}

__attribute__((noinline)) static void empty_loop(size_t n, long iters) {
  for (long i = 0; i < iters; i++) {
    void *p = (void *)n;
    __asm__ volatile("" : "+r"(p)::"memory");
  }
}

int bench_pair(int argc, char **argv) {
  if (argc < 5) {
    fprintf(stderr, "usage: %s pair SIZE SHORT LONG\n", argv[0]);
    return 2;
  }
  size_t n = strtoul(argv[2], NULL, 0);
  long lens[2] = {atol(argv[3]), atol(argv[4])};
  void (*loops[2])(size_t, long) = {pair_loop, empty_loop};
  pair_loop(n, lens[0]); /* warm-up: first-call set-up, the page is made */
  for (int l = 0; l < 2; l++)
    for (int k = 0; k < 2; k++) {
      CALLGRIND_ZERO_STATS;
      loops[l](n, lens[k]);
      CALLGRIND_DUMP_STATS;
    }
  printf("{\"size\":%lu,\"short\":%ld,\"long\":%ld}\n", (unsigned long)n, lens[0], lens[1]);
  return 0;
}
