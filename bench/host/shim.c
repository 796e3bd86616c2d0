/* Host heap backend for the peers (dlmalloc, emmalloc): an sbrk over one
 * reserved region of zero-filled memory that only grows, like wasm memory.
 * Counts growth and keeps the break (= the high-water mark). */
#ifndef _DEFAULT_SOURCE
#define _DEFAULT_SOURCE
#endif
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/mman.h>
#include "shim.h"

static char *region;
static size_t brk_off;
static unsigned long grows;
#define RESERVE ((size_t)1 << 30)

void *bench_sbrk(intptr_t inc) {
  if (!region) {
    void *p = mmap(NULL, RESERVE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (p == MAP_FAILED) goto fail;
    region = p;
  }
  if (inc < 0 || (size_t)inc > RESERVE - brk_off) goto fail;
  char *old = region + brk_off;
  if (inc > 0) grows++;
  brk_off += (size_t)inc;
  return old;
fail:
  errno = ENOMEM;
  return (void *)-1;
}

size_t bench_shim_heap_bytes(void) { return brk_off; }
unsigned long bench_shim_grow_count(void) { return grows; }
size_t emscripten_get_heap_size(void) { return RESERVE; }
size_t emscripten_get_heap_max(void) { return RESERVE; }
int emscripten_resize_heap(size_t n) { return n <= RESERVE; }
