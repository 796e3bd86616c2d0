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
 * the lock at that moment, the child would spin on it for ever; so the lock
 * is taken across fork (no operation is half done in the copy) and released
 * on both sides.  Two traps, both of which glibc's own malloc avoids:
 *   - glibc's fork takes stdio's list lock AFTER the prepare handlers, and
 *     fflush(NULL) holds that lock while it waits for a FILE whose owner
 *     (getline, say) waits for us inside malloc: a cycle (glibc bug 19431).
 *     So the prepare handler takes the list lock first (exported by glibc,
 *     and recursive: fork takes it again), then ours: one order for all.
 *   - a signal handler may fork while its own thread is inside malloc: in a
 *     single-threaded process nobody else can hold the lock, so it is not
 *     taken (as glibc does: it skips its malloc locks when single-threaded).
 * The handlers are registered first of all (constructor priority 101), so
 * that ours runs last among the prepare handlers: others may still malloc. */
#include <pthread.h>
#if defined(__GLIBC__) && (__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 32))
#include <sys/single_threaded.h>
#define SINGLE_THREADED() (__libc_single_threaded != 0)
#else
#define SINGLE_THREADED() 0
#endif
#ifdef __GLIBC__
extern void _IO_list_lock(void) __attribute__((weak));
extern void _IO_list_unlock(void) __attribute__((weak));
#define STDIO_LOCK() (_IO_list_lock ? _IO_list_lock() : (void)0)
#define STDIO_UNLOCK() (_IO_list_unlock ? _IO_list_unlock() : (void)0)
#else
#define STDIO_LOCK() ((void)0)
#define STDIO_UNLOCK() ((void)0)
#endif
static int fork_locked; /* the prepare handler took the locks */
static void fork_prepare(void) {
  fork_locked = !SINGLE_THREADED();
  if (!fork_locked) return;
  STDIO_LOCK();
  AL_LOCK();
}
static void fork_parent(void) {
  if (!fork_locked) return;
  AL_UNLOCK();
  STDIO_UNLOCK();
}
/* glibc's fork has reset the list lock in a child of a threaded parent. */
static void fork_child(void) {
  if (fork_locked) AL_UNLOCK();
}
__attribute__((constructor(101))) static void register_fork_handlers(void) {
  pthread_atfork(fork_prepare, fork_parent, fork_child);
}

void alligator_host_set_limit(size_t bytes) {
  AL_LOCK();
  limit = bytes / WASM_PAGE * WASM_PAGE;
  AL_UNLOCK();
}
#endif
