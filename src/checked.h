/* The checked build (-DALLIGATOR_CHECKED; the port's checked=true):
 * catches, besides what every build catches (double free, pointers outside
 * the heap or not at a block start):
 *   - a write past the end of a block, found when the block is freed or
 *     reallocated: canary bytes follow the bytes the user asked for;
 *   - a write into a freed small block, found when it is handed out again:
 *     freed segments are poisoned;
 *   - a pointer into the middle of a small segment (not a memalign result).
 * Layout of a live small segment in the checked build:
 *     | user bytes (n) | canary ... canary | end (2 bytes, little endian) |
 *     seg              seg+end              seg+size-2
 * where end is the offset of the first canary byte from the segment start.
 * A large block keeps n in its header; canary bytes run from p+n to its end.
 * malloc_usable_size returns n: writing up to it is allowed, no further.
 * The normal build compiles none of this.
 */
#ifndef ALLIGATOR_CHECKED_H
#define ALLIGATOR_CHECKED_H
#include "internal.h"

#ifdef ALLIGATOR_CHECKED
#define AL_CANARY 0xCBu
#define AL_POISON 0xDFu
#define AL_CHECK_SMALL_EXTRA 3u /* at least one canary byte + the 2-byte end offset */
#define AL_CHECK_LARGE_EXTRA 1u /* at least one canary byte */

al_inline void al_check_stamp_small(unsigned char *seg, unsigned size, size_t end) {
  memset(seg + end, AL_CANARY, size - 2 - end);
  seg[size - 2] = (unsigned char)(end & 0xFF);
  seg[size - 1] = (unsigned char)(end >> 8);
}
al_inline size_t al_check_end_small(const unsigned char *seg, unsigned size) {
  return (size_t)seg[size - 2] | (size_t)seg[size - 1] << 8;
}
/* 1 if the canary or the end offset was overwritten. */
al_inline int al_check_overflow_small(const unsigned char *seg, unsigned size) {
  size_t end = al_check_end_small(seg, size);
  if (end + AL_CHECK_SMALL_EXTRA > size) return 1;
  for (size_t i = end; i < size - 2; i++)
    if (seg[i] != AL_CANARY) return 1;
  return 0;
}
/* A freed segment: its link and key (al_block), then poison. */
al_inline void al_check_poison(unsigned char *seg, unsigned size) {
  memset(seg + sizeof(al_block), AL_POISON, size - sizeof(al_block));
}
/* 1 if a freed segment (poisoned after its link and key) was written to. */
al_inline int al_check_poison_broken(const unsigned char *seg, unsigned size) {
  for (unsigned i = sizeof(al_block); i < size; i++)
    if (seg[i] != AL_POISON) return 1;
  return 0;
}
al_inline void al_check_stamp_large(unsigned char *p, size_t n, size_t usable) {
  memset(p + n, AL_CANARY, usable - n);
}
al_inline int al_check_overflow_large(const unsigned char *p, size_t n, size_t usable) {
  for (size_t i = n; i < usable; i++)
    if (p[i] != AL_CANARY) return 1;
  return 0;
}
#define AL_CHECKED 1
#else
#define AL_CHECK_SMALL_EXTRA 0u
#define AL_CHECK_LARGE_EXTRA 0u
#define AL_CHECKED 0 /* a constant: `if (!AL_CHECKED && ...)` keeps fast paths free of #ifdef */
#endif

#endif
