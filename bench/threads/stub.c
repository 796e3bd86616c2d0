/* For the dlmalloc build of test/c/threads.c: the two Alligator calls it
 * makes at the end, as no-ops (dlmalloc has neither). */
#include <string.h>
#include "alligator.h"
int alligator_validate(al_check_fn report, void *ctx) {
  (void)report;
  (void)ctx;
  return 0;
}
void alligator_stats(alligator_stats_t *out) { memset(out, 0, sizeof *out); }
