/* The pool of free units: segregated bins over span sizes (TLSF's two-level
 * mapping), boundary tags for O(1) coalescing, and growth at the heap's end.
 *
 * Bins: a span of n units lives in bin n for n < 16, else in bin
 * 16 + 8*(log2(n) - 4) + (next 3 bits of n): 8 bins per power of two, so a
 * bin's sizes differ by less than 12.5%.  One bit per non-empty bin in 5
 * words, plus a summary word: finding the first non-empty bin >= b is two
 * bit scans.
 *
 * The top: the free span that ends the heap (its last segment), where the
 * heap grows, is in no bin: a request takes it only when no bin and no
 * cached span fits, as dlmalloc's top.  So a free span of any size at the
 * end never changes which span a request gets elsewhere: a workload that
 * runs again from the same shape of heap (al_span_reset) makes the same
 * choices, only with more room at the end, and stops growing the heap.
 *
 * Boundary tags: a FREE span writes its size in its last 4 bytes (the
 * footer), and the span after it carries HEAD_PREV_FREE, so freeing a span
 * finds both neighbours in O(1).  Invariant: no two FREE spans are adjacent.
 *
 * The large-span cache (lcache.c) holds free spans outside the bins, with
 * the same tags: a neighbour that is CACHED is absorbed like a FREE one
 * (al_lcache_unlink instead of the bin unlink), and a request that no bin
 * can serve takes a cached span before the heap grows.
 */
#include "lcache.h"


/* ---- bins -------------------------------------------------------------- */
al_inline unsigned bin_of(uint32_t n) {
  if (n < 16) return n;
  unsigned fl = al_log2(n);
  return 16 + (fl - 4) * 8 + ((n >> (fl - 3)) & 7);
}

_Static_assert(16 + (31 - HEAD_SIZE_SHIFT - 4) * 8 + 7 < AL_NBINS, "the largest span a header can count has a bin");

/* The first bin whose every span holds n units. */
al_inline unsigned bin_fitting(uint32_t n) {
  if (n < 16) return n;
  return bin_of(n + (1u << (al_log2(n) - 3)) - 1);
}

/* First non-empty bin >= b, or -1. */
al_inline int bin_find(al_heap *h, unsigned b) {
  if (b >= AL_NBINS) return -1;
  unsigned w = b >> 5;
  uint32_t m = h->pool.bin_bits[w] & (~0u << (b & 31));
  if (m) return (int)(w * 32 + al_ctz32(m));
  uint32_t s = w + 1 < AL_NBINWORDS ? h->pool.bin_summary & (~0u << (w + 1)) : 0;
  if (!s) return -1;
  w = al_ctz32(s);
  return (int)(w * 32 + al_ctz32(h->pool.bin_bits[w]));
}

al_inline void set_footer(al_heap *h, uint32_t u, uint32_t units) {
  ((uint32_t *)al_span(h, u + units))[-1] = units;
}

/* Link free span u (units units) into its bin. */
al_inline void bin_link(al_heap *h, uint32_t u, uint32_t units) {
  span_t *s = al_span(h, u);
  unsigned b = bin_of(units);
  uint32_t first = h->pool.bins[b];
  s->next = first;
  s->prev = 0;
  if (first) al_span(h, first - 1)->prev = u + 1;
  h->pool.bins[b] = u + 1;
  h->pool.bin_bits[b >> 5] |= 1u << (b & 31);
  h->pool.bin_summary |= 1u << (b >> 5);
}

/* Free span u joins the pool: its bin, or no list if it is the top. */
static void bin_insert(AL_HEAP_P uint32_t u, uint32_t units) {
  if (u + units == h->grid.end) {
    al_span(h, u)->next = al_span(h, u)->prev = 0; /* the top: on no list */
  } else {
    bin_link(h, u, units);
  }
  h->pool.free_span_units += units;
  h->pool.free_spans++;
}

/* ---- trusting a free span ------------------------------------------------ */
/* A free span's metadata lies in memory a program can reach: its header just
 * before a freed block's old data, its footer in that data's last bytes.  A
 * write after free (or before a block) must not make the pool hand out live
 * memory or follow a wild size, so before a span is taken or merged its
 * facts are cross-checked: header kind and magic, a size that stays in the
 * heap, footer == header size, the next span's PREV_FREE, and its bin links
 * (the neighbours point back at it; the list head is its size's bin; the
 * top has no links).
 * Cost: about 10 loads per pool operation (large blocks, new or emptied
 * MiniPages), none on the small-block fast paths.
 *
 * Check free span u (n units) (al_free_span_holds, internal.h) and, if
 * `take`, unlink it from its bin, in one pass over its links.  0 (nothing changed) when its metadata does not hold.
 * One compare of the whole head checks magic, kind, size and a clear
 * PREV_FREE (a free span never follows another); each link lies in the heap
 * and points back at u; a span with no previous link heads its size's bin
 * (the only case that needs the bin index). */
al_inline int span_trusted(al_heap *h, uint32_t u, uint32_t n, int take, int before) {
  if (!al_free_span_holds(h, u, n, al_make_head(KIND_FREE, n, 0), ~HEAD_FRESH, before)) return 0;
  span_t *s = al_span(h, u);
  uint32_t p = s->prev, x = s->next;
  if (p) {
    if (take) al_span(h, p - 1)->next = x;
  } else if (!before && u + n == h->grid.end) { /* the top: on no list (a span never links to it; never before another) */
    if (x) return 0;
  } else {
    unsigned b = bin_of(n);
    if (h->pool.bins[b] != u + 1) return 0;
    if (take && !(h->pool.bins[b] = x)) { /* the bin empties */
      h->pool.bin_bits[b >> 5] &= ~(1u << (b & 31));
      if (!h->pool.bin_bits[b >> 5]) h->pool.bin_summary &= ~(1u << (b >> 5));
    }
  }
  if (take) {
    if (x) al_span(h, x - 1)->prev = p; /* (the top has no links: x = 0) */
    h->pool.free_span_units -= n;
    h->pool.free_spans--;
  }
  return 1;
}

static int free_span_ok(AL_HEAP_P uint32_t u, uint32_t n) { return span_trusted(h, u, n, 0, 0); }
al_inline int bin_take(al_heap *h, uint32_t u, uint32_t n, int before) { return span_trusted(h, u, n, 1, before); }

/* Unlink a span already checked (free_span_ok). */
static void bin_remove(AL_HEAP_P uint32_t u, uint32_t units) {
  int ok = bin_take(h, u, units, 0);
  al_assert(ok);
  (void)ok;
}

/* A free neighbour of a span being freed or grown: out of its bin, or out
 * of the large-span cache; 0 (nothing changed) when its metadata does not
 * hold. */
al_inline int neighbour_take(al_heap *h, uint32_t u, uint32_t n, int before) {
  return al_kind(al_span(h, u)) == KIND_CACHED ? al_lcache_unlink(h, u, n, before) : bin_take(h, u, n, before);
}

/* Report the corruption found at p (glibc's words for it); the operation
 * then does nothing, leaving the damaged span out of the pool. */
static al_noinline void pool_corrupt(const void *p, const char *what) {
  al_report(AL_ERR_CORRUPTION, p, what);
}
#define CORRUPT_FREE "a free span: corrupted size vs. prev_size (written after free?)"
#define CORRUPT_PREV "a free span before this block: corrupted size vs. prev_size (written after free?)"

/* Make [u, u+units) one FREE span in a bin.  Its left neighbour is not free. */
static void make_free(AL_HEAP_P uint32_t u, uint32_t units, uint32_t fresh) {
  al_span(h, u)->head = al_make_head(KIND_FREE, units, fresh);
  set_footer(h, u, units);
  al_span(h, u + units)->head |= HEAD_PREV_FREE;
  bin_insert(AL_H u, units);
}

/* [u, u+have) is a FREE span out of the bins; keep its first `keep` units
 * for the caller and return the rest to the pool. */
static void split_front(AL_HEAP_P uint32_t u, uint32_t have, uint32_t keep) {
  span_t *s = al_span(h, u);
  uint32_t fresh = s->head & HEAD_FRESH;
  if (have > keep) {
    make_free(AL_H u + keep, have - keep, fresh);  /* the old footer stays valid */
  } else {
    span_t *next = al_span(h, u + have);
    next->head &= ~HEAD_PREV_FREE;
    ((uint32_t *)next)[-1] = 0; /* the footer was in user data (fresh there, if only at the end) */
  }
  s->head = al_make_head(KIND_FREE, keep, fresh);
}

/* ---- growth ---------------------------------------------------------- */
#define NONE UINT32_MAX
#define MAX_UNITS ((1u << (32 - HEAD_SIZE_SHIFT)) - 1) /* the head's size field: 32.5 GiB */

/* want bytes, else need bytes: returns their start and sets *got.  Only
 * [r, r + *got) is ours: the break may already lie beyond it (another
 * thread's sbrk), so it is never read back to size the growth. */
static char *backend_grow(size_t want, size_t need, size_t *got) {
  char *r = al_backend_sbrk(*got = want);
  if (!r && want > need) r = al_backend_sbrk(*got = need);
  return r;
}

/* The first address >= from where a unit can start: on the grid, or (before
 * the first growth, when the grid has no origin yet) 16-aligned. */
static uintptr_t grid_start(AL_HEAP_P uintptr_t from) {
  return h->grid.base ? h->grid.base + ((from - h->grid.base + AL_UNIT - 1) / AL_UNIT) * AL_UNIT
                   : (from + AL_GRANULE - 1) & ~(uintptr_t)(AL_GRANULE - 1);
}

/* Close the last segment with an END header at unit e (the span before it is
 * free): the heap's end and the bound free() checks pointers against. */
static void set_end(AL_HEAP_P uint32_t e) {
  span_t *end = al_span(h, e);
  end->head = al_make_head(KIND_END, 0, HEAD_PREV_FREE);
  end->next = 0;
  h->grid.end = e;
  h->grid.hi = (uintptr_t)end;
  h->grid.reach = h->grid.hi - h->grid.base;
}

/* Place a segment on the grid in [lo, hi): a FREE span closed by an END
 * header.  Returns its first unit, or NONE if not even one unit fits. */
static uint32_t make_segment(AL_HEAP_P uintptr_t lo, uintptr_t hi) {
  uintptr_t start = grid_start(AL_H lo);
  if (!h->grid.key) h->grid.key = ((uintptr_t)start * (uintptr_t)0x9E3779B97F4A7C15ull) | 1; /* any nonzero word */
  h->grid.heap_bytes += hi - lo;
  h->grid.grow_count++;
  if (start + AL_UNIT + AL_HDR > hi) return NONE;
  h->grid.segments++;
  uint32_t g = (uint32_t)((hi - start - AL_HDR) / AL_UNIT);
  if (!h->grid.base) h->grid.base = start;
  uint32_t u = al_unit_of(h, (void *)start), old = h->grid.end, top = 0;
  if (old) {
    al_span(h, old)->next = u + 1; /* link the previous segment */
    top = al_span(h, old)->head & HEAD_PREV_FREE ? ((uint32_t *)al_span(h, old))[-1] : 0;
    if (top && (top > old || !free_span_ok(AL_H old - top, top))) {
      pool_corrupt(al_span(h, old), CORRUPT_PREV);
      top = 0; /* (left out of the pool) */
    }
  } else {
    h->grid.first_seg = u;
  }
  set_end(AL_H u + g);
  if (top) bin_link(h, old - top, top); /* the previous segment's top is not the heap's end any more */
  h->grid.lo = h->grid.base + AL_HDR;
  al_span(h, u)->head = al_make_head(KIND_FREE, g, HEAD_FRESH);
  set_footer(h, u, g);
  return u;
}

/* [r, r + got) from the backend as a segment of its own, out of the bins if
 * it holds `units` units; if not (another sbrk user took the room we padded
 * for), it goes to the pool and NONE is returned. */
static uint32_t new_segment(AL_HEAP_P char *r, size_t got, uint32_t units) {
  uint32_t u = make_segment(AL_H (uintptr_t)r, (uintptr_t)r + got);
  if (u == NONE || al_size(al_span(h, u)) >= units) return u;
  make_free(AL_H u, al_size(al_span(h, u)), HEAD_FRESH);
  return NONE;
}

/* A new segment (the first, or after someone else moved the break). */
static uint32_t grow_segment(AL_HEAP_P uint32_t units, uintptr_t brk) {
  size_t pad = grid_start(AL_H brk) - brk;
  uint32_t g = units > AL_GROW_MIN ? units : AL_GROW_MIN;
  size_t got;
  char *r = backend_grow(pad + (size_t)g * AL_UNIT + AL_HDR, pad + (size_t)units * AL_UNIT + AL_HDR, &got);
  if (!r) return NONE;
  return new_segment(AL_H r, got, units);
}

/* Grow the heap so that a FREE span of >= units units exists at its end.
 * Returns that span, out of the bins (merged with a free span that ended
 * the heap), or NONE. */
static al_noinline uint32_t grow(AL_HEAP_P uint32_t units, uint32_t *dirty) {
  *dirty = 0;
  if (units > MAX_UNITS) return NONE;
  uintptr_t brk = (uintptr_t)al_backend_sbrk(0);
  if (!h->grid.end || brk != (uintptr_t)al_span(h, h->grid.end) + AL_HDR)
    return grow_segment(AL_H units, brk);
  /* Contiguous: the END header becomes the head of the new span. */
  uint32_t e = h->grid.end;
  span_t *end = al_span(h, e);
  uint32_t ln = (end->head & HEAD_PREV_FREE) ? ((uint32_t *)end)[-1] : 0;
  if (al_unlikely(ln && (ln > e || !free_span_ok(AL_H e - ln, ln)))) {
    pool_corrupt(end, CORRUPT_PREV);
    return NONE;
  }
  if (ln >= units) { /* the last span fits after all (the bin search rounds up) */
    *dirty = al_span(h, e - ln)->head & HEAD_FRESH ? 0 : ln;
    bin_remove(AL_H e - ln, ln);
    return e - ln;
  }
  uint32_t need = units - ln;
  uint32_t g = need > AL_GROW_MIN ? need : AL_GROW_MIN;
  if (e + g > MAX_UNITS) return NONE;
  size_t got;
  char *r = backend_grow((size_t)g * AL_UNIT, (size_t)need * AL_UNIT, &got);
  if (!r) return NONE;
  if (r != (char *)end + AL_HDR) return new_segment(AL_H r, got, units); /* another thread's sbrk came first */
  g = (uint32_t)(got / AL_UNIT);
  h->grid.heap_bytes += (size_t)g * AL_UNIT;
  h->grid.grow_count++;
  uint32_t u = e, n = g, fresh = HEAD_FRESH;
  if (ln) {
    span_t *l = al_span(h, e - ln);
    bin_remove(AL_H e - ln, ln);
    memset((char *)end - 4, 0, 4 + AL_HDR); /* footer and END header: now inside fresh data */
    if (!(l->head & HEAD_FRESH)) { /* only its first ln units may hold old data */
      fresh = 0;
      *dirty = ln;
    }
    u = e - ln;
    n += ln;
  }
  set_end(AL_H e + g);
  al_span(h, u)->head = al_make_head(KIND_FREE, n, fresh);
  set_footer(h, u, n);
  return u;
}

/* ---- the pool's interface ------------------------------------------- */
/* The top if it holds `units` units (its metadata is checked when taken), or
 * NONE. */
al_inline uint32_t top_fitting(al_heap *h, uint32_t units) {
  span_t *end = al_span(h, h->grid.end);
  uint32_t n = h->grid.end && (end->head & HEAD_PREV_FREE) ? ((uint32_t *)end)[-1] : 0;
  return n >= units && n <= h->grid.end ? h->grid.end - n : NONE;
}

/* Free span u ends the heap (where it grows). */
al_inline int is_tail(al_heap *h, uint32_t u) { return u + al_size(al_span(h, u)) == h->grid.end; }

/* The span a request for `units` takes, still in its list, or NONE: the head
 * of its exact bin if that fits (best fit), else the best fit among the first
 * bin whose spans all fit (TLSF's good fit) and the cached spans (free spans
 * of exact sizes), as if those were in the bins. */
al_inline uint32_t pool_pick(al_heap *h, uint32_t units) {
  uint32_t first = h->pool.bins[bin_of(units)];
  if (first && al_size(al_span(h, first - 1)) >= units) return first - 1;
  int fb = bin_find(h, bin_fitting(units));
  uint32_t c = al_lcache_fit(h, units);
  if (c != NONE && (fb < 0 || al_size(al_span(h, c)) <= al_size(al_span(h, h->pool.bins[fb] - 1)))) return c;
  return fb >= 0 ? h->pool.bins[fb] - 1 : NONE;
}

/* Span u (NONE: grow first, if may_grow) out of its list, cut to `units` units. */
al_inline uint32_t take(al_heap *h, uint32_t u, uint32_t units, uint32_t *dirty, int may_grow) {
  uint32_t d = UINT32_MAX;
  if (u != NONE) {
    if (al_unlikely(!neighbour_take(h, u, al_size(al_span(h, u)), 0))) goto corrupt;
  } else if (!may_grow || (u = grow(AL_H units, &d)) == NONE) {
    return NONE;
  }
  span_t *s = al_span(h, u);
  if (d == UINT32_MAX) d = s->head & HEAD_FRESH ? 0 : units; /* from a bin: all or nothing */
  *dirty = d < units ? d : units;
  split_front(AL_H u, al_size(s), units);
  return u;
corrupt:
  pool_corrupt(al_section(al_span(h, u)), CORRUPT_FREE);
  return NONE;
}

uint32_t al_span_take(AL_HEAP_P uint32_t units, uint32_t *dirty) {
  uint32_t u = pool_pick(h, units);
  return u == NONE ? NONE : take(h, u, units, dirty, 0);
}

/* The first `units` of the top u's n > units units.  top_fitting found u
 * from the END header's PREV_FREE and the footer before it, so the top is a
 * span `before` in al_free_span_holds' sense: its head and links are checked
 * (the top has none), and the rest stays the top, on no list, its footer
 * where it was.  No bin is touched: about half the cost of a take through
 * the bins.  (An exact fit takes the shared path.) */
static uint32_t top_split(AL_HEAP_P uint32_t u, uint32_t n, uint32_t units, uint32_t *dirty) {
  span_t *s = al_span(h, u);
  if (al_unlikely(!al_free_span_holds(h, u, n, al_make_head(KIND_FREE, n, 0), ~HEAD_FRESH, 1) || s->next || s->prev)) {
    pool_corrupt(al_section(s), CORRUPT_FREE);
    return NONE;
  }
  uint32_t fresh = s->head & HEAD_FRESH;
  *dirty = fresh ? 0 : units;
  span_t *t = al_span(h, u + units);
  t->head = al_make_head(KIND_FREE, n - units, fresh);
  t->next = t->prev = 0;
  set_footer(h, u + units, n - units);
  h->pool.free_span_units -= units;
  s->head = al_make_head(KIND_FREE, units, fresh);
  return u;
}

uint32_t al_span_take_top(AL_HEAP_P uint32_t units, uint32_t *dirty, int may_grow) {
  uint32_t u = top_fitting(h, units);
  /* (built for size, every take has the shared path: top_split is 229 B there) */
  if (AL_FAST_ENTRY && u != NONE && h->grid.end - u > units) return top_split(AL_H u, h->grid.end - u, units, dirty);
  return take(h, u, units, dirty, may_grow);
}

/* Coalesce the span at *u (units units, no longer used) with its free
 * neighbours, taking them out of their bins.  Returns the merged size (*u is
 * its first unit; it is in no bin and its header is the caller's to write), or
 * 0 after reporting a neighbour whose metadata does not hold. */
static uint32_t merge(AL_HEAP_P uint32_t *u, uint32_t units) {
  span_t *s = al_span(h, *u);
  span_t *r = al_span(h, *u + units);
  if (al_kind(r) == KIND_FREE || al_kind(r) == KIND_CACHED) {
    uint32_t rn = al_size(r);
    if (al_unlikely(!neighbour_take(h, *u + units, rn, 0))) {
      pool_corrupt(al_section(r), CORRUPT_FREE);
      return 0;
    }
    units += rn;
  }
  if (s->head & HEAD_PREV_FREE) {
    uint32_t ln = ((uint32_t *)s)[-1];
    /* (its footer, just read; built for size, the one full check serves both sides) */
    if (al_unlikely(ln > *u || !neighbour_take(h, *u - ln, ln, AL_FAST_ENTRY))) {
      pool_corrupt(al_section(s), CORRUPT_PREV);
      return 0;
    }
    *u -= ln;
    units += ln;
  }
  return units;
}

void al_span_give(AL_HEAP_P uint32_t u, uint32_t units) {
  uint32_t n = merge(AL_H &u, units);
  if (n) make_free(AL_H u, n, 0);
}

uint32_t al_span_merged_size(AL_HEAP_P const span_t *s) {
  uint32_t n = al_size(s), u = al_index(h, s); /* sizes are < 2^24: the sums below cannot wrap */
  const span_t *r = (const span_t *)((const char *)s + (size_t)n * AL_UNIT);
  if ((al_kind(r) == KIND_FREE && u + n + al_size(r) != h->grid.end) || al_kind(r) == KIND_CACHED) n += al_size(r);
  uint32_t ln = s->head & HEAD_PREV_FREE ? ((const uint32_t *)s)[-1] : 0;
  return ln > MAX_UNITS ? 0 : n + ln; /* a wild footer: merge reports it */
}

uint32_t al_span_take_freed(AL_HEAP_P span_t *s, uint32_t want, uint32_t *dirty) {
  uint32_t u = al_index(h, s);
  s->head = (s->head & ~HEAD_KIND_MASK & ~HEAD_FRESH) | KIND_FREE;
  uint32_t n = merge(AL_H &u, al_size(s));
  if (!n) return NONE;
  if (n < want) { /* (the caller checked the merged size: only a corrupted one lands here) */
    make_free(AL_H u, n, 0);
    return NONE;
  }
  al_span(h, u)->head = al_make_head(KIND_FREE, n, 0);
  *dirty = want;
  split_front(AL_H u, n, want);
  return u;
}

/* A head that reads FREE or CACHED (kinds 1 and 5: the only ones with low bits 01). */
_Static_assert((KIND_FREE & 3) == 1 && (KIND_CACHED & 3) == 1 && (KIND_LARGE & 3) != 1 && (KIND_MINI & 3) != 1 &&
               (KIND_END & 3) != 1 && (KIND_NONE & 3) != 1 && HEAD_KIND_MASK == 7 && KIND_CACHED < 6,
               "free kinds are told by their low bits");
al_inline int head_is_free(uint32_t hd) { return (hd & 3) == 1; }

int al_span_drop_checked(AL_HEAP_P span_t *s) {
  al_span_drop(s);
  uint32_t u = al_index(h, s), r = u + al_size(s);
  uint32_t rh = al_span(h, r)->head, rn = rh >> HEAD_SIZE_SHIFT;
  /* a free right neighbour: its size stays in the heap and its footer agrees */
  if (head_is_free(rh) && (rn - 1 >= h->grid.end - r || ((uint32_t *)al_span(h, r + rn))[-1] != rn)) {
    pool_corrupt(al_section(al_span(h, r)), CORRUPT_FREE);
    return 0;
  }
  /* a free left neighbour: the footer's size leads to a free header of that size */
  uint32_t ln = s->head & HEAD_PREV_FREE ? ((uint32_t *)s)[-1] : 0;
  uint32_t lh = ln && ln <= u ? al_span(h, u - ln)->head : 0;
  if (ln && (!head_is_free(lh) || (lh & ~(HEAD_KIND_MASK | HEAD_FRESH)) != al_make_head(0, ln, 0))) {
    pool_corrupt(al_section(s), CORRUPT_PREV);
    return 0;
  }
  return 1;
}

void al_span_free(AL_HEAP_P span_t *s) {
  al_span_drop(s);
  al_span_give(AL_H al_index(h, s), al_size(s));
}

void al_span_trim(AL_HEAP_P uint32_t u, uint32_t units, uint32_t keep) {
  if (keep >= units) return;
  span_t *s = al_span(h, u);
  s->head = (s->head & 0xFFu) | (keep << HEAD_SIZE_SHIFT);
  al_span(h, u + keep)->head = al_make_head(KIND_LARGE, units - keep, 0);
  al_span_give(AL_H u + keep, units - keep);
}

int al_span_extend(AL_HEAP_P uint32_t u, uint32_t units, uint32_t want) {
  uint32_t r = u + units;
  span_t *rs = al_span(h, r);
  uint32_t extra = want - units, got;
  unsigned rk = al_kind(rs);
  /* Into the span that ends the heap (growing it if that is too short) only
   * if no span elsewhere holds the whole block: else the caller moves it
   * there.  Growing in place while another span could hold the block grew
   * the heap on every run of a repeated workload (test/c/repeat.h); the
   * heap's end is used last, as dlmalloc's top. */
  if (r == h->grid.end || (rk == KIND_FREE && r + al_size(rs) == h->grid.end)) {
    uint32_t o = pool_pick(h, want);
    if (o != NONE && !is_tail(h, o)) return 0;
  }
  /* A free right neighbour is checked once, whether it is taken or not. */
  if ((rk == KIND_FREE || rk == KIND_CACHED) && al_size(rs) >= extra) {
    if (!neighbour_take(h, r, got = al_size(rs), 0)) {
      pool_corrupt(al_section(rs), CORRUPT_FREE);
      return 0;
    }
  } else if (rk == KIND_FREE && !free_span_ok(AL_H r, al_size(rs))) {
    pool_corrupt(al_section(rs), CORRUPT_FREE);
    return 0;
  } else if (r == h->grid.end || (rk == KIND_FREE && r + al_size(rs) == h->grid.end)) {
    uint32_t dirty;
    uint32_t t = grow(AL_H extra, &dirty);
    if (t == NONE) return 0;
    if (t != r) { /* a new, separate segment: keep it for later */
      make_free(AL_H t, al_size(al_span(h, t)), al_span(h, t)->head & HEAD_FRESH);
      return 0;
    }
    got = al_size(al_span(h, t));
  } else {
    return 0;
  }
  split_front(AL_H r, got, extra);
  span_t *s = al_span(h, u);
  s->head = (s->head & 0xFFu) | (want << HEAD_SIZE_SHIFT);
  return 1;
}

int al_span_reset(AL_HEAP_P uint32_t from) {
  if (h->grid.segments != 1) return 0;
  al_assert(from < h->grid.end && h->large.blocks == 0);
  unsigned cleared = 0;
  for (uint32_t m; (m = h->pool.bin_summary) != 0; h->pool.bin_summary = m & (m - 1)) {
    unsigned w = al_ctz32(m);
    for (uint32_t b; (b = h->pool.bin_bits[w]) != 0; h->pool.bin_bits[w] = b & (b - 1), cleared++)
      h->pool.bins[w * 32 + al_ctz32(b)] = 0;
  }
  al_assert(cleared <= 4); /* <= 2 empty pages (a spare, the idle page): <= 3 gaps, and 1 cached span between them */
  (void)cleared;
  if (!al_lcache_empty(h)) al_lcache_clear(AL_H0);
  h->pool.free_spans = h->pool.free_span_units = 0;
  make_free(AL_H from, h->grid.end - from, 0); /* its left neighbour, if any, is the caller's page: not free */
  return 1;
}

/* Largest free span: the head of the highest non-empty bin (within 12.5%),
 * or the largest cached span if that is larger. */
size_t al_span_largest_free(AL_HEAP_P0) {
  uint32_t n = al_lcache_largest(h);
  if (h->pool.bin_summary) {
    unsigned w = al_log2(h->pool.bin_summary);
    unsigned b = w * 32 + al_log2(h->pool.bin_bits[w]);
    uint32_t bn = al_size(al_span(h, h->pool.bins[b] - 1));
    if (bn > n) n = bn;
  }
  uint32_t t = top_fitting(h, n + 1);
  if (t != NONE) n = h->grid.end - t;
  return (size_t)n * AL_UNIT;
}

/* ---- heap check ------------------------------------------------------- */
void al_span_check(AL_HEAP_P al_check_fn report, void *ctx, int *errors) {
  size_t spans = 0, units = 0;
  uint32_t summary = 0;
  for (unsigned b = 0; b < AL_NBINS; b++) {
    uint32_t prev = 0, limit = 1u << 22;
    for (uint32_t link = h->pool.bins[b]; link && limit; link = al_span(h, link - 1)->next, limit--) {
      span_t *s = al_span(h, link - 1);
      AL_CHECK(al_kind(s) == KIND_FREE, "bin %u: span %u is not free (head %08x)", b, link - 1, s->head);
      AL_CHECK(bin_of(al_size(s)) == b, "bin %u: span %u of %u units belongs in bin %u", b, link - 1,
            al_size(s), bin_of(al_size(s)));
      AL_CHECK(s->prev == prev, "bin %u: span %u has a wrong back link", b, link - 1);
      prev = link;
      spans++;
      units += al_size(s);
    }
    int bit = (h->pool.bin_bits[b >> 5] >> (b & 31)) & 1;
    AL_CHECK(bit == (h->pool.bins[b] != 0), "bin %u: bitmap bit %d disagrees with the list", b, bit);
    if (h->pool.bin_bits[b >> 5]) summary |= 1u << (b >> 5);
  }
  AL_CHECK(summary == h->pool.bin_summary, "bin summary %08x, expected %08x", h->pool.bin_summary, summary);
  uint32_t t = top_fitting(h, 1); /* the top, in no bin */
  if (t != NONE) {
    AL_CHECK(al_kind(al_span(h, t)) == KIND_FREE && !al_span(h, t)->next && !al_span(h, t)->prev,
             "the top, span %u, is not a free span on no list", t);
    spans++;
    units += h->grid.end - t;
  }
  AL_CHECK(spans == h->pool.free_spans, "bins hold %zu spans, counter says %zu", spans, h->pool.free_spans);
  AL_CHECK(units == h->pool.free_span_units, "bins hold %zu units, counter says %zu", units,
        h->pool.free_span_units);
}
