/* Model-based test: a random sequence of malloc/calloc/realloc/memalign/
 * posix_memalign/aligned_alloc/free checked after every step against a
 * reference model (the live blocks, their sizes and fill patterns):
 *   alignment; usable size >= requested; no overlap with any live block;
 *   contents preserved (every byte of a block is checked before it is freed
 *   or reallocated); calloc zeroed; statistics equal to the model's; and
 *   alligator_validate() clean.
 * Runs natively (host shim) and inside wasm (Emscripten, WASI) unchanged.
 *
 *   model [steps] [seed] [validate_every] [oom]
 * oom=1 (host shim only): every step first runs with the heap capped at its
 * current size; a request that cannot be met must return NULL with ENOMEM and
 * change nothing; then the cap is lifted and the step runs again.
 */
#define _POSIX_C_SOURCE 200809L /* posix_memalign */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "alligator.h"
#include "check.h"

void *memalign(size_t, size_t);
size_t malloc_usable_size(void *);

#define SLOTS 600

typedef struct {
  unsigned char *p;
  size_t n, usable;
  size_t slack; /* memalign: the bytes before p in its segment, at most align - 16 */
  uint32_t seed;
} block_t;

static block_t live[SLOTS];
static size_t nlive, model_usable, model_slack;
static size_t base_live, base_usable; /* what the C runtime holds before main */
static uint64_t rng_state;
static unsigned long step;

static uint32_t rnd(void) {
  rng_state = rng_state * 6364136223846793005ull + 1442695040888963407ull;
  return (uint32_t)(rng_state >> 33);
}

/* The last operations, printed with the first failure. */
#define TRACE 16
static struct { unsigned long step; const char *op; void *in, *out; size_t n, align; } trace[TRACE];
static void note(const char *op, void *in, void *out, size_t n, size_t align) {
  unsigned i = (unsigned)(step % TRACE);
  trace[i].step = step; trace[i].op = op; trace[i].in = in; trace[i].out = out; trace[i].n = n; trace[i].align = align;
}
static void dump_trace(void) {
  for (unsigned long k = step + 1 >= TRACE ? step + 1 - TRACE : 0; k <= step; k++) {
    unsigned i = (unsigned)(k % TRACE);
    if (trace[i].op && trace[i].step == k)
      printf("  step %lu: %s(%p, %zu, align %zu) -> %p\n", k, trace[i].op, trace[i].in, trace[i].n,
              trace[i].align, trace[i].out);
  }
}
/* Before each failure: the step (and, the first time, the trace). */
static void context(unsigned long earlier_failures) {
  if (!earlier_failures) dump_trace();
  printf("model: step %lu:\n", step);
}

static unsigned char pattern(uint32_t seed, size_t i) {
  return (unsigned char)(seed ^ (i * 131u) ^ (i >> 9));
}
static void fill(block_t *b, size_t from) {
  for (size_t i = from; i < b->n; i++) b->p[i] = pattern(b->seed, i);
}
static void check(const block_t *b, size_t upto, const char *when) {
  for (size_t i = 0; i < upto; i++)
    if (b->p[i] != pattern(b->seed, i)) {
      FAIL("%s: block %p (%zu bytes) byte %zu is %u, expected %u", when, (void *)b->p, b->n, i, b->p[i],
           pattern(b->seed, i));
      return;
    }
}

/* Sizes 0..1 MiB, weighted to small. */
static size_t random_size(void) {
  uint32_t r = rnd() % 100;
  if (r < 55) return rnd() % 257;
  if (r < 80) return rnd() % 2049;
  if (r < 95) return rnd() % 65537;
  return rnd() % (1u << 20) + 1;
}

static void check_new(unsigned char *p, size_t n, size_t align, int slot) {
  if (((uintptr_t)p & (align - 1)) != 0) FAIL("%p is not %zu-aligned", (void *)p, align);
  size_t u = malloc_usable_size(p);
  if (u < n) FAIL("usable size %zu < requested %zu", u, n);
  for (size_t i = 0; i < SLOTS; i++) {
    if ((int)i == slot || !live[i].p) continue;
    if (p < live[i].p + live[i].usable && live[i].p < p + u)
      FAIL("new block [%p,+%zu) overlaps live block [%p,+%zu)", (void *)p, u, (void *)live[i].p, live[i].usable);
  }
}

static void check_stats(void) {
  alligator_stats_t st;
  alligator_stats(&st);
  if (st.live_allocations != nlive + base_live)
    FAIL("stats: %zu live allocations, model has %zu", st.live_allocations, nlive + base_live);
#ifdef ALLIGATOR_CHECKED
  size_t slack = (size_t)-1 / 2; /* usable sizes are the requested sizes: canaries fill the rest */
#else
  size_t slack = model_slack;
#endif
  if (st.in_use_bytes < model_usable + base_usable || st.in_use_bytes > model_usable + base_usable + slack)
    FAIL("stats: %zu bytes in use, model has %zu (+ up to %zu of alignment)", st.in_use_bytes,
         model_usable + base_usable, model_slack);
  if (st.peak_in_use_bytes < st.in_use_bytes) FAIL("stats: peak below in use");
  if (st.heap_bytes < st.in_use_bytes + st.free_bytes) FAIL("stats: heap smaller than in use + free");
}

/* stdout has a static buffer (main): what this prints allocates nothing in
 * the heap under test, whose counters the model compares with its own. */
static void report(void *ctx, const char *msg) {
  (void)ctx;
  FAIL("validate: %s", msg);
}

/* One random operation.  Returns 0 if it hit out-of-memory (nothing changed). */
static int one_step(int expect_maybe_oom) {
  int slot = (int)(rnd() % SLOTS);
  block_t *b = &live[slot];
  uint32_t op = rnd() % 100;
  errno = 0;
  if (!b->p && op < 2) { /* free(NULL): nothing happens (checked with the stats after the step) */
    void *volatile none = NULL; /* (a literal NULL: the compiler drops the call) */
    free(none);
    return 1;
  }
  if (b->p && op < 45) { /* free */
    check(b, b->n, "before free");
    note("free", b->p, NULL, b->n, 0);
    free(b->p);
    model_usable -= b->usable;
    model_slack -= b->slack;
    nlive--;
    b->p = NULL;
    return 1;
  }
  if (b->p && op < 75) { /* realloc */
    size_t n = op < 60 ? random_size() : b->n + rnd() % (b->n + 64); /* random, or growth */
    if (n == 0) n = 1;
    check(b, b->n, "before realloc");
    unsigned char *q = realloc(b->p, n);
    note("realloc", b->p, q, n, 0);
    if (!q) {
      if (!expect_maybe_oom || errno != ENOMEM) FAIL("realloc(%zu) failed, errno %d", n, errno);
      check(b, b->n, "after failed realloc");
      return 0;
    }
    model_usable -= b->usable;
    model_slack -= b->slack;
    b->slack = 0;
    b->p = NULL;
    check_new(q, n, 16, slot);
    b->p = q;
    size_t keep = b->n < n ? b->n : n;
    b->n = n;
    check(b, keep, "after realloc");
    b->usable = malloc_usable_size(q);
    model_usable += b->usable;
    fill(b, keep);
    return 1;
  }
  if (b->p) return 1;
  size_t n = random_size(), align = 16;
  unsigned char *p;
  int zero = 0;
  uint32_t kind = rnd() % 10;
  if (kind < 5) {
    p = malloc(n);
  } else if (kind < 7) {
    size_t count = 1 + rnd() % 8;
    n = n / count;
    p = calloc(count, n);
    n *= count;
    zero = 1;
  } else {
    align = (size_t)1 << (4 + rnd() % 13); /* 16 .. 64 KiB */
    if (kind == 7) {
      p = memalign(align, n);
    } else if (kind == 8) {
      void *r = NULL;
      int e = posix_memalign(&r, align, n);
      if (e && e != ENOMEM) FAIL("posix_memalign returned %d", e);
      if (e) errno = ENOMEM;
      p = r;
    } else {
      p = aligned_alloc(align, n);
    }
  }
  note(zero ? "calloc" : align > 16 ? "memalign" : "malloc", NULL, p, n, align);
  if (!p) {
    if (!expect_maybe_oom || errno != ENOMEM) FAIL("allocation of %zu (align %zu) failed, errno %d", n, align, errno);
    return 0;
  }
  check_new(p, n, align, slot);
  if (zero)
    for (size_t i = 0; i < n; i++)
      if (p[i]) {
        FAIL("calloc: byte %zu of %zu is %u", i, n, p[i]);
        break;
      }
  b->p = p;
  b->n = n;
  b->usable = malloc_usable_size(p);
  b->seed = rnd();
  b->slack = align > 16 ? align - 16 : 0;
  model_usable += b->usable;
  model_slack += b->slack;
  nlive++;
  fill(b, 0);
  return 1;
}

int main(int argc, char **argv) {
  static char out_buffer[1 << 16];
  setvbuf(stdout, out_buffer, _IOLBF, sizeof out_buffer); /* (see report) */
  unsigned long steps = argc > 1 ? strtoul(argv[1], NULL, 0) : 100000;
  unsigned long seed = argc > 2 ? strtoul(argv[2], NULL, 0) : 1;
  unsigned long every = argc > 3 ? strtoul(argv[3], NULL, 0) : 1;
  int oom = argc > 4 ? atoi(argv[4]) : 0;
  unsigned long ooms = 0;
  rng_state = seed * 0x9E3779B97F4A7C15ull + 1;
  check_context = context;
  check_max_failures = 11;
  alligator_stats_t st0;
  alligator_stats(&st0);
  base_live = st0.live_allocations;
  base_usable = st0.in_use_bytes;
  for (step = 0; step < steps; step++) {
    if (oom) {
      alligator_stats_t st;
      alligator_stats(&st);
      alligator_host_set_limit(st.heap_bytes);
      uint64_t saved = rng_state;
      int done = one_step(1);
      alligator_host_set_limit(0);
      if (!done) {
        ooms++;
        if (alligator_validate(report, NULL)) FAIL("heap inconsistent after out-of-memory");
        rng_state = saved;
        one_step(0);
      }
    } else {
      one_step(0);
    }
    check_stats();
    if (every && step % every == 0 && alligator_validate(report, NULL)) FAIL("heap inconsistent");
  }
  for (int i = 0; i < SLOTS; i++)
    if (live[i].p) {
      check(&live[i], live[i].n, "at the end");
      free(live[i].p);
      model_usable -= live[i].usable;
      model_slack -= live[i].slack;
      nlive--;
      live[i].p = NULL;
    }
  check_stats();
  if (alligator_validate(report, NULL)) FAIL("heap inconsistent at the end");
  alligator_stats_t st;
  alligator_stats(&st);
  printf("model: %lu steps, seed %lu, %lu out-of-memory steps, heap %zu bytes, peak in use %zu: %s\n", steps, seed,
         ooms, st.heap_bytes, st.peak_in_use_bytes, check_failures ? "FAILED" : "ok");
  return check_failures ? 1 : 0;
}
