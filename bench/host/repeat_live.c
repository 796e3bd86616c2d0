/* Repeated workloads with blocks live across the runs (a measurement, not a
 * test): test/c/repeat.h's mixes, each run REPEAT_RUNS times in a fresh heap
 * (a child process), while blocks allocated before or during the first run
 * stay live to the end.  Counts the mixes whose heap grows after the second
 * run.  test/c/test_units.c asserts no growth when each run frees all it
 * allocated (the heap then resets); with blocks kept live it does not reset,
 * and where the empty MiniPages sit decides whether a run fits the heap the
 * previous one left.  See bench/README.md ("Repeated workloads").
 *
 *   bench-repeat-live-<alloc> FIRST LAST LIVE_BYTES KEPT
 *     seeds FIRST..LAST of repeat_random_mix, one block of LIVE_BYTES
 *     allocated before the first run (0: none), KEPT blocks (<= 64) of the
 *     mix's sizes allocated during the first run, all freed after the last. */
#define _DEFAULT_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>
#ifdef BENCH_DLMALLOC
#include "shim.h"
void *dlmalloc(size_t n);
void dlfree(void *p);
void *dlrealloc(void *p, size_t n);
#define REPEAT_MALLOC dlmalloc
#define REPEAT_FREE dlfree
#define REPEAT_REALLOC dlrealloc
static size_t heap_bytes(void) { return bench_shim_heap_bytes(); }
#else
#include "alligator.h"
#define REPEAT_MALLOC alligator_malloc
#define REPEAT_FREE alligator_free
#define REPEAT_REALLOC alligator_realloc
static size_t heap_bytes(void) {
  alligator_stats_t st;
  alligator_stats(&st);
  return st.heap_bytes;
}
#endif
#include "../../test/c/repeat.h"

/* The blocks run 1 keeps: one at each of `kept` evenly spaced steps. */
static const repeat_mix *keep_mix;
static unsigned kept;
static void *keep[64];
static void keep_some(uint32_t step) {
  if (kept && step && step % (keep_mix->steps / (kept + 1) + 1) == 0)
    for (unsigned k = 0; k < kept; k++)
      if (!keep[k]) {
        keep[k] = REPEAT_MALLOC(repeat_size(keep_mix));
        break;
      }
}

/* 1 if the heap grew after run 2, 2 if an allocation failed. */
static int run_mix(const repeat_mix *m, size_t live_bytes) {
  void *live = live_bytes ? REPEAT_MALLOC(live_bytes) : NULL;
  size_t heap[REPEAT_RUNS + 1];
  keep_mix = m;
  for (unsigned run = 1; run <= REPEAT_RUNS; run++) {
    if (repeat_run_mix_then(m, run == 1 ? keep_some : NULL)) return 2;
    heap[run] = heap_bytes();
  }
  for (unsigned k = 0; k < 64; k++) REPEAT_FREE(keep[k]);
  REPEAT_FREE(live);
  for (unsigned run = 3; run <= REPEAT_RUNS; run++)
    if (heap[run] != heap[2]) return 1;
  return 0;
}

int main(int argc, char **argv) {
  if (argc != 5) {
    fprintf(stderr, "usage: %s FIRST LAST LIVE_BYTES KEPT\n", argv[0]);
    return 2;
  }
  unsigned first = (unsigned)atoi(argv[1]), last = (unsigned)atoi(argv[2]);
  kept = (unsigned)atoi(argv[4]);
  size_t live = (size_t)atol(argv[3]);
  if (kept > 64) kept = 64;
  unsigned grew = 0, mixes = 0;
  for (unsigned seed = first; seed <= last; seed++, mixes++) {
    repeat_mix m;
    repeat_random_mix(seed, &m);
    pid_t pid = fork();
    if (pid == 0) _exit(run_mix(&m, live));
    int status = 0;
    if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFEXITED(status) || WEXITSTATUS(status) > 1) return 1;
    grew += WEXITSTATUS(status);
  }
  printf("%u of %u mixes grew the heap after run 2 (live block %zu B, %u kept)\n", grew, mixes, live, kept);
  return 0;
}
