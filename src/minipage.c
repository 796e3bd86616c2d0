/* MiniPages: 1-unit spans whose 2 KiB section is cut into same-size segments.
 *
 * Per class: `cur`, the page malloc takes from, and `partial`, a doubly linked
 * queue of other pages with free segments (taken oldest first).  A page is in
 * exactly one state:
 *   CURRENT  al_g.cur[c] == page (empty only if it is also the spare);
 *   PARTIAL  0 < used < slots, on the partial queue;
 *   FULL     used == slots, on no list (a free makes it PARTIAL);
 *   SPARE    used == 0, al_g.spare == page, not current, on no list.
 * A page whose last segment is freed becomes the heap's one spare page (it
 * stays current if it was), and the previous spare goes back to the pool,
 * where any class or a large block can reuse it.  A new page is the spare if
 * there is one.  The spare goes back to the pool before the heap would grow,
 * so memory grows only when no free memory can serve the request.  All O(1).
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

static void partial_unlink(unsigned c, span_t *s) {
  if (s->prev) al_span(s->prev - 1)->next = s->next;
  else al_g.partial[c] = s->next;
  if (s->next) al_span(s->next - 1)->prev = s->prev;
  else al_g.partial_tail[c] = s->prev;
}

/* s is empty, not current, on no list: back to the pool. */
static void page_to_pool(span_t *s) {
  al_g.class_pages[s->cls]--;
  al_span_free(s);
}

/* The spare, if it is still empty, leaves its class (if current there) and is
 * returned for reuse; NULL otherwise. */
static span_t *spare_take(void) {
  span_t *s = al_g.spare;
  al_g.spare = NULL;
  if (!s || s->used) return NULL;
  if (al_g.cur[s->cls] == s) al_g.cur[s->cls] = NULL;
  return s;
}

/* s has just become empty (and is on no list): it becomes the spare, and the
 * previous spare, if still empty, goes back to the pool. */
static void page_emptied(span_t *s) {
  span_t *old = al_g.spare != s ? spare_take() : NULL;
  al_g.spare = s;
  if (old) page_to_pool(old);
}

int al_spare_release(void) {
  span_t *s = spare_take();
  if (s) page_to_pool(s);
  return s != NULL;
}

/* A page for class c: the spare if there is one (no pool round trip), else
 * one unit from the pool. */
static span_t *page_new(unsigned c) {
  span_t *s = spare_take();
  uint32_t fresh;
  if (s) {
    al_g.class_pages[s->cls]--;
    fresh = s->hwm ? 0 : s->head & HEAD_FRESH; /* segments handed out before are dirty */
  } else {
    int f;
    uint32_t u = al_span_take(1, &f);
    if (u == UINT32_MAX) return NULL;
    s = al_span(u);
    fresh = f ? HEAD_FRESH : 0;
  }
  unsigned n = al_class_slots[c];
  s->head = al_make_head(KIND_MINI, 1, (s->head & HEAD_PREV_FREE) | fresh);
  s->next = s->prev = 0;
  s->cls = (uint8_t)c;
  s->used = 0;
  s->top = STACK_EMPTY;
  s->hwm = 0;
  /* bits >= n are permanently "in use" so they are never handed out */
  for (unsigned w = 0; w < 4; w++) s->bits[w] = n >= 32 * (w + 1) ? 0 : n <= 32 * w ? ~0u : ~0u << (n - 32 * w);
  al_g.class_pages[c]++;
  return s;
}

void *al_small_alloc_slow(unsigned c, int zero) {
  span_t *s = al_g.cur[c];
  if (s && s->top != STACK_EMPTY) {
    /* The free vector named a segment that is in use or never handed out:
     * something wrote into a freed segment. */
    al_report(AL_ERR_CORRUPTION, al_section(s) + (size_t)s->top * al_class_size[c],
              "malloc: a freed block was written to (free vector broken)");
    s->top = STACK_EMPTY; /* abandon the rest of this page's free vector */
  }
  uint32_t h = al_g.partial[c];
  if (h) {
    s = al_span(h - 1);
    partial_unlink(c, s);
  } else {
    s = page_new(c);
    if (!s) return NULL;
  }
  al_g.cur[c] = s;
  return al_small_alloc(c, zero); /* a partial page has a free vector, a new one fresh segments */
}

/* After a free that filled a hole in a FULL page, or emptied a page. */
void al_small_free_slow(span_t *s, unsigned c, unsigned used_before) {
  unsigned slots = al_class_slots[c];
  int current = s == al_g.cur[c];
  if (used_before == slots && slots > 1) { /* FULL -> PARTIAL (a current page is on no list) */
    span_t *cur = al_g.cur[c];
    if (current) return;
    if (!cur || cur->used == slots) al_g.cur[c] = s; /* the current page is full: use this one next */
    else partial_push(c, s);
    return;
  }
  if (!current && used_before != slots) partial_unlink(c, s); /* PARTIAL -> empty */
  page_emptied(s);
}

void al_minipage_check(span_t *s, al_check_fn report, void *ctx, int *errors) {
  uint32_t u = al_index(s);
  AL_CHECK_OR_RETURN(s->cls < AL_NCLASSES, "MiniPage %u: class %u out of range", u, s->cls);
  unsigned c = s->cls, n = al_class_slots[c];
  AL_CHECK_OR_RETURN(al_size(s) == 1, "MiniPage %u: size %u units", u, al_size(s));
  AL_CHECK_OR_RETURN(s->hwm <= n && s->used <= s->hwm, "MiniPage %u: used %u, hwm %u, slots %u", u, s->used,
        s->hwm, n);
  unsigned inuse = 0;
  for (unsigned i = 0; i < 128; i++) {
    int b = (int)((s->bits[i >> 5] >> (i & 31)) & 1);
    if (i >= n) {
      AL_CHECK_OR_RETURN(b, "MiniPage %u: bit %u beyond the %u slots is clear", u, i, n);
    } else if (i >= s->hwm) {
      AL_CHECK_OR_RETURN(!b, "MiniPage %u: segment %u above hwm %u is marked used", u, i, s->hwm);
    }
    else inuse += (unsigned)b;
  }
  AL_CHECK_OR_RETURN(inuse == s->used, "MiniPage %u: %u bits set, used says %u", u, inuse, s->used);
  uint64_t seen[2] = {0, 0};
  unsigned count = 0;
  for (unsigned i = s->top; i != STACK_EMPTY; i = al_section(s)[(size_t)i * al_class_size[c]]) {
    AL_CHECK_OR_RETURN(i < s->hwm, "MiniPage %u: free vector holds %u >= hwm %u", u, i, s->hwm);
    AL_CHECK_OR_RETURN(!((s->bits[i >> 5] >> (i & 31)) & 1), "MiniPage %u: free vector holds used segment %u", u, i);
    AL_CHECK_OR_RETURN(!((seen[i >> 6] >> (i & 63)) & 1), "MiniPage %u: free vector loops at %u", u, i);
    seen[i >> 6] |= 1ull << (i & 63);
    count++;
  }
  AL_CHECK_OR_RETURN(count == (unsigned)(s->hwm - s->used), "MiniPage %u: free vector has %u entries, expected %u", u, count,
        s->hwm - s->used);
  AL_CHECK_OR_RETURN(s->used > 0 || s == al_g.spare, "MiniPage %u: empty but not the spare (class %u)", u, c);
}
