/* Alligator: a constant-time memory allocator for WebAssembly.
 *
 * The malloc family (malloc, free, calloc, realloc, memalign, aligned_alloc,
 * posix_memalign, malloc_usable_size, mallinfo) is declared by <stdlib.h> and
 * <malloc.h>; Alligator defines them.  This header adds statistics, the heap
 * check, the heap map and the misuse hook.
 *
 * WORST-CASE BOUNDS (no operation walks an unbounded list or scans more than a
 * constant number of words; "growth" is one call of the heap backend, reported apart):
 *   malloc/calloc <= 2 KiB   O(1): size -> class by one table load; pop the
 *                            current MiniPage's free list (one test) or bump
 *                            into its never-used segments (one compare); if
 *                            the page is full: the oldest partial page, else a
 *                            spare, else one unit from the pool (below).
 *   malloc > 2 KiB           O(1): a block of k <= 5 units first pops the
 *                            large-span cache's list for k (one header
 *                            compare); else pool lookup = 2 bit scans over 5
 *                            words of bin bitmap and one mask scan of the
 *                            cache (the better fit wins), one split.
 *   no fit in the pool       (no bin, no cached span) an empty page (the
 *                            spare, or the idle page: the current page that
 *                            emptied last) whose span, coalesced with its free
 *                            neighbours other than the top, fits is taken over
 *                            (one merge, one split); else the top (the free
 *                            span that ends the heap, kept out of the bins and
 *                            used last, as dlmalloc's top), growing the heap
 *                            if it is too short: O(1).  Only if growth fails
 *                            do the empty pages go back to the pool for one
 *                            more search.  Cached large spans need no flush:
 *                            they are never next to other free memory, and
 *                            the pool takes one that fits before growing.
 *   free                     O(1): header = (p - base) / 2080; small: round
 *                            down to the segment, compare its freed mark with
 *                            the heap's key, push.  Only a block that carries
 *                            the key is looked up on its page's free list (at
 *                            most 128 steps: double free or data equal to the
 *                            key).  A page that is not current and empties
 *                            becomes the spare, or (one spare already) goes
 *                            back to the pool with at most 2 coalesces.
 *                            Large: a block of <= 5 units between two spans
 *                            in use is parked in the large-span cache (a few
 *                            stores), else it goes to the pool with at most
 *                            2 coalesces (a cached neighbour is absorbed).
 *                            A free that leaves no block live resets the
 *                            heap to one shape instead (the idle page in its
 *                            first unit, the spare after it, one free span
 *                            to the end): at most 2 pages rewritten, at most
 *                            4 bins cleared, no coalescing.  So a workload
 *                            that frees what it allocated, repeated in one
 *                            heap, does not grow it after its second run
 *                            (test/c/repeat.h; with blocks live across the
 *                            runs this is not guaranteed).
 *   realloc                  O(1) plus the copy of min(old, new) bytes when it
 *                            cannot resize in place.
 *   memalign(A)              O(1): at most 2 candidate positions are tried.
 *   calloc                   plus zeroing, skipped for memory fresh from growth.
 *   alligator_stats          O(number of classes) = ALLIGATOR_CLASSES steps.
 *   alligator_validate       O(heap): walks everything (tests, debugging).
 *
 * MEMORY OVERHEAD (U = 2080 bytes, a 32-byte header + a 2 KiB section):
 *   small object of n bytes: 2080 / k(n) bytes, where k(n) is the number of
 *     segments of its class in a 2 KiB section (classes: the largest multiple
 *     of 16 that fits k = 128, 64, 42, 32, 25, 21, 18, 16, 14, 12, 11, 10, 9,
 *     8, 7, 6, 5, 4, 3, 2, 1 times).  So up to 16 B of rounding below 128 B,
 *     under 25% up to 512 B, and up to 2x for 673..1024 B and 1025..2048 B
 *     objects, whose pages hold only 2 or 1 of them.  Per MiniPage: a 32-byte
 *     header and at most 128 bytes of tail.
 *   large object of n bytes: ceil((n + 32) / U) * U bytes.
 *   per segment of the heap: one 32-byte END header.
 *   empty MiniPages kept out of the pool: at most two (the spare and the idle
 *     current page); one of them is taken over when the pool has no fit and
 *     its coalesced span fits, both are handed back if the heap cannot grow.
 *   the large-span cache: at most 4 freed spans of each size 1..5 units
 *     (AL_LCACHE_DEPTH, AL_LCACHE_UNITS in internal.h), counted as free
 *     memory and used before the heap grows: it never makes the heap grow.
 *   static state: sizeof(al_heap) (internal.h), under 1.25 KiB on wasm32.
 */
#ifndef ALLIGATOR_H
#define ALLIGATOR_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

#define ALLIGATOR_VERSION "0.1.0"
#define ALLIGATOR_CLASSES 21

/* The scalar statistics, written once: X(C field, JavaScript name).  The
 * struct below and Module.alligator.stats() (js/library_alligator.js reads
 * the names and offsets from port/stats_js.c) are both derived from it. */
#define ALLIGATOR_STATS_FIELDS(X)                                                             \
  X(heap_bytes, heapBytes)                 /* memory obtained from the heap backend */        \
  X(in_use_bytes, inUseBytes)              /* usable bytes of live allocations */             \
  X(peak_in_use_bytes, peakInUseBytes)     /* highest in_use_bytes so far */                  \
  X(free_bytes, freeBytes)                 /* reusable without growing: spans + segments */   \
  X(overhead_bytes, overheadBytes)         /* heap_bytes - in_use_bytes - free_bytes */       \
  X(live_allocations, liveAllocations)                                                        \
  X(minipages, minipages)                                                                     \
  X(large_blocks, largeBlocks)                                                                \
  X(large_bytes, largeBytes)               /* bytes in large blocks' spans */                 \
  X(free_spans, freeSpans)                                                                    \
  X(free_span_bytes, freeSpanBytes)                                                           \
  X(largest_free_bytes, largestFreeBytes)  /* from the highest non-empty bin (within 12.5%) */ \
  X(oom_count, oomCount)                   /* requests that returned NULL/ENOMEM */           \
  X(grow_count, growCount)                 /* calls that grew the heap */                     \
  X(class_count, classCount)               /* ALLIGATOR_CLASSES */
/* The largest request served: above it, NULL with errno ENOMEM at once.
 * wasm32 and 32-bit hosts: 4 GiB - 1 MiB (the address space).  64-bit hosts:
 * 31 GiB, under the 32 GiB the host shim reserves (span sizes are 24-bit
 * unit counts: 2^24 units of 2080 bytes = 32.5 GiB). */
#if defined(__SIZEOF_POINTER__) && __SIZEOF_POINTER__ >= 8 && !defined(__wasm__)
#define ALLIGATOR_MAX_REQUEST ((size_t)31 << 30)
#else
#define ALLIGATOR_MAX_REQUEST ((size_t)0xFFF00000u)
#endif

typedef struct alligator_stats {
#define ALLIGATOR_STATS_FIELD_(c, js) size_t c;
  ALLIGATOR_STATS_FIELDS(ALLIGATOR_STATS_FIELD_)
#undef ALLIGATOR_STATS_FIELD_
  size_t class_size[ALLIGATOR_CLASSES];   /* segment bytes */
  size_t class_slots[ALLIGATOR_CLASSES];  /* segments per MiniPage */
  size_t class_pages[ALLIGATOR_CLASSES];  /* MiniPages of this class */
  size_t class_used[ALLIGATOR_CLASSES];   /* segments in use */
  /* 1 - largest_free_bytes / free_span_bytes: 0 = all free memory in one
   * span, near 1 = free memory scattered in small pieces. */
  double fragmentation;
} alligator_stats_t;

/* Fill *out.  O(classes). */
void alligator_stats(alligator_stats_t *out);

/* Walk the whole heap and check every invariant.  Returns the number of
 * problems found (0 = consistent).  If report is not NULL, it is passed the
 * first ALLIGATOR_VALIDATE_REPORTS problems' descriptions, then (if there
 * were more) one line "and N more problems", after the walk, with the heap
 * unlocked: it may allocate (print, say). */
#define ALLIGATOR_VALIDATE_REPORTS 16
typedef void (*al_check_fn)(void *ctx, const char *message);
int alligator_validate(al_check_fn report, void *ctx);

/* One entry per span in address order (for heap views).  Returns the number
 * of spans in the heap; fills at most max entries. */
typedef struct alligator_span_info {
  size_t address;   /* header address */
  size_t bytes;     /* units * 2080 */
  unsigned kind;    /* 1 free (pool or large-span cache), 2 large, 3 MiniPage, 4 segment end */
  unsigned cls;     /* MiniPage: size class */
  unsigned used;    /* MiniPage: segments in use; large: 0 */
  unsigned slots;   /* MiniPage: segments */
} alligator_span_info;
size_t alligator_heap_map(alligator_span_info *out, size_t max);

/* Misuse (double free, foreign pointer, heap corruption, overflow in checked
 * builds) calls the handler; by default it prints one line to stderr and
 * aborts.  A handler that returns makes the faulty call do nothing. */
enum {
  ALLIGATOR_DOUBLE_FREE = 1,
  ALLIGATOR_INVALID_POINTER = 2,
  ALLIGATOR_CORRUPTION = 3,
  ALLIGATOR_OVERFLOW = 4,
};
typedef void (*alligator_error_fn)(int kind, void *ptr, const char *message);
alligator_error_fn alligator_set_error_handler(alligator_error_fn fn);

/* The malloc family under Alligator's own names, in every build: the only
 * names of the prefixed build (-DALLIGATOR_PREFIX, beside the C library's
 * malloc); in the others strong aliases of the same functions, for callers
 * that must reach Alligator whoever defines malloc (the Rust crate). */
void *alligator_malloc(size_t n);
void alligator_free(void *p);
void *alligator_calloc(size_t count, size_t n);
void *alligator_realloc(void *p, size_t n);
void *alligator_reallocarray(void *p, size_t count, size_t n);
void *alligator_memalign(size_t align, size_t n);
void *alligator_aligned_alloc(size_t align, size_t n);
int alligator_posix_memalign(void **out, size_t align, size_t n);
void *alligator_valloc(size_t n);
void *alligator_pvalloc(size_t n);
size_t alligator_malloc_usable_size(void *p);

/* Host shim only: cap the simulated linear memory (bytes, rounded down to
 * 64 KiB pages; 0 = the whole reservation).  Also read once from the
 * environment variable ALLIGATOR_HEAP_LIMIT. */
void alligator_host_set_limit(size_t bytes);

#ifdef __cplusplus
}
#endif
#endif
