/* Heap backend for plain wasm (wasm32-wasi and freestanding): memory.grow.
 * The break starts at the linker's __heap_base; memory grows in 64 KiB pages
 * when the break passes its end.  If something else grows memory in
 * between, the break stays ours and the allocator sees no difference. */
#if defined(__wasm__) && !defined(__EMSCRIPTEN__)
#include "internal.h"

extern unsigned char __heap_base;
static uintptr_t brk;

void *al_backend_sbrk(size_t increment) {
  if (!brk) brk = (uintptr_t)&__heap_base;
  uint64_t want = (uint64_t)brk + increment;
  if (want > ((uint64_t)1 << 32)) return NULL;
  uint64_t have = (uint64_t)__builtin_wasm_memory_size(0) * 65536u;
  if (want > have) {
    size_t pages = (size_t)((want - have + 65535u) / 65536u);
    if (__builtin_wasm_memory_grow(0, pages) == (size_t)-1) return NULL;
  }
  uintptr_t old = brk;
  brk = (uintptr_t)want;
  return (void *)old;
}

void alligator_host_set_limit(size_t bytes) { (void)bytes; }
#endif
