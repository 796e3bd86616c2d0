/* test-c: every function of Alligator's C API, called the way a C program
 * calls it, with the results checked.  Built three ways:
 *   build/c-test        against build/liballigatorc.so (make c-test-build)
 *   build/c/c-test-static, -m32   linked with the static library
 *   build/wasi/test-c.wasm        wasm32-wasi, replacing wasi-libc's malloc
 * It first proves that malloc really is Alligator (the statistics count its
 * allocations), then checks each function.  Prints one line per failed
 * check and a summary; exit status 0 = all passed. */
#define _GNU_SOURCE /* glibc: memalign, valloc, pvalloc, reallocarray, mallinfo */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#if !defined(__wasi__)
#include <malloc.h>
#endif
#include "alligator.h"
#include "check.h"

/* gcc 12 flags a block used after a *failed* realloc (valid C: the block is
 * untouched) and the deliberate double free below. */
#if defined(__GNUC__) && !defined(__clang__) && __GNUC__ >= 12
#pragma GCC diagnostic ignored "-Wuse-after-free"
#pragma GCC diagnostic ignored "-Wfree-nonheap-object"
#endif

/* Not declared by every C library (wasi-libc leaves out the legacy ones). */
void *memalign(size_t align, size_t n);
void *valloc(size_t n);
void *pvalloc(size_t n);
void *reallocarray(void *p, size_t count, size_t n);
size_t malloc_usable_size(void *p);

#if defined(__wasm__)
#define PAGE 65536u
#else
#define PAGE 4096u
#endif


/* Values the compiler cannot see through: the tests misuse the API on
 * purpose (huge sizes, freed pointers), which gcc otherwise rejects. */
static size_t opaque(size_t x) {
  volatile size_t v = x;
  return v;
}
static void *hide(void *p) {
  void *volatile v = p;
  return v;
}

static int aligned(const void *p, size_t a) { return ((uintptr_t)p & (a - 1)) == 0; }

static void fill(void *p, size_t n, unsigned seed) {
  for (size_t i = 0; i < n; i++) ((unsigned char *)p)[i] = (unsigned char)(seed + i * 7 + (i >> 8));
}
static int intact(const void *p, size_t n, unsigned seed) {
  for (size_t i = 0; i < n; i++)
    if (((const unsigned char *)p)[i] != (unsigned char)(seed + i * 7 + (i >> 8))) return 0;
  return 1;
}
static size_t live(void) {
  alligator_stats_t st;
  alligator_stats(&st);
  return st.live_allocations;
}

static unsigned reports;
static void count_report(void *ctx, const char *msg) {
  (void)ctx;
  reports++;
  printf("validate: %s\n", msg);
}

static int validate(void) {
  reports = 0;
  int problems = alligator_validate(count_report, NULL);
  return problems == 0 && reports == 0;
}

static void test_is_alligator(void) {
  size_t before = live();
  void *p = hide(malloc(100)), *q = hide(malloc(10000)); /* hide: no malloc/free pair elision */
  CHECK(p && q, "malloc failed");
  CHECK(live() == before + 2, "malloc is not Alligator: live allocations %zu -> %zu", before, live());
  free(p);
  free(q);
  CHECK(live() == before, "free is not Alligator: live allocations %zu, expected %zu", live(), before);
}

static void test_malloc_free(void) {
  static const size_t sizes[] = {0, 1, 15, 16, 17, 100, 1000, 2047, 2048, 2049, 2080, 4096, 100000, 3000000};
  void *p[sizeof sizes / sizeof *sizes];
  for (size_t i = 0; i < sizeof sizes / sizeof *sizes; i++) {
    p[i] = malloc(sizes[i]);
    CHECK(p[i] != NULL, "malloc(%zu) = NULL", sizes[i]);
    if (!p[i]) continue;
    CHECK(aligned(p[i], 16), "malloc(%zu) = %p not 16-aligned", sizes[i], p[i]);
    CHECK(malloc_usable_size(p[i]) >= sizes[i], "malloc_usable_size %zu < %zu", malloc_usable_size(p[i]),
          sizes[i]);
    fill(p[i], sizes[i], (unsigned)i);
  }
  for (size_t i = 0; i < sizeof sizes / sizeof *sizes; i++)
    if (p[i]) CHECK(intact(p[i], sizes[i], (unsigned)i), "malloc(%zu) block overwritten", sizes[i]);
  for (size_t i = 0; i < sizeof sizes / sizeof *sizes; i++)
    for (size_t j = i + 1; j < sizeof sizes / sizeof *sizes; j++)
      CHECK(p[i] != p[j], "malloc returned %p twice", p[i]);
  CHECK(malloc_usable_size(NULL) == 0, "malloc_usable_size(NULL) != 0");
  for (size_t i = 0; i < sizeof sizes / sizeof *sizes; i++) free(p[i]);
  free(NULL); /* no-op */
  errno = 0;
  CHECK(malloc(opaque(SIZE_MAX)) == NULL && errno == ENOMEM, "malloc(SIZE_MAX): not NULL/ENOMEM");
  errno = 0;
  CHECK(malloc(opaque(ALLIGATOR_MAX_REQUEST + 1)) == NULL && errno == ENOMEM,
        "malloc(ALLIGATOR_MAX_REQUEST + 1): not NULL/ENOMEM");
}

static void test_calloc(void) {
  unsigned char *p = malloc(3000);
  if (p) memset(p, 0xFF, 3000), free(p); /* dirty memory for calloc to reuse */
  p = malloc(64);
  if (p) memset(p, 0xFF, 64), free(p);
  size_t sizes[] = {1, 64, 3000, 70000};
  for (size_t i = 0; i < 4; i++) {
    unsigned char *q = calloc(sizes[i], 1);
    CHECK(q != NULL, "calloc(%zu, 1) = NULL", sizes[i]);
    if (!q) continue;
    size_t nz = 0;
    for (size_t k = 0; k < sizes[i]; k++) nz += q[k] != 0;
    CHECK(nz == 0, "calloc(%zu, 1): %zu bytes not zero", sizes[i], nz);
    free(q);
  }
  int *a = calloc(1000, sizeof(int));
  CHECK(a && a[0] == 0 && a[999] == 0 && malloc_usable_size(a) >= 1000 * sizeof(int), "calloc(1000, 4)");
  free(a);
  errno = 0;
  CHECK(calloc(opaque(SIZE_MAX / 2), 3) == NULL && errno == ENOMEM, "calloc overflow: not NULL/ENOMEM");
  errno = 0;
  CHECK(calloc(opaque((size_t)1 << (sizeof(size_t) * 4)), opaque((size_t)1 << (sizeof(size_t) * 4))) == NULL && errno == ENOMEM,
        "calloc(2^k, 2^k) overflow: not NULL/ENOMEM");
  void *z = hide(calloc(0, 10));
  CHECK(z != NULL, "calloc(0, 10) = NULL");
  free(z);
}

static void test_realloc(void) {
  size_t before = live();
  /* realloc(NULL, n) is malloc(n) */
  char *p = hide(realloc(NULL, 100));
  CHECK(p && live() == before + 1, "realloc(NULL, 100) is not malloc");
  if (!p) return;
  fill(p, 100, 1);
  /* grow: small -> small, small -> large, large -> larger */
  static const size_t grow[] = {200, 2000, 5000, 50000, 1000000};
  size_t have = 100;
  for (size_t i = 0; i < 5; i++) {
    char *q = realloc(p, grow[i]);
    CHECK(q != NULL, "realloc grow to %zu = NULL", grow[i]);
    if (!q) return;
    CHECK(intact(q, have, 1), "realloc grow to %zu lost the contents", grow[i]);
    CHECK(malloc_usable_size(q) >= grow[i] && aligned(q, 16), "realloc(%zu): usable/alignment", grow[i]);
    p = q;
    fill(p, grow[i], 1);
    have = grow[i];
  }
  /* shrink: large -> smaller large -> small */
  static const size_t shrink[] = {30000, 3000, 1000, 10};
  for (size_t i = 0; i < 4; i++) {
    char *q = realloc(p, shrink[i]);
    CHECK(q != NULL, "realloc shrink to %zu = NULL", shrink[i]);
    if (!q) return;
    CHECK(intact(q, shrink[i], 1), "realloc shrink to %zu lost the contents", shrink[i]);
    CHECK(malloc_usable_size(q) >= shrink[i], "realloc shrink: usable %zu", malloc_usable_size(q));
    p = q;
  }
  CHECK(live() == before + 1, "realloc leaked: %zu live, expected %zu", live(), before + 1);
  /* a failed realloc leaves the block alone */
  errno = 0;
  CHECK(realloc(p, opaque(SIZE_MAX - 64)) == NULL && errno == ENOMEM, "realloc(p, huge): not NULL/ENOMEM");
  CHECK(intact(p, 10, 1) && live() == before + 1, "a failed realloc changed the block");
  /* realloc(p, 0) frees p and returns NULL (as dlmalloc and emmalloc) */
  CHECK(realloc(p, 0) == NULL, "realloc(p, 0) != NULL");
  CHECK(live() == before, "realloc(p, 0) did not free p");
}

static void test_aligned(void) {
  for (size_t a = 1; a <= 1u << 20; a <<= 1) {
    void *p = memalign(a, 100);
    CHECK(p && aligned(p, a), "memalign(%zu, 100) = %p", a, p);
    if (p) {
      CHECK(malloc_usable_size(p) >= 100, "memalign(%zu): usable %zu", a, malloc_usable_size(p));
      fill(p, 100, (unsigned)a);
    }
    void *q = memalign(a, 5000);
    CHECK(q && aligned(q, a), "memalign(%zu, 5000) = %p", a, q);
    if (p) CHECK(intact(p, 100, (unsigned)a), "memalign(%zu) blocks overlap", a);
    free(p);
    free(q);
  }
  void *p = memalign(opaque(48), 10); /* not a power of two: rounded up (as glibc) */
  CHECK(p && aligned(p, 64), "memalign(48) = %p", p);
  free(p);
  p = memalign(opaque(0), 10); /* as glibc: an alignment <= 16 is malloc's */
  CHECK(p && aligned(p, 16), "memalign(0, 10) = %p", p);
  free(p);
  /* As glibc: above SIZE_MAX / 2 + 1 no power of two is left to round to:
   * EINVAL; a power of two too large to serve: ENOMEM. */
  size_t bad[] = {SIZE_MAX, SIZE_MAX / 2 + 2, SIZE_MAX - 4095};
  for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
    errno = 0;
    p = memalign(opaque(bad[i]), 10);
    CHECK(p == NULL && errno == EINVAL, "memalign(%zx, 10) = %p, errno %d, not EINVAL", bad[i], p, errno);
  }
  errno = 0;
  p = memalign(opaque(SIZE_MAX / 2 + 1), 10);
  CHECK(p == NULL && errno == ENOMEM, "memalign(SIZE_MAX / 2 + 1, 10) = %p, errno %d, not ENOMEM", p, errno);
  errno = 0;
  p = memalign(opaque(SIZE_MAX / 4 + 7), 10); /* rounded up to SIZE_MAX / 2 + 1 */
  CHECK(p == NULL && errno == ENOMEM, "memalign(SIZE_MAX / 4 + 7, 10) = %p, errno %d, not ENOMEM", p, errno);

  p = aligned_alloc(256, 1024);
  CHECK(p && aligned(p, 256), "aligned_alloc(256, 1024) = %p", p);
  free(p);
  p = aligned_alloc(4096, 10000);
  CHECK(p && aligned(p, 4096) && malloc_usable_size(p) >= 10000, "aligned_alloc(4096, 10000) = %p", p);
  free(p);
  errno = 0;
  CHECK(aligned_alloc(opaque(3), 30) == NULL && errno == EINVAL, "aligned_alloc(3): not NULL/EINVAL");
  errno = 0;
  CHECK(aligned_alloc(opaque(0), 30) == NULL && errno == EINVAL, "aligned_alloc(0): not NULL/EINVAL");

  void *out = &out;
  CHECK(posix_memalign(&out, 64, 200) == 0 && aligned(out, 64), "posix_memalign(64, 200)");
  if (out != &out) free(out);
  out = &out;
  CHECK(posix_memalign(&out, 65536, 70000) == 0 && aligned(out, 65536), "posix_memalign(65536, 70000)");
  if (out != &out) free(out);
  out = &out;
  CHECK(posix_memalign(&out, 24, 8) == EINVAL && out == &out, "posix_memalign(24): not EINVAL, untouched");
  CHECK(posix_memalign(&out, sizeof(void *) / 2, 8) == EINVAL && out == &out,
        "posix_memalign(sizeof(void *)/2): not EINVAL");
  CHECK(posix_memalign(&out, 0, 8) == EINVAL && out == &out, "posix_memalign(0): not EINVAL");
  errno = 0;
  CHECK(posix_memalign(&out, 64, opaque(SIZE_MAX - 100)) == ENOMEM && out == &out && errno == 0,
        "posix_memalign(huge): not ENOMEM, or errno changed");

  p = valloc(100);
  CHECK(p && aligned(p, PAGE), "valloc(100) = %p not %u-aligned", p, PAGE);
  free(p);
  p = pvalloc(100);
  CHECK(p && aligned(p, PAGE) && malloc_usable_size(p) >= PAGE, "pvalloc(100) = %p, usable %zu", p,
        p ? malloc_usable_size(p) : 0);
  free(p);
  p = pvalloc(0);
  CHECK(p && aligned(p, PAGE) && malloc_usable_size(p) >= PAGE, "pvalloc(0)");
  free(p);
  errno = 0;
  CHECK(pvalloc(opaque(SIZE_MAX - 10)) == NULL && errno == ENOMEM, "pvalloc(huge): not NULL/ENOMEM");
}

static void test_reallocarray(void) {
  int *a = reallocarray(NULL, 10, sizeof(int));
  CHECK(a != NULL, "reallocarray(NULL, 10, 4) = NULL");
  if (!a) return;
  for (int i = 0; i < 10; i++) a[i] = i * i;
  int *b = reallocarray(a, 1000, sizeof(int));
  CHECK(b != NULL, "reallocarray grow = NULL");
  if (!b) return;
  int ok = 1;
  for (int i = 0; i < 10; i++) ok &= b[i] == i * i;
  CHECK(ok, "reallocarray lost the contents");
  errno = 0;
  CHECK(reallocarray(b, opaque(SIZE_MAX / 4), 8) == NULL && errno == ENOMEM, "reallocarray overflow: not NULL/ENOMEM");
  CHECK(b[9] == 81, "a failed reallocarray changed the block");
  free(b);
}

static void test_mallinfo(void) {
#if !defined(__wasi__) && !defined(ALLIGATOR_PREFIX)
  void *p = hide(malloc(50000));
#if defined(__GNUC__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
#endif
  struct mallinfo mi = mallinfo();
#if defined(__GNUC__)
#pragma GCC diagnostic pop
#endif
  alligator_stats_t st;
  alligator_stats(&st);
  CHECK(mi.arena > 0 && (size_t)mi.arena == st.heap_bytes, "mallinfo.arena %d, heap %zu", mi.arena, st.heap_bytes);
  CHECK(mi.uordblks >= 50000 && (size_t)mi.uordblks == st.in_use_bytes, "mallinfo.uordblks %d, in use %zu",
        mi.uordblks, st.in_use_bytes);
  CHECK(mi.hblks >= 1 && (size_t)mi.fordblks == st.free_bytes, "mallinfo.hblks %d, fordblks %d", mi.hblks,
        mi.fordblks);
#if defined(__GLIBC__) && (__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 33))
  /* glibc 2.33's mallinfo2 (size_t fields) answers from this heap too. */
  struct mallinfo2 m2 = mallinfo2();
  CHECK(m2.arena == st.heap_bytes && m2.uordblks == st.in_use_bytes && m2.fordblks == st.free_bytes &&
            m2.hblks == st.large_blocks && m2.hblkhd == st.large_bytes,
        "mallinfo2: arena %zu uordblks %zu fordblks %zu hblks %zu, not Alligator's (heap %zu, in use %zu)",
        m2.arena, m2.uordblks, m2.fordblks, m2.hblks, st.heap_bytes, st.in_use_bytes);
#endif
  free(p);
#endif
}

static void test_stats_validate_map(void) {
  alligator_stats_t a, b;
  alligator_stats(&a);
  CHECK(a.class_count == ALLIGATOR_CLASSES, "class_count %zu", a.class_count);
  CHECK(a.class_size[0] == 16 && a.class_size[ALLIGATOR_CLASSES - 1] == 2048, "class sizes %zu..%zu",
        a.class_size[0], a.class_size[ALLIGATOR_CLASSES - 1]);
  void *small[40], *big = hide(malloc(300000));
  for (int i = 0; i < 40; i++) small[i] = hide(malloc(24));
  alligator_stats(&b);
  CHECK(b.live_allocations == a.live_allocations + 41, "stats: live %zu -> %zu", a.live_allocations,
        b.live_allocations);
  CHECK(b.in_use_bytes >= a.in_use_bytes + 300000 + 40 * 24, "stats: in use %zu -> %zu", a.in_use_bytes,
        b.in_use_bytes);
  CHECK(b.large_blocks == a.large_blocks + 1, "stats: large blocks %zu -> %zu", a.large_blocks, b.large_blocks);
  CHECK(b.class_used[1] >= a.class_used[1] + 40, "stats: class 1 (32 B) used %zu -> %zu", a.class_used[1],
        b.class_used[1]);
  CHECK(b.peak_in_use_bytes >= b.in_use_bytes && b.heap_bytes >= b.in_use_bytes + b.free_bytes,
        "stats: peak/heap inconsistent");
  CHECK(b.heap_bytes == b.in_use_bytes + b.free_bytes + b.overhead_bytes, "stats: heap != in use + free + overhead");
  CHECK(b.fragmentation >= 0.0 && b.fragmentation <= 1.0, "stats: fragmentation %f", b.fragmentation);
  CHECK(validate(), "alligator_validate found problems");

  static alligator_span_info map[4096]; /* static: 80 KiB is more than a wasm stack */
  size_t n = alligator_heap_map(map, 4096);
  CHECK(n > 0 && n <= 4096, "alligator_heap_map: %zu spans", n);
  if (n > 4096) n = 4096;
  size_t mini = 0, large = 0, ends = 0, total = 0, used = 0;
  int ordered = 1, kinds = 1;
  for (size_t i = 0; i < n; i++) {
    if (i && map[i].address <= map[i - 1].address) ordered = 0;
    if (map[i].kind < 1 || map[i].kind > 4) kinds = 0;
    if (map[i].kind == 3) {
      mini++;
      used += map[i].used;
      if (map[i].used > map[i].slots || map[i].cls >= ALLIGATOR_CLASSES) kinds = 0;
    }
    large += map[i].kind == 2;
    ends += map[i].kind == 4;
    total += map[i].bytes;
  }
  CHECK(ordered && kinds, "alligator_heap_map: entries out of order or bad kinds");
  CHECK(mini == b.minipages && large == b.large_blocks, "heap map: %zu MiniPages, %zu large; stats %zu, %zu", mini,
        large, b.minipages, b.large_blocks);
  CHECK(ends >= 1 && total <= b.heap_bytes, "heap map: %zu END headers, %zu bytes of %zu", ends, total, b.heap_bytes);
  CHECK(used + large == b.live_allocations, "heap map: %zu used segments + %zu large != %zu live", used, large,
        b.live_allocations);
  CHECK(alligator_heap_map(map, 1) == n, "alligator_heap_map(max 1) counts all spans");

  for (int i = 0; i < 40; i++) free(small[i]);
  free(big);
  alligator_stats(&b);
  CHECK(b.live_allocations == a.live_allocations && b.in_use_bytes == a.in_use_bytes,
        "stats after free: live %zu in use %zu, expected %zu %zu", b.live_allocations, b.in_use_bytes,
        a.live_allocations, a.in_use_bytes);
}

/* volatile: the compiler may assume free() leaves our globals alone */
static volatile int last_kind;
static void *volatile last_ptr;
static void on_error(int kind, void *ptr, const char *message) {
  (void)message;
  last_kind = kind;
  last_ptr = ptr;
}

static void test_error_handler(void) {
  alligator_error_fn old = alligator_set_error_handler(on_error);
  CHECK(old != NULL, "alligator_set_error_handler returned NULL");
  void *keep = hide(malloc(40)), *p = hide(malloc(40));
  free(p);
  free(hide(p)); /* double free: reported, then ignored */
  CHECK(last_kind == ALLIGATOR_DOUBLE_FREE && last_ptr == p, "double free: kind %d", last_kind);
  int local;
  last_kind = 0;
  free(hide(&local)); /* not from malloc */
  CHECK(last_kind == ALLIGATOR_INVALID_POINTER, "foreign pointer: kind %d", last_kind);
  free(keep);
  CHECK(validate(), "heap broken after misuse was reported");
  CHECK(alligator_set_error_handler(old) == on_error, "alligator_set_error_handler did not return ours");
}

static void test_oom(void) {
#if !defined(__wasm__)
  /* The host shim's heap limit: capped at the current heap, a large request
   * that needs growth fails with ENOMEM and is counted; lifted, it works. */
  alligator_stats_t a, b;
  alligator_stats(&a);
  alligator_host_set_limit(a.heap_bytes + 65535);
  errno = 0;
  void *p = hide(malloc(a.heap_bytes + 1000000));
  alligator_stats(&b);
  CHECK(p == NULL && errno == ENOMEM && b.oom_count == a.oom_count + 1, "capped heap: %p errno %d oom %zu->%zu", p,
        errno, a.oom_count, b.oom_count);
  alligator_host_set_limit(0);
  p = hide(malloc(a.heap_bytes + 1000000));
  CHECK(p != NULL, "malloc after lifting the heap limit = NULL");
  free(p);
#endif
}

/* Last: the heap stays this big (mallinfo's int fields would wrap). */
static void test_over_4gib(void) {
#if !defined(__wasm__) && defined(__SIZEOF_POINTER__) && __SIZEOF_POINTER__ >= 8
  /* 64-bit hosts: more than 4 GiB (the host shim's reservation is 32 GiB;
   * pages not touched cost nothing). */
  size_t big = (size_t)5 << 30;
  char *b = hide(malloc(opaque(big)));
  CHECK(b != NULL, "malloc(5 GiB) = NULL (errno %d): the host heap is capped", errno);
  if (b) {
    b[0] = 1, b[big - 1] = 2;
    CHECK(malloc_usable_size(b) >= big && b[0] == 1 && b[big - 1] == 2, "malloc(5 GiB): usable %zu",
          malloc_usable_size(b));
    char *c = hide(malloc(100));
    CHECK(c && (c + 100 <= b || c >= b + big), "malloc(100) = %p inside the 5 GiB block %p", (void *)c, (void *)b);
    free(c);
    CHECK(validate(), "alligator_validate with a 5 GiB block");
    free(b);
  }
  /* The largest request: its span lands in the last bins. */
  b = hide(malloc(opaque(ALLIGATOR_MAX_REQUEST)));
  CHECK(b != NULL, "malloc(ALLIGATOR_MAX_REQUEST = %zu) = NULL (errno %d)", (size_t)ALLIGATOR_MAX_REQUEST, errno);
  if (b) b[0] = 1, b[ALLIGATOR_MAX_REQUEST - 1] = 2;
  free(b);
  CHECK(validate(), "alligator_validate after the largest request");
#endif
}

int main(void) {
  printf("test-c: Alligator %s\n", ALLIGATOR_VERSION); /* stdio's buffer first */
  test_is_alligator();
  test_malloc_free();
  test_calloc();
  test_realloc();
  test_aligned();
  test_reallocarray();
  test_mallinfo();
  test_stats_validate_map();
  test_error_handler();
  test_oom();
  test_over_4gib();
  CHECK(validate(), "alligator_validate at the end");
  return check_summary("test-c");
}
