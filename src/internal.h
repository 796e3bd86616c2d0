/* Alligator internals: the unit grid, the span header, the global state.
 *
 * The heap is a grid of UNITS.  A unit is a 32-byte header followed by one
 * 2 KiB section:
 *
 *     base                     base+U                   base+2U
 *     |hdr| 2048-byte section  |hdr| 2048-byte section  |hdr| ...
 *      32                        32
 *
 * A SPAN is a run of whole units that starts with one header:
 *   - a MiniPage is a 1-unit span whose section holds same-size segments;
 *   - a large block is an n-unit span: header, then n*U - 32 bytes of data;
 *   - a free span is an n-unit run in the pool (segregated bins, TLSF style),
 *     or a freed large block of a few units parked in the large-span cache
 *     (lcache.c, kind CACHED): free memory too, kept out of the bins;
 *   - an END header closes each contiguous stretch of memory (a segment).
 * The unit that holds pointer p is (p - base) / U: one multiply by a constant.
 * Every pointer we hand out lies in the section of its span's FIRST unit,
 * so that unit's header describes it.
 */
#ifndef ALLIGATOR_INTERNAL_H
#define ALLIGATOR_INTERNAL_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include "alligator.h"

#if defined(__GNUC__) || defined(__clang__)
#define al_likely(x)   __builtin_expect(!!(x), 1)
#define al_unlikely(x) __builtin_expect(!!(x), 0)
#define al_noinline    __attribute__((noinline))
#if defined(__OPTIMIZE_SIZE__)
#define al_inline      static inline /* -Os/-Oz: the compiler decides (one copy of each fast path) */
#else
#define al_inline      static inline __attribute__((always_inline))
#endif
#else
#define al_likely(x)   (x)
#define al_unlikely(x) (x)
#define al_noinline
#define al_inline      static inline
#endif

/* Debug levels: -DALLIGATOR_DEBUG=N (a plain -DALLIGATOR_DEBUG is 1).
 *   1  assertions (al_assert);
 *   2  and a MiniPage is checked at each of its state changes (al_debug_page);
 *   3  and the whole heap is validated after every call (al_debug_heap).
 * A failed check is reported as heap corruption.  Level 0, the normal build,
 * compiles all of it to nothing; the hot functions call it unconditionally. */
#if defined(ALLIGATOR_DEBUG) && ALLIGATOR_DEBUG + 0 >= 1
#define AL_DEBUG ALLIGATOR_DEBUG
#include <assert.h>
#define al_assert(x) assert(x)
#else
#define AL_DEBUG 0
#define al_assert(x) ((void)0)
#endif

al_inline unsigned al_ctz32(uint32_t x) { return (unsigned)__builtin_ctz(x); }
al_inline unsigned al_log2(uint32_t x) { return 31u - (unsigned)__builtin_clz(x); }

/* ---- geometry --------------------------------------------------------- */
#define AL_GRANULE     16u              /* every result is 16-aligned (>= max_align_t) */
#define AL_HDR         32u              /* span header bytes */
#define AL_SECTION     2048u            /* MiniPage section bytes */
#define AL_UNIT        (AL_HDR + AL_SECTION) /* 2080 = 130 granules */
#define AL_SMALL_MAX   AL_SECTION       /* larger requests become large blocks */
#define AL_MAX_REQUEST ALLIGATOR_MAX_REQUEST /* above this: ENOMEM at once */
#define AL_GROW_MIN    16u              /* grow the heap by at least 16 units (33 KiB) */
#define AL_SPARES      1u               /* empty MiniPages kept out of the pool (tunable) */
/* The large-span cache (lcache.c, tunable): a freed large block of k <=
 * AL_LCACHE_UNITS units whose neighbours are both in use is parked in the
 * LIFO list for k (no coalescing), at most AL_LCACHE_DEPTH spans per k (a
 * span that finds its list full goes to the pool); a large malloc of k units
 * pops it (no bin search, no split).  At most AL_LCACHE_DEPTH * K(K+1)/2
 * units are cached.  Invariant: a cached span is free memory like a pool
 * span: no FREE or CACHED span is adjacent to it and no END follows it (the
 * pool absorbs a cached neighbour when it frees or extends a span), so
 * cached spans never keep memory from coalescing, and the pool takes one
 * before the heap grows (al_span_take): no flush needed. */
#define AL_LCACHE_UNITS 5u              /* largest cached span, in units */
#define AL_LCACHE_DEPTH 4u              /* cached spans per unit count */

/* ---- span header ------------------------------------------------------ */
enum {
  KIND_NONE = 0, /* zeroed or foreign memory: never a valid header */
  KIND_FREE = 1,
  KIND_LARGE = 2,
  KIND_MINI = 3,
  KIND_END = 4,
  KIND_CACHED = 5, /* a free span in the large-span cache (lcache.c) */
};
#define HEAD_KIND_MASK 7u
#define HEAD_PREV_FREE 8u    /* the span just before this one is FREE */
#define HEAD_FRESH     16u   /* FREE/MINI: the data bytes are still zero from growth */
#define HEAD_MAGIC     0xA0u /* bits 5..7: a constant, to reject garbage headers */
#define HEAD_MAGIC_MASK 0xE0u
#define HEAD_SIZE_SHIFT 8    /* bits 8..31: size in units (FREE, LARGE; 1 for MINI) */

/* A free small block: the MiniPage's free list runs through its first word,
 * the heap's key in its second marks it as freed (see al_small_free). */
typedef struct al_block {
  struct al_block *next;
  uintptr_t key;
} al_block;

typedef struct span {
  /* kind | PREV_FREE | FRESH | MAGIC | size << 8.  Invariant: the magic bits are
   * HEAD_MAGIC; PREV_FREE is set iff the physically previous span is FREE
   * or CACHED (each keeps its size in a footer, its last 4 bytes); no two
   * FREE or CACHED spans are adjacent (they are coalesced at once). */
  uint32_t head;
  /* FREE: the bin list (unit index + 1, 0 = none).
   * MINI: the class's partial list, same encoding; only while the page is
   *       neither the class's current page nor full.
   * LARGE: next = offset of the user pointer from the header (>= 32, < U),
   *        prev = the size the user asked for (for checked builds and stats).
   * CACHED: the cache's list for its size, same encoding as FREE.
   * END:  next = first unit of the next segment + 1 (0 = last segment). */
  uint32_t next, prev;
  /* MINI only.  cls: size class.  used: segments in use (0..slots).
   * bump: section offset of the first segment never handed out; segments
   *       [bump, slots * size) are untouched (zero if FRESH).
   * free: the free list, a LIFO of freed segments below bump, linked through
   *       their first word, each carrying al_g.key in its second.
   * Invariant: used + (length of free) == bump / size. */
  uint8_t cls, used;
  uint16_t bump;
  al_block *free;
  unsigned char pad_[AL_HDR - 16 - sizeof(al_block *)];
} span_t;

_Static_assert(sizeof(span_t) == AL_HDR, "span header must be 32 bytes");
_Static_assert(AL_HDR % AL_GRANULE == 0 && AL_UNIT % AL_GRANULE == 0, "sections and blocks stay 16-aligned");
_Static_assert(sizeof(al_block) <= AL_GRANULE, "a free block's link and key fit the smallest class");
_Static_assert(AL_SECTION <= 0xFFFF, "bump is 16 bits");

/* ---- size classes (size_class.c) -------------------------------------- */
/* The one list of size classes: X(segment bytes, segments per MiniPage).
 * Rule: the largest multiple of 16 such that n segments fit in 2048 bytes, for
 * n = 128, 64, 42, 32, ..., 2, 1.  Every table below is derived from it. */
#define AL_CLASS_LIST(X)                                                                        \
  X(16, 128) X(32, 64) X(48, 42) X(64, 32) X(80, 25) X(96, 21) X(112, 18) X(128, 16) X(144, 14) \
  X(160, 12) X(176, 11) X(192, 10) X(224, 9) X(256, 8) X(288, 7) X(336, 6) X(400, 5) X(512, 4)  \
  X(672, 3) X(1024, 2) X(2048, 1)
#define AL_CLASS_COUNT_(size, slots) +1
enum { AL_NCLASSES = 0 AL_CLASS_LIST(AL_CLASS_COUNT_) };
_Static_assert(AL_NCLASSES == ALLIGATOR_CLASSES, "alligator.h's class count is the list's");
extern const uint16_t al_class_size[AL_NCLASSES];   /* bytes per segment */
extern const uint8_t  al_class_slots[AL_NCLASSES];  /* segments per MiniPage */
extern const uint16_t al_class_end[AL_NCLASSES];    /* slots * size: where bump stops */
extern const uint32_t al_class_recip[AL_NCLASSES];  /* ceil(2^22 / size) */
extern const uint8_t  al_class_of_granules[AL_SMALL_MAX / AL_GRANULE + 1];

al_inline unsigned al_class_of(size_t n) { /* n <= AL_SMALL_MAX */
  return al_class_of_granules[(n + AL_GRANULE - 1) / AL_GRANULE];
}
/* Segment index of byte offset off (< 2048) in a section of class c, exact. */
al_inline unsigned al_segment_of(unsigned c, uint32_t off) {
  return (unsigned)((off * al_class_recip[c]) >> 22);
}

/* ---- free-span bins (span.c) -------------------------------------------- */
/* Sizes < 16 units exact, then 8 bins per power of two, up to the largest
 * span a header can count (2^24 - 1 units, 32.5 GiB: 64-bit hosts get there;
 * wasm32 never uses the bins from 160 on). */
#define AL_NBINS (16 + 8 * (32 - HEAD_SIZE_SHIFT - 4))
#define AL_NBINWORDS ((AL_NBINS + 31) / 32)

/* ---- global state ------------------------------------------------------ */
typedef struct al_state {
  uintptr_t base;           /* grid origin; 0 until the first growth */
  uint32_t  end;            /* unit index of the last segment's END header */
  /* Pointers we hand out lie in [lo, hi): base + 32 and the last END header
   * (0, 0 before the first growth).  One compare pair rejects the rest. */
  uintptr_t lo, hi;
  uint32_t  first_seg;      /* unit index of the first segment's first span */
  uint32_t  segments;       /* contiguous stretches of memory (1 unless someone else moved the break) */
  uint32_t  bin_summary;    /* bit w set iff bin_bits[w] != 0 */
  uint32_t  bin_bits[AL_NBINWORDS];
  uint32_t  bins[AL_NBINS]; /* head of each bin list (unit index + 1) */
  span_t   *cur[AL_NCLASSES];     /* current MiniPage per class (may be NULL) */
  /* Empty MiniPages kept out of the pool: spare[0..nspare), never current.
   * Invariant: every MiniPage that is neither a spare nor the idle page has
   * used > 0. */
  span_t   *spare[AL_SPARES];
  /* The current page that emptied last (it stays current: a malloc+free loop
   * costs no slow path), or NULL.  Invariant: an empty current page is idle;
   * when another current page empties, the idle one goes back to the pool. */
  span_t   *idle;
  uint32_t  nspare;
  /* The large-span cache (lcache.c): lcache[k] heads the LIFO list of cached
   * k-unit spans (unit index + 1, 0 = empty), lcache_count[k] its length
   * (<= AL_LCACHE_DEPTH); bit k of lcache_mask is set iff it is non-empty. */
  uint32_t  lcache[AL_LCACHE_UNITS + 1];
  uint8_t   lcache_count[AL_LCACHE_UNITS + 1];
  uint32_t  lcache_mask;
  uintptr_t key;            /* marks freed small blocks (al_block.key); never 0 */
  /* Pages with free segments, not current: a queue, oldest first (the oldest
   * has had longest to collect frees, so switching to it lasts longest). */
  uint32_t  partial[AL_NCLASSES];      /* head: unit index + 1, 0 = empty */
  uint32_t  partial_tail[AL_NCLASSES]; /* tail: unit index + 1 */
  /* statistics, kept exact by every operation (stats.c reads them) */
  size_t heap_bytes;        /* bytes obtained from the backend */
  size_t in_use_bytes;      /* usable bytes of live allocations */
  size_t peak_in_use_bytes;
  size_t free_span_units;
  size_t free_spans;
  size_t large_blocks;
  size_t large_units;
  size_t class_pages[AL_NCLASSES];
  size_t class_used[AL_NCLASSES];
  size_t oom_count;
  size_t grow_count;
} al_state;

extern al_state al_g;

/* ---- unit arithmetic --------------------------------------------------- */
al_inline span_t *al_span(uint32_t u) {
  return (span_t *)(al_g.base + (uintptr_t)u * AL_UNIT);
}
al_inline uint32_t al_unit_of(const void *p) {
  return (uint32_t)(((uintptr_t)p - al_g.base) / AL_UNIT); /* < 2^24 units (the head's size field) */
}
al_inline uint32_t al_index(const span_t *s) { return al_unit_of(s); }
al_inline unsigned al_kind(const span_t *s) { return s->head & HEAD_KIND_MASK; }
al_inline uint32_t al_size(const span_t *s) { return s->head >> HEAD_SIZE_SHIFT; }
al_inline uint32_t al_make_head(unsigned kind, uint32_t units, uint32_t flags) {
  return kind | flags | HEAD_MAGIC | (units << HEAD_SIZE_SHIFT);
}
al_inline unsigned char *al_section(span_t *s) { return (unsigned char *)s + AL_HDR; }

/* ---- spans: the pool of free units, large blocks (span.c) ------------- */
/* Take a span of exactly `units` units out of the pool: the best fit in the
 * bins and the large-span cache.  Returns its unit index, or UINT32_MAX.
 * The header's kind is left FREE-shaped; the caller writes its own.  *dirty
 * is how many of its first units may hold old data (0: all still zero from
 * growth; a span that grew from a used top is dirty only there, so calloc
 * zeroes just that part). */
uint32_t al_span_take(uint32_t units, uint32_t *dirty);
/* The same from the top (the free span that ends the heap, in no bin), and
 * if the top is too short and may_grow, from growth: for when nothing else
 * fits. */
uint32_t al_span_take_top(uint32_t units, uint32_t *dirty, int may_grow);
/* Give units [u, u+units) back to the pool, coalescing with free neighbours. */
void al_span_give(uint32_t u, uint32_t units);
/* The size the used span s would have once freed and coalesced with its
 * free neighbours, the top not counted (reads only; 0 if that is no size). */
uint32_t al_span_merged_size(const span_t *s);
/* Free the used span s and coalesce it, then take `want` units from the start
 * of the result directly (no bin search), the rest back to the pool.  The
 * caller checked al_span_merged_size >= want.  Returns the unit index (all
 * `want` units dirty), or UINT32_MAX if a neighbour's metadata did not hold. */
uint32_t al_span_take_freed(span_t *s, uint32_t want, uint32_t *dirty);
/* A used span leaves use without going to the pool, when no block is live
 * and the heap is one segment: the caller resets the pool next
 * (al_span_reset covers it).  Its header reads FREE, as after al_span_free
 * (a stale pointer into it is reported as a double free). */
al_inline void al_span_drop(span_t *s) { s->head = (s->head & ~HEAD_KIND_MASK & ~HEAD_FRESH) | KIND_FREE; }
/* The same, after checking the sizes of its free neighbours as a merge
 * would trust them (a write after free into a header or footer is reported,
 * as al_span_free would report it): 0 then, and the caller must not reset
 * (the span stays out of the pool).  Their list links are not checked: the
 * reset empties every list. */
int al_span_drop_checked(span_t *s);
/* A used span (a MiniPage or large block) back to the pool.  Its header now
 * reads FREE, so a stale pointer into it is reported as a double free. */
void al_span_free(span_t *s);
/* Shrink the span at u from `units` to `keep` units, giving the tail back. */
void al_span_trim(uint32_t u, uint32_t units, uint32_t keep);
/* Grow the span at u (size `units`) in place to `want` units, using a free
 * right neighbour or heap growth at the end.  Returns 1 on success. */
int al_span_extend(uint32_t u, uint32_t units, uint32_t want);
/* The heap holds no block: units [from, end) of its one segment are free
 * spans, cached spans and empty MiniPages the caller has let go of (their
 * headers already read FREE).  They become one free span, the bins and the
 * large-span cache empty (O(bins in use), at most 4 when the heap is empty:
 * see al_pages_settle).  0 (nothing done) if the heap has several segments. */
int al_span_reset(uint32_t from);
/* Heap check of the pool: bins hold exactly the free spans, each in its bin. */
size_t al_span_largest_free(void);
void al_span_check(al_check_fn report, void *ctx, int *errors);

/* ---- the large-span cache (lcache.c; put and pop inline in lcache.h) --- */
/* The head of the shortest non-empty list of spans >= units units (still
 * cached), or UINT32_MAX.  O(1): one mask scan (inline: the pool asks on
 * every take that misses its exact bin). */
al_inline uint32_t al_lcache_fit(uint32_t units) {
  uint32_t m = units <= AL_LCACHE_UNITS ? al_g.lcache_mask & (~0u << units) : 0;
  return m ? al_g.lcache[al_ctz32(m)] - 1 : UINT32_MAX;
}
/* al_lcache_unlink (lcache.h, inline): the pool absorbs a cached neighbour
 * or takes a cached span, after checking it.  O(1). */
/* Every list empty (the pool's reset: their spans are inside a free span
 * now).  O(AL_LCACHE_UNITS). */
void al_lcache_clear(void);
/* Cached spans and units (O(AL_LCACHE_UNITS)), for statistics. */
void al_lcache_totals(size_t *spans, size_t *units);
/* Heap check of the cache's lists; *spans / *units: what they hold. */
void al_lcache_check(al_check_fn report, void *ctx, int *errors, size_t *spans, size_t *units);

void *al_large_alloc(size_t n, size_t align, int zero);
void  al_large_free(span_t *s, void *p);
void *al_large_realloc(span_t *s, void *p, size_t n);
size_t al_large_room(span_t *s, const void *p);
/* The bytes a large block was asked for (its `prev` keeps them modulo 2^32:
 * the block's room exceeds them by at most one unit). */
size_t al_large_asked(span_t *s, const void *p);

/* ---- MiniPages (minipage.c) -------------------------------------------- */
void *al_small_alloc_slow(unsigned c, int zero);
void  al_small_free_slow(span_t *s, unsigned c, unsigned used_before);
/* Units from the pool for a MiniPage or a large block: what the pool has;
 * else the empty MiniPages go back to it and it is asked again; else the heap
 * grows.  The policy lives here, above the pool, so the pool never calls up. */
uint32_t al_units_take(uint32_t units, uint32_t *dirty);
/* Called after a free that emptied the heap (one that emptied a MiniPage, or
 * a large free, when no block is live any more): the heap goes back to one
 * shape (al_span_reset).  O(1); nothing when it has that shape already,
 * unless `dropped`: a span left use with al_span_drop and waits for it. */
void al_pages_settle(int dropped);
/* The block is on s's free list (a bounded walk; only for blocks that carry
 * the key, so almost never). */
int al_small_on_free_list(span_t *s, const al_block *b);
void  al_minipage_check(span_t *s, al_check_fn report, void *ctx, int *errors);
/* Debug levels 2 and 3 (check.c): check one page / the heap, report failures. */
void al_debug_page_check(span_t *s);
void al_debug_heap_check(void);
al_inline void al_debug_page(span_t *s) { if (AL_DEBUG >= 2) al_debug_page_check(s); }
al_inline void al_debug_heap(void) { if (AL_DEBUG >= 3) al_debug_heap_check(); }

/* ---- heap backend (heap_*.c): an sbrk over zero-filled memory ---------- */
/* Like sbrk(increment): returns the start of `increment` new bytes (the old
 * break), or NULL when it cannot grow; al_backend_sbrk(0) returns the break.
 * The contract every backend keeps (src/heap_host.c, src/heap_wasi.c,
 * port/heap_emscripten.c; test/c/foreign_grow.c tests it on all three):
 *   - the bytes handed out read as zero (fresh memory, never recycled);
 *   - they were never another user's: memory that someone else grew or took
 *     (sbrk, memory.grow) since our last call is skipped, never returned;
 *   - so the result may be non-contiguous with the previous one: the break
 *     moves past foreign memory.  The allocator compares al_backend_sbrk(0)
 *     with the end of its last segment and starts a new segment when they
 *     differ (span.c, grow), and trusts only the returned address.
 * Called with the allocator lock held. */
void *al_backend_sbrk(size_t increment);

/* ---- misuse and locking ----------------------------------------------- */
enum { AL_ERR_DOUBLE_FREE = 1, AL_ERR_INVALID_POINTER, AL_ERR_CORRUPTION, AL_ERR_OVERFLOW };
void al_report(int kind, const void *p, const char *what);
/* snprintf for the few formats messages use (%s %c %d %u %x %08x %zu %p), so
 * that Alligator pulls no printf into a wasm module.  Returns the length. */
size_t al_format(char *out, size_t cap, const char *fmt, ...);

/* The heap check's one way to fail: count the problem in *errors and pass its
 * description to report.  The macros expect `report`, `ctx` and `int *errors`
 * in scope; the second leaves the function (when going on would mislead). */
void al_check_fail(al_check_fn report, void *ctx, int *errors, const char *fmt, ...);
#define AL_CHECK(cond, ...) \
  do { if (!(cond)) al_check_fail(report, ctx, errors, __VA_ARGS__); } while (0)
#define AL_CHECK_OR_RETURN(cond, ...) \
  do { if (!(cond)) { al_check_fail(report, ctx, errors, __VA_ARGS__); return; } } while (0)

#include "lock.h"

#endif
