/* The allocator lock.  Single-threaded wasm (no shared memory) pays nothing:
 * the lock compiles away (so does a host build with -DALLIGATOR_SINGLE_THREADED).
 * With shared memory in any form, on hosts, and with ALLIGATOR_THREADS
 * defined, one spin lock (C11 atomics, yielding after a few spins) guards all
 * state.  No operation holds it for more than O(1) work plus one heap-backend
 * call. */
#ifndef ALLIGATOR_LOCK_H
#define ALLIGATOR_LOCK_H

/* wasm with shared memory: Emscripten pthreads (-pthread), Wasm Workers
 * (-sWASM_WORKERS, -sSHARED_MEMORY: __EMSCRIPTEN_SHARED_MEMORY__), or any
 * build with the atomics feature (-matomics; clang's __wasm_atomics__), since
 * only such code can run on more than one thread. */
#if defined(__wasm__) && \
    (defined(__wasm_atomics__) || defined(__EMSCRIPTEN_SHARED_MEMORY__) || defined(__EMSCRIPTEN_PTHREADS__))
#define AL_WASM_SHARED_MEMORY 1
#endif

#if (defined(__wasm__) && !defined(AL_WASM_SHARED_MEMORY) && !defined(ALLIGATOR_THREADS)) || \
    defined(ALLIGATOR_SINGLE_THREADED) /* a host build for one thread, like the wasm build */
#define AL_LOCK()   ((void)0)
#define AL_UNLOCK() ((void)0)
#else
#include <stdatomic.h>
#if !defined(__wasm__)
#include <sched.h>
#define AL_YIELD() sched_yield()
#else
#define AL_YIELD() ((void)0)
#endif
extern atomic_flag al_lock_flag;
static inline void al_lock_slow(void) {
  for (unsigned spins = 0; atomic_flag_test_and_set_explicit(&al_lock_flag, memory_order_acquire); spins++)
    if (spins >= 64) AL_YIELD();
}
#define AL_LOCK()                                                                   \
  do {                                                                              \
    if (atomic_flag_test_and_set_explicit(&al_lock_flag, memory_order_acquire)) \
      al_lock_slow();                                                               \
  } while (0)
#define AL_UNLOCK() atomic_flag_clear_explicit(&al_lock_flag, memory_order_release)
#define AL_HAS_LOCK 1
#endif

#endif
