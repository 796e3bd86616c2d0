/* The large-span cache: freed large blocks of a few units, parked whole.
 *
 * A large block of k <= AL_LCACHE_UNITS units that is freed while both its
 * neighbours are in use (no coalescing could happen) becomes a CACHED span
 * on the LIFO list for k; the next large malloc of k units pops it.  That
 * skips the pool's bin search, bitmaps and split (class_sweep and
 * random_actions free and reuse blocks of 2..5 units all the time).
 *
 *     lcache[k] -> span -> span -> 0        (at most AL_LCACHE_DEPTH each)
 *
 * A cached span keeps the pool's boundary tags (footer, the next span's
 * PREV_FREE), so when a neighbour is freed or a block grows into it, the
 * pool absorbs it (al_lcache_unlink) exactly as it would a free span: no two
 * FREE or CACHED spans are ever adjacent, and none ends a segment.  So the
 * cache never keeps memory from coalescing; the only memory it withholds is
 * its own spans, which the pool takes (al_lcache_fit) before the heap grows.
 *
 * This module only edits span headers and its own lists: the pool (span.c),
 * large blocks (large.c, through lcache.h's inline put and pop) and
 * statistics call it; it calls nothing above.
 * Every operation is O(1); the totals and the check O(AL_LCACHE_UNITS).
 */
#include "lcache.h"

#define NONE UINT32_MAX

_Static_assert(AL_LCACHE_UNITS < 31, "one mask bit per cached size, and one above");
_Static_assert(AL_LCACHE_DEPTH <= 255, "lcache_count is 8 bits");

void al_lcache_corrupt(AL_HEAP_P uint32_t u) {
  al_report(AL_ERR_CORRUPTION, al_section(al_span(h, u)), "a cached free span: corrupted (written after free?)");
}

void al_lcache_clear(AL_HEAP_P0) {
  for (uint32_t k = 0; k <= AL_LCACHE_UNITS; k++) {
    h->lcache.head[k] = 0;
    h->lcache.count[k] = 0;
  }
  h->lcache.mask = 0;
}

void al_lcache_totals(AL_HEAP_P size_t *spans, size_t *units) {
  *spans = *units = 0;
  for (uint32_t k = 1; k <= AL_LCACHE_UNITS; k++) {
    *spans += h->lcache.count[k];
    *units += (size_t)h->lcache.count[k] * k;
  }
}

void al_lcache_check(AL_HEAP_P al_check_fn report, void *ctx, int *errors, size_t *spans, size_t *units) {
  *spans = *units = 0;
  AL_CHECK(!h->lcache.head[0] && !h->lcache.count[0] && !(h->lcache.mask & 1u), "large-span cache: list 0 in use");
  for (uint32_t k = 1; k <= AL_LCACHE_UNITS; k++) {
    uint32_t prev = 0, n = 0;
    for (uint32_t link = h->lcache.head[k]; link && n <= AL_LCACHE_DEPTH; link = al_span(h, link - 1)->next, n++) {
      AL_CHECK_OR_RETURN(link - 1 < h->grid.end, "large-span cache %u: link %u past the heap end", k, link - 1);
      span_t *s = al_span(h, link - 1);
      AL_CHECK(s->head == al_make_head(KIND_CACHED, k, 0), "large-span cache %u: span %u has head %08x", k, link - 1,
               s->head);
      AL_CHECK(s->prev == prev, "large-span cache %u: span %u has a wrong back link", k, link - 1);
      prev = link;
    }
    AL_CHECK(n == h->lcache.count[k] && n <= AL_LCACHE_DEPTH, "large-span cache %u: list holds %u%s spans, count %u",
             k, n, n > AL_LCACHE_DEPTH ? "+" : "", h->lcache.count[k]);
    AL_CHECK(((h->lcache.mask >> k) & 1) == (h->lcache.head[k] != 0), "large-span cache %u: mask bit disagrees", k);
    *spans += n;
    *units += (size_t)n * k;
  }
  AL_CHECK(!(h->lcache.mask >> (AL_LCACHE_UNITS + 1)), "large-span cache: mask %08x has bits past %u",
           h->lcache.mask, AL_LCACHE_UNITS);
}
