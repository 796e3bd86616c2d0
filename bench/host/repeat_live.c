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
#include "../../test/c/repeat.h"
#ifdef BENCH_DLMALLOC
#include "shim.h"
void *dlmalloc(size_t n);
void dlfree(void *p);
void *dlrealloc(void *p, size_t n);
#define A_MALLOC dlmalloc
#define A_FREE dlfree
#define A_REALLOC dlrealloc
static size_t heap_bytes(void) { return bench_shim_heap_bytes(); }
#else
#include "alligator.h"
#define A_MALLOC alligator_malloc
#define A_FREE alligator_free
#define A_REALLOC alligator_realloc
static size_t heap_bytes(void) {
  alligator_stats_t st;
  alligator_stats(&st);
  return st.heap_bytes;
}
#endif

/* 1 if the heap grew after run 2. */
static int run_mix(const repeat_mix *m, size_t live_bytes, unsigned kept) {
  void *live = live_bytes ? A_MALLOC(live_bytes) : NULL, *keep[64] = {0};
  size_t heap[REPEAT_RUNS + 1];
  for (unsigned run = 1; run <= REPEAT_RUNS; run++) {
    repeat_rng = 0x9E3779B97F4A7C15ull ^ m->seed;
    for (uint32_t step = 0; step < m->steps; step++) {
      void **s = &repeat_slot[repeat_next() % m->slots];
      if (*s && m->realloc_pm && repeat_next() % 1000 < m->realloc_pm) {
        void *q = A_REALLOC(*s, repeat_size(m));
        if (q) *s = q;
      } else if (*s) {
        A_FREE(*s);
        *s = NULL;
      } else {
        *s = A_MALLOC(repeat_size(m));
      }
      if (run == 1 && kept && step && step % (m->steps / (kept + 1) + 1) == 0)
        for (unsigned k = 0; k < kept; k++)
          if (!keep[k]) {
            keep[k] = A_MALLOC(repeat_size(m));
            break;
          }
    }
    for (uint32_t i = 0; i < REPEAT_SLOTS; i++) {
      A_FREE(repeat_slot[i]);
      repeat_slot[i] = NULL;
    }
    heap[run] = heap_bytes();
  }
  for (unsigned k = 0; k < 64; k++) A_FREE(keep[k]);
  A_FREE(live);
  for (unsigned run = 3; run <= REPEAT_RUNS; run++)
    if (heap[run] != heap[2]) return 1;
  return 0;
}

int main(int argc, char **argv) {
  if (argc != 5) {
    fprintf(stderr, "usage: %s FIRST LAST LIVE_BYTES KEPT\n", argv[0]);
    return 2;
  }
  unsigned first = (unsigned)atoi(argv[1]), last = (unsigned)atoi(argv[2]), kept = (unsigned)atoi(argv[4]);
  size_t live = (size_t)atol(argv[3]);
  if (kept > 64) kept = 64;
  unsigned grew = 0, mixes = 0;
  for (unsigned seed = first; seed <= last; seed++, mixes++) {
    repeat_mix m;
    repeat_random_mix(seed, &m);
    pid_t pid = fork();
    if (pid == 0) _exit(run_mix(&m, live, kept));
    int status = 0;
    if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFEXITED(status) || WEXITSTATUS(status) > 1) return 1;
    grew += WEXITSTATUS(status);
  }
  printf("%u of %u mixes grew the heap after run 2 (live block %zu B, %u kept)\n", grew, mixes, live, kept);
  return 0;
}
