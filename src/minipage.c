/* MiniPages: 1-unit spans whose 2 KiB section is cut into same-size segments.
 *
 * Per class: `cur`, the page malloc takes from, and `partial`, a doubly linked
 * queue of other pages with free segments (taken oldest first).  A page is in
 * exactly one state:
 *   CURRENT  al_g.cur[c] == page, on no list, any used count (0 only if it
 *            is al_g.idle, the one current page allowed to be empty);
 *   PARTIAL  0 < used < slots, on the partial queue;
 *   FULL     used == slots, on no list (a free makes it PARTIAL);
 *   SPARE    used == 0, in al_g.spare[], not current, on no list.
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

/* Append at the tail of the class's queue of partial pages. */
static void partial_push(unsigned c, span_t *s) {
  uint32_t u = al_index(s), t = al_g.partial_tail[c];
  s->next = 0;
  s->prev = t;
  if (t) al_span(t - 1)->next = u + 1;
  else al_g.partial[c] = u + 1;
  al_g.partial_tail[c] = u + 1;
}

al_inline void partial_unlink(unsigned c, span_t *s) {
  if (s->prev) al_span(s->prev - 1)->next = s->next;
  else al_g.partial[c] = s->next;
  if (s->next) al_span(s->next - 1)->prev = s->prev;
  else al_g.partial_tail[c] = s->prev;
}

/* s is empty, not current, on no list: back to the pool. */
/* s stops being a MiniPage (to the pool, or taken over by al_units_take):
 * its class count, and the idle hint if it still names it (a page used again
 * since it was idle: no hint may point into the pool). */
static void page_leave(span_t *s) {
  al_g.class_pages[s->cls]--;
  if (al_g.idle == s) al_g.idle = NULL;
}

static void page_to_pool(span_t *s) {
  page_leave(s);
  al_span_free(s);
}


/* The newest spare, or NULL. */
static span_t *spare_pop(void) {
  return al_g.nspare ? al_g.spare[--al_g.nspare] : NULL;
}

/* s (not current, on no list) has just become empty: it joins the spares,
 * or goes to the pool when there are AL_SPARES of them already.  If the
 * free emptied the heap (no block is live) and the heap is one segment, the
 * pool is reset next (al_pages_settle): then s need not be coalesced, it
 * only lets go of its unit (after checking its free neighbours, as a merge
 * would).  Returns 0 if s is a spare, 1 if it is no longer a page, -1 if a
 * neighbour did not hold (reported; then the pool must not be reset). */
al_inline int page_emptied(span_t *s) {
  if (al_g.nspare < AL_SPARES) {
    al_g.spare[al_g.nspare++] = s;
    return 0;
  }
  page_leave(s);
  if (al_unlikely(!al_g.in_use_bytes) && al_g.segments == 1) return al_span_drop_checked(s) ? 1 : -1;
  al_span_free(s);
  return 1;
}

/* Every spare back to the pool.  O(AL_SPARES). */
static void release_spares(void) {
  for (span_t *s; (s = spare_pop()) != NULL;) page_to_pool(s);
}

/* The idle page if it is still empty and current, else NULL (reads only). */
static span_t *idle_page(void) {
  span_t *s = al_g.idle;
  return s && !s->used && al_g.cur[s->cls] == s ? s : NULL;
}

/* The idle page leaves its class if it is still empty and current (returned),
 * else NULL; either way the hint is dropped. */
static span_t *idle_take(void) {
  span_t *s = idle_page();
  al_g.idle = NULL;
  if (s) al_g.cur[s->cls] = NULL;
  return s;
}

/* The idle page back to the pool, if there is one. */
static void release_idle(void) {
  span_t *s = idle_take();
  if (s) page_to_pool(s);
}

/* An empty page that, freed and coalesced with its free neighbours, would
 * hold `units` units: a spare, else the idle page; it leaves its role
 * (returned), or NULL.  O(AL_SPARES), reads only. */
static span_t *empty_page_fitting(uint32_t units) {
  for (uint32_t i = 0; i < al_g.nspare; i++) {
    span_t *s = al_g.spare[i];
    if (al_span_merged_size(s) >= units) {
      al_g.spare[i] = al_g.spare[--al_g.nspare];
      return s;
    }
  }
  span_t *s = idle_page();
  return s && al_span_merged_size(s) >= units ? idle_take() : NULL;
}

/* s, an empty page, lets go of its unit for the pool's reset. */
static void page_drop(span_t *s) {
  page_leave(s);
  al_span_drop(s);
}

/* Make unit u an empty MiniPage of class c and count it; the caller gives it
 * its role.  flags: HEAD_PREV_FREE as the unit before it is, HEAD_FRESH if
 * its section is still zero. */
static span_t *page_init(uint32_t u, unsigned c, uint32_t flags) {
  span_t *s = al_span(u);
  s->head = al_make_head(KIND_MINI, 1, flags);
  s->next = s->prev = 0;
  s->cls = (uint8_t)c;
  s->used = 0;
  s->bump = 0;
  s->free = NULL;
  al_g.class_pages[c]++;
  return s;
}

/* The empty pages in their places when the heap is settled: the idle page
 * (if any) in the heap's first unit, the spares right after it. */
static int pages_placed(const span_t *idle) {
  uint32_t u = al_g.first_seg + (idle != NULL);
  if (idle && al_index(idle) != al_g.first_seg) return 0;
  for (uint32_t i = 0; i < al_g.nspare; i++)
    if (al_index(al_g.spare[i]) != u + i) return 0;
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
void al_pages_settle(int dropped) {
  al_assert(!al_g.in_use_bytes); /* no block is live: the only pages are the spares and the idle page */
  span_t *idle = idle_page();
  if (!dropped && al_g.free_spans == 1 && !al_g.lcache_mask && pages_placed(idle)) return; /* settled */
  if (al_g.segments != 1) return;
  uint32_t n = al_g.nspare, u = al_g.first_seg;
  unsigned cls[AL_SPARES + 1];
  for (uint32_t i = 0; i < n; i++) {
    cls[i] = al_g.spare[i]->cls;
    page_drop(al_g.spare[i]);
  }
  int has_idle = idle != NULL;
  if (has_idle) {
    cls[AL_SPARES] = idle->cls;
    page_drop(idle_take());
  }
  int ok = al_span_reset(u + (uint32_t)has_idle + n);
  al_assert(ok);
  (void)ok;
  if (has_idle) {
    unsigned c = cls[AL_SPARES];
    al_g.cur[c] = al_g.idle = page_init(u++, c, 0); /* (after a page or nothing, not fresh) */
  }
  for (uint32_t i = 0; i < n; i++) al_g.spare[i] = page_init(u + i, cls[i], 0);
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
uint32_t al_units_take(uint32_t units, uint32_t *dirty) {
  uint32_t u = al_span_take(units, dirty);
  if (u != UINT32_MAX) return u;
  u = al_span_take_top(units, dirty, 0);
  if (u != UINT32_MAX) return u;
  span_t *s = empty_page_fitting(units);
  if (s) {
    page_leave(s);
    u = al_span_take_freed(s, units, dirty);
    if (u != UINT32_MAX) return u;
  }
  u = al_span_take_top(units, dirty, 1);
  if (u != UINT32_MAX || (!al_g.nspare && !idle_page())) return u;
  release_spares(); /* out of memory: the last resort */
  release_idle();
  u = al_span_take(units, dirty);
  return u != UINT32_MAX ? u : al_span_take_top(units, dirty, 1);
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
static span_t *page_new(unsigned c) {
  span_t *s = spare_pop();
  uint32_t fresh;
  if (s) {
    al_g.class_pages[s->cls]--;
    fresh = s->bump ? 0 : s->head & HEAD_FRESH; /* segments handed out before are dirty */
  } else {
    uint32_t dirty;
    uint32_t u = al_units_take(1, &dirty);
    if (u == UINT32_MAX) return NULL;
    s = al_span(u);
    fresh = dirty ? 0 : HEAD_FRESH;
  }
  return page_init(al_index(s), c, (s->head & HEAD_PREV_FREE) | fresh);
}

void *al_small_alloc_slow(unsigned c, int zero) {
  span_t *s;
  uint32_t h = al_g.partial[c];
  if (h) {
    s = al_span(h - 1);
    partial_unlink(c, s);
  } else {
    s = page_new(c);
    if (!s) return NULL;
  }
  al_g.cur[c] = s;
  void *p = al_small_alloc(c, zero); /* a partial page has a free list, a new one fresh segments */
  al_debug_page(s);
  return p;
}

/* After a free that filled a hole in a FULL page, or emptied a page that is
 * not current (the current page is on no list, whatever its state). */
void al_small_free_slow(span_t *s, unsigned c, unsigned used_before) {
  unsigned slots = al_class_slots[c];
  if (s == al_g.cur[c]) { /* the current page is on no list */
    if (used_before == 1) { /* it emptied: it becomes the idle page, the previous one a spare */
      span_t *old = idle_take();
      int left = old ? page_emptied(old) : 0;
      al_g.idle = s;
      al_debug_page(s);
      if (!al_g.in_use_bytes && left >= 0) al_pages_settle(left);
      return;
    }
    al_debug_page(s);
    return;
  }
  if (used_before == slots && slots > 1) { /* FULL -> PARTIAL */
    span_t *cur = al_g.cur[c];
    if (!cur || cur->used == slots) al_g.cur[c] = s; /* the current page is full: use this one next */
    else partial_push(c, s);
    al_debug_page(s);
    return;
  }
  if (used_before != slots) partial_unlink(c, s); /* PARTIAL -> empty */
  int left = page_emptied(s); /* (then in the pool, or let go for the reset) */
  if (!left) al_debug_page(s);
  if (al_unlikely(!al_g.in_use_bytes) && left >= 0) al_pages_settle(left);
}

static int is_spare(const span_t *s) {
  for (uint32_t i = 0; i < al_g.nspare; i++)
    if (al_g.spare[i] == s) return 1;
  return 0;
}

void al_minipage_check(span_t *s, al_check_fn report, void *ctx, int *errors) {
  uint32_t u = al_index(s);
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
    AL_CHECK_OR_RETURN(q->key == al_g.key, "MiniPage %u: freed segment %u lost its mark", u, i);
    seen[i >> 6] |= 1ull << (i & 63);
    count++;
  }
  AL_CHECK_OR_RETURN(count + s->used == s->bump / size, "MiniPage %u: free list has %u entries, expected %u", u,
                     count, s->bump / size - s->used);
  AL_CHECK_OR_RETURN(s->used > 0 || is_spare(s) || (s == al_g.cur[c] && s == al_g.idle),
                     "MiniPage %u: empty, neither the idle current page nor a spare (class %u)", u, c);
  AL_CHECK_OR_RETURN(!is_spare(s) || (s->used == 0 && s != al_g.cur[c]), "MiniPage %u: a spare in use or current", u);
  (void)n;
}
