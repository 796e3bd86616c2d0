/* The lock-free build must not end up in a shared-memory program (-pthread,
 * Wasm Workers): two threads in the allocator at once corrupt the heap.  This
 * object holds a thread-local; compiled without atomics (the single-threaded
 * build), clang strips it and marks the object "-shared-mem", and wasm-ld then
 * refuses a shared-memory link with
 *   --shared-memory is disallowed by liballigator.a(NOT-THREAD-SAFE--use-liballigator-mt.a-with--pthread.o)
 * (`make wasm-lib` names the object so).  The backend references it in that
 * build only; the thread-safe build compiles this file to nothing. */
#ifdef __EMSCRIPTEN__
#include "../src/lock.h"
#ifndef AL_WASM_SHARED_MEMORY
static _Thread_local char al_not_thread_safe;
char *alligator_single_threaded_build(void) { return &al_not_thread_safe; }
#endif
#endif
