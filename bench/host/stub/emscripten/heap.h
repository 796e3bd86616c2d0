/* Host stand-in for <emscripten/heap.h> (benchmark only): bench/host/shim.c. */
#ifndef BENCH_STUB_HEAP_H
#define BENCH_STUB_HEAP_H
#include <stddef.h>
#include <stdint.h>
size_t emscripten_get_heap_size(void);
size_t emscripten_get_heap_max(void);
int emscripten_resize_heap(size_t requested);
void *bench_sbrk(intptr_t inc);
#endif
