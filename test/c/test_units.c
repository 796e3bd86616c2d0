/* Unit checks of the tables and the arithmetic the fast paths trust:
 * size -> class, exact segment division, unit geometry, header layout. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "internal.h"
#include "check.h"


static int problems;
static void count(void *ctx, const char *msg) {
  (void)ctx;
  (void)msg;
  problems++;
}
/* Corrupt one field, expect the heap check to report it, put it back. */
#define EXPECT_CAUGHT(what, field, bad)                                              \
  do {                                                                              \
    __typeof__(field) saved_ = (field);                                             \
    (field) = (bad);                                                                \
    problems = 0;                                                                   \
    int n_ = alligator_validate(count, NULL);                                       \
    CHECK(n_ > 0 && problems == n_, "validate missed: %s", what);                  \
    (field) = saved_;                                                               \
    CHECK(alligator_validate(NULL, NULL) == 0, "validate after restoring: %s", what); \
  } while (0)

static void check_the_check(void) {
  char *small = malloc(100), *big = malloc(50000), *gap = malloc(30000), *after = malloc(10);
  uint32_t gap_unit = al_unit_of(gap); /* taken before the free: only the unit is used after it */
  free(gap); /* a free span between two large blocks */
  char *volatile small2 = malloc(100); /* volatile: the compiler may not elide the pair */
  free(small2); /* on small's page's free list */
  CHECK(alligator_validate(NULL, NULL) == 0, "a fresh heap validates");
  span_t *page = al_span(al_unit_of(small)), *large = al_span(al_unit_of(big));
  span_t *hole = al_span(gap_unit);
  CHECK(al_kind(hole) == KIND_FREE, "the freed block is a free span");
  EXPECT_CAUGHT("MiniPage used count", page->used, (uint8_t)(page->used + 1));
  EXPECT_CAUGHT("MiniPage free list link", page->free, (al_block *)(small2 + 16));
  EXPECT_CAUGHT("MiniPage freed mark (a live block on the free list)", page->free, (al_block *)small);
  EXPECT_CAUGHT("MiniPage bump", page->bump, (uint16_t)(page->bump + al_class_size[page->cls]));
  EXPECT_CAUGHT("MiniPage class", page->cls, (uint8_t)(page->cls + 1));
  EXPECT_CAUGHT("large block data offset", large->next, 4000u);
  EXPECT_CAUGHT("span magic", large->head, large->head & ~HEAD_MAGIC_MASK);
  EXPECT_CAUGHT("free span footer", ((uint32_t *)al_span(gap_unit + al_size(hole)))[-1], 7u);
  EXPECT_CAUGHT("free span bin link", hole->prev, 12345u);
  EXPECT_CAUGHT("bin bitmap", al_g.bin_summary, al_g.bin_summary ^ 1u);
  EXPECT_CAUGHT("bytes-in-use counter", al_g.in_use_bytes, al_g.in_use_bytes + 16);
  EXPECT_CAUGHT("class page counter", al_g.class_pages[0], al_g.class_pages[0] + 1);
  free(small);
  free(big);
  free(after);
}

/* The same workload run again and again in one heap must not grow it after
 * its second run (issue 10: a Rust harness saw a small-object churn grow the
 * heap on every one of 7 runs).  A churn of mostly small blocks with some
 * large ones, everything freed at the end of each run; heap sizes only. */
#define REPEAT_SLOTS 4096
static void *repeat_slot[REPEAT_SLOTS];
static void repeat_run(void) {
  uint32_t x = 12345; /* the same sequence every run */
  for (unsigned step = 0; step < 60000; step++) {
    x = x * 1103515245u + 12345u;
    unsigned i = (x >> 8) % REPEAT_SLOTS;
    if (repeat_slot[i]) {
      free(repeat_slot[i]);
      repeat_slot[i] = NULL;
    } else {
      x = x * 1103515245u + 12345u;
      size_t n = (x >> 16) % 100 < 95 ? 8 + (x >> 4) % 249 : 2049 + (x >> 4) % 6000;
      repeat_slot[i] = malloc(n);
      CHECK(repeat_slot[i] != NULL, "repeat: malloc(%zu) failed", n);
    }
  }
  for (unsigned i = 0; i < REPEAT_SLOTS; i++) {
    free(repeat_slot[i]);
    repeat_slot[i] = NULL;
  }
}

static void check_repeat(void) {
  alligator_stats_t st;
  size_t heap[8];
  for (unsigned run = 1; run <= 7; run++) {
    repeat_run();
    alligator_stats(&st);
    heap[run] = st.heap_bytes;
    CHECK(st.in_use_bytes == 0, "repeat: run %u left %zu bytes in use", run, st.in_use_bytes);
  }
  for (unsigned run = 3; run <= 7; run++)
    CHECK(heap[run] == heap[2], "repeat: the heap grew from %zu B after run 2 to %zu B after run %u", heap[2], heap[run], run);
  CHECK(alligator_validate(NULL, NULL) == 0, "repeat: the heap validates");
}

/* When no free span fits, an empty page whose span, coalesced with its free
 * neighbours, fits is taken over without growing the heap (al_units_take).
 * Layout, from the first segment (16 units):  A(5) P(1) C(2) B(2) tail(6);
 * A and C freed, P (the 1 KiB class's page) emptied: it stays current as the
 * idle page.  A request of 8 units fits nowhere but in A+P+C. */
static size_t units_bytes(uint32_t k) { return (size_t)k * AL_UNIT - AL_HDR; } /* exactly k units */
static void check_take_over(void) {
  char *a = malloc(units_bytes(5)), *x = malloc(1000), *c = malloc(units_bytes(2)), *b = malloc(units_bytes(2));
  CHECK(a && x && c && b, "take-over: setup allocations");
  uint32_t u = al_unit_of(a);
  CHECK(al_unit_of(x) == u + 5 && al_unit_of(c) == u + 6 && al_unit_of(b) == u + 8 && al_g.end == u + 16,
        "take-over: layout A %u, P %u, C %u, B %u, end %u", u, al_unit_of(x), al_unit_of(c), al_unit_of(b), al_g.end);
  span_t *page = al_span(u + 5);
  free(a);
  free(c);
  free(x);
  CHECK(al_g.idle == page && page->used == 0, "take-over: the emptied page is the idle page");
  alligator_stats_t before, after;
  alligator_stats(&before);
  char *big = malloc(units_bytes(8));
  alligator_stats(&after);
  CHECK(big && al_unit_of(big) == u, "take-over: the 8-unit block starts at A (unit %u, got %u)", u,
        big ? al_unit_of(big) : 0);
  CHECK(after.heap_bytes == before.heap_bytes && after.grow_count == before.grow_count,
        "take-over: the heap grew (%zu -> %zu B)", before.heap_bytes, after.heap_bytes);
  CHECK(al_g.idle == NULL && al_g.cur[al_class_of(1000)] == NULL && after.minipages == before.minipages - 1,
        "take-over: the page left its class");
  CHECK(alligator_validate(NULL, NULL) == 0, "take-over: the heap validates");
  /* the right neighbour alone: P2 between a live block and a free span */
  char *y = malloc(1000);
  uint32_t pu = al_unit_of(y);
  CHECK(pu == u + 10 && al_g.end == u + 16, "take-over: the new page takes the tail's first unit (%u)", pu);
  memset(y, 0xAB, 1000);
  free(y); /* idle again; the tail after it is 5 units: a 6-unit request fits only with it */
  char *six = calloc(1, units_bytes(6));
  CHECK(six && al_unit_of(six) == pu && alligator_validate(NULL, NULL) == 0, "take-over: right neighbour only");
  size_t nonzero = 0;
  for (size_t i = 0; six && i < units_bytes(6); i++) nonzero += six[i] != 0;
  CHECK(nonzero == 0, "take-over: calloc over a used page left %zu bytes set", nonzero);
  alligator_stats(&after);
  CHECK(after.heap_bytes == before.heap_bytes, "take-over: the heap grew on the second request");
  free(six);
  free(big);
  free(b);
  CHECK(alligator_validate(NULL, NULL) == 0, "take-over: the heap validates at the end");
}

/* calloc over growth that merged with a used free span at the heap's end
 * zeroes only that span's units: the rest is fresh from the backend.  On the
 * host shim fresh memory is untouched anonymous mmap, so zeroing it would
 * make it resident (a Rust test saw a 256 MiB alloc_zeroed become resident). */
static size_t resident_bytes(void) {
  FILE *f = fopen("/proc/self/statm", "r");
  unsigned long size = 0, res = 0;
  if (!f) return 0;
  if (fscanf(f, "%lu %lu", &size, &res) != 2) res = 0;
  fclose(f);
  return (size_t)res * 4096;
}
static void check_calloc_after_dirty_end(void) {
  size_t dirty = 1 << 20, n = 64 << 20;
  char *a = malloc(dirty);
  CHECK(a != NULL, "calloc-fresh: malloc");
  memset(a, 0x5A, dirty);
  free(a); /* a used free span (with the tail after it) ends the heap */
  size_t before = resident_bytes();
  char *z = calloc(1, n);
  size_t grew = resident_bytes() - before;
  CHECK(z != NULL, "calloc-fresh: calloc(%zu)", n);
  CHECK(grew < n / 4, "calloc-fresh: calloc made %zu of %zu bytes resident (fresh memory zeroed again)", grew, n);
  size_t nonzero = 0;
  for (size_t i = 0; z && i < 2 * dirty; i++) nonzero += z[i] != 0;
  for (size_t i = 2 * dirty; z && i < n; i += 4096) nonzero += z[i] != 0;
  nonzero += z && z[n - 1] != 0;
  CHECK(nonzero == 0, "calloc-fresh: %zu bytes not zero", nonzero);
  free(z);
}

int main(void) {
  check_take_over(); /* first: it lays blocks out in the first segment */
  check_the_check();
  check_repeat();
  check_calloc_after_dirty_end();
  /* every class fits its section, sizes are granule multiples and increase */
  for (unsigned c = 0; c < AL_NCLASSES; c++) {
    CHECK(al_class_size[c] % AL_GRANULE == 0, "class %u size %u not a multiple of 16", c, al_class_size[c]);
    CHECK((unsigned)al_class_slots[c] * al_class_size[c] <= AL_SECTION, "class %u overflows the section", c);
    CHECK(al_class_slots[c] == AL_SECTION / al_class_size[c], "class %u slot count", c);
    CHECK(al_class_slots[c] <= 128, "class %u has more slots than the check's bitmap holds", c);
    CHECK(AL_SECTION - al_class_slots[c] * al_class_size[c] <= 128, "class %u wastes more than 128 B", c);
    if (c) CHECK(al_class_size[c] > al_class_size[c - 1], "class sizes not increasing at %u", c);
  }
  CHECK(al_class_size[AL_NCLASSES - 1] == AL_SMALL_MAX, "the last class must be 2 KiB");
  /* size -> class: the smallest class that holds n */
  for (size_t n = 0; n <= AL_SMALL_MAX; n++) {
    unsigned c = al_class_of(n);
    CHECK(c < AL_NCLASSES && al_class_size[c] >= n, "class_of(%zu) = %u too small", n, c);
    CHECK(c == 0 || al_class_size[c - 1] < n, "class_of(%zu) = %u not the smallest", n, c);
  }
  /* segment index by reciprocal == division, for every offset in a section */
  for (unsigned c = 0; c < AL_NCLASSES; c++)
    for (uint32_t off = 0; off < AL_SECTION; off++)
      CHECK(al_segment_of(c, off) == off / al_class_size[c], "segment_of(%u, %u)", c, off);
  CHECK(sizeof(span_t) == AL_HDR && AL_UNIT % AL_GRANULE == 0, "unit geometry");
  CHECK(al_make_head(KIND_FREE, 5, 0) >> HEAD_SIZE_SHIFT == 5, "head size field");
  return check_summary("units");
}
