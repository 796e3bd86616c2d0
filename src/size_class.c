/* Size classes for small objects (<= 2 KiB): generated from the rule
 *   size = largest multiple of 16 such that n segments fit in 2048 bytes,
 * for n = 128, 64, 42, 32, ... , 2, 1 segments per MiniPage.  Every class wastes
 * at most 128 bytes of its section; power-of-two sizes fill it exactly.
 * The tables are checked by test/c/test_units.c (class_of, exact division).
 */
#include "internal.h"

const uint16_t al_class_size[AL_NCLASSES] = {
  16, 32, 48, 64, 80, 96, 112, 128, 144, 160, 176, 192, 224, 256, 288, 336,
  400, 512, 672, 1024, 2048,
};

const uint8_t al_class_slots[AL_NCLASSES] = {
  128, 64, 42, 32, 25, 21, 18, 16, 14, 12, 11, 10, 9, 8, 7, 6,
  5, 4, 3, 2, 1,
};

/* ceil(2^22 / size): (off * recip) >> 22 == off / size for every off < 2048. */
const uint32_t al_class_recip[AL_NCLASSES] = {
  262144, 131072, 87382, 65536, 52429, 43691, 37450, 32768,
  29128, 26215, 23832, 21846, 18725, 16384, 14564, 12484,
  10486, 8192, 6242, 4096, 2048,
};

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

