/* bench_heap_bytes / bench_grow_count for the host peers on shim.c. */
#include "../bench.h"
#include "shim.h"
size_t bench_heap_bytes(void) { return bench_shim_heap_bytes(); }
unsigned long bench_grow_count(void) { return bench_shim_grow_count(); }
