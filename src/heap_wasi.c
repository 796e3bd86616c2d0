/* Heap backend for plain wasm (wasm32-wasi and freestanding): memory.grow.
 * The break starts at the linker's __heap_base; memory grows in 64 KiB pages
 * when the break passes its end.  If something else grew memory since our
 * last look (Rust's own allocator, a JS embedder), the pages past our end
 * are theirs: the break moves to the new end of memory, and the allocator
 * sees a new segment (as after a foreign sbrk). */
#if defined(__wasm__) && !defined(__EMSCRIPTEN__)
#include "internal.h"

extern unsigned char __heap_base;
static uintptr_t brk;
static uint64_t seen; /* the end of memory after our last call */

void *al_backend_sbrk(size_t increment) {
  uint64_t have = (uint64_t)__builtin_wasm_memory_size(0) * 65536u;
  if (!brk) brk = (uintptr_t)&__heap_base;
  else if (have != seen) { /* grown by someone else */
    if (have >= ((uint64_t)1 << 32)) return NULL;
    brk = (uintptr_t)have;
  }
  seen = have;
  uint64_t want = (uint64_t)brk + increment;
  if (want > ((uint64_t)1 << 32)) return NULL;
  if (want > have) {
    size_t pages = (size_t)((want - have + 65535u) / 65536u);
    if (__builtin_wasm_memory_grow(0, pages) == (size_t)-1) return NULL;
    seen = have + (uint64_t)pages * 65536u;
  }
  uintptr_t old = brk;
  brk = (uintptr_t)want;
  return (void *)old;
}

void alligator_host_set_limit(size_t bytes) { (void)bytes; }
#endif
