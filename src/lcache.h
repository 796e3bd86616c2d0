/* The large-span cache's two hot operations, inlined into large.c's free
 * and malloc, and the two the pool calls on its paths (fit, unlink); the
 * rest is lcache.c.
 *
 * put: a freed large block of k <= AL_LCACHE_UNITS units whose neighbours
 *      are both in use (a MiniPage or a large block: nothing to coalesce,
 *      no END to grow into) is pushed on list k, if it has room: its head
 *      becomes CACHED, its footer and the next span's PREV_FREE are set as
 *      for a free span.  About 25 instructions (i686).
 * pop: the head of list k, after one compare of its header and of its
 *      successor's back link; the next span's PREV_FREE is cleared.
 *      About 20 instructions.
 * The footer is not checked at pop: it is the user's data again.
 */
#ifndef ALLIGATOR_LCACHE_H
#define ALLIGATOR_LCACHE_H
#include "internal.h"

void al_lcache_corrupt(AL_HEAP_P uint32_t u);

/* The head of the shortest non-empty list of spans >= units units (still
 * cached), or UINT32_MAX.  O(1): one mask scan (inline: the pool asks on
 * every take that misses its exact bin). */
al_inline uint32_t al_lcache_fit(al_heap *h, uint32_t units) {
  uint32_t m = units <= AL_LCACHE_UNITS ? h->lcache.mask & (~0u << units) : 0;
  return m ? h->lcache.head[al_ctz32(m)] - 1 : UINT32_MAX;
}

/* No span is cached (the pool's reset, the MiniPages' settled heap). */
al_inline int al_lcache_empty(const al_heap *h) { return !h->lcache.mask; }

/* The size of the largest cached span, in units (0: none), for statistics. */
al_inline uint32_t al_lcache_largest(al_heap *h) { return h->lcache.mask ? al_log2(h->lcache.mask) : 0; }

/* Park s, a large block just freed.  1 if cached; 0: the caller gives it to
 * the pool (too large, its list full, or a neighbour free or an END). */
al_inline int al_lcache_put(al_heap *h, span_t *s) {
  uint32_t k = al_size(s), u = al_index(h, s);
  span_t *r = al_span(h, u + k);
  unsigned rk = al_kind(r);
  if (k > AL_LCACHE_UNITS || h->lcache.count[k] >= AL_LCACHE_DEPTH || (s->head & HEAD_PREV_FREE) ||
      (rk != KIND_MINI && rk != KIND_LARGE))
    return 0;
  uint32_t first = h->lcache.head[k];
  s->head = al_make_head(KIND_CACHED, k, 0);
  s->next = first;
  s->prev = 0;
  ((uint32_t *)r)[-1] = k; /* the footer */
  r->head |= HEAD_PREV_FREE;
  if (first) al_span(h, first - 1)->prev = u + 1;
  h->lcache.head[k] = u + 1;
  h->lcache.count[k]++;
  h->lcache.mask |= 1u << k;
  return 1;
}

/* A cached span of exactly k units out of the cache (the caller writes its
 * header; its data is not fresh), or UINT32_MAX.  A head that does not hold
 * is reported as heap corruption and left where it is. */
al_inline uint32_t al_lcache_pop(al_heap *h, uint32_t k) {
  if (k > AL_LCACHE_UNITS || !h->lcache.head[k]) return UINT32_MAX;
  uint32_t first = h->lcache.head[k], u = first - 1; /* list heads and links are < h->grid.end (checked when linked) */
  span_t *s = al_span(h, u);
  uint32_t x = s->next;
  if (al_unlikely(s->head != al_make_head(KIND_CACHED, k, 0) || (x && (x - 1 >= h->grid.end || al_span(h, x - 1)->prev != first)))) {
    al_lcache_corrupt(AL_H u);
    return UINT32_MAX;
  }
  h->lcache.head[k] = x;
  if (x) al_span(h, x - 1)->prev = 0;
  else h->lcache.mask &= ~(1u << k);
  h->lcache.count[k]--;
  al_span(h, u + k)->head &= ~HEAD_PREV_FREE; /* in use again: the footer is the user's */
  return u;
}

/* Check cached span u (n units) and, if `take`, take it out of its list, in
 * one pass over its links (al_free_span_holds, as the pool's span_trusted: its
 * header and footer lie in memory a program can reach after free); its head
 * then reads FREE (the exact head is compared: a cached span is never FRESH).
 * 0 (nothing changed) when its metadata does not hold.  Inline: the pool's
 * merge calls it for each cached neighbour. */
al_inline int al_lcache_trusted(al_heap *h, uint32_t u, uint32_t n, int take, int before) {
  if (n - 1 >= AL_LCACHE_UNITS || !al_free_span_holds(h, u, n, al_make_head(KIND_CACHED, n, 0), ~0u, before)) return 0;
  span_t *s = al_span(h, u);
  uint32_t p = s->prev, x = s->next;
  if (p) {
    if (take) al_span(h, p - 1)->next = x;
  } else {
    if (h->lcache.head[n] != u + 1) return 0;
    if (take && !(h->lcache.head[n] = x)) h->lcache.mask &= ~(1u << n);
  }
  if (take) {
    if (x) al_span(h, x - 1)->prev = p;
    al_assert(h->lcache.count[n] > 0);
    h->lcache.count[n]--;
    s->head = al_make_head(KIND_FREE, n, 0); /* FREE-shaped, out of every list */
  }
  return 1;
}
al_inline int al_lcache_unlink(al_heap *h, uint32_t u, uint32_t n, int before) { return al_lcache_trusted(h, u, n, 1, before); }

#endif
