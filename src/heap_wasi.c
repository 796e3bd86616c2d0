/* Heap backend for plain wasm (wasm32-wasi and freestanding): memory.grow.
 * The break starts at the linker's __heap_base; memory grows in 64 KiB pages
 * when the break passes its end.  Another user of the same memory (Rust's
 * own allocator, a runtime, a JS embedder calling memory.grow) owns the
 * pages it grew: if the memory is larger than after our last call, the break
 * moves to its end, and the allocator starts a new segment there (as after a
 * foreign sbrk; the rest of our last page is given up: under 64 KiB per
 * foreign growth).  Cost: one memory.size per call. */
#if defined(__wasm__) && !defined(__EMSCRIPTEN__)
#include "internal.h"

#define WASM_PAGE 65536u
extern unsigned char __heap_base;
static uintptr_t brk;       /* our break; 0 before the first call */
static uint64_t memory_end; /* the memory's size in bytes after our last call */

void *al_backend_sbrk(size_t increment) {
  uint64_t now = (uint64_t)__builtin_wasm_memory_size(0) * WASM_PAGE;
  if (!brk) brk = (uintptr_t)&__heap_base;
  else if (now != memory_end) { /* grown by someone else: theirs */
    if (now >= ((uint64_t)1 << 32)) return NULL; /* no address left after it */
    brk = (uintptr_t)now;
  }
  memory_end = now;
  uint64_t want = (uint64_t)brk + increment;
  if (want > ((uint64_t)1 << 32)) return NULL;
  if (want > now) {
    size_t pages = (size_t)((want - now + WASM_PAGE - 1) / WASM_PAGE);
    if (__builtin_wasm_memory_grow(0, pages) == (size_t)-1) return NULL;
    memory_end = now + (uint64_t)pages * WASM_PAGE;
  }
  uintptr_t old = brk;
  brk = (uintptr_t)want;
  return (void *)old;
}

void alligator_host_set_limit(size_t bytes) { (void)bytes; }
#endif
