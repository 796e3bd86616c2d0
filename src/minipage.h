/* MiniPage fast paths: a few loads and stores, inlined into malloc and free.
 * The rare cases (page exhausted, page that fills, page that empties, a block
 * that carries the freed mark) are out of line in minipage.c.
 *
 * malloc: pop the current page's free list (one test), else bump into its
 *         never-used segments (one compare), else the slow path.
 * free:   the page from the pointer (one division by the unit, done by the
 *         caller), round down to the segment, one compare of its key word
 *         against the heap's key, push.  Only a block that already carries
 *         the key is looked up on the page's free list: a double free is
 *         reported, user data that happens to equal the key is not.
 */
#ifndef ALLIGATOR_MINIPAGE_H
#define ALLIGATOR_MINIPAGE_H
#include "internal.h"
#include "checked.h"

/* A segment of class c, or NULL (ENOMEM). */
al_inline void *al_small_alloc(al_heap *h, unsigned c, int zero) {
  span_t *s = h->pages.cur[c]; /* (&al_no_page if none: no free list, bump full) */
  unsigned size = al_class_size[c], clean = 0;
  al_block *b = s->free;
  if (al_likely(b != NULL)) { /* pop the free list */
    s->free = b->next;
#ifdef ALLIGATOR_CHECKED
    if (al_check_poison_broken((unsigned char *)b, size)) al_report(AL_ERR_CORRUPTION, b, "malloc: a freed block was written to");
#endif
  } else if (al_likely(s->bump < al_class_end[c])) { /* a segment never handed out */
    b = (al_block *)(al_section(s) + s->bump);
    s->bump = (uint16_t)(s->bump + size);
    clean = s->head & HEAD_FRESH;
  } else {
    return al_small_alloc_slow(AL_H c, zero);
  }
  b->key = 0; /* live blocks never carry the freed mark (a reused page's may be stale) */
  s->used++;
  h->pages.class_used[c]++;
  al_note_alloc(h, size);
  if (zero && !clean) memset(b, 0, size);
  return b;
}

/* The segment that holds p (p itself, or before it for memalign results). */
al_inline al_block *al_small_segment(span_t *s, const void *p) {
  uint32_t off = (uint32_t)((const unsigned char *)p - al_section(s));
  return (al_block *)(al_section(s) + (size_t)al_segment_of(s->cls, off) * al_class_size[s->cls]);
}

/* Find the segment of MiniPage s that p points into (*seg): 0 if p lies
 * below the page's bump in a valid class and the segment does not carry
 * the freed mark; 1 if p is past bump or in the header, or the class is
 * broken; 2 if the segment carries the key (freed, or user data equal to
 * it: the callers tell them apart off the fast path).  The one test both
 * frees, realloc and malloc_usable_size make before they trust p. */
enum { AL_SEG_LIVE, AL_SEG_OUTSIDE, AL_SEG_MARKED };
al_inline int al_small_find(const al_heap *h, span_t *s, const void *p, al_block **seg) {
  uint32_t off = (uint32_t)((const unsigned char *)p - al_section(s));
  if (al_unlikely(s->cls >= AL_NCLASSES || off >= s->bump)) return AL_SEG_OUTSIDE;
  al_block *b = al_small_segment(s, p);
  *seg = b;
  return al_unlikely(b->key == h->grid.key) ? AL_SEG_MARKED : AL_SEG_LIVE;
}

/* 0 if p points into a live segment of MiniPage s, else the error kind
 * (free, realloc and malloc_usable_size all ask before trusting p). */
al_inline int al_small_check(al_heap *h, span_t *s, const void *p) {
  al_block *b;
  int found = al_small_find(h, s, p, &b);
  if (al_unlikely(found == AL_SEG_OUTSIDE)) return AL_ERR_INVALID_POINTER;
  if (al_unlikely(found == AL_SEG_MARKED) && al_small_on_free_list(s, b)) return AL_ERR_DOUBLE_FREE; /* freed */
#ifdef ALLIGATOR_CHECKED
  /* p is the segment, or a memalign result: aligned beyond its offset. */
  if ((const void *)p != (void *)b &&
      ((uintptr_t)p & (0u - (uintptr_t)p)) <= (uintptr_t)((const unsigned char *)p - (unsigned char *)b))
    return AL_ERR_INVALID_POINTER;
#endif
  return 0;
}

/* Segment b (class c, size bytes) of MiniPage s, checked live, back on s's
 * free list with the freed mark, counted; the page's transition (it was FULL,
 * or it empties) out of line.  Both frees end here. */
al_inline void al_small_push(al_heap *h, span_t *s, unsigned c, unsigned size, al_block *b) {
  unsigned used = s->used;
  b->next = s->free; /* push onto the free list */
  b->key = h->grid.key;
  s->free = b;
  s->used = (uint8_t)(used - 1);
  h->pages.class_used[c]--;
  al_note_free(h, size);
  /* used was 1 (the page empties) or slots (it was full): one unsigned compare */
  if (al_unlikely(used - 2u >= al_class_slots[c] - 2u) && (s != h->pages.cur[c] || s != h->pages.idle))
    al_small_free_slow(AL_H s); /* (the idle page emptying again: nothing to do) */
}

/* Free p of MiniPage s, which al_small_check (and in the checked build the
 * overflow test) passed earlier in this call: al_small_free, and realloc when
 * it moves a block. */
al_inline void al_small_free_checked(al_heap *h, span_t *s, void *p) {
  unsigned c = s->cls, size = al_class_size[c];
  al_block *b = al_small_segment(s, p);
#ifdef ALLIGATOR_CHECKED
  al_check_poison((unsigned char *)b, size);
#endif
  al_small_push(h, s, c, size, b);
}

/* Free segment-containing pointer p of MiniPage s.  Returns 0, or an error
 * kind for the caller to report (nothing was changed then). */
al_inline int al_small_free(al_heap *h, span_t *s, void *p) {
  int err = al_small_check(h, s, p);
  if (al_unlikely(err)) return err;
#ifdef ALLIGATOR_CHECKED
  if (al_check_overflow_small((unsigned char *)al_small_segment(s, p), al_class_size[s->cls])) return AL_ERR_OVERFLOW;
#endif
  al_small_free_checked(h, s, p);
  return 0;
}

/* free's fast path (the normal build): p in MiniPage s, freed if
 * al_small_find finds its segment live (returns 0); else nothing is changed
 * and 1 sends the caller to the full path (al_small_free through
 * free_locked), which tells a double free from user data equal to the key
 * and reports a bad pointer.  The page's transitions (it fills a hole in a
 * FULL page, or empties) stay out of line. */
al_inline int al_small_free_fast(al_heap *h, span_t *s, void *p) {
  al_block *b;
  if (al_unlikely(al_small_find(h, s, p, &b) != AL_SEG_LIVE)) return 1;
  unsigned c = s->cls;
  al_small_push(h, s, c, al_class_size[c], b);
  return 0;
}

/* Bytes from p to the end of its segment. */
al_inline size_t al_small_room(span_t *s, const void *p) {
  return (size_t)((unsigned char *)al_small_segment(s, p) + al_class_size[s->cls] - (const unsigned char *)p);
}

#endif
