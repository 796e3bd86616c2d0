/* Large blocks: requests over 2 KiB, one span of whole units each.
 *
 *   | hdr | data ......................................... |
 *   hdr   p = hdr + offset (32 unless aligned)    hdr + units * 2080
 *
 * p always lies in the section of the span's first unit (offset in [32, U)),
 * so free finds the header with (p - base) / U.  The header keeps the offset
 * (to reject pointers that are not p) and the size asked for.  A freed block
 * of a few units is parked in the large-span cache when it can be (lcache.c),
 * and a request of that many units takes it back first.
 */
#include "minipage.h"
#include "lcache.h"

al_inline uint32_t units_for(size_t bytes) { return (uint32_t)((bytes + AL_UNIT - 1) / AL_UNIT); }

static void set_large(span_t *s, uint32_t units, uint32_t offset, size_t n) {
  s->head = al_make_head(KIND_LARGE, units, s->head & HEAD_PREV_FREE);
  s->next = offset;
  s->prev = (uint32_t)n;
}

/* Offset of the first A-aligned address in a unit's section, for A > 2 KiB:
 * the candidates are p, p + A (A mod U is a non-zero multiple of 32, so at
 * most one candidate falls in a 32-byte header). */
static uintptr_t first_aligned_in_section(AL_HEAP_P uintptr_t from, size_t align) {
  uintptr_t p = (from + align - 1) & ~(uintptr_t)(align - 1);
  if ((p - h->grid.base) % AL_UNIT < AL_HDR) p += align;
  al_assert((p - h->grid.base) % AL_UNIT >= AL_HDR);
  return p;
}

/* The block at unit u (k units, `dirty` of them possibly holding old data)
 * made a large block with its pointer at hdr + offset, for n bytes; counted. */
al_inline void *large_made(al_heap *h, uint32_t u, uint32_t k, uint32_t offset, size_t n, uint32_t dirty, int zero) {
  span_t *s = al_span(h, u);
  uintptr_t hdr = (uintptr_t)s, p = hdr + offset;
  set_large(s, k, offset, n);
  h->large.blocks++;
  h->large.units += k;
  al_note_alloc(h, hdr + (size_t)k * AL_UNIT - p);
  /* Old data where a small block's freed mark sits (a MiniPage's first
   * segment may have been here): realloc to a small size would copy it into
   * the new block, whose free would then walk its page's free list. */
  if (dirty) ((al_block *)p)->key = 0;
  if (zero && dirty) { /* zero what may hold old data: memory fresh from growth is zero */
    size_t old = hdr + (size_t)dirty * AL_UNIT - p; /* > 0: p lies in the first unit */
    memset((void *)p, 0, n < old ? n : old);
  }
  return (void *)p;
}

void *al_large_alloc(AL_HEAP_P size_t n, size_t align, int zero) {
  /* The common case first: no alignment, a size the cache holds, a cached
   * span of exactly that size (no bin search, no split, no trim). */
  int plain = align <= AL_GRANULE;
  if (al_likely(plain) && n <= (size_t)AL_LCACHE_UNITS * AL_UNIT - AL_HDR) {
    uint32_t k = units_for(n + AL_HDR), u = al_lcache_pop(h, k);
    if (u != UINT32_MAX) return large_made(h, u, k, AL_HDR, n, k, zero);
  }
  if (n > AL_MAX_REQUEST) return NULL;
  if (align > AL_MAX_REQUEST / 2) return NULL; /* so that 2 * align below cannot wrap (32-bit) */
  size_t slack = plain ? AL_HDR
               : align <= AL_SECTION ? AL_HDR + align - AL_GRANULE
               : AL_HDR + 2 * align + AL_UNIT;
  if (n > (size_t)AL_MAX_REQUEST + 4 * AL_UNIT - slack) return NULL; /* slack < that bound: no wrap */
  uint32_t k = units_for(n + slack);
  uint32_t dirty = k; /* leading units that may hold old data (all of a cached span) */
  uint32_t u = plain ? UINT32_MAX : al_lcache_pop(h, k); /* (plain: the cache was asked above) */
  if (u == UINT32_MAX) u = al_units_take(AL_H k, &dirty);
  if (u == UINT32_MAX) return NULL;
  uintptr_t hdr = (uintptr_t)al_span(h, u), p = hdr + AL_HDR;
  if (!plain) {
    if (align <= AL_SECTION) {
      p = (hdr + AL_HDR + align - 1) & ~(uintptr_t)(align - 1);
    } else {
      p = first_aligned_in_section(AL_H hdr + AL_HDR, align);
      uint32_t v = al_unit_of(h, (void *)p);
      if (v > u) { /* hand the units before p's unit back to the pool */
        al_span(h, v)->head = 0;
        set_large(al_span(h, v), k - (v - u), 0, 0);
        set_large(al_span(h, u), v - u, 0, 0);
        al_span_give(AL_H u, v - u);
        dirty = dirty > v - u ? dirty - (v - u) : 0;
        k -= v - u;
        u = v;
        hdr = (uintptr_t)al_span(h, u);
      }
    }
  }
  uint32_t need = plain ? k : units_for(p - hdr + n); /* (k already: slack was the header) */
  if (need < k) { /* the slack was not all needed */
    set_large(al_span(h, u), k, (uint32_t)(p - hdr), n);
    al_span_trim(AL_H u, k, need);
    k = need;
  }
  return large_made(h, u, k, (uint32_t)(p - hdr), n, dirty, zero);
}

size_t al_large_room(span_t *s, const void *p) {
  return (size_t)((uintptr_t)s + (size_t)al_size(s) * AL_UNIT - (uintptr_t)p);
}

size_t al_large_asked(span_t *s, const void *p) {
  size_t room = al_large_room(s, p);
  return room - (uint32_t)((uint32_t)room - s->prev);
}

void al_large_free(AL_HEAP_P span_t *s, void *p) {
  uint32_t k = al_size(s);
  h->large.blocks--;
  h->large.units -= k;
  al_note_free(h, al_large_room(s, p));
  if (!h->usage.in_use_bytes && h->grid.segments == 1) { /* the heap emptied: the pool resets (no merge needed) */
    if (al_span_drop_checked(AL_H s)) al_pages_settle(AL_H 1);
  } else if (!al_lcache_put(h, s)) {
    al_span_free(AL_H s);
  }
}

/* Resize in place: shrink by giving whole units back, grow into a free right
 * neighbour or by growing the heap when the block ends it.  NULL if the
 * block cannot be resized where it is (the caller moves it). */
void *al_large_realloc(AL_HEAP_P span_t *s, void *p, size_t n) {
  uint32_t u = al_index(h, s), k = al_size(s);
  size_t offset = (uintptr_t)p - (uintptr_t)s;
  if (n > AL_MAX_REQUEST) return NULL;
  uint32_t need = units_for(offset + n);
  size_t before = al_large_room(s, p);
  if (need < k) al_span_trim(AL_H u, k, need);
  else if (need > k && !al_span_extend(AL_H u, k, need)) return NULL;
  s->prev = (uint32_t)n;
  h->large.units += (size_t)need - k;
  al_note_free(h, before);
  al_note_alloc(h, al_large_room(s, p));
  return p;
}
