/* Alligator fuzz harness: one model, two drivers.
 *
 * The input bytes decode into a sequence of allocator calls (malloc, calloc,
 * realloc, reallocarray, memalign, aligned_alloc, posix_memalign, valloc,
 * pvalloc, free) on 64 slots, in the spirit of the HangOver allocator
 * fuzzer.  After every call the harness checks what a correct allocator must
 * guarantee:
 *   - a result is aligned as asked (16 bytes at least) and
 *     malloc_usable_size(p) >= the size asked for;
 *   - a new block overlaps no live block (usable ranges compared);
 *   - every block is filled with a pattern derived from its id; the pattern
 *     is checked before the block is freed or reallocated, and realloc keeps
 *     min(old, new) bytes of it;
 *   - calloc memory reads zero; a failed call returns NULL with ENOMEM (or
 *     EINVAL for a bad alignment) and changes nothing;
 *   - alligator_validate() finds no broken invariant (every 16 calls and at
 *     the end), and the statistics count exactly the live blocks;
 *   - memory that another sbrk user took between Alligator's segments (an
 *     opcode calls the backend directly, as Emscripten code calling sbrk
 *     would) is never written by the allocator.
 * Any violation prints a line and aborts (a crash for AFL++ and libFuzzer).
 *
 * Input layout: byte 0 picks the heap limit of the host shim (64 KiB to
 * 16 MiB, so out-of-memory paths are fuzzed too and a run stays small);
 * then one call per opcode byte, with its operands in the following bytes
 * (slot, size class and size bytes, alignment).  Missing bytes read as 0.
 * Opcodes (mod 12): 0-1 malloc, 2 calloc, 3-4 realloc, 5 reallocarray,
 * 6-7 the aligned family, 8-10 free, 11 validate (with bit 7 set: a foreign
 * sbrk of 16 B..64 KiB).
 *
 * Drivers (the allocator is always built with -DALLIGATOR_PREFIX, so it
 * runs beside the C library's malloc: the harness's own stdio allocations
 * never touch the heap under test, and sanitizers see Alligator as code):
 *   -DFUZZ_LIBFUZZER  LLVMFuzzerTestOneInput (clang -fsanitize=fuzzer,...)
 *   otherwise         main: each file named on the command line is run in
 *                     turn (AFL++ with @@, corpus replays), or stdin.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "alligator.h"
#include "../test/c/check.h"

#define SLOTS 64
#define MAX_OPS 2048
#define VALIDATE_EVERY 16
#define FULL_FILL 65536 /* blocks above this are filled at the ends and every 4 KiB */

typedef struct {
  unsigned char *p;
  size_t n;      /* bytes asked for */
  size_t usable; /* malloc_usable_size at allocation */
  uint32_t id;
} block_t;

static block_t live[SLOTS];

/* Another user of the heap backend (on Emscripten: anything calling sbrk):
 * its memory sits between Alligator's segments and must never be touched. */
void *al_backend_sbrk(size_t increment);
#define FOREIGN 8
static struct {
  unsigned char *p;
  size_t n;
} foreign[FOREIGN];
static unsigned nforeign;
static uint32_t next_id;
static size_t nlive;
static size_t base_live; /* live allocations before the input ran */

typedef struct {
  const uint8_t *d;
  size_t n, i;
} reader_t;

static unsigned byte(reader_t *r) { return r->i < r->n ? r->d[r->i++] : 0; }
static unsigned u16(reader_t *r) {
  unsigned lo = byte(r);
  return lo | byte(r) << 8;
}

/* A broken expectation: fuzzers look for crashes, so report and abort. */
#define fail(...) (check_failed(__FILE__, __LINE__, __VA_ARGS__), abort())

/* ---- block contents ----------------------------------------------------- */
static unsigned char pattern(uint32_t id, size_t i) {
  return (unsigned char)((id * 0x9E3779B1u) >> 24 ^ i ^ i >> 8 ^ i >> 16);
}

/* The positions that hold the pattern: all of a small block; the first and
 * last 4 KiB and one byte every 4 KiB of a big one (bounded work per call,
 * while overlaps are caught by the explicit range check). */
static size_t next_pos(size_t i, size_t n) {
  if (n <= FULL_FILL || i < 4096 || i + 1 >= n - 4096) return i + 1;
  size_t skip = i + 4096;
  return skip < n - 4096 ? skip : n - 4096;
}

static void fill(const block_t *b, size_t from, size_t upto) {
  for (size_t i = from; i < upto; i = next_pos(i, upto)) b->p[i] = pattern(b->id, i);
}

/* Check the filled positions below upto (the block was filled up to usable). */
static void check_pattern(const block_t *b, size_t upto, const char *when) {
  for (size_t i = 0; i < upto; i = next_pos(i, b->usable))
    if (b->p[i] != pattern(b->id, i))
      fail("%s: block %u at %p (%zu bytes): byte %zu is %u, expected %u", when, b->id, (void *)b->p, b->n, i,
           b->p[i], pattern(b->id, i));
}

static void check_zero(const unsigned char *p, size_t n) {
  for (size_t i = 0; i < n; i = next_pos(i, n))
    if (p[i]) fail("calloc block %p (%zu bytes): byte %zu is %u, not 0", (void *)p, n, i, p[i]);
}

/* ---- checks on a new block ---------------------------------------------- */
static void check_new(unsigned char *p, size_t n, size_t align, int slot, const char *who) {
  if (align < 16) align = 16;
  if ((uintptr_t)p & (align - 1)) fail("%s: %p is not %zu-aligned", who, (void *)p, align);
  size_t u = alligator_malloc_usable_size(p);
  if (u < n) fail("%s: usable size %zu < %zu asked", who, u, n);
  for (int i = 0; i < SLOTS; i++) {
    if (i == slot || !live[i].p) continue;
    if (p < live[i].p + live[i].usable && live[i].p < p + u)
      fail("%s: new block [%p,+%zu) overlaps block %u [%p,+%zu)", who, (void *)p, u, live[i].id,
           (void *)live[i].p, live[i].usable);
  }
}

static void expect_errno(void *p, int want, const char *who, size_t n) {
  if (!p && errno != want) fail("%s(%zu) returned NULL with errno %d, expected %d", who, n, errno, want);
}

static void report(void *ctx, const char *msg) {
  (void)ctx;
  fprintf(stderr, "alligator_fuzz: validate: %s\n", msg);
}

static void check_foreign(void) {
  for (unsigned k = 0; k < nforeign; k++)
    for (size_t i = 0; i < foreign[k].n; i++)
      if (foreign[k].p[i] != (unsigned char)(0xC3 ^ k ^ i))
        fail("foreign sbrk memory %p (+%zu): byte %zu was overwritten", (void *)foreign[k].p, foreign[k].n, i);
}

static void validate(void) {
  check_foreign();
  int errors = alligator_validate(report, NULL);
  if (errors) fail("alligator_validate found %d problems", errors);
  alligator_stats_t st;
  alligator_stats(&st);
  if (st.live_allocations != base_live + nlive)
    fail("stats: %zu live allocations, the harness holds %zu (+%zu before)", st.live_allocations, nlive,
         base_live);
  if (st.peak_in_use_bytes < st.in_use_bytes) fail("stats: peak %zu below in use %zu", st.peak_in_use_bytes,
                                                   st.in_use_bytes);
}

/* ---- decoding ------------------------------------------------------------ */
/* A size: the class byte picks a range, two more bytes the size in it. */
static size_t decode_size(reader_t *r) {
  unsigned c = byte(r), v = u16(r);
  switch (c >> 5) {
  case 0: return v % 64;                              /* tiny, 0 included */
  case 1: return v % 2049;                            /* MiniPage classes */
  case 2: return 2048 - 32 + v % 64;                  /* the small/large edge */
  case 3: return v;                                   /* up to 64 KiB */
  case 4: return (size_t)v * 16 % (1u << 20);         /* up to 1 MiB */
  case 5: return (size_t)(v % 64) * 2080 + (c & 31) - 16 + 1; /* unit multiples +/- */
  case 6: return (size_t)v << 16;                     /* up to 4 GiB: OOM */
  default: return SIZE_MAX - v;                       /* overflow paths */
  }
}

static size_t decode_align(reader_t *r) {
  unsigned a = byte(r);
  if (a >= 0xF0) return (size_t)a * 3; /* not a power of two */
  return (size_t)1 << (a % 24);        /* 1 B .. 8 MiB */
}

static void drop(int slot, const char *who) {
  block_t *b = &live[slot];
  check_pattern(b, b->usable, who);
  alligator_free(b->p);
  b->p = NULL;
  nlive--;
}

static void put(int slot, unsigned char *p, size_t n, int zeroed, const char *who, size_t align) {
  check_new(p, n, align, slot, who);
  block_t *b = &live[slot];
  b->p = p;
  b->n = n;
  b->usable = alligator_malloc_usable_size(p);
  b->id = ++next_id;
  if (zeroed) check_zero(p, n);
  fill(b, 0, b->usable);
  nlive++;
}

static void run(const uint8_t *data, size_t size) {
  reader_t r = {data, size, 0};
  alligator_stats_t st;
  /* 64 KiB .. 16 MiB in 64 KiB pages */
  alligator_host_set_limit((size_t)(byte(&r) + 1) << 16);
  alligator_stats(&st);
  base_live = st.live_allocations;
  nlive = 0;
  nforeign = 0;
  memset(live, 0, sizeof live);

  for (unsigned ops = 0; r.i < r.n && ops < MAX_OPS; ops++) {
    unsigned op = byte(&r);
    int slot = (int)(byte(&r) % SLOTS);
    block_t *b = &live[slot];
    unsigned char *p;
    size_t n, count, align;
    errno = 0;
    switch (op % 12) {
    case 0:
    case 1: /* malloc */
      n = decode_size(&r);
      if (b->p) drop(slot, "free before malloc");
      errno = 0;
      p = alligator_malloc(n);
      expect_errno(p, ENOMEM, "malloc", n);
      if (p) put(slot, p, n, 0, "malloc", 16);
      break;
    case 2: /* calloc */
      count = byte(&r);
      n = decode_size(&r);
      if (b->p) drop(slot, "free before calloc");
      errno = 0;
      p = alligator_calloc(count, n);
      expect_errno(p, ENOMEM, "calloc", n);
      if (p) {
        if (count && n > SIZE_MAX / count) fail("calloc(%zu, %zu) overflowed but returned %p", count, n, (void *)p);
        put(slot, p, count * n, 1, "calloc", 16);
      }
      break;
    case 3:
    case 4: /* realloc, NULL and 0 included */
    case 5: /* reallocarray */
      if (op % 12 == 5) {
        count = byte(&r);
        n = decode_size(&r);
      } else {
        count = 1;
        n = decode_size(&r);
      }
      if (b->p) check_pattern(b, b->usable, "before realloc");
      errno = 0;
      p = op % 12 == 5 ? alligator_reallocarray(b->p, count, n) : alligator_realloc(b->p, n);
      if (op % 12 == 5 && count && n > SIZE_MAX / count) {
        if (p || errno != ENOMEM) fail("reallocarray(%zu, %zu) overflow: %p, errno %d", count, n, (void *)p, errno);
        break;
      }
      n *= count;
      if (!p) {
        if (b->p && n == 0) { /* realloc(p, 0) freed p */
          b->p = NULL;
          nlive--;
          break;
        }
        if (n == 0) break; /* realloc(NULL, 0) may return NULL */
        expect_errno(p, ENOMEM, "realloc", n);
        if (b->p) check_pattern(b, b->usable, "after failed realloc");
        break;
      }
      if (b->p) {
        block_t old = *b;
        size_t keep = old.n < n ? old.n : n;
        b->p = NULL;
        nlive--;
        check_new(p, n, 16, slot, "realloc");
        block_t moved = old;
        moved.p = p;
        check_pattern(&moved, keep, "realloc kept");
        b->p = p;
        b->n = n;
        b->usable = alligator_malloc_usable_size(p);
        fill(b, 0, b->usable); /* same id: rewrite the whole pattern */
        nlive++;
      } else {
        put(slot, p, n, 0, "realloc(NULL)", 16);
      }
      break;
    case 6:
    case 7: { /* the aligned family */
      unsigned kind = byte(&r) % 5;
      align = decode_align(&r);
      n = decode_size(&r);
      if (b->p) drop(slot, "free before memalign");
      errno = 0;
      int ok = (align & (align - 1)) == 0;
      const char *who = "memalign";
      size_t want = align;
      switch (kind) {
      case 0:
        p = alligator_memalign(align, n);
        if (!ok) { /* rounded up to a power of two */
          want = 16;
          while (want < align) want <<= 1;
        }
        expect_errno(p, ENOMEM, who, n);
        break;
      case 1:
        who = "aligned_alloc";
        p = alligator_aligned_alloc(align, n);
        if (!ok) {
          if (p || errno != EINVAL) fail("aligned_alloc(%zu) gave %p, errno %d", align, (void *)p, errno);
          break;
        }
        expect_errno(p, ENOMEM, who, n);
        break;
      case 2: {
        who = "posix_memalign";
        void *q = (void *)&live; /* must stay untouched on failure */
        int e = alligator_posix_memalign(&q, align, n);
        if (!ok || align < sizeof(void *)) {
          if (e != EINVAL || q != (void *)&live) fail("posix_memalign(%zu) gave %d, %p", align, e, q);
          p = NULL;
          break;
        }
        if (e && (e != ENOMEM || q != (void *)&live)) fail("posix_memalign(%zu, %zu) gave %d", align, n, e);
        p = e ? NULL : q;
        break;
      }
      case 3:
        who = "valloc";
        want = 4096;
        p = alligator_valloc(n);
        expect_errno(p, ENOMEM, who, n);
        break;
      default:
        who = "pvalloc";
        want = 4096;
        p = alligator_pvalloc(n);
        expect_errno(p, ENOMEM, who, n);
        if (p && alligator_malloc_usable_size(p) < (n + 4095) / 4096 * 4096)
          fail("pvalloc(%zu): usable %zu, not whole pages", n, alligator_malloc_usable_size(p));
        break;
      }
      if (p) put(slot, p, n, 0, who, want);
      break;
    }
    case 8:
    case 9:
    case 10: /* free */
      if (b->p) drop(slot, "before free");
      else alligator_free(NULL);
      break;
    default:
      if (op & 0x80 && nforeign < FOREIGN) { /* someone else moves the break */
        size_t n = (size_t)byte(&r) * 256 + 16;
        unsigned char *f = al_backend_sbrk(n);
        if (f) {
          for (size_t i = 0; i < n; i++) f[i] = (unsigned char)(0xC3 ^ nforeign ^ i);
          foreign[nforeign].p = f;
          foreign[nforeign++].n = n;
        }
      } else {
        validate();
      }
      break;
    }
    if (ops % VALIDATE_EVERY == VALIDATE_EVERY - 1) validate();
  }
  validate();
  for (int i = 0; i < SLOTS; i++)
    if (live[i].p) drop(i, "at the end");
  validate();
  alligator_stats(&st);
  if (st.live_allocations != base_live) fail("stats: %zu live allocations after freeing all, expected %zu",
                                             st.live_allocations, base_live);
}

#ifdef FUZZ_LIBFUZZER
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  run(data, size);
  return 0;
}
#else
static int run_stream(FILE *f) {
  static uint8_t buf[1 << 16];
  size_t n = fread(buf, 1, sizeof buf, f);
  run(buf, n);
  return 0;
}

int main(int argc, char **argv) {
  if (argc < 2) return run_stream(stdin);
  for (int i = 1; i < argc; i++) {
    FILE *f = fopen(argv[i], "rb");
    if (!f) {
      perror(argv[i]);
      return 2;
    }
    run_stream(f);
    fclose(f);
  }
  if (argc > 2) printf("alligator_fuzz: %d inputs replayed, all checks held\n", argc - 1);
  return 0;
}
#endif
