/* The heap backend's contract (src/internal.h, al_backend_sbrk): memory that
 * another user of the same linear memory grew is never handed out.  Random
 * malloc/free interleaved with a foreign grow of 1..3 64 KiB pages, whose
 * bytes are filled and must stay intact; no block may overlap them.  The
 * foreign user, per backend:
 *   wasm32-wasi (src/heap_wasi.c): memory.grow (__builtin_wasm_memory_grow)
 *   Emscripten (port/heap_emscripten.c): sbrk, which the backend shares
 *   hosts (src/heap_host.c): the shim's own sbrk, as the fuzz harness does
 * Prints "foreign-grow: N checks, M failed"; exit 0 = all passed. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "alligator.h"
#include "check.h"

size_t malloc_usable_size(void *p);
#define PAGE 65536u

static unsigned char *foreign_grow(size_t pages) {
#if defined(__wasm__) && !defined(__EMSCRIPTEN__)
  size_t old = __builtin_wasm_memory_grow(0, pages);
  return old == (size_t)-1 ? NULL : (unsigned char *)(old * PAGE);
#elif defined(__EMSCRIPTEN__)
  void *sbrk(intptr_t increment);
  void *r = sbrk((intptr_t)(pages * PAGE));
  return r == (void *)-1 ? NULL : r;
#else
  void *al_backend_sbrk(size_t increment);
  return al_backend_sbrk(pages * PAGE);
#endif
}

#define SLOTS 64
#define FOREIGN 64
static struct { unsigned char *p; size_t n; unsigned char seed; } block[SLOTS], foreign[FOREIGN];
static unsigned nforeign;
static uint32_t rng = 12345;
static uint32_t rnd(void) { return rng = rng * 1103515245u + 12345u, rng >> 8; }

static int overlaps(const unsigned char *p, size_t n, const unsigned char *q, size_t m) {
  return p < q + m && q < p + n;
}
static void fill(unsigned char *p, size_t n, unsigned char seed) {
  for (size_t i = 0; i < n; i++) p[i] = (unsigned char)(seed + i * 7);
}
static size_t damaged(const unsigned char *p, size_t n, unsigned char seed) {
  size_t bad = 0;
  for (size_t i = 0; i < n; i++) bad += p[i] != (unsigned char)(seed + i * 7);
  return bad;
}

int main(int argc, char **argv) {
  unsigned steps = argc > 1 ? (unsigned)strtoul(argv[1], NULL, 0) : 3000;
  size_t overlapping = 0;
  for (unsigned step = 0; step < steps; step++) {
    if (step % 25 == 12 && nforeign < FOREIGN) { /* someone else grows memory */
      size_t pages = 1 + rnd() % 3;
      unsigned char *f = foreign_grow(pages);
      CHECK(f != NULL, "step %u: the foreign grow of %zu pages failed", step, pages);
      if (f) {
        foreign[nforeign].p = f, foreign[nforeign].n = pages * PAGE, foreign[nforeign].seed = (unsigned char)step;
        fill(f, pages * PAGE, (unsigned char)step);
        nforeign++;
      }
      continue;
    }
    unsigned s = rnd() % SLOTS;
    if (block[s].p) {
      CHECK(!damaged(block[s].p, block[s].n, block[s].seed), "step %u: block %p changed", step, (void *)block[s].p);
      free(block[s].p);
      block[s].p = NULL;
      continue;
    }
    uint32_t r = rnd();
    size_t n = r % 4 == 0 ? 2049 + r % 150000 : 1 + r % 2048;
    unsigned char *p = malloc(n);
    CHECK(p != NULL, "step %u: malloc(%zu) = NULL", step, n);
    if (!p) continue;
    size_t usable = malloc_usable_size(p);
    for (unsigned i = 0; i < nforeign; i++)
      if (overlaps(p, usable, foreign[i].p, foreign[i].n)) overlapping++;
    block[s].p = p, block[s].n = n, block[s].seed = (unsigned char)r;
    fill(p, n, (unsigned char)r);
  }
  CHECK(overlapping == 0, "%zu blocks overlap memory someone else grew", overlapping);
  size_t bad = 0;
  for (unsigned i = 0; i < nforeign; i++) bad += damaged(foreign[i].p, foreign[i].n, foreign[i].seed);
  CHECK(bad == 0, "%zu bytes of the foreign memory changed", bad);
  CHECK(nforeign > 0, "no foreign grow happened");
  for (unsigned s = 0; s < SLOTS; s++)
    if (block[s].p) {
      CHECK(!damaged(block[s].p, block[s].n, block[s].seed), "block %p changed", (void *)block[s].p);
      free(block[s].p);
    }
  CHECK(alligator_validate(NULL, NULL) == 0, "alligator_validate");
  alligator_stats_t st;
  alligator_stats(&st);
  printf("foreign-grow: %u steps, %u foreign grows, %zu heap segments grown\n", steps, nforeign, st.grow_count);
  return check_summary("foreign-grow");
}
