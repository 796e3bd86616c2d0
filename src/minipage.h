/* MiniPage fast paths: a few loads and stores, inlined into malloc and free.
 * The rare cases (page exhausted, page that fills, page that empties) are
 * out of line in minipage.c. */
#ifndef ALLIGATOR_MINIPAGE_H
#define ALLIGATOR_MINIPAGE_H
#include "internal.h"
#include "checked.h"

al_inline void al_note_alloc(size_t bytes) {
  al_g.in_use_bytes += bytes;
  if (al_g.in_use_bytes > al_g.peak_in_use_bytes) al_g.peak_in_use_bytes = al_g.in_use_bytes;
}

/* A segment of class c, or NULL (ENOMEM).  Inline: pop the current page's
 * free vector, or take its next never-used segment.  Out of line
 * (al_small_alloc_slow): another page. */
al_inline void *al_small_alloc(unsigned c, int zero) {
  span_t *s = al_g.cur[c];
  if (al_likely(s != NULL)) {
    unsigned size = al_class_size[c], idx = s->top, clean = 0;
    unsigned char *seg;
    if (idx != STACK_EMPTY) { /* pop the free vector */
      seg = al_section(s) + idx * size;
      uint32_t bit = 1u << (idx & 31);
      if (al_unlikely(idx >= s->hwm || (s->bits[idx >> 5] & bit))) return al_small_alloc_slow(c, zero);
      s->top = seg[0];
      s->bits[idx >> 5] |= bit;
#ifdef ALLIGATOR_CHECKED
      if (al_check_poison_broken(seg, size)) al_report(AL_ERR_CORRUPTION, seg, "malloc: a freed block was written to");
#endif
    } else if (s->hwm < al_class_slots[c]) { /* a segment never handed out */
      idx = s->hwm++;
      seg = al_section(s) + idx * size;
      s->bits[idx >> 5] |= 1u << (idx & 31);
      clean = s->head & HEAD_FRESH;
    } else {
      return al_small_alloc_slow(c, zero);
    }
    s->used++;
    al_g.class_used[c]++;
    al_note_alloc(size);
    if (zero && !clean) memset(seg, 0, size);
    return seg;
  }
  return al_small_alloc_slow(c, zero);
}

/* 0 if p points into a live segment of MiniPage s, else the error kind
 * (free, realloc and malloc_usable_size all ask before trusting p). */
al_inline int al_small_check(span_t *s, const void *p) {
  unsigned c = s->cls;
  uint32_t off = (uint32_t)((const unsigned char *)p - al_section(s));
  unsigned idx = al_segment_of(c, off);
  if (al_unlikely(c >= AL_NCLASSES || idx >= s->hwm)) return AL_ERR_INVALID_POINTER;
  if (al_unlikely(!(s->bits[idx >> 5] & (1u << (idx & 31))))) return AL_ERR_DOUBLE_FREE; /* freed */
#ifdef ALLIGATOR_CHECKED
  /* p is the segment, or a memalign result: aligned beyond its offset. */
  const unsigned char *seg = al_section(s) + idx * al_class_size[c];
  if ((const unsigned char *)p != seg &&
      ((uintptr_t)p & (0u - (uintptr_t)p)) <= (uintptr_t)((const unsigned char *)p - seg))
    return AL_ERR_INVALID_POINTER;
#endif
  return 0;
}

/* Free segment-containing pointer p of MiniPage s.  Returns 0, or an error
 * kind for the caller to report (nothing was changed then). */
al_inline int al_small_free(span_t *s, void *p) {
  int err = al_small_check(s, p);
  if (al_unlikely(err)) return err;
  unsigned c = s->cls;
  unsigned idx = al_segment_of(c, (uint32_t)((unsigned char *)p - al_section(s)));
  uint32_t bit = 1u << (idx & 31);
  unsigned size = al_class_size[c];
  unsigned char *seg = al_section(s) + idx * size;
#ifdef ALLIGATOR_CHECKED
  if (al_check_overflow_small(seg, size)) return AL_ERR_OVERFLOW;
  al_check_poison(seg, size);
#endif
  unsigned used = s->used;
  s->bits[idx >> 5] &= ~bit;
  seg[0] = s->top;                           /* push onto the free vector */
  s->top = (uint8_t)idx;
  s->used = (uint8_t)(used - 1);
  al_g.class_used[c]--;
  al_g.in_use_bytes -= size;
  if (al_unlikely(used == al_class_slots[c] || used == 1)) al_small_free_slow(s, c, used);
  return 0;
}

/* The segment that holds p (p itself, or before it for memalign results). */
al_inline unsigned char *al_small_segment(span_t *s, const void *p) {
  uint32_t off = (uint32_t)((const unsigned char *)p - al_section(s));
  return al_section(s) + (size_t)al_segment_of(s->cls, off) * al_class_size[s->cls];
}

/* Bytes from p to the end of its segment. */
al_inline size_t al_small_room(span_t *s, const void *p) {
  return (size_t)(al_small_segment(s, p) + al_class_size[s->cls] - (const unsigned char *)p);
}

#endif
