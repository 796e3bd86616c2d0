/* Workloads repeated in one heap (issue 10: the same workload run N times in
 * one instance must not grow the heap after its second run).  Each mix is a
 * seeded random churn over a table of slots: an empty slot gets a block, a
 * full one is freed or (sometimes) reallocated; every run makes the same calls
 * and frees all it allocated.  Included by test/c/test_units.c (native) and
 * test/wasm/api.c (test/reuse.test.js): one definition of the mixes for both.
 *
 * Before the fix each of these grew the heap on later runs (host i686 and
 * x86_64): the blocks' placement drifted from run to run, because the empty
 * MiniPages a run left behind sat wherever it had left them, the pool took
 * the free span at the heap's end before others of similar size, and realloc
 * grew the heap in place at its end while a free span elsewhere could hold
 * the block. */
#ifndef REPEAT_H
#define REPEAT_H
#include <stdint.h>
#include <stdlib.h>

/* X(name, seed, slots, steps, lo, hi, big_permille, big_lo, big_hi, realloc_permille):
 * block sizes lo..hi, or big_lo..big_hi for big_permille of them; of the
 * steps that find a full slot, realloc_permille resize it (to a new size
 * drawn the same way) rather than free it. */
#define REPEAT_MIXES(X)                                                                               \
  X("sizes 1..10000 B, half of the full slots reallocated", 1, 2500, 200000, 1, 10000, 0, 0, 0, 500) \
  X("small objects 8..72 B, 1% large up to 64 KiB", 2, 2048, 300000, 8, 72, 10, 2049, 65536, 0)    \
  X("small objects 4..176 B, 4% large up to 46 KiB, 38% reallocated", 200, 4067, 236958, 4, 176, 38, \
    4156, 47249, 378)                                                                                 \
  X("small objects 60..266 B, 1.6% large up to 57 KiB", 226, 4059, 198596, 60, 266, 16, 3847, 58841, 0)

typedef struct {
  const char *name;
  uint32_t seed, slots, steps, lo, hi, big_pm, big_lo, big_hi, realloc_pm;
} repeat_mix;

/* The allocator a mix calls (bench/host/repeat_live.c names others). */
#ifndef REPEAT_MALLOC
#define REPEAT_MALLOC malloc
#define REPEAT_FREE free
#define REPEAT_REALLOC realloc
#endif

#define REPEAT_MIX_(name, seed, slots, steps, slo, shi, lpm, llo, lhi, rpm) \
  {name, seed, slots, steps, slo, shi, lpm, llo, lhi, rpm},
static const repeat_mix repeat_mixes[] = {REPEAT_MIXES(REPEAT_MIX_)};
#define REPEAT_NMIXES (sizeof repeat_mixes / sizeof repeat_mixes[0])
#define REPEAT_RUNS 7 /* the count: a Rust harness saw the heap grow over 7 runs */
#define REPEAT_RANDOM 24 /* mixes drawn from seeds 1..REPEAT_RANDOM (repeat_random_mix), natively and in wasm */
#define REPEAT_SLOTS 4096

static void *repeat_slot[REPEAT_SLOTS];
static uint64_t repeat_rng;
static uint32_t repeat_next(void) { /* xorshift64*: the same numbers on every target */
  repeat_rng ^= repeat_rng >> 12;
  repeat_rng ^= repeat_rng << 25;
  repeat_rng ^= repeat_rng >> 27;
  return (uint32_t)((repeat_rng * 0x2545F4914F6CDD1Dull) >> 32);
}
static size_t repeat_size(const repeat_mix *m) {
  if (repeat_next() % 1000 < m->big_pm) return m->big_lo + repeat_next() % (m->big_hi - m->big_lo + 1);
  return m->lo + repeat_next() % (m->hi - m->lo + 1);
}

/* One run of mix m; after each step, after_step (if not NULL) is passed the
 * step's number.  Returns 0, or -1 if an allocation failed. */
static inline int repeat_run_mix_then(const repeat_mix *m, void (*after_step)(uint32_t step)) {
  int failed = m->slots > REPEAT_SLOTS;
  repeat_rng = 0x9E3779B97F4A7C15ull ^ m->seed;
  for (uint32_t step = 0; step < m->steps && !failed; step++) {
    void **s = &repeat_slot[repeat_next() % m->slots];
    if (*s && m->realloc_pm && repeat_next() % 1000 < m->realloc_pm) {
      void *q = REPEAT_REALLOC(*s, repeat_size(m));
      if (q) *s = q;
      else failed = 1;
    } else if (*s) {
      REPEAT_FREE(*s);
      *s = NULL;
    } else {
      failed = !(*s = REPEAT_MALLOC(repeat_size(m)));
    }
    if (after_step) after_step(step);
  }
  for (uint32_t i = 0; i < REPEAT_SLOTS; i++) {
    REPEAT_FREE(repeat_slot[i]);
    repeat_slot[i] = NULL;
  }
  return failed ? -1 : 0;
}

/* One run of mix m.  Returns 0, or -1 if an allocation failed. */
static inline int repeat_run_mix(const repeat_mix *m) { return repeat_run_mix_then(m, NULL); }

/* One run of the mix with index mix (< REPEAT_NMIXES), or -1. */
static inline int repeat_run(unsigned mix) {
  return mix < REPEAT_NMIXES ? repeat_run_mix(&repeat_mixes[mix]) : -1;
}

/* A mix drawn from seed: 256..4095 slots, 50000..249999 steps, small sizes
 * from 1..200 up to 2 KiB above that, large blocks (2 KiB..68 KiB) for up to
 * 5% of them in two of three mixes, reallocs in half of them.  The tests
 * run seeds 1..REPEAT_RANDOM beside the four above. */
static inline void repeat_random_mix(uint32_t seed, repeat_mix *m) {
  repeat_rng = 0x1234567ull ^ ((uint64_t)seed * 0x9E3779B97F4A7C15ull);
  m->name = "random";
  m->seed = seed;
  m->slots = 256 + repeat_next() % 3840;
  m->steps = 50000 + repeat_next() % 200000;
  m->lo = 1 + repeat_next() % 200;
  m->hi = m->lo + repeat_next() % 2000;
  if (m->hi > 2048 && repeat_next() % 2) m->hi = 2048;
  m->big_pm = repeat_next() % 3 ? repeat_next() % 50 : 0;
  m->big_lo = 2049 + repeat_next() % 8000;
  m->big_hi = m->big_lo + repeat_next() % 60000;
  m->realloc_pm = repeat_next() % 2 ? repeat_next() % 600 : 0;
}
#endif
