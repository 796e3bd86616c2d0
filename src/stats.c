/* Statistics: counters kept by the modules, summed per class.  O(classes).
 * (The heap check and heap map are check.c; misuse reports report.c.) */
#include "internal.h"

static void stats_locked(alligator_stats_t *st) {
  memset(st, 0, sizeof *st);
  size_t small_free = 0;
  st->class_count = AL_NCLASSES;
  for (unsigned c = 0; c < AL_NCLASSES; c++) {
    st->class_size[c] = al_class_size[c];
    st->class_slots[c] = al_class_slots[c];
    st->class_pages[c] = al_g.class_pages[c];
    st->class_used[c] = al_g.class_used[c];
    st->minipages += al_g.class_pages[c];
    st->live_allocations += al_g.class_used[c];
    small_free += (al_g.class_pages[c] * al_class_slots[c] - al_g.class_used[c]) * al_class_size[c];
  }
  st->heap_bytes = al_g.heap_bytes;
  st->in_use_bytes = al_g.in_use_bytes;
  st->peak_in_use_bytes = al_g.peak_in_use_bytes;
  st->large_blocks = al_g.large_blocks;
  st->large_bytes = al_g.large_units * AL_UNIT;
  st->live_allocations += al_g.large_blocks;
  size_t cached_spans, cached_units; /* free spans in the large-span cache */
  al_lcache_totals(&cached_spans, &cached_units);
  st->free_spans = al_g.free_spans + cached_spans;
  st->free_span_bytes = (al_g.free_span_units + cached_units) * AL_UNIT;
  st->free_bytes = st->free_span_bytes + small_free;
  st->overhead_bytes = st->heap_bytes - st->in_use_bytes - st->free_bytes;
  st->largest_free_bytes = al_span_largest_free();
  st->oom_count = al_g.oom_count;
  st->grow_count = al_g.grow_count;
  st->fragmentation =
      st->free_span_bytes ? 1.0 - (double)st->largest_free_bytes / (double)st->free_span_bytes : 0.0;
}

void alligator_stats(alligator_stats_t *st) {
  AL_LOCK();
  stats_locked(st);
  AL_UNLOCK();
}

