/* Size classes for small objects (<= 2 KiB): the tables derived from
 * AL_CLASS_LIST (internal.h).  Every class wastes at most 128 bytes of its
 * section; power-of-two sizes fill it exactly.  The class_of table is written
 * out; test/c/test_units.c checks it against the list (smallest class that
 * fits, every size) and the exact division.
 */
#include "internal.h"

#define SIZE_(size, slots) size,
#define SLOTS_(size, slots) slots,
#define END_(size, slots) (size) * (slots),
#define RECIP_(size, slots) ((1u << 22) + (size) - 1) / (size),
#define CHECK_(size, slots) _Static_assert((size) % AL_GRANULE == 0 && (size) * (slots) <= AL_SECTION && \
    AL_SECTION - (size) * (slots) <= 128 && (slots) <= 128, "class " #size ": geometry");
AL_CLASS_LIST(CHECK_)
const uint16_t al_class_size[AL_NCLASSES] = {AL_CLASS_LIST(SIZE_)};
const uint8_t al_class_slots[AL_NCLASSES] = {AL_CLASS_LIST(SLOTS_)};
const uint16_t al_class_end[AL_NCLASSES] = {AL_CLASS_LIST(END_)};
/* (off * recip) >> 22 == off / size for every off < 2048 (test_units.c checks). */
const uint32_t al_class_recip[AL_NCLASSES] = {AL_CLASS_LIST(RECIP_)};

/* class of a request of g granules (g = ceil(n / 16)), g = 0..128 */
const uint8_t al_class_of_granules[AL_SMALL_MAX / AL_GRANULE + 1] = {
  0, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 12, 13, 13, 14, 14, 15,
  15, 15, 16, 16, 16, 16, 17, 17, 17, 17, 17, 17, 17, 18, 18, 18, 18, 18, 18, 18,
  18, 18, 18, 19, 19, 19, 19, 19, 19, 19, 19, 19, 19, 19, 19, 19, 19, 19, 19, 19,
  19, 19, 19, 19, 19, 20, 20, 20, 20, 20, 20, 20, 20, 20, 20, 20, 20, 20, 20, 20,
  20, 20, 20, 20, 20, 20, 20, 20, 20, 20, 20, 20, 20, 20, 20, 20, 20, 20, 20, 20,
  20, 20, 20, 20, 20, 20, 20, 20, 20, 20, 20, 20, 20, 20, 20, 20, 20, 20, 20, 20,
  20, 20, 20, 20, 20, 20, 20, 20, 20,
};

