/* Declarations for the host sbrk shim (shim.c). */
#ifndef BENCH_SHIM_H
#define BENCH_SHIM_H
#include <stddef.h>
#include <stdint.h>
void *bench_sbrk(intptr_t inc);
size_t bench_shim_heap_bytes(void);
unsigned long bench_shim_grow_count(void);
#endif
