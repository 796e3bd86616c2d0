/* MiniPages: 1-unit spans whose 2 KiB section is cut into same-size segments.
 *
 * Per class: `cur`, the page malloc takes from, and `partial`, a doubly linked
 * queue of other pages with free segments (taken oldest first).  A page is in
 * exactly one state:
 *   CURRENT  h->pages.cur[c] == page, on no list, any used count (0 only if it
 *            is h->pages.idle, the one current page allowed to be empty);
 *   PARTIAL  0 < used < slots, on the partial queue;
 *   FULL     used == slots, on no list (a free makes it PARTIAL);
 *   SPARE    used == 0, in h->pages.spare[], not current, on no list.
 * A page that is not current and whose last segment is freed becomes a spare;
 * when there are AL_SPARES of them already it goes back to the pool, where any
 * class or a large block can reuse it.  A current page that empties stays
 * current as the idle page (the previous idle page, if still empty, goes to
 * the pool).  A new page is a spare if there is one.  The spares and the idle
 * page go back to the pool before the heap would grow, so memory grows only
 * when no free memory can serve the request.  When no block is live the heap
 * takes one shape again (al_pages_settle).  All O(1).
 */
#include "minipage.h"
#include "lcache.h" /* al_lcache_empty: whether the heap is settled */

span_t al_no_page = { .bump = 0xFFFF }; /* >= every al_class_end: malloc's bump test fails */
_Static_assert(AL_SECTION < 0xFFFF, "al_no_page's bump is past every class's end");

/* Append at the tail of the class's queue of partial pages. */
static void partial_push(AL_HEAP_P unsigned c, span_t *s) {
  uint32_t u = al_index(h, s), t = h->pages.partial_tail[c];
  s->next = 0;
  s->prev = t;
  if (t) al_span(h, t - 1)->next = u + 1;
  else h->pages.partial[c] = u + 1;
  h->pages.partial_tail[c] = u + 1;
}

al_inline void partial_unlink(al_heap *h, unsigned c, span_t *s) {
  if (s->prev) al_span(h, s->prev - 1)->next = s->next;
  else h->pages.partial[c] = s->next;
  if (s->next) al_span(h, s->next - 1)->prev = s->prev;
  else h->pages.partial_tail[c] = s->prev;
}

/* s is empty, not current, on no list: back to the pool. */
/* s stops being a MiniPage (to the pool, or taken over by al_units_take):
 * its class count, and the idle hint if it still names it (a page used again
 * since it was idle: no hint may point into the pool). */
static void page_leave(AL_HEAP_P span_t *s) {
  h->pages.class_pages[s->cls]--;
  if (h->pages.idle == s) h->pages.idle = NULL;
}

static void page_to_pool(AL_HEAP_P span_t *s) {
  page_leave(AL_H s);
  al_span_free(AL_H s);
}

/* The newest spare, or NULL. */
static span_t *spare_pop(AL_HEAP_P0) {
  return h->pages.nspare ? h->pages.spare[--h->pages.nspare] : NULL;
}

/* s (not current, on no list) has just become empty: it joins the spares,
 * or goes to the pool when there are AL_SPARES of them already.  If the
 * free emptied the heap (no block is live) and the heap is one segment, the
 * pool is reset next (al_pages_settle): then s need not be coalesced, it
 * only lets go of its unit (after checking its free neighbours, as a merge
 * would).  Returns 0 if s is a spare, 1 if it is no longer a page, -1 if a
 * neighbour did not hold (reported; then the pool must not be reset). */
al_inline int page_emptied(al_heap *h, span_t *s) {
  if (h->pages.nspare < AL_SPARES) {
    h->pages.spare[h->pages.nspare++] = s;
    return 0;
  }
  page_leave(AL_H s);
  if (al_unlikely(!h->usage.in_use_bytes) && h->grid.segments == 1) return al_span_drop_checked(AL_H s) ? 1 : -1;
  al_span_free(AL_H s);
  return 1;
}

/* Every spare back to the pool.  O(AL_SPARES). */
static void release_spares(AL_HEAP_P0) {
  for (span_t *s; (s = spare_pop(AL_H0)) != NULL;) page_to_pool(AL_H s);
}

/* The idle page if it is still empty and current, else NULL (reads only). */
static span_t *idle_page(AL_HEAP_P0) {
  span_t *s = h->pages.idle;
  return s && !s->used && h->pages.cur[s->cls] == s ? s : NULL;
}

/* The idle page leaves its class if it is still empty and current (returned),
 * else NULL; either way the hint is dropped. */
static span_t *idle_take(AL_HEAP_P0) {
  span_t *s = idle_page(AL_H0);
  h->pages.idle = NULL;
  if (s) h->pages.cur[s->cls] = &al_no_page;
  return s;
}

/* The idle page back to the pool, if there is one. */
static void release_idle(AL_HEAP_P0) {
  span_t *s = idle_take(AL_H0);
  if (s) page_to_pool(AL_H s);
}

/* An empty page that, freed and coalesced with its free neighbours, would
 * hold `units` units: a spare, else the idle page; it leaves its role
 * (returned), or NULL.  O(AL_SPARES), reads only. */
static span_t *empty_page_fitting(AL_HEAP_P uint32_t units) {
  for (uint32_t i = 0; i < h->pages.nspare; i++) {
    span_t *s = h->pages.spare[i];
    if (al_span_merged_size(AL_H s) >= units) {
      h->pages.spare[i] = h->pages.spare[--h->pages.nspare];
      return s;
    }
  }
  span_t *s = idle_page(AL_H0);
  return s && al_span_merged_size(AL_H s) >= units ? idle_take(AL_H0) : NULL;
}

/* s, an empty page, lets go of its unit for the pool's reset. */
static void page_drop(AL_HEAP_P span_t *s) {
  page_leave(AL_H s);
  al_span_drop(s);
}

/* Make s (one unit) an empty MiniPage of class c and count it; the caller
 * gives it its role.  flags: HEAD_PREV_FREE as the unit before it is,
 * HEAD_FRESH if its section is still zero. */
static span_t *page_init(AL_HEAP_P span_t *s, unsigned c, uint32_t flags) {
  s->head = al_make_head(KIND_MINI, 1, flags);
  s->next = s->prev = 0;
  s->cls = (uint8_t)c;
  s->used = 0;
  s->bump = 0;
  s->free = NULL;
  h->pages.class_pages[c]++;
  return s;
}

/* The empty pages in their places when the heap is settled: the idle page
 * (if any) in the heap's first unit, the spares right after it. */
static int pages_placed(AL_HEAP_P const span_t *idle) {
  uint32_t u = h->grid.first_seg + (idle != NULL);
  if (idle && al_index(h, idle) != h->grid.first_seg) return 0;
  for (uint32_t i = 0; i < h->pages.nspare; i++)
    if (al_index(h, h->pages.spare[i]) != u + i) return 0;
  return 1;
}

/* When no block is live, the heap goes back to one shape: the idle page (if
 * any, same class) in its first unit, the spares right after it, one free
 * span from there to the end.  The pages are empty, so moving them is
 * rewriting a header.  Without it the empty pages and free spans a run left
 * behind would sit wherever it left them, the next run would start from a
 * different free map, and a workload repeated in one heap could grow it on
 * every run (issue 10, test/c/repeat.h).  O(1): at most AL_SPARES + 1 pages
 * moved, at most 4 bins cleared (al_span_reset), no coalescing.  Nothing to
 * do when the heap has that shape already (one free span, no cached span,
 * the pages in place) or when it has several segments. */
void al_pages_settle(AL_HEAP_P int dropped) {
  al_assert(!h->usage.in_use_bytes); /* no block is live: the only pages are the spares and the idle page */
  span_t *idle = idle_page(AL_H0);
  if (!dropped && h->pool.free_spans == 1 && al_lcache_empty(h) && pages_placed(AL_H idle)) return; /* settled */
  if (h->grid.segments != 1) return;
  uint32_t n = h->pages.nspare, u = h->grid.first_seg;
  unsigned cls[AL_SPARES + 1];
  for (uint32_t i = 0; i < n; i++) {
    cls[i] = h->pages.spare[i]->cls;
    page_drop(AL_H h->pages.spare[i]);
  }
  int has_idle = idle != NULL;
  if (has_idle) {
    cls[AL_SPARES] = idle->cls;
    page_drop(AL_H idle_take(AL_H0));
  }
  int ok = al_span_reset(AL_H u + (uint32_t)has_idle + n);
  al_assert(ok);
  (void)ok;
  if (has_idle) {
    unsigned c = cls[AL_SPARES];
    h->pages.cur[c] = h->pages.idle = page_init(AL_H al_span(h, u++), c, 0); /* (after a page or nothing, not fresh) */
  }
  for (uint32_t i = 0; i < n; i++) h->pages.spare[i] = page_init(AL_H al_span(h, u + i), cls[i], 0);
}

/* Units for a MiniPage or a large block: the best fit in the pool; failing
 * that, an empty page whose span, coalesced with its free neighbours, fits
 * is taken over directly (one merge, no second bin search: this bounds the
 * call); failing that, the top, then growth.  Only if the heap cannot grow
 * do the empty pages all go back to the pool for one more search (two
 * released pages that are neighbours may fit together), so memory runs out
 * only when no free memory can serve the request.  Nothing here depends on
 * the top's size (the take-over does not count it), so a run that starts
 * from the same shape of heap with a larger top makes the same choices
 * (test/c/repeat.h).  O(AL_SPARES). */
uint32_t al_units_take(AL_HEAP_P uint32_t units, uint32_t *dirty) {
  uint32_t u = al_span_take(AL_H units, dirty);
  if (u != UINT32_MAX) return u;
  u = al_span_take_top(AL_H units, dirty, 0);
  if (u != UINT32_MAX) return u;
  span_t *s = empty_page_fitting(AL_H units);
  if (s) {
    page_leave(AL_H s);
    u = al_span_take_freed(AL_H s, units, dirty);
    if (u != UINT32_MAX) return u;
  }
  u = al_span_take_top(AL_H units, dirty, 1);
  if (u != UINT32_MAX || (!h->pages.nspare && !idle_page(AL_H0))) return u;
  release_spares(AL_H0); /* out of memory: the last resort */
  release_idle(AL_H0);
  u = al_span_take(AL_H units, dirty);
  return u != UINT32_MAX ? u : al_span_take_top(AL_H units, dirty, 1);
}

int al_small_on_free_list(span_t *s, const al_block *b) {
  unsigned n = al_class_slots[s->cls];
  uintptr_t lo = (uintptr_t)al_section(s), hi = lo + s->bump;
  for (const al_block *q = s->free; q && n; q = q->next, n--) {
    if ((uintptr_t)q - lo >= hi - lo) return 0; /* a broken list: stop (validate reports it) */
    if (q == b) return 1;
  }
  return 0;
}

/* A page for class c: a spare if there is one (no pool round trip), else
 * one unit from the pool. */
static span_t *page_new(AL_HEAP_P unsigned c) {
  span_t *s = spare_pop(AL_H0);
  uint32_t fresh;
  if (s) {
    h->pages.class_pages[s->cls]--;
    fresh = s->bump ? 0 : s->head & HEAD_FRESH; /* segments handed out before are dirty */
  } else {
    uint32_t dirty;
    uint32_t u = al_units_take(AL_H 1, &dirty);
    if (u == UINT32_MAX) return NULL;
    s = al_span(h, u);
    fresh = dirty ? 0 : HEAD_FRESH;
  }
  return page_init(AL_H s, c, (s->head & HEAD_PREV_FREE) | fresh);
}

void *al_small_alloc_slow(AL_HEAP_P unsigned c, int zero) {
  span_t *s;
  uint32_t first = h->pages.partial[c];
  if (first) {
    s = al_span(h, first - 1);
    partial_unlink(h, c, s);
  } else {
    s = page_new(AL_H c);
    if (!s) return NULL;
  }
  h->pages.cur[c] = s;
  void *p = al_small_alloc(h, c, zero); /* a partial page has a free list, a new one fresh segments */
  al_debug_page(AL_H s);
  return p;
}

/* After a free that filled a hole in a FULL page, or emptied a page that is
 * not current (the current page is on no list, whatever its state). */
void al_small_free_slow(AL_HEAP_P span_t *s) {
  unsigned c = s->cls, slots = al_class_slots[c], used_before = s->used + 1u;
  if (s == h->pages.cur[c]) { /* the current page is on no list */
    if (used_before == 1) { /* it emptied: it becomes the idle page, the previous one a spare */
      span_t *old = idle_take(AL_H0);
      int left = old ? page_emptied(h, old) : 0;
      h->pages.idle = s;
      al_debug_page(AL_H s);
      if (!h->usage.in_use_bytes && left >= 0) al_pages_settle(AL_H left);
      return;
    }
    al_debug_page(AL_H s);
    return;
  }
  if (used_before == slots && slots > 1) { /* FULL -> PARTIAL */
    span_t *cur = h->pages.cur[c];
    if (cur == &al_no_page || cur->used == slots) h->pages.cur[c] = s; /* the current page is full: use this one next */
    else partial_push(AL_H c, s);
    al_debug_page(AL_H s);
    return;
  }
  if (used_before != slots) partial_unlink(h, c, s); /* PARTIAL -> empty */
  int left = page_emptied(h, s); /* (then in the pool, or let go for the reset) */
  if (!left) al_debug_page(AL_H s);
  if (al_unlikely(!h->usage.in_use_bytes) && left >= 0) al_pages_settle(AL_H left);
}

static int is_spare(AL_HEAP_P const span_t *s) {
  for (uint32_t i = 0; i < h->pages.nspare; i++)
    if (h->pages.spare[i] == s) return 1;
  return 0;
}

void al_minipage_check(AL_HEAP_P span_t *s, al_check_fn report, void *ctx, int *errors) {
  uint32_t u = al_index(h, s);
  AL_CHECK_OR_RETURN(s->cls < AL_NCLASSES, "MiniPage %u: class %u out of range", u, s->cls);
  unsigned c = s->cls, size = al_class_size[c], n = al_class_slots[c];
  AL_CHECK_OR_RETURN(al_size(s) == 1, "MiniPage %u: size %u units", u, al_size(s));
  AL_CHECK_OR_RETURN(s->bump <= al_class_end[c] && s->bump % size == 0 && s->used <= s->bump / size,
                     "MiniPage %u: used %u, bump %u, class size %u", u, s->used, s->bump, size);
  uint64_t seen[2] = {0, 0};
  unsigned count = 0;
  uintptr_t lo = (uintptr_t)al_section(s);
  for (const al_block *q = s->free; q; q = q->next) {
    uintptr_t off = (uintptr_t)q - lo;
    AL_CHECK_OR_RETURN(off < s->bump && off % size == 0, "MiniPage %u: free list holds offset %zu (bump %u)", u,
                       (size_t)off, s->bump);
    unsigned i = (unsigned)(off / size);
    AL_CHECK_OR_RETURN(!((seen[i >> 6] >> (i & 63)) & 1), "MiniPage %u: free list loops at segment %u", u, i);
    AL_CHECK_OR_RETURN(q->key == h->grid.key, "MiniPage %u: freed segment %u lost its mark", u, i);
    seen[i >> 6] |= 1ull << (i & 63);
    count++;
  }
  AL_CHECK_OR_RETURN(count + s->used == s->bump / size, "MiniPage %u: free list has %u entries, expected %u", u,
                     count, s->bump / size - s->used);
  AL_CHECK_OR_RETURN(s->used > 0 || is_spare(AL_H s) || (s == h->pages.cur[c] && s == h->pages.idle),
                     "MiniPage %u: empty, neither the idle current page nor a spare (class %u)", u, c);
  AL_CHECK_OR_RETURN(!is_spare(AL_H s) || (s->used == 0 && s != h->pages.cur[c]), "MiniPage %u: a spare in use or current", u);
  (void)n;
}
