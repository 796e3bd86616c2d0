/* The large-span cache's two hot operations, inlined into large.c's free
 * and malloc (the rest, and what the pool calls, is lcache.c).
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

void al_lcache_corrupt(uint32_t u);

/* Park s, a large block just freed.  1 if cached; 0: the caller gives it to
 * the pool (too large, its list full, or a neighbour free or an END). */
al_inline int al_lcache_put(span_t *s) {
  uint32_t k = al_size(s), u = al_index(s);
  span_t *r = al_span(u + k);
  unsigned rk = al_kind(r);
  if (k > AL_LCACHE_UNITS || al_g.lcache_count[k] >= AL_LCACHE_DEPTH || (s->head & HEAD_PREV_FREE) ||
      (rk != KIND_MINI && rk != KIND_LARGE))
    return 0;
  uint32_t h = al_g.lcache[k];
  s->head = al_make_head(KIND_CACHED, k, 0);
  s->next = h;
  s->prev = 0;
  ((uint32_t *)r)[-1] = k; /* the footer */
  r->head |= HEAD_PREV_FREE;
  if (h) al_span(h - 1)->prev = u + 1;
  al_g.lcache[k] = u + 1;
  al_g.lcache_count[k]++;
  al_g.lcache_mask |= 1u << k;
  return 1;
}

/* A cached span of exactly k units out of the cache (the caller writes its
 * header; its data is not fresh), or UINT32_MAX.  A head that does not hold
 * is reported as heap corruption and left where it is. */
al_inline uint32_t al_lcache_pop(uint32_t k) {
  if (k > AL_LCACHE_UNITS || !al_g.lcache[k]) return UINT32_MAX;
  uint32_t h = al_g.lcache[k], u = h - 1; /* list heads and links are < al_g.end (checked when linked) */
  span_t *s = al_span(u);
  uint32_t x = s->next;
  if (al_unlikely(s->head != al_make_head(KIND_CACHED, k, 0) || (x && (x - 1 >= al_g.end || al_span(x - 1)->prev != h)))) {
    al_lcache_corrupt(u);
    return UINT32_MAX;
  }
  al_g.lcache[k] = x;
  if (x) al_span(x - 1)->prev = 0;
  else al_g.lcache_mask &= ~(1u << k);
  al_g.lcache_count[k]--;
  al_span(u + k)->head &= ~HEAD_PREV_FREE; /* in use again: the footer is the user's */
  return u;
}

/* Check cached span u (n units) and, if `take`, take it out of its list, in
 * one pass over its links (as the pool's span_trusted: its header and footer
 * lie in memory a program can reach after free); its head then reads FREE.
 * 0 (nothing changed) when its metadata does not hold.  Inline: the pool's
 * merge calls it for each cached neighbour. */
al_inline int al_lcache_trusted(uint32_t u, uint32_t n, int take) {
  uint32_t end = al_g.end;
  if (n - 1 >= AL_LCACHE_UNITS || u >= end || n > end - u) return 0;
  span_t *s = al_span(u), *next = al_span(u + n);
  if (s->head != al_make_head(KIND_CACHED, n, 0)) return 0;
  if (((uint32_t *)next)[-1] != n || !(next->head & HEAD_PREV_FREE)) return 0;
  uint32_t p = s->prev, x = s->next;
  if (x && (x - 1 >= end || al_span(x - 1)->prev != u + 1)) return 0;
  if (p) {
    if (p - 1 >= end || al_span(p - 1)->next != u + 1) return 0;
    if (take) al_span(p - 1)->next = x;
  } else {
    if (al_g.lcache[n] != u + 1) return 0;
    if (take && !(al_g.lcache[n] = x)) al_g.lcache_mask &= ~(1u << n);
  }
  if (take) {
    if (x) al_span(x - 1)->prev = p;
    al_assert(al_g.lcache_count[n] > 0);
    al_g.lcache_count[n]--;
    s->head = al_make_head(KIND_FREE, n, 0); /* FREE-shaped, out of every list */
  }
  return 1;
}
al_inline int al_lcache_unlink(uint32_t u, uint32_t n) { return al_lcache_trusted(u, n, 1); }

#endif
