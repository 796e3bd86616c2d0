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

extern size_t __heap_base;
static uintptr_t sbrk_val = (uintptr_t)&__heap_base;

__attribute__((weak)) uintptr_t *emscripten_get_sbrk_ptr(void) {
#ifdef __PIC__
  if (!sbrk_val) sbrk_val = (uintptr_t)&__heap_base;
#endif
  return &sbrk_val;
}

__attribute__((weak)) void *sbrk(intptr_t increment) {
  uintptr_t inc = ((uintptr_t)increment + 3) & ~(uintptr_t)3;
  uintptr_t *ptr = emscripten_get_sbrk_ptr();
  for (;;) {
#ifdef __EMSCRIPTEN_PTHREADS__
    uintptr_t old = __c11_atomic_load((_Atomic(uintptr_t) *)ptr, __ATOMIC_SEQ_CST);
#else
    uintptr_t old = *ptr;
#endif
    uintptr_t brk = old + inc;
    if ((intptr_t)inc > 0 && (uint32_t)brk <= (uint32_t)old) break; /* past 4 GiB */
    if (brk > emscripten_get_heap_size() && !emscripten_resize_heap(brk)) break;
#ifdef __EMSCRIPTEN_PTHREADS__
    uintptr_t expected = old;
    if (!__c11_atomic_compare_exchange_strong((_Atomic(uintptr_t) *)ptr, &expected, brk, __ATOMIC_SEQ_CST,
                                              __ATOMIC_SEQ_CST))
      continue;
#else
    *ptr = brk;
#endif
    return (void *)old;
  }
  errno = ENOMEM;
  return (void *)-1;
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
#endif
