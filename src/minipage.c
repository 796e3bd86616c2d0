/* MiniPages: 1-unit spans whose 2 KiB section is cut into same-size segments.
 *
 * Per class: `cur`, the page malloc takes from, and `partial`, a doubly linked
 * queue of other pages with free segments (taken oldest first).  A page is in exactly one state:
 *   CURRENT  al_g.cur[c] == page (it may be empty: one page per class is kept
 *            to avoid handing a page back and forth to the pool);
 *   PARTIAL  0 < used < slots, on the partial list;
 *   FULL     used == slots, on no list (a free makes it PARTIAL).
 * A non-current page whose last segment is freed goes back to the pool at
 * once, where any class or a large block can reuse it.  Empty current pages
 * go back too, all at once, before the heap would grow (so memory grows only
 * when no free memory can serve the request).
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

static void page_release(span_t *s, unsigned c) {
  al_g.class_pages[c]--;
  s->head = (s->head & ~HEAD_KIND_MASK & ~HEAD_FRESH) | KIND_FREE; /* stale pointers now read "free" */
  al_span_give(al_index(s), 1);
}

static span_t *page_new(unsigned c) {
  int fresh;
  uint32_t u = al_span_take(1, &fresh);
  if (u == UINT32_MAX) return NULL;
  span_t *s = al_span(u);
  unsigned n = al_class_slots[c];
  s->head = al_make_head(KIND_MINI, 1, (s->head & HEAD_PREV_FREE) | (fresh ? HEAD_FRESH : 0));
  s->next = s->prev = 0;
  s->cls = (uint8_t)c;
  s->used = 0;
  s->top = STACK_EMPTY;
  s->hwm = 0;
  /* bits >= n are permanently "in use" so they are never handed out */
  s->bits[0] = n >= 64 ? 0 : ~0ull << n;
  s->bits[1] = n >= 128 ? 0 : n <= 64 ? ~0ull : ~0ull << (n - 64);
  al_g.class_pages[c]++;
  return s;
}

/* A never-used segment of s (s->hwm < slots). */
static void *take_fresh(span_t *s, unsigned c, int zero) {
  unsigned idx = s->hwm++, size = al_class_size[c];
  unsigned char *seg = al_section(s) + idx * size;
  s->bits[idx >> 6] |= 1ull << (idx & 63);
  s->used++;
  al_g.class_used[c]++;
  al_note_alloc(size);
  if (zero && !(s->head & HEAD_FRESH)) memset(seg, 0, size);
  return seg;
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
  if (s && s->hwm < al_class_slots[c]) return take_fresh(s, c, zero);
  uint32_t h = al_g.partial[c];
  if (h) {
    s = al_span(h - 1);
    partial_unlink(c, s);
    al_g.cur[c] = s;
    return al_small_alloc(c, zero); /* a partial page has a free vector */
  }
  s = page_new(c);
  if (!s) return NULL;
  al_g.cur[c] = s;
  return take_fresh(s, c, zero);
}

/* After a free that filled a hole in a FULL page, or emptied a page. */
void al_small_free_slow(span_t *s, unsigned c, unsigned used_before) {
  unsigned slots = al_class_slots[c];
  if (used_before == slots && slots > 1) { /* FULL -> PARTIAL */
    partial_push(c, s);
    return;
  }
  if (used_before != slots) partial_unlink(c, s); /* PARTIAL -> empty */
  page_release(s, c);
}

unsigned al_release_empty_pages(void) {
  unsigned released = 0;
  for (unsigned c = 0; c < AL_NCLASSES; c++) {
    span_t *s = al_g.cur[c];
    if (s && s->used == 0) {
      al_g.cur[c] = NULL;
      page_release(s, c);
      released++;
    }
  }
  return released;
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
    int b = (int)((s->bits[i >> 6] >> (i & 63)) & 1);
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
    AL_CHECK_OR_RETURN(!((s->bits[i >> 6] >> (i & 63)) & 1), "MiniPage %u: free vector holds used segment %u", u, i);
    AL_CHECK_OR_RETURN(!((seen[i >> 6] >> (i & 63)) & 1), "MiniPage %u: free vector loops at %u", u, i);
    seen[i >> 6] |= 1ull << (i & 63);
    count++;
  }
  AL_CHECK_OR_RETURN(count == (unsigned)(s->hwm - s->used), "MiniPage %u: free vector has %u entries, expected %u", u, count,
        s->hwm - s->used);
  AL_CHECK_OR_RETURN(s->used > 0 || s == al_g.cur[c], "MiniPage %u: empty but kept (class %u)", u, c);
}
