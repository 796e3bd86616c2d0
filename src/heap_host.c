/* Heap backend for hosts (x86_64, i686): simulated linear memory.
 *
 * One region is reserved from the system at the first growth (32 GiB on
 * 64-bit hosts, 1 GiB on 32-bit ones, less where the system refuses; pages
 * are only committed when touched) and handed out like
 * wasm memory: an sbrk that only grows, over zero-filled pages, up to a
 * settable limit in 64 KiB pages.  So the same allocator code runs natively
 * under gdb, valgrind, sanitizers and fuzzers, with out-of-memory testable.
 */
#if !defined(__wasm__)
#ifndef _DEFAULT_SOURCE
#define _DEFAULT_SOURCE /* MAP_ANONYMOUS, MAP_NORESERVE */
#endif
#include <stdlib.h>
#include <sys/mman.h>
#include "internal.h"

#define WASM_PAGE 65536u

static char *region;
static size_t reserved, brk_offset, limit;

/* 64-bit: 32 GiB, above ALLIGATOR_MAX_REQUEST and within the 2^24 units a
 * span header can count. */
#if defined(__SIZEOF_POINTER__) && __SIZEOF_POINTER__ >= 8
#define RESERVE ((size_t)32 << 30)
#else
#define RESERVE ((size_t)1 << 30)
#endif
_Static_assert(RESERVE / AL_UNIT < (1u << (32 - HEAD_SIZE_SHIFT)), "a span of the whole reservation must fit its header");
_Static_assert(RESERVE > ALLIGATOR_MAX_REQUEST || RESERVE < ((size_t)1 << 31), "the largest request fits the reservation");

static int reserve(void) {
  size_t want = RESERVE;
  for (; want >= ((size_t)16 << 20); want /= 2) {
    void *p = mmap(NULL, want, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (p != MAP_FAILED) {
      region = p;
      reserved = want;
      const char *env = getenv("ALLIGATOR_HEAP_LIMIT");
      if (env && !limit) limit = (size_t)strtoull(env, NULL, 0) / WASM_PAGE * WASM_PAGE;
      return 1;
    }
  }
  return 0;
}

void *al_backend_sbrk(size_t increment) {
  if (!region && !reserve()) return NULL;
  size_t cap = limit && limit < reserved ? limit : reserved;
  if (increment > cap - (brk_offset < cap ? brk_offset : cap)) return NULL;
  char *old = region + brk_offset;
  brk_offset += increment;
  return old;
}

/* fork(): the child has only the forking thread.  If another thread held
 * the lock at that moment, the child would spin on it forever; so the lock
 * is taken across fork (no operation is half done in the copy) and released
 * on both sides. */
#include <pthread.h>
static void fork_prepare(void) { AL_LOCK(); }
static void fork_release(void) { AL_UNLOCK(); }
__attribute__((constructor)) static void register_fork_handlers(void) {
  pthread_atfork(fork_prepare, fork_release, fork_release);
}

void alligator_host_set_limit(size_t bytes) {
  AL_LOCK();
  limit = bytes / WASM_PAGE * WASM_PAGE;
  AL_UNLOCK();
}
#endif
