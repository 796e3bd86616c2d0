/* The malloc API: C semantics on top of MiniPages (<= 2 KiB) and large
 * blocks.  Every entry point takes the lock (free on single-threaded wasm),
 * classifies the pointer with one division, and calls the O(1) paths. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include "minipage.h"

/* wasi-libc has a <malloc.h> without struct mallinfo. */
#if defined(__has_include) && !defined(__wasi__)
#if __has_include(<malloc.h>)
#include <malloc.h>
#define AL_HAVE_MALLINFO 1
#endif
#endif

/* Names.  The functions are defined as al_malloc, al_free, ... and call one
 * another only by those names.  The public names are WEAK aliases of them
 * (as Emscripten's dlmalloc does): a program may define its own malloc or
 * free and call emscripten_builtin_malloc/free (or __libc_malloc/free, on
 * glibc and wasi-libc) inside, which are strong aliases that never go
 * through the public names.  Under LD_PRELOAD weak definitions interpose like
 * strong ones (the dynamic linker does not tell them apart).
 * -DALLIGATOR_PREFIX: the same functions named alligator_malloc, ..., beside
 * the C library's own malloc (sanitizers, valgrind, benchmarks, the
 * libFuzzer harness), with no other names.  Declared in alligator.h. */
#ifdef ALLIGATOR_PREFIX
#define al_malloc alligator_malloc
#define al_free alligator_free
#define al_calloc alligator_calloc
#define al_realloc alligator_realloc
#define al_reallocarray alligator_reallocarray
#define al_memalign alligator_memalign
#define al_aligned_alloc alligator_aligned_alloc
#define al_posix_memalign alligator_posix_memalign
#define al_valloc alligator_valloc
#define al_pvalloc alligator_pvalloc
#define al_malloc_usable_size alligator_malloc_usable_size
#undef AL_HAVE_MALLINFO
#define AL_API
#else
#define AL_API __attribute__((visibility("hidden"))) /* reached through the aliases */
AL_API void *al_malloc(size_t n);
AL_API void al_free(void *p);
AL_API void *al_calloc(size_t count, size_t size);
AL_API void *al_realloc(void *p, size_t n);
AL_API void *al_reallocarray(void *p, size_t count, size_t size);
AL_API void *al_memalign(size_t align, size_t n);
AL_API void *al_aligned_alloc(size_t align, size_t n);
AL_API int al_posix_memalign(void **out, size_t align, size_t n);
AL_API void *al_valloc(size_t n);
AL_API void *al_pvalloc(size_t n);
AL_API size_t al_malloc_usable_size(void *p);
#endif

#if defined(__wasm__)
#define AL_PAGE_SIZE 65536u
#else
#define AL_PAGE_SIZE 4096u
#endif

/* The one heap (internal.h): every entry point below passes it (AL_HEAP_ENTRY). */
al_heap al_heap_main = { .pages = AL_PAGES_INIT };

#ifdef AL_HAS_LOCK
atomic_flag al_lock_flag = ATOMIC_FLAG_INIT; /* lock.h: the one lock, taken by every entry point */
#endif

/* ---- internal, lock held ------------------------------------------------ */

/* align: a power of two.  n: what the block must hold (checked builds add
 * their canary room before calling this). */
static void *alloc_raw(AL_HEAP_P size_t n, size_t align, int zero) {
  size_t need = n;
  if (al_unlikely(align > AL_GRANULE) && n <= AL_SMALL_MAX)
    need = (n ? n : 1) + align - AL_GRANULE; /* room to align inside a segment (no overflow: n is small) */
  if (al_likely(need <= AL_SMALL_MAX)) {
    void *p = al_small_alloc(h, al_class_of(need), zero);
    /* a memalign result lies inside its segment; free rounds back down */
    return align > AL_GRANULE && p ? (void *)(((uintptr_t)p + align - 1) & ~(uintptr_t)(align - 1)) : p;
  }
  return al_large_alloc(AL_H n, align > AL_GRANULE ? align : AL_GRANULE, zero);
}

/* Bytes from p to the end of its segment or block. */
static size_t room_locked(span_t *s, const void *p) {
  return al_kind(s) == KIND_MINI ? al_small_room(s, p) : al_large_room(s, p);
}

#ifdef ALLIGATOR_CHECKED
/* Mark p as holding n bytes: canaries behind them. */
static void stamp(span_t *s, void *p, size_t n) {
  if (al_kind(s) == KIND_MINI) {
    unsigned char *seg = (unsigned char *)al_small_segment(s, p);
    al_check_stamp_small(seg, al_class_size[s->cls], (size_t)((unsigned char *)p - seg) + n);
  } else {
    s->prev = (uint32_t)n;
    al_check_stamp_large(p, n, al_large_room(s, p));
  }
}
static int overflowed(span_t *s, void *p) {
  if (al_kind(s) == KIND_MINI) return al_check_overflow_small((unsigned char *)al_small_segment(s, p), al_class_size[s->cls]);
  return al_check_overflow_large(p, al_large_asked(s, p), al_large_room(s, p));
}
/* What the user may use: the n it asked for. */
static size_t usable_locked(span_t *s, const void *p) {
  if (al_kind(s) != KIND_MINI) return al_large_asked(s, p);
  unsigned char *seg = (unsigned char *)al_small_segment(s, p);
  return al_check_end_small(seg, al_class_size[s->cls]) - (size_t)((const unsigned char *)p - seg);
}
static void *alloc_locked(AL_HEAP_P size_t n, size_t align, int zero) {
  if (n > AL_MAX_REQUEST) return NULL;
  void *p = n + AL_CHECK_SMALL_EXTRA + (align > AL_GRANULE ? align - AL_GRANULE : 0) <= AL_SMALL_MAX
                ? alloc_raw(AL_H n + AL_CHECK_SMALL_EXTRA, align, zero)
                : al_large_alloc(AL_H n + AL_CHECK_LARGE_EXTRA, align > AL_GRANULE ? align : AL_GRANULE, zero);
  if (p) stamp(al_span(h, al_unit_of(h, p)), p, n);
  return p;
}
#define ROOM_RESERVE(s) (al_kind(s) == KIND_MINI ? AL_CHECK_SMALL_EXTRA : AL_CHECK_LARGE_EXTRA)
#else
#define stamp(s, p, n) ((void)0)
#define usable_locked room_locked
#define alloc_locked alloc_raw
#define ROOM_RESERVE(s) 0u
#endif

/* The header of a pointer we handed out, or NULL after reporting misuse. */
al_inline span_t *header_of(al_heap *h, void *p, const char *who) {
  uintptr_t a = (uintptr_t)p;
  if (al_unlikely(a - h->grid.lo >= h->grid.hi - h->grid.lo)) { /* outside [lo, hi), or no heap yet */
    al_report(AL_ERR_INVALID_POINTER, p, who);
    return NULL;
  }
  span_t *s = al_span(h, al_unit_of(h, p));
  unsigned kind = al_kind(s);
  uintptr_t off = a - (uintptr_t)s;
  if (al_likely((s->head & HEAD_MAGIC_MASK) == HEAD_MAGIC && off >= AL_HDR)) {
    if (al_likely(kind == KIND_MINI)) return s;
    if (kind == KIND_LARGE && off == s->next) return s;
    if (kind == KIND_FREE || kind == KIND_CACHED) {
      al_report(AL_ERR_DOUBLE_FREE, p, who);
      return NULL;
    }
  }
  al_report(AL_ERR_INVALID_POINTER, p, who);
  return NULL;
}

/* header_of, and for a small block: its segment is live (not freed).  For
 * the calls that read or resize a block without freeing it. */
static span_t *live_header_of(AL_HEAP_P void *p, const char *who) {
  span_t *s = header_of(h, p, who);
  int err = s && al_kind(s) == KIND_MINI ? al_small_check(h, s, p) : 0;
  if (al_unlikely(err)) {
    al_report(err, p, who);
    return NULL;
  }
  return s;
}

static al_noinline void free_locked(AL_HEAP_P void *p) {
  if (!p) return;
  span_t *s = header_of(h, p, "free");
  if (!s) return;
  if (al_likely(al_kind(s) == KIND_MINI)) {
    int err = al_small_free(h, s, p);
    if (al_unlikely(err)) al_report(err, p, "free");
  } else {
#ifdef ALLIGATOR_CHECKED
    if (overflowed(s, p)) {
      al_report(AL_ERR_OVERFLOW, p, "free");
      return;
    }
#endif
    al_large_free(AL_H s, p);
  }
}

static void *oom(AL_HEAP_P0) {
  h->usage.oom_count++;
  errno = ENOMEM;
  return NULL;
}

/* ---- the malloc family -------------------------------------------------- */

/* The fast path: a small request straight to its class (the checked build
 * goes through alloc_locked, which stamps canaries). */
AL_API void *al_malloc(size_t n) {
  AL_HEAP_ENTRY;
  AL_LOCK();
  void *p = AL_CHECKED || !AL_FAST_ENTRY   ? alloc_locked(AL_H n, AL_GRANULE, 0)
          : al_likely(n <= AL_SMALL_MAX) ? al_small_alloc(h, al_class_of(n), 0)
                                         : al_large_alloc(AL_H n, AL_GRANULE, 0);
  if (al_unlikely(!p)) oom(AL_H0);
  AL_UNLOCK();
  al_debug_heap(AL_H0);
  return p;
}

/* The fast path: a pointer in the heap (p - base < reach: one compare, which
 * NULL fails too) whose unit is a MiniPage (one compare for magic and kind),
 * not past the page's bump and not carrying the freed mark.  A large block's
 * exact pointer goes straight to al_large_free.  Everything else (NULL,
 * misuse, a block that carries the mark) is out of line, in free_locked. */
AL_API void al_free(void *p) {
  AL_HEAP_ENTRY;
  AL_LOCK();
  uintptr_t d = (uintptr_t)p - h->grid.base;
  span_t *s = (span_t *)(h->grid.base + d / AL_UNIT * AL_UNIT);
  uint32_t head;
  if (AL_CHECKED || !AL_FAST_ENTRY || al_unlikely(d >= h->grid.reach))
    free_locked(AL_H p);
  else if (al_likely((head = s->head & (HEAD_MAGIC_MASK | HEAD_KIND_MASK)) == (HEAD_MAGIC | KIND_MINI))) {
    if (al_unlikely(al_small_free_fast(h, s, p))) free_locked(AL_H p);
  } else if (head == (HEAD_MAGIC | KIND_LARGE) && (uintptr_t)p - (uintptr_t)s == s->next)
    al_large_free(AL_H s, p); /* exactly a large block's pointer (header_of's test) */
  else
    free_locked(AL_H p);
  AL_UNLOCK();
  al_debug_heap(AL_H0);
}

AL_API void *al_calloc(size_t count, size_t size) {
  size_t n;
  if (al_unlikely(__builtin_mul_overflow(count, size, &n))) {
    errno = ENOMEM;
    return NULL;
  }
  AL_HEAP_ENTRY;
  AL_LOCK();
  void *p = alloc_locked(AL_H n, AL_GRANULE, 1);
  if (al_unlikely(!p)) oom(AL_H0);
  AL_UNLOCK();
  al_debug_heap(AL_H0);
  return p;
}

/* realloc's copy when the block moves: O(n), the one part of a call that is
 * not O(1).  Out of line so that the benchmark's per-call instruction counts
 * can tell it apart (bench/run.js, COPY_FN); one call per moving realloc. */
al_noinline static void copy_block(void *q, const void *p, size_t n) { memcpy(q, p, n); }

AL_API void *al_realloc(void *p, size_t n) {
  AL_HEAP_ENTRY;
  if (!p) return al_malloc(n);
  if (n == 0) { /* as dlmalloc: free, return NULL */
    al_free(p);
    return NULL;
  }
  AL_LOCK();
  void *q = NULL;
  span_t *s = live_header_of(AL_H p, "realloc");
  if (!s) goto out;
#ifdef ALLIGATOR_CHECKED
  if (overflowed(s, p)) {
    al_report(AL_ERR_OVERFLOW, p, "realloc");
    goto out;
  }
#endif
  size_t have = usable_locked(s, p);
  size_t room = room_locked(s, p) - ROOM_RESERVE(s); /* what p can hold where it is */
  if (al_kind(s) == KIND_MINI) {
    if (n <= room && (al_class_of(n) == s->cls || 2 * n > room)) { /* stays in its segment */
      q = p;
      stamp(s, p, n);
      goto out;
    }
  } else if (n > AL_SMALL_MAX / 2 || n > room) {
    q = al_large_realloc(AL_H s, p, n + ROOM_RESERVE(s)); /* in place: shrink, or grow into free space */
    if (q) {
      stamp(s, p, n);
      goto out;
    }
  }
  q = alloc_locked(AL_H n, AL_GRANULE, 0);
  if (!q && n <= room) { /* no memory to move to a better fit: stay */
    q = al_kind(s) == KIND_LARGE ? al_large_realloc(AL_H s, p, n + ROOM_RESERVE(s)) : p;
    if (q) stamp(s, p, n);
  }
  if (!q) {
    oom(AL_H0);
    goto out;
  }
  if (q != p) {
    copy_block(q, p, n < have ? n : have);
    /* p passed live_header_of (and the overflow test) above, and the
     * allocation left its span in use: no second lookup. */
    if (al_kind(s) == KIND_MINI) al_small_free_checked(h, s, p);
    else al_large_free(AL_H s, p);
  }
out:
  AL_UNLOCK();
  al_debug_heap(AL_H0);
  return q;
}

AL_API void *al_reallocarray(void *p, size_t count, size_t size) {
  size_t n;
  if (__builtin_mul_overflow(count, size, &n)) {
    errno = ENOMEM;
    return NULL;
  }
  return al_realloc(p, n);
}

/* As glibc: alignments up to 16 (0 included) are malloc's; others that are
 * not a power of two are rounded up to one; above SIZE_MAX / 2 + 1 (no
 * power of two to round to) EINVAL. */
AL_API void *al_memalign(size_t align, size_t n) {
  AL_HEAP_ENTRY;
  if (align > SIZE_MAX / 2 + 1) {
    errno = EINVAL;
    return NULL;
  }
  size_t a = AL_GRANULE;
  while (a < align) a <<= 1; /* no overflow: align <= SIZE_MAX / 2 + 1 */
  align = a;
  if (align > AL_MAX_REQUEST) return oom(AL_H0);
  AL_LOCK();
  void *p = alloc_locked(AL_H n, align, 0);
  if (!p) oom(AL_H0);
  AL_UNLOCK();
  al_debug_heap(AL_H0);
  return p;
}

AL_API void *al_aligned_alloc(size_t align, size_t n) {
  if (!align || (align & (align - 1))) {
    errno = EINVAL;
    return NULL;
  }
  return al_memalign(align, n);
}

AL_API int al_posix_memalign(void **out, size_t align, size_t n) {
  if (!align || (align & (align - 1)) || align % sizeof(void *)) return EINVAL;
  int saved = errno;
  void *p = al_memalign(align, n);
  if (!p) {
    errno = saved;
    return ENOMEM;
  }
  *out = p;
  return 0;
}

AL_API void *al_valloc(size_t n) { return al_memalign(AL_PAGE_SIZE, n); }

AL_API void *al_pvalloc(size_t n) {
  AL_HEAP_ENTRY;
  size_t r = (n + AL_PAGE_SIZE - 1) & ~(size_t)(AL_PAGE_SIZE - 1);
  if (r < n) return oom(AL_H0);
  return al_memalign(AL_PAGE_SIZE, r ? r : AL_PAGE_SIZE);
}

AL_API size_t al_malloc_usable_size(void *p) {
  if (!p) return 0;
  AL_HEAP_ENTRY;
  AL_LOCK();
  span_t *s = live_header_of(AL_H p, "malloc_usable_size");
  size_t n = s ? usable_locked(s, p) : 0;
  AL_UNLOCK();
  al_debug_heap(AL_H0);
  return n;
}

#ifdef AL_HAVE_MALLINFO
/* mallinfo's fields from the statistics: written once, for both structs
 * (T: int for mallinfo, size_t for mallinfo2). */
#define AL_MALLINFO_BODY(S, T)                                   \
  alligator_stats_t st;                                          \
  alligator_stats(&st);                                          \
  struct S mi;                                                   \
  memset(&mi, 0, sizeof mi);                                     \
  mi.arena = (T)st.heap_bytes;                                   \
  mi.ordblks = (T)st.free_spans;                                 \
  mi.hblks = (T)st.large_blocks;                                 \
  mi.hblkhd = (T)st.large_bytes;                                 \
  mi.usmblks = (T)st.peak_in_use_bytes;                          \
  mi.fsmblks = (T)(st.free_bytes - st.free_span_bytes);          \
  mi.uordblks = (T)st.in_use_bytes;                              \
  mi.fordblks = (T)st.free_bytes;                                \
  mi.keepcost = (T)st.largest_free_bytes;                        \
  return mi

struct mallinfo mallinfo(void) { AL_MALLINFO_BODY(mallinfo, int); }

/* glibc 2.33's mallinfo2 (size_t fields): under LD_PRELOAD a program would
 * otherwise get glibc's, which knows nothing of this heap. */
#if defined(__GLIBC__) && (__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 33))
struct mallinfo2 mallinfo2(void) { AL_MALLINFO_BODY(mallinfo2, size_t); }
#endif
#endif

#ifndef ALLIGATOR_PREFIX
/* ---- the names programs call ------------------------------------------ */
#define AL_ALIAS(name, target, ...) extern __typeof(target) name __attribute__((alias(#target), ##__VA_ARGS__));
AL_ALIAS(malloc, al_malloc, weak)
AL_ALIAS(free, al_free, weak)
AL_ALIAS(calloc, al_calloc, weak)
AL_ALIAS(realloc, al_realloc, weak)
AL_ALIAS(reallocarray, al_reallocarray, weak)
AL_ALIAS(memalign, al_memalign, weak)
AL_ALIAS(aligned_alloc, al_aligned_alloc, weak)
AL_ALIAS(posix_memalign, al_posix_memalign, weak)
AL_ALIAS(valloc, al_valloc, weak)
AL_ALIAS(pvalloc, al_pvalloc, weak)
AL_ALIAS(malloc_usable_size, al_malloc_usable_size, weak)
/* glibc's and wasi-libc's internal names (so that LD_PRELOAD and static links
 * never mix two heaps; weak, as in glibc), and Emscripten's builtin names
 * (its sanitizers, memory profiler and malloc wrappers call them). */
AL_ALIAS(__libc_malloc, al_malloc, weak)
AL_ALIAS(__libc_free, al_free, weak)
AL_ALIAS(__libc_calloc, al_calloc, weak)
AL_ALIAS(__libc_realloc, al_realloc, weak)
AL_ALIAS(__libc_memalign, al_memalign, weak)
/* Alligator's own names (alligator.h), strong. */
AL_ALIAS(alligator_malloc, al_malloc)
AL_ALIAS(alligator_free, al_free)
AL_ALIAS(alligator_calloc, al_calloc)
AL_ALIAS(alligator_realloc, al_realloc)
AL_ALIAS(alligator_reallocarray, al_reallocarray)
AL_ALIAS(alligator_memalign, al_memalign)
AL_ALIAS(alligator_aligned_alloc, al_aligned_alloc)
AL_ALIAS(alligator_posix_memalign, al_posix_memalign)
AL_ALIAS(alligator_valloc, al_valloc)
AL_ALIAS(alligator_pvalloc, al_pvalloc)
AL_ALIAS(alligator_malloc_usable_size, al_malloc_usable_size)
#ifdef __EMSCRIPTEN__
AL_ALIAS(emscripten_builtin_malloc, al_malloc)
AL_ALIAS(emscripten_builtin_free, al_free)
AL_ALIAS(emscripten_builtin_memalign, al_memalign)
AL_ALIAS(emscripten_builtin_calloc, al_calloc)
AL_ALIAS(emscripten_builtin_realloc, al_realloc)
#endif
#endif /* ALLIGATOR_PREFIX */
