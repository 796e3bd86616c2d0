/* Unit checks of the tables and the arithmetic the fast paths trust:
 * size -> class, exact segment division, unit geometry, header layout. */
#include <stdio.h>
#include "internal.h"

static int failures;
#define EXPECT(cond, ...)                  \
  do {                                     \
    if (!(cond)) {                         \
      fprintf(stderr, "units: " __VA_ARGS__); \
      fputc('\n', stderr);                 \
      failures++;                          \
    }                                      \
  } while (0)

int main(void) {
  /* every class fits its section, sizes are granule multiples and increase */
  for (unsigned c = 0; c < AL_NCLASSES; c++) {
    EXPECT(al_class_size[c] % AL_GRANULE == 0, "class %u size %u not a multiple of 16", c, al_class_size[c]);
    EXPECT((unsigned)al_class_slots[c] * al_class_size[c] <= AL_SECTION, "class %u overflows the section", c);
    EXPECT(al_class_slots[c] == AL_SECTION / al_class_size[c], "class %u slot count", c);
    EXPECT(al_class_slots[c] <= 128, "class %u has more slots than the bitmap", c);
    EXPECT(AL_SECTION - al_class_slots[c] * al_class_size[c] <= 128, "class %u wastes more than 128 B", c);
    if (c) EXPECT(al_class_size[c] > al_class_size[c - 1], "class sizes not increasing at %u", c);
  }
  EXPECT(al_class_size[AL_NCLASSES - 1] == AL_SMALL_MAX, "the last class must be 2 KiB");
  /* size -> class: the smallest class that holds n */
  for (size_t n = 0; n <= AL_SMALL_MAX; n++) {
    unsigned c = al_class_of(n);
    EXPECT(c < AL_NCLASSES && al_class_size[c] >= n, "class_of(%zu) = %u too small", n, c);
    EXPECT(c == 0 || al_class_size[c - 1] < n, "class_of(%zu) = %u not the smallest", n, c);
  }
  /* segment index by reciprocal == division, for every offset in a section */
  for (unsigned c = 0; c < AL_NCLASSES; c++)
    for (uint32_t off = 0; off < AL_SECTION; off++)
      EXPECT(al_segment_of(c, off) == off / al_class_size[c], "segment_of(%u, %u)", c, off);
  EXPECT(sizeof(span_t) == AL_HDR && AL_UNIT % AL_GRANULE == 0, "unit geometry");
  EXPECT(al_make_head(KIND_FREE, 5, 0) >> HEAD_SIZE_SHIFT == 5, "head size field");
  printf("units: %s\n", failures ? "FAILED" : "ok");
  return failures != 0;
}
