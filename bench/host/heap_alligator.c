/* bench_heap_bytes / bench_grow_count for the host Alligator build
 * (-DALLIGATOR_PREFIX, src/heap_host.c backend). */
#include "../bench.h"
#include "internal.h"
size_t bench_heap_bytes(void) { return al_heap_get()->grid.heap_bytes; }
unsigned long bench_grow_count(void) { return (unsigned long)al_heap_get()->grid.grow_count; }
