/* Heap backend for Emscripten: sbrk.
 *
 * Memory comes from sbrk(), so Emscripten's JS heap views stay right (its
 * emscripten_resize_heap() grows the memory and refreshes HEAP8 and friends).
 * Emscripten compiles its own sbrk into the malloc library it links, so with
 * -sMALLOC=none there is none (3.1.6 and current versions alike).  We define
 * sbrk and emscripten_get_sbrk_ptr here, weak, with the same contract as
 * Emscripten's system/lib sbrk.c: a strong one from the toolchain wins if
 * present, and every other sbrk user shares the same break.
 */
#ifdef __EMSCRIPTEN__
#include <errno.h>
#include <stdint.h>
#include <emscripten/heap.h>
#include "../src/internal.h"
#include "../src/lock.h"

extern size_t __heap_base;
static uintptr_t sbrk_val = (uintptr_t)&__heap_base;

__attribute__((weak)) uintptr_t *emscripten_get_sbrk_ptr(void) {
#ifdef __PIC__
  if (!sbrk_val) sbrk_val = (uintptr_t)&__heap_base;
#endif
  return &sbrk_val;
}

/* Move the break from old to brk; fails (0) if another thread moved it first. */
static int set_break(uintptr_t *ptr, uintptr_t old, uintptr_t brk) {
#ifdef AL_WASM_SHARED_MEMORY
  return __c11_atomic_compare_exchange_strong((_Atomic(uintptr_t) *)ptr, &old, brk, __ATOMIC_SEQ_CST,
                                              __ATOMIC_SEQ_CST);
#else
  *ptr = brk;
  (void)old;
  return 1;
#endif
}

static uintptr_t get_break(uintptr_t *ptr) {
#ifdef AL_WASM_SHARED_MEMORY
  return __c11_atomic_load((_Atomic(uintptr_t) *)ptr, __ATOMIC_SEQ_CST);
#else
  return *ptr;
#endif
}

__attribute__((weak)) void *sbrk(intptr_t increment) {
  uintptr_t inc = ((uintptr_t)increment + 3) & ~(uintptr_t)3;
  uintptr_t *ptr = emscripten_get_sbrk_ptr();
  for (;;) {
    uintptr_t old = get_break(ptr);
    uintptr_t brk = old + inc;
    if ((intptr_t)inc > 0 && (uint32_t)brk <= (uint32_t)old) break; /* past 4 GiB */
    if (brk > emscripten_get_heap_size() && !emscripten_resize_heap(brk)) break;
    if (!set_break(ptr, old, brk)) continue;
    return (void *)old;
  }
  errno = ENOMEM;
  return (void *)-1;
}

/* brk(), as Emscripten's sbrk.c defines it: brk(addr) is sbrk(addr - sbrk(0))
 * (so the break is rounded up to 4 bytes); 0, or -1 with ENOMEM.  Alligator
 * treats a break moved under it like any foreign sbrk: its next segment
 * starts at the new break. */
__attribute__((weak)) int brk(void *addr) {
  uintptr_t *ptr = emscripten_get_sbrk_ptr();
  for (;;) {
    uintptr_t old = get_break(ptr);
    uintptr_t brk = old + (((uintptr_t)addr - old + 3) & ~(uintptr_t)3);
    if (brk < (uintptr_t)&__heap_base) break;
    if (brk > emscripten_get_heap_size() && !emscripten_resize_heap(brk)) break;
    if (!set_break(ptr, old, brk)) continue;
    return 0;
  }
  errno = ENOMEM;
  return -1;
}

void *al_backend_sbrk(size_t increment) {
  if (increment > (size_t)INTPTR_MAX) return NULL;
  void *r = sbrk((intptr_t)increment);
  return r == (void *)-1 ? NULL : r;
}

void alligator_host_set_limit(size_t bytes) { (void)bytes; }

#ifdef ALLIGATOR_JS
/* With the JS layer (the port's default, and `make wasm-lib`), the backend
 * pulls in port/stats_js.c, whose exports Module.alligator calls.  Without it
 * (js=false) a program carries none of that code. */
extern const char alligator_js_linked;
__attribute__((used)) static const char *const js_anchor = &alligator_js_linked;
#endif

#ifndef AL_WASM_SHARED_MEMORY
/* The lock-free build pulls in port/single_threaded.c: wasm-ld then refuses it
 * in a shared-memory link, with a message that names the library to use. */
char *alligator_single_threaded_build(void);
__attribute__((used)) static char *(*const st_anchor)(void) = alligator_single_threaded_build;
#endif
#endif
