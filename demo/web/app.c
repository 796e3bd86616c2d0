/* The heap page's workload app: the same C file is built three times, with
 * -sMALLOC=none + the Alligator port, -sMALLOC=dlmalloc and -sMALLOC=emmalloc
 * (see mk/web.mk).  It uses only the standard malloc family, so the three
 * builds run exactly the same code on the same pseudo-random sequence.
 *
 * Workload steps (each runs n operations; app_step(w, n) picks one by number):
 *   0 app_churn(n)     small objects (8..256 B) allocated and freed at random
 *   1 app_random(n)    random sizes 1..10000 B, allocated and freed at random
 *   2 app_realloc(n)   a few buffers grown by realloc, freed when they get big
 *   3 app_fragment(n)  adversary: allocate many, free every other, allocate larger
 * app_reset() frees everything; app_seed(s) restarts the random sequence.
 *
 * Numbers for every allocator (the peers have no Module.alligator):
 *   app_heap_bytes()       memory taken through sbrk since the heap base
 *   app_requested_bytes()  bytes the workload asked for and still holds
 *   app_live()             allocations the workload holds
 *   app_mallinfo(i)        the allocator's own mallinfo() fields
 */
#include <malloc.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <emscripten/emscripten.h>

#define SLOTS 8192     /* churn and random: live objects at most */
#define BUFS 24        /* realloc: buffers grown at once */
#define BUF_MAX (1u << 20)
#define FRAG_MAX 16384 /* fragment: live objects at most */

extern unsigned char __heap_base;

typedef struct {
  void *p;
  uint32_t n;
} slot_t;

static slot_t churn[SLOTS], rnd[SLOTS], bufs[BUFS], frag[FRAG_MAX];
static uint32_t frag_n, frag_round, frag_phase, frag_pos;
static size_t requested, live, ops_total, failures;
static uint64_t rng = 0x9e3779b97f4a7c15ull;

static uint32_t next(void) { /* xorshift64* */
  rng ^= rng >> 12;
  rng ^= rng << 25;
  rng ^= rng >> 27;
  return (uint32_t)((rng * 0x2545f4914f6cdd1dull) >> 32);
}
static uint32_t range(uint32_t lo, uint32_t hi) { return lo + next() % (hi - lo + 1); }

/* Touch what we get, so that every build pays for real memory. */
static void *take(uint32_t n) {
  void *p = malloc(n);
  if (!p) {
    failures++;
    return NULL;
  }
  memset(p, (int)(n & 0xff), n < 64 ? n : 64);
  requested += n;
  live++;
  return p;
}
static void drop(slot_t *s) {
  if (!s->p) return;
  free(s->p);
  requested -= s->n;
  live--;
  s->p = NULL;
  s->n = 0;
}

static void toggle(slot_t *pool, uint32_t lo, uint32_t hi) {
  slot_t *s = &pool[next() % SLOTS];
  if (s->p) {
    drop(s);
  } else {
    s->n = range(lo, hi);
    s->p = take(s->n);
    if (!s->p) s->n = 0;
  }
}

static void grow(void) {
  slot_t *b = &bufs[next() % BUFS];
  if (b->n >= BUF_MAX) {
    drop(b);
    return;
  }
  uint32_t n = b->n ? b->n + b->n / 2 + range(1, 64) : range(16, 256);
  if (n > BUF_MAX) n = BUF_MAX;
  void *p = realloc(b->p, n);
  if (!p) {
    failures++;
    return;
  }
  if (!b->p) live++;
  memset((char *)p + b->n, 0x5a, n - b->n < 64 ? n - b->n : 64);
  requested += n - b->n;
  b->p = p;
  b->n = n;
}

/* Rounds of three phases over frag[]: allocate many objects of one size,
 * free every other, then allocate objects a bit larger than the holes (so
 * the holes cannot take them).  Each round's size is larger; after 6 rounds
 * everything is freed and it starts again. */
static void fragment_op(void) {
  uint32_t size = 48u << (frag_round % 6);              /* 48 .. 1536 B */
  uint32_t count = 4096 >> (frag_round % 6 / 2);        /* fewer as they grow */
  switch (frag_phase) {
  case 0: /* allocate many */
    if (frag_pos < count && frag_n < FRAG_MAX) {
      frag[frag_n].n = size + range(0, 15);
      frag[frag_n].p = take(frag[frag_n].n);
      if (frag[frag_n].p) frag_n++;
      frag_pos++;
      return;
    }
    frag_phase = 1;
    frag_pos = 0;
    return;
  case 1: /* free every other of this round */
    if (frag_pos < count && frag_pos < frag_n) {
      uint32_t i = frag_n - 1 - frag_pos;
      if (frag_pos % 2 == 0) drop(&frag[i]);
      frag_pos++;
      return;
    }
    frag_phase = 2;
    frag_pos = 0;
    return;
  case 2: /* allocate larger */
    if (frag_pos < count / 2 && frag_n < FRAG_MAX) {
      frag[frag_n].n = size * 2 + 16;
      frag[frag_n].p = take(frag[frag_n].n);
      if (frag[frag_n].p) frag_n++;
      frag_pos++;
      return;
    }
    frag_phase = 0;
    frag_pos = 0;
    frag_round++;
    if (frag_round % 6 == 0 || frag_n + count > FRAG_MAX) {
      for (uint32_t i = 0; i < frag_n; i++) drop(&frag[i]);
      frag_n = 0;
    }
    return;
  }
}

/* The workload step functions: n operations each; they return n. */
EMSCRIPTEN_KEEPALIVE int app_churn(int n) {
  for (int i = 0; i < n; i++) toggle(churn, 8, 256);
  ops_total += (size_t)n;
  return n;
}
EMSCRIPTEN_KEEPALIVE int app_random(int n) {
  for (int i = 0; i < n; i++) toggle(rnd, 1, 10000);
  ops_total += (size_t)n;
  return n;
}
EMSCRIPTEN_KEEPALIVE int app_realloc(int n) {
  for (int i = 0; i < n; i++) grow();
  ops_total += (size_t)n;
  return n;
}
EMSCRIPTEN_KEEPALIVE int app_fragment(int n) {
  for (int i = 0; i < n; i++) fragment_op();
  ops_total += (size_t)n;
  return n;
}

/* The same by number (0 churn, 1 random, 2 realloc, 3 fragment), for the page. */
EMSCRIPTEN_KEEPALIVE int app_step(int workload, int n) {
  switch (workload) {
  case 0: return app_churn(n);
  case 1: return app_random(n);
  case 2: return app_realloc(n);
  case 3: return app_fragment(n);
  default: return 0;
  }
}

EMSCRIPTEN_KEEPALIVE void app_reset(void) {
  for (int i = 0; i < SLOTS; i++) {
    drop(&churn[i]);
    drop(&rnd[i]);
  }
  for (int i = 0; i < BUFS; i++) drop(&bufs[i]);
  for (uint32_t i = 0; i < frag_n; i++) drop(&frag[i]);
  frag_n = frag_round = frag_phase = frag_pos = 0;
}

EMSCRIPTEN_KEEPALIVE void app_seed(uint32_t seed) { rng = 0x9e3779b97f4a7c15ull ^ ((uint64_t)seed << 17) ^ seed; }

EMSCRIPTEN_KEEPALIVE size_t app_heap_bytes(void) { return (size_t)((uintptr_t)sbrk(0) - (uintptr_t)&__heap_base); }
EMSCRIPTEN_KEEPALIVE size_t app_requested_bytes(void) { return requested; }
EMSCRIPTEN_KEEPALIVE size_t app_live(void) { return live; }
EMSCRIPTEN_KEEPALIVE size_t app_ops(void) { return ops_total; }
EMSCRIPTEN_KEEPALIVE size_t app_failures(void) { return failures; }

/* mallinfo() returns a struct: one field at a time (arena, ordblks, smblks,
 * hblks, hblkhd, usmblks, fsmblks, uordblks, fordblks, keepcost). */
EMSCRIPTEN_KEEPALIVE int app_mallinfo(int field) {
  struct mallinfo mi = mallinfo();
  int f[] = {mi.arena, mi.ordblks, mi.smblks, mi.hblks, mi.hblkhd, mi.usmblks, mi.fsmblks, mi.uordblks, mi.fordblks, mi.keepcost};
  return field >= 0 && field < 10 ? f[field] : -1;
}

int main(void) { return 0; }
