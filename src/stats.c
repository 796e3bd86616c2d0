/* Statistics: counters kept by the modules, summed per class.  O(classes).
 * (The heap check and heap map are check.c; misuse reports report.c.) */
#include "internal.h"

static void stats_locked(AL_HEAP_P alligator_stats_t *st) {
  memset(st, 0, sizeof *st);
  size_t small_free = 0;
  st->class_count = AL_NCLASSES;
  for (unsigned c = 0; c < AL_NCLASSES; c++) {
    st->class_size[c] = al_class_size[c];
    st->class_slots[c] = al_class_slots[c];
    st->class_pages[c] = h->pages.class_pages[c];
    st->class_used[c] = h->pages.class_used[c];
    st->minipages += h->pages.class_pages[c];
    st->live_allocations += h->pages.class_used[c];
    small_free += (h->pages.class_pages[c] * al_class_slots[c] - h->pages.class_used[c]) * al_class_size[c];
  }
  st->heap_bytes = h->grid.heap_bytes;
  st->in_use_bytes = h->usage.in_use_bytes;
  st->peak_in_use_bytes = h->usage.peak_in_use_bytes;
  st->large_blocks = h->large.blocks;
  st->large_bytes = h->large.units * AL_UNIT;
  st->live_allocations += h->large.blocks;
  size_t cached_spans, cached_units; /* free spans in the large-span cache */
  al_lcache_totals(AL_H &cached_spans, &cached_units);
  st->free_spans = h->pool.free_spans + cached_spans;
  st->free_span_bytes = (h->pool.free_span_units + cached_units) * AL_UNIT;
  st->free_bytes = st->free_span_bytes + small_free;
  st->overhead_bytes = st->heap_bytes - st->in_use_bytes - st->free_bytes;
  st->largest_free_bytes = al_span_largest_free(AL_H0);
  st->oom_count = h->usage.oom_count;
  st->grow_count = h->grid.grow_count;
  st->fragmentation =
      st->free_span_bytes ? 1.0 - (double)st->largest_free_bytes / (double)st->free_span_bytes : 0.0;
}

void alligator_stats(alligator_stats_t *st) {
  AL_HEAP_ENTRY;
  AL_LOCK();
  stats_locked(AL_H st);
  AL_UNLOCK();
}

