/* Alligator internals: the unit grid, the span header, the heap's state.
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

/* Built for size (-Os/-Oz: the port builds its library at the user's level):
 * one copy of each path.  malloc and free then skip their inline fast paths
 * and take the full path at once, which makes the same checks (a few
 * instructions more per call, several hundred bytes less). */
#if defined(__OPTIMIZE_SIZE__)
#define AL_FAST_ENTRY 0
#else
#define AL_FAST_ENTRY 1
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
   *       their first word, each carrying the heap's key in its second.
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

/* ---- the heap's state, one part per module ---------------------------- */
/* All state lives in one al_heap (below), made of one part per module, each
 * declared in that module's section with its invariants beside its fields.
 * A module writes only its own part and reads others' where its comment
 * says so.  Every module function takes the heap as its first parameter and
 * names it h; the entry points (malloc.c, stats.c, check.c) pass the one
 * global instance.  A per-thread heap can come later by changing what the
 * entry points pass, not every function (mimalloc's mi_heap_t).
 *
 * How the heap is passed:
 *   - inline functions (al_inline: the fast paths, unit arithmetic) take a
 *     real parameter, `al_heap *h`; inlined, it folds to the constant;
 *   - every other function is declared `f(AL_HEAP_P int x)` (`f(AL_HEAP_P0)`
 *     when h is its only parameter) and called `f(AL_H x)` (`f(AL_H0)`);
 *     an entry point starts with AL_HEAP_ENTRY.
 * With one heap (AL_ONE_HEAP, the default) AL_HEAP_P and AL_H are empty and
 * h is a constant pointer to the global instance (below), so out-of-line
 * calls pass no extra argument and address its fields directly (the code
 * is the same as with a plain global).  Passing it for real cost +3.6%
 * instructions per call on class_sweep and 31 on its worst call (i686,
 * `node bench/instr.js`: stack arguments, register pressure) and 576 B of
 * wasm at -Oz.  -DAL_ONE_HEAP=0 (a developer's switch, not an option)
 * compiles the real parameter everywhere, the form per-thread heaps would
 * use; the native test build/test/model-heap-param keeps it working. */
#ifndef AL_ONE_HEAP
#define AL_ONE_HEAP 1
#endif
#if AL_ONE_HEAP
#define AL_HEAP_P      /* (nothing) */
#define AL_HEAP_P0     void
#define AL_H           /* (nothing) */
#define AL_H0          /* (nothing) */
#define AL_HEAP_ENTRY  ((void)0)
#else
#define AL_HEAP_P      al_heap *h,
#define AL_HEAP_P0     al_heap *h
#define AL_H           h,
#define AL_H0          h
#define AL_HEAP_ENTRY  al_heap *h = al_heap_get()
#endif
typedef struct al_heap al_heap;

/* ---- the grid and its segments (span.c: growth) ----------------------- */
/* Written by span.c's growth only; every module reads base (unit
 * arithmetic), the pool and the cache read end, free reads lo and hi, the
 * MiniPages read key, and they and large blocks read segments (an empty heap
 * is reset only if it is one segment). */
typedef struct al_grid {
  uintptr_t base;           /* grid origin; 0 until the first growth */
  uint32_t  end;            /* unit index of the last segment's END header */
  /* Pointers we hand out lie in [lo, hi): base + 32 and the last END header
   * (0, 0 before the first growth).  One compare pair rejects the rest. */
  uintptr_t lo, hi;
  uintptr_t reach;          /* hi - base: free's fast path tests p - base < reach (0 before growth) */
  uint32_t  first_seg;      /* unit index of the first segment's first span */
  uint32_t  segments;       /* contiguous stretches of memory (1 unless someone else moved the break) */
  uintptr_t key;            /* marks freed small blocks (al_block.key); never 0 */
  /* statistics, kept exact by every growth (stats.c reads them) */
  size_t heap_bytes;        /* bytes obtained from the backend */
  size_t grow_count;
} al_grid;

/* ---- spans: the pool of free units, large blocks (span.c) ------------- */
/* The pool's bins (span.c writes them; stats.c and check.c read them,
 * al_pages_settle reads free_spans to see that the heap is settled). */
typedef struct al_pool {
  uint32_t  bin_summary;    /* bit w set iff bin_bits[w] != 0 */
  uint32_t  bin_bits[AL_NBINWORDS];
  uint32_t  bins[AL_NBINS]; /* head of each bin list (unit index + 1) */
  /* statistics: the spans in the bins and their units, kept exact */
  size_t free_span_units;
  size_t free_spans;
} al_pool;

/* Take a span of exactly `units` units out of the pool: the best fit in the
 * bins and the large-span cache.  Returns its unit index, or UINT32_MAX.
 * The header's kind is left FREE-shaped; the caller writes its own.  *dirty
 * is how many of its first units may hold old data (0: all still zero from
 * growth; a span that grew from a used top is dirty only there, so calloc
 * zeroes just that part). */
uint32_t al_span_take(AL_HEAP_P uint32_t units, uint32_t *dirty);
/* The same from the top (the free span that ends the heap, in no bin), and
 * if the top is too short and may_grow, from growth: for when nothing else
 * fits. */
uint32_t al_span_take_top(AL_HEAP_P uint32_t units, uint32_t *dirty, int may_grow);
/* Give units [u, u+units) back to the pool, coalescing with free neighbours. */
void al_span_give(AL_HEAP_P uint32_t u, uint32_t units);
/* The size the used span s would have once freed and coalesced with its
 * free neighbours, the top not counted (reads only; 0 if that is no size). */
uint32_t al_span_merged_size(AL_HEAP_P const span_t *s);
/* Free the used span s and coalesce it, then take `want` units from the start
 * of the result directly (no bin search), the rest back to the pool.  The
 * caller checked al_span_merged_size >= want.  Returns the unit index (all
 * `want` units dirty), or UINT32_MAX if a neighbour's metadata did not hold. */
uint32_t al_span_take_freed(AL_HEAP_P span_t *s, uint32_t want, uint32_t *dirty);
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
int al_span_drop_checked(AL_HEAP_P span_t *s);
/* A used span (a MiniPage or large block) back to the pool.  Its header now
 * reads FREE, so a stale pointer into it is reported as a double free. */
void al_span_free(AL_HEAP_P span_t *s);
/* Shrink the span at u from `units` to `keep` units, giving the tail back. */
void al_span_trim(AL_HEAP_P uint32_t u, uint32_t units, uint32_t keep);
/* Grow the span at u (size `units`) in place to `want` units, using a free
 * right neighbour or heap growth at the end.  Returns 1 on success. */
int al_span_extend(AL_HEAP_P uint32_t u, uint32_t units, uint32_t want);
/* The heap holds no block: units [from, end) of its one segment are free
 * spans, cached spans and empty MiniPages the caller has let go of (their
 * headers already read FREE).  They become one free span, the bins and the
 * large-span cache empty (O(bins in use), at most 4 when the heap is empty:
 * see al_pages_settle).  0 (nothing done) if the heap has several segments. */
int al_span_reset(AL_HEAP_P uint32_t from);
/* Heap check of the pool: bins hold exactly the free spans, each in its bin. */
size_t al_span_largest_free(AL_HEAP_P0);
void al_span_check(AL_HEAP_P al_check_fn report, void *ctx, int *errors);

/* ---- the large-span cache (lcache.c; put, pop, fit and unlink inline in
 * lcache.h) ---------------------------------------------------------------- */
/* Written by lcache.c and lcache.h only; the pool asks it through
 * al_lcache_fit, al_lcache_unlink, al_lcache_largest and al_lcache_empty
 * (as do the MiniPages, whether the heap is settled), statistics through
 * al_lcache_totals.  It reads the grid's end. */
typedef struct al_lcache {
  /* head[k] heads the LIFO list of cached k-unit spans (unit index + 1,
   * 0 = empty), count[k] its length (<= AL_LCACHE_DEPTH); bit k of mask is
   * set iff it is non-empty. */
  uint32_t  head[AL_LCACHE_UNITS + 1];
  uint8_t   count[AL_LCACHE_UNITS + 1];
  uint32_t  mask;
} al_lcache;

/* al_lcache_fit and al_lcache_unlink (lcache.h, inline): the pool takes the
 * best-fitting cached span, or absorbs a cached neighbour, after checking it.
 * O(1). */
/* Every list empty (the pool's reset: their spans are inside a free span
 * now).  O(AL_LCACHE_UNITS). */
void al_lcache_clear(AL_HEAP_P0);
/* Cached spans and units (O(AL_LCACHE_UNITS)), for statistics. */
void al_lcache_totals(AL_HEAP_P size_t *spans, size_t *units);
/* Heap check of the cache's lists; *spans / *units: what they hold. */
void al_lcache_check(AL_HEAP_P al_check_fn report, void *ctx, int *errors, size_t *spans, size_t *units);

/* ---- large blocks (large.c) ----------------------------------------------- */
/* Written by large.c only (stats.c and check.c read them; the pool's reset
 * asserts that no block is live). */
typedef struct al_large {
  size_t blocks;            /* live large blocks */
  size_t units;             /* their units */
} al_large;

void *al_large_alloc(AL_HEAP_P size_t n, size_t align, int zero);
void  al_large_free(AL_HEAP_P span_t *s, void *p);
void *al_large_realloc(AL_HEAP_P span_t *s, void *p, size_t n);
size_t al_large_room(span_t *s, const void *p);
/* The bytes a large block was asked for (its `prev` keeps them modulo 2^32:
 * the block's room exceeds them by at most one unit). */
size_t al_large_asked(span_t *s, const void *p);

/* ---- MiniPages (minipage.c; the fast paths inline in minipage.h) ------- */
/* Written by minipage.c and minipage.h only (stats.c and check.c read it). */
typedef struct al_pages {
  /* Current MiniPage per class; never NULL: a class with none has
   * &al_no_page, whose empty free list and full bump send malloc's fast path
   * to the slow path with no NULL test. */
  span_t   *cur[AL_NCLASSES];
  /* Empty MiniPages kept out of the pool: spare[0..nspare), never current.
   * Invariant: every MiniPage that is neither a spare nor the idle page has
   * used > 0. */
  span_t   *spare[AL_SPARES];
  /* The current page that emptied last (it stays current: a malloc+free loop
   * costs no slow path), or NULL.  Invariant: an empty current page is idle;
   * when another current page empties, the idle one goes back to the pool. */
  span_t   *idle;
  uint32_t  nspare;
  /* Pages with free segments, not current: a queue, oldest first (the oldest
   * has had longest to collect frees, so switching to it lasts longest). */
  uint32_t  partial[AL_NCLASSES];      /* head: unit index + 1, 0 = empty */
  uint32_t  partial_tail[AL_NCLASSES]; /* tail: unit index + 1 */
  /* statistics, kept exact by every operation */
  size_t class_pages[AL_NCLASSES];
  size_t class_used[AL_NCLASSES];
} al_pages;

void *al_small_alloc_slow(AL_HEAP_P unsigned c, int zero);
/* Called by al_small_push after the push, s->used already decremented, when
 * the page was FULL or has just emptied (and is not the idle page emptying
 * again): its move between the current page, the partial queue, the spares
 * and the pool. */
void  al_small_free_slow(AL_HEAP_P span_t *s);
/* The current page of a class that has none (not in the heap, never written). */
extern span_t al_no_page;
#define AL_NO_PAGE_(size, slots) &al_no_page,
#define AL_PAGES_INIT { .cur = { AL_CLASS_LIST(AL_NO_PAGE_) } } /* al_heap_main's initializer */
/* Units from the pool for a MiniPage or a large block: what the pool has;
 * else the empty MiniPages go back to it and it is asked again; else the heap
 * grows.  The policy lives here, above the pool, so the pool never calls up. */
uint32_t al_units_take(AL_HEAP_P uint32_t units, uint32_t *dirty);
/* Called after a free that emptied the heap (one that emptied a MiniPage, or
 * a large free, when no block is live any more): the heap goes back to one
 * shape (al_span_reset).  O(1); nothing when it has that shape already,
 * unless `dropped`: a span left use with al_span_drop and waits for it. */
void al_pages_settle(AL_HEAP_P int dropped);
/* The block is on s's free list (a bounded walk; only for blocks that carry
 * the key, so almost never). */
int al_small_on_free_list(span_t *s, const al_block *b);
void  al_minipage_check(AL_HEAP_P span_t *s, al_check_fn report, void *ctx, int *errors);

/* ---- bytes in use (the MiniPages, large blocks and malloc.c) ----------- */
/* Written only through al_note_alloc and al_note_free (below) and malloc.c's
 * oom (stats.c and check.c read them; the MiniPages and large blocks read
 * in_use_bytes == 0: a free that empties the heap resets it). */
typedef struct al_usage {
  size_t in_use_bytes;      /* usable bytes of live allocations */
  size_t peak_in_use_bytes;
  size_t oom_count;         /* requests that failed with ENOMEM */
} al_usage;

/* ---- the heap ------------------------------------------------------------ */
struct al_heap {
  al_grid   grid;   /* span.c's growth */
  al_pool   pool;   /* span.c's bins */
  al_lcache lcache; /* lcache.c */
  al_pages  pages;  /* minipage.c */
  al_large  large;  /* large.c */
  al_usage  usage;  /* al_note_alloc / al_note_free, malloc.c's oom */
};
_Static_assert(sizeof(void *) > 4 || sizeof(al_heap) <= 1280, "README and alligator.h: under 1.25 KiB on wasm32");

/* The one instance (malloc.c), zero until the first growth.  Only the entry
 * points name it, through al_heap_get() (AL_HEAP_ENTRY), and with one heap
 * through h, the constant below. */
extern al_heap al_heap_main;
al_inline al_heap *al_heap_get(void) { return &al_heap_main; }
#if AL_ONE_HEAP
/* The heap every function names h when it is not a parameter. */
static al_heap *const h __attribute__((unused)) = &al_heap_main;
#endif

/* ---- unit arithmetic --------------------------------------------------- */
al_inline span_t *al_span(const al_heap *h, uint32_t u) {
  return (span_t *)(h->grid.base + (uintptr_t)u * AL_UNIT);
}
al_inline uint32_t al_unit_of(const al_heap *h, const void *p) {
  return (uint32_t)(((uintptr_t)p - h->grid.base) / AL_UNIT); /* < 2^24 units (the head's size field) */
}
al_inline uint32_t al_index(const al_heap *h, const span_t *s) { return al_unit_of(h, s); }
al_inline unsigned al_kind(const span_t *s) { return s->head & HEAD_KIND_MASK; }
al_inline uint32_t al_size(const span_t *s) { return s->head >> HEAD_SIZE_SHIFT; }
al_inline uint32_t al_make_head(unsigned kind, uint32_t units, uint32_t flags) {
  return kind | flags | HEAD_MAGIC | (units << HEAD_SIZE_SHIFT);
}
al_inline unsigned char *al_section(span_t *s) { return (unsigned char *)s + AL_HDR; }

/* ---- a free span's metadata, checked ----------------------------------- */
/* Free span u of n units (a pool span or a cached one): it lies in the heap,
 * its head equals `head` in the bits of `mask` (one compare: magic, kind,
 * size, a clear PREV_FREE), its footer says n, the next span has PREV_FREE,
 * and each of its list links lies in the heap and points back at u.  What a
 * span with no previous link must head (a bin, a cache list, nothing for the
 * top) is the caller's check, with the unlink.  The pool's span_trusted and
 * the cache's al_lcache_trusted share it; inline (their hot paths).
 * `before`: u is the span just before a span whose PREV_FREE was seen, and
 * n its footer, read there and at most that span's unit: then u + n is that
 * span, so the bounds, the footer and PREV_FREE hold as read (not tested
 * again), and only the head and the links are checked. */
al_inline int al_free_span_holds(const al_heap *h, uint32_t u, uint32_t n, uint32_t head, uint32_t mask, int before) {
  uint32_t end = h->grid.end;
  if (!before && (u >= end || n - 1 >= end - u)) return 0;
  span_t *s = al_span(h, u), *next = al_span(h, u + n);
  if ((s->head & mask) != head) return 0;
  if (!before && (((uint32_t *)next)[-1] != n || !(next->head & HEAD_PREV_FREE))) return 0;
  uint32_t p = s->prev, x = s->next;
  if (x && (x - 1 >= end || al_span(h, x - 1)->prev != u + 1)) return 0;
  return !p || (p - 1 < end && al_span(h, p - 1)->next == u + 1);
}

/* ---- bytes in use ------------------------------------------------------ */
al_inline void al_note_alloc(al_heap *h, size_t bytes) {
  h->usage.in_use_bytes += bytes;
  if (h->usage.in_use_bytes > h->usage.peak_in_use_bytes) h->usage.peak_in_use_bytes = h->usage.in_use_bytes;
}
al_inline void al_note_free(al_heap *h, size_t bytes) { h->usage.in_use_bytes -= bytes; }

/* Debug levels 2 and 3 (check.c): check one page / the heap, report failures. */
void al_debug_page_check(AL_HEAP_P span_t *s);
void al_debug_heap_check(AL_HEAP_P0);
al_inline void al_debug_page(AL_HEAP_P span_t *s) { if (AL_DEBUG >= 2) al_debug_page_check(AL_H s); }
al_inline void al_debug_heap(AL_HEAP_P0) { if (AL_DEBUG >= 3) al_debug_heap_check(AL_H0); }

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
#define AL_CHECK_MSG 160 /* bytes of one problem's description, its NUL included */
void al_check_fail(al_check_fn report, void *ctx, int *errors, const char *fmt, ...);
#define AL_CHECK(cond, ...) \
  do { if (!(cond)) al_check_fail(report, ctx, errors, __VA_ARGS__); } while (0)
#define AL_CHECK_OR_RETURN(cond, ...) \
  do { if (!(cond)) { al_check_fail(report, ctx, errors, __VA_ARGS__); return; } } while (0)

#include "lock.h"

#endif
