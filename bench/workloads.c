/* Allocator benchmark workloads: one source for every allocator and runtime.
 *
 * Each workload is deterministic from its seed: the same sequence of calls
 * with the same sizes for every allocator.  Each writes into the blocks it
 * gets and folds what it reads back into a checksum, which must be the same
 * for every allocator (it never depends on addresses).  Each tracks its
 * peak live bytes: the highest sum of requested sizes of live blocks.
 *
 * The allocator is chosen at build time (bench.h).  ops = allocator calls.
 */
#include <string.h>
#include "bench.h"

const char *const bench_workload_names[W_COUNT] = {
  "random_actions", "random_actions_realloc", "small_churn", "growth", "class_sweep",
  "fragmentation", "json", "adv_dlmalloc", "adv_emmalloc", "adv_alligator",
};

/* ---- the allocator calls ------------------------------------------------ */
#ifdef BENCH_INSTR
#define OPFN __attribute__((noinline))
bench_op_record_fn bench_op_record;
void *op_malloc(size_t n);
void op_free(void *p);
void *op_realloc(void *p, size_t n);
void *op_calloc(size_t c, size_t n);
void *op_memalign(size_t a, size_t n);
/* Callgrind client requests around each call: zero the counters just
 * before it, dump them just after it (all dumps go to one file with
 * --combine-dumps=yes).  The few instructions of the requests themselves are
 * measured by empty pairs (kind 7) and subtracted by bench/run.js. */
#include <valgrind/callgrind.h>
enum { K_MALLOC, K_FREE, K_REALLOC, K_CALLOC, K_MEMALIGN, K_EMPTY = 7 };
static unsigned long grow_before;
#define OP_BEGIN()                       \
  do {                                   \
    grow_before = bench_grow_count();    \
    CALLGRIND_ZERO_STATS;                \
  } while (0)
#define OP_END(kind)                                              \
  do {                                                            \
    CALLGRIND_DUMP_STATS;                                         \
    bench_op_record((kind), bench_grow_count() != grow_before);   \
  } while (0)
#else
#define OPFN static inline
#define OP_BEGIN() ((void)0)
#define OP_END(kind) ((void)0)
#endif

/* OP_AFTER: in instruction-count builds, an empty asm after the call keeps
 * the compiler from turning it into a tail jump, so the op_* function really
 * returns after the allocator does (callgrind's --dump-after needs that). */
#ifdef BENCH_INSTR
#define OP_AFTER() __asm__ volatile("" ::: "memory")
#else
#define OP_AFTER() ((void)0)
#endif
OPFN void *op_malloc(size_t n) {
  void *p = B_MALLOC(n);
  OP_AFTER();
  return p;
}
OPFN void op_free(void *p) {
  B_FREE(p);
  OP_AFTER();
}
OPFN void *op_realloc(void *p, size_t n) {
  void *q = B_REALLOC(p, n);
  OP_AFTER();
  return q;
}
OPFN void *op_calloc(size_t c, size_t n) {
  void *p = B_CALLOC(c, n);
  OP_AFTER();
  return p;
}
OPFN void *op_memalign(size_t a, size_t n) {
  void *p = B_MEMALIGN(a, n);
  OP_AFTER();
  return p;
}

/* ---- bookkeeping ------------------------------------------------------- */
static double ops;
static size_t live, peak_live;
static uint32_t sum;
static int failed;

static void mix(uint32_t v) { sum = (sum ^ v) * 16777619u; }
static void note_live_add(size_t n) {
  live += n;
  if (live > peak_live) peak_live = live;
}

/* Out of memory or a broken block: the checksum is spoiled on purpose. */
static void fail(void) {
  failed = 1;
  sum = 0xDEADu;
}

static void *xmalloc(size_t n) {
  OP_BEGIN();
  void *p = op_malloc(n);
  OP_END(0);
  ops++;
  if (!p) fail();
  else note_live_add(n);
  return p;
}

static void *xcalloc(size_t c, size_t n) {
  OP_BEGIN();
  void *p = op_calloc(c, n);
  OP_END(3);
  ops++;
  if (!p) fail();
  else note_live_add(c * n);
  return p;
}

static void *xmemalign(size_t a, size_t n) {
  OP_BEGIN();
  void *p = op_memalign(a, n);
  OP_END(4);
  ops++;
  if (!p || ((uintptr_t)p & (a - 1))) fail();
  else note_live_add(n);
  return p;
}

static void xfree(void *p, size_t n) {
  OP_BEGIN();
  op_free(p);
  OP_END(1);
  ops++;
  live -= n;
}

static void *xrealloc(void *p, size_t old, size_t n) {
  OP_BEGIN();
  void *q = op_realloc(p, n);
  OP_END(2);
  ops++;
  if (!q) {
    fail();
    return p;
  }
  live -= old;
  note_live_add(n);
  return q;
}

/* ---- data written into blocks ---------------------------------------- */
/* A block of n >= 1 bytes carries a tag in its first, middle and last byte
 * (fewer for n < 3); reading it back checks that no one else wrote there. */
static unsigned char expect_at(size_t i, size_t n, uint32_t tag) {
  if (i == 0) return (unsigned char)tag;
  if (i == n / 2) return (unsigned char)(tag >> 8);
  return (unsigned char)(tag >> 16);
}
static void stamp(void *p, size_t n, uint32_t tag) {
  unsigned char *b = p;
  b[n - 1] = expect_at(n - 1, n, tag);
  b[n / 2] = expect_at(n / 2, n, tag);
  b[0] = (unsigned char)tag;
}
static void check(const void *p, size_t n, uint32_t tag) {
  const unsigned char *b = p;
  if (b[0] != expect_at(0, n, tag) || b[n / 2] != expect_at(n / 2, n, tag) ||
      b[n - 1] != expect_at(n - 1, n, tag))
    fail();
  mix(b[0] | (uint32_t)b[n / 2] << 8 | (uint32_t)b[n - 1] << 16);
}
/* After a realloc only the first byte is known to be where stamp() put it. */
static void check_first(const void *p, uint32_t tag) {
  if (*(const unsigned char *)p != (unsigned char)tag) fail();
  mix(tag & 0xFFu);
}

/* ---- random numbers: xorshift64*, the same on every target -------------- */
typedef struct { uint64_t s; } rng_t;
static void rng_seed(rng_t *r, uint32_t seed) { r->s = 0x9E3779B97F4A7C15ull ^ ((uint64_t)seed << 1 | 1); }
static uint32_t rnd(rng_t *r) {
  r->s ^= r->s >> 12;
  r->s ^= r->s << 25;
  r->s ^= r->s >> 27;
  return (uint32_t)((r->s * 0x2545F4914F6CDD1Dull) >> 32);
}
/* uniform in [lo, hi] */
static uint32_t between(rng_t *r, uint32_t lo, uint32_t hi) {
  return lo + (uint32_t)(((uint64_t)rnd(r) * (hi - lo + 1)) >> 32);
}
static size_t scaled(double scale, size_t n) {
  double v = scale * (double)n;
  return v < 1 ? 1 : (size_t)v;
}

/* ---- random_actions (talc's wasm benchmark) and the realloc variant ------ */
#define RA_SLOTS 2500
typedef struct { void *p; uint32_t n, tag; } slot_t;
static slot_t ra[RA_SLOTS];

static void random_actions(rng_t *r, double scale, int with_realloc) {
  size_t steps = scaled(scale, 400000);
  memset(ra, 0, sizeof ra);
  for (size_t i = 0; i < steps; i++) {
    slot_t *s = &ra[between(r, 0, RA_SLOTS - 1)];
    if (!s->p) {
      s->n = between(r, 1, 10000);
      s->tag = rnd(r);
      if (!(s->p = xmalloc(s->n))) return;
      stamp(s->p, s->n, s->tag);
    } else if (with_realloc && (rnd(r) & 1)) {
      uint32_t n = between(r, 1, 10000);
      s->p = xrealloc(s->p, s->n, n);
      if (failed) return;
      check_first(s->p, s->tag); /* the contents moved with it */
      s->n = n;
      s->tag = rnd(r);
      stamp(s->p, s->n, s->tag);
    } else {
      check(s->p, s->n, s->tag);
      xfree(s->p, s->n);
      s->p = NULL;
    }
  }
  for (size_t i = 0; i < RA_SLOTS; i++)
    if (ra[i].p) {
      check(ra[i].p, ra[i].n, ra[i].tag);
      xfree(ra[i].p, ra[i].n);
    }
}

/* ---- small_churn: trees and lists of 8..256-byte nodes ------------------- */
typedef struct tnode { struct tnode *l, *r; uint32_t key, size; } tnode;
typedef struct lnode { struct lnode *next; uint32_t key; } lnode; /* 8 bytes on 32-bit */

static tnode *tree_insert(tnode *root, tnode *n) {
  if (!root) return n;
  tnode *t = root;
  for (;;) {
    tnode **next = n->key < t->key ? &t->l : &t->r;
    if (!*next) { *next = n; return root; }
    t = *next;
  }
}
/* post-order teardown with an explicit stack (no deep recursion) */
static void tree_free(tnode *root, tnode **stack) {
  size_t sp = 0;
  if (root) stack[sp++] = root;
  while (sp) {
    tnode *t = stack[--sp];
    if (t->l) stack[sp++] = t->l;
    if (t->r) stack[sp++] = t->r;
    unsigned char *payload = (unsigned char *)(t + 1);
    size_t extra = t->size - sizeof(tnode);
    if (extra && (payload[0] != (unsigned char)t->key || (extra > 1 && payload[extra - 1] != (unsigned char)(t->key >> 8))))
      fail();
    mix(t->key ^ t->size);
    xfree(t, t->size);
  }
}

#define SC_NODES 3000
static tnode *sc_stack[SC_NODES * 2 + 8];

static tnode *tree_build(rng_t *r, unsigned count) {
  tnode *root = NULL;
  for (unsigned i = 0; i < count; i++) {
    uint32_t size = between(r, 8, 256);
    if (size < sizeof(tnode)) size = sizeof(tnode);
    tnode *t = xmalloc(size);
    if (!t) return root;
    t->l = t->r = NULL;
    t->key = rnd(r);
    t->size = size;
    size_t extra = size - sizeof(tnode);
    if (extra) {
      unsigned char *payload = (unsigned char *)(t + 1);
      payload[extra - 1] = (unsigned char)(t->key >> 8);
      payload[0] = (unsigned char)t->key;
    }
    root = tree_insert(root, t);
  }
  return root;
}

static void small_churn(rng_t *r, double scale) {
  size_t rounds = scaled(scale, 40);
  tnode *trees[3] = {NULL, NULL, NULL};
  for (size_t round = 0; round < rounds && !failed; round++) {
    /* a list of 8..64-byte nodes, built while a tree is alive */
    lnode *head = NULL;
    unsigned len = between(r, 500, 2000);
    for (unsigned i = 0; i < len; i++) {
      uint32_t size = between(r, 8, 64);
      if (size < sizeof(lnode)) size = sizeof(lnode);
      lnode *l = xmalloc(size);
      if (!l) return;
      l->next = head;
      l->key = size;
      head = l;
    }
    unsigned k = (unsigned)(round % 3);
    tree_free(trees[k], sc_stack);
    trees[k] = tree_build(r, between(r, SC_NODES / 2, SC_NODES));
    /* tear the list down, every other node first */
    lnode **pp = &head;
    for (int flip = 0; *pp; flip ^= 1) {
      lnode *l = *pp;
      if (flip) {
        *pp = l->next;
        mix(l->key);
        xfree(l, l->key);
      } else {
        pp = &l->next;
      }
    }
    while (head) {
      lnode *l = head;
      head = l->next;
      mix(l->key);
      xfree(l, l->key);
    }
  }
  for (int k = 0; k < 3; k++) tree_free(trees[k], sc_stack);
}


/* ---- growth: buffers grown from empty to megabytes by realloc ----------- */
#define GR_BUFS 4
#define GR_RING 64
static void growth(rng_t *r, double scale) {
  size_t rounds = scaled(scale, 4);
  for (size_t round = 0; round < rounds && !failed; round++) {
    unsigned char *buf[GR_BUFS] = {0};
    size_t len[GR_BUFS] = {0}, cap[GR_BUFS] = {0};
    /* short runs (scale < 1/4: quick mode, instruction counts) grow less far */
    double t = scale < 0.25 ? scale * 4 : 1;
    size_t target[GR_BUFS] = {(size_t)(t * (1 << 20)), (size_t)(t * (1 << 21)), (size_t)(t * (3 << 19)),
                              (size_t)(t * (1 << 23))};
    void *ring[GR_RING] = {0};
    uint32_t ringn[GR_RING] = {0};
    int done = 0;
    while (done < GR_BUFS && !failed) {
      unsigned i = between(r, 0, GR_BUFS - 1);
      if (len[i] >= target[i]) {
        continue;
      }
      size_t add = between(r, 1, 512), want = len[i] + add;
      if (i == 3) { /* a vector: capacity doubles */
        if (want > cap[i]) {
          size_t nc = cap[i] ? cap[i] * 2 : 64;
          while (nc < want) nc *= 2;
          buf[i] = buf[i] ? xrealloc(buf[i], cap[i], nc) : xmalloc(nc);
          cap[i] = nc;
        }
      } else { /* a string grown to exactly its length, every time */
        buf[i] = buf[i] ? xrealloc(buf[i], len[i], want) : xmalloc(want);
        cap[i] = want;
      }
      if (failed) break;
      for (size_t j = len[i]; j < want; j++) buf[i][j] = (unsigned char)(j * 131 + i);
      len[i] = want;
      if (len[i] >= target[i]) done++;
      /* small short-lived allocations in between */
      unsigned k = between(r, 0, GR_RING - 1);
      if (ring[k]) xfree(ring[k], ringn[k]);
      ringn[k] = between(r, 16, 128);
      ring[k] = xmalloc(ringn[k]);
      if (ring[k]) memset(ring[k], (int)k, ringn[k]);
    }
    for (unsigned i = 0; i < GR_BUFS; i++) {
      if (!buf[i]) continue;
      for (size_t j = 0; j < len[i]; j += 4093)
        if (buf[i][j] != (unsigned char)(j * 131 + i)) fail();
      mix((uint32_t)len[i]);
      mix(buf[i][len[i] - 1]);
      xfree(buf[i], cap[i]);
    }
    for (unsigned k = 0; k < GR_RING; k++)
      if (ring[k]) {
        mix(((unsigned char *)ring[k])[ringn[k] - 1]);
        xfree(ring[k], ringn[k]);
      }
  }
}

/* ---- class_sweep: steady state at each size 1 B .. 4 KiB ---------------- */
#define CS_RING 48
static void class_sweep(rng_t *r, double scale) {
  void *ring[CS_RING];
  uint32_t tag[CS_RING];
  size_t steady = scaled(scale, 1600);
  for (uint32_t size = 1; size <= 4096 && !failed; size += (size < 256 ? 3 : 13)) {
    for (unsigned i = 0; i < CS_RING; i++) {
      ring[i] = xmalloc(size);
      if (!ring[i]) return;
      tag[i] = rnd(r);
      stamp(ring[i], size, tag[i]);
    }
    for (size_t s = 0; s < steady; s++) {
      unsigned i = between(r, 0, CS_RING - 1);
      check(ring[i], size, tag[i]);
      xfree(ring[i], size);
      ring[i] = xmalloc(size);
      if (!ring[i]) return;
      tag[i] = rnd(r);
      stamp(ring[i], size, tag[i]);
    }
    for (unsigned i = 0; i < CS_RING; i++) {
      check(ring[i], size, tag[i]);
      xfree(ring[i], size);
    }
  }
}

/* ---- fragmentation: many blocks, free every other, then larger ones ------ */
#define FR_N 12000
static void *fr_p[FR_N], *fr_q[FR_N / 2];
static uint32_t fr_n[FR_N], fr_m[FR_N / 2];
static void fragmentation(rng_t *r, double scale) {
  size_t rounds = scaled(scale, 12);
  for (size_t round = 0; round < rounds && !failed; round++) {
    uint32_t lo = 16u << (round % 3), hi = 128u << (round % 3); /* 16..128, 32..256, 64..512 */
    for (unsigned i = 0; i < FR_N; i++) {
      fr_n[i] = between(r, lo, hi);
      if (!(fr_p[i] = xmalloc(fr_n[i]))) return;
      stamp(fr_p[i], fr_n[i], i);
    }
    for (unsigned i = 1; i < FR_N; i += 2) {
      check(fr_p[i], fr_n[i], i);
      xfree(fr_p[i], fr_n[i]);
    }
    for (unsigned i = 0; i < FR_N / 2; i++) {
      fr_m[i] = between(r, 2 * hi, 4 * hi);
      if (!(fr_q[i] = xmalloc(fr_m[i]))) return;
      stamp(fr_q[i], fr_m[i], i * 7);
    }
    for (unsigned i = 0; i < FR_N; i += 2) {
      check(fr_p[i], fr_n[i], i);
      xfree(fr_p[i], fr_n[i]);
    }
    for (unsigned i = 0; i < FR_N / 2; i++) {
      check(fr_q[i], fr_m[i], i * 7);
      xfree(fr_q[i], fr_m[i]);
    }
  }
}

/* ---- json: parse a document into a tree of small nodes, serialise it ---- */
enum { J_NULL, J_TRUE, J_FALSE, J_NUM, J_STR, J_ARR, J_OBJ };
typedef struct jnode {
  uint8_t type;
  uint32_t count, cap;       /* ARR/OBJ: children */
  long num;                  /* NUM */
  char *str;                 /* STR: the string; */
  uint32_t len;              /* STR: its length */
  struct jnode **kids;       /* ARR/OBJ */
  char **keys;               /* OBJ */
  uint32_t *keylen;          /* OBJ */
} jnode;

typedef struct { char *p; size_t len, cap; } sbuf;

static void sb_put(sbuf *b, const char *s, size_t n) {
  if (b->len + n > b->cap) {
    size_t nc = b->cap ? b->cap * 2 : 256;
    while (nc < b->len + n) nc *= 2;
    b->p = b->p ? xrealloc(b->p, b->cap, nc) : xmalloc(nc);
    b->cap = nc;
    if (failed) return;
  }
  memcpy(b->p + b->len, s, n);
  b->len += n;
}
static void sb_putc(sbuf *b, char c) { sb_put(b, &c, 1); }
static void sb_num(sbuf *b, long v) {
  char tmp[24];
  int i = 0;
  unsigned long u = v < 0 ? 0ul - (unsigned long)v : (unsigned long)v;
  do tmp[i++] = (char)('0' + u % 10); while (u /= 10);
  if (v < 0) tmp[i++] = '-';
  while (i) sb_putc(b, tmp[--i]);
}

/* The document (canonical form: no spaces, integers, plain strings). */
static const char *const words[] = {"id", "name", "alpha", "beta", "gamma", "delta", "value", "items",
                                     "enabled", "description", "x", "y", "tags", "parent", "children",
                                     "lorem ipsum dolor sit amet", "wasm", "heap"};
static void gen_string(rng_t *r, sbuf *b) {
  sb_putc(b, '"');
  unsigned n = between(r, 1, 3);
  for (unsigned i = 0; i < n; i++) {
    if (i) sb_putc(b, '_');
    const char *w = words[between(r, 0, sizeof words / sizeof *words - 1)];
    sb_put(b, w, strlen(w));
  }
  sb_putc(b, '"');
}
static void gen_value(rng_t *r, sbuf *b, int depth) {
  unsigned t = depth >= 6 ? between(r, 0, 4) : between(r, 0, 7);
  switch (t) {
  case 0: sb_put(b, "null", 4); break;
  case 1:
    if (rnd(r) & 1) sb_put(b, "true", 4);
    else sb_put(b, "false", 5);
    break;
  case 2: case 3: sb_num(b, (long)(int32_t)rnd(r) / (long)between(r, 1, 100000)); break;
  case 4: gen_string(r, b); break;
  case 5: {
    sb_putc(b, '[');
    unsigned n = between(r, 0, 8);
    for (unsigned i = 0; i < n; i++) {
      if (i) sb_putc(b, ',');
      gen_value(r, b, depth + 1);
    }
    sb_putc(b, ']');
    break;
  }
  default: {
    sb_putc(b, '{');
    unsigned n = between(r, 0, 7);
    for (unsigned i = 0; i < n; i++) {
      if (i) sb_putc(b, ',');
      gen_string(r, b);
      sb_putc(b, ':');
      gen_value(r, b, depth + 1);
    }
    sb_putc(b, '}');
  }
  }
}

typedef struct { const char *s; size_t i, n; } jparser;

static jnode *jnew(uint8_t type) {
  jnode *j = xmalloc(sizeof *j);
  if (!j) return NULL;
  memset(j, 0, sizeof *j);
  j->type = type;
  return j;
}
static char *jstring(jparser *p, uint32_t *len) {
  size_t start = ++p->i; /* after '"' */
  while (p->i < p->n && p->s[p->i] != '"') p->i++;
  size_t n = p->i - start;
  p->i++;
  char *s = xmalloc(n + 1);
  if (!s) return NULL;
  memcpy(s, p->s + start, n);
  s[n] = 0;
  *len = (uint32_t)n;
  return s;
}
static int jadd(jnode *j, jnode *kid, char *key, uint32_t keylen) {
  if (j->count == j->cap) {
    uint32_t nc = j->cap ? j->cap * 2 : 2;
    j->kids = j->kids ? xrealloc(j->kids, j->cap * sizeof *j->kids, nc * sizeof *j->kids)
                      : xmalloc(nc * sizeof *j->kids);
    if (j->type == J_OBJ) {
      j->keys = j->keys ? xrealloc(j->keys, j->cap * sizeof *j->keys, nc * sizeof *j->keys)
                        : xmalloc(nc * sizeof *j->keys);
      j->keylen = j->keylen ? xrealloc(j->keylen, j->cap * sizeof *j->keylen, nc * sizeof *j->keylen)
                            : xmalloc(nc * sizeof *j->keylen);
    }
    if (failed) return 0;
    j->cap = nc;
  }
  j->kids[j->count] = kid;
  if (j->type == J_OBJ) {
    j->keys[j->count] = key;
    j->keylen[j->count] = keylen;
  }
  j->count++;
  return 1;
}
static jnode *jparse(jparser *p, int depth) {
  if (failed || p->i >= p->n || depth > 64) { fail(); return NULL; }
  char c = p->s[p->i];
  jnode *j;
  switch (c) {
  case 'n': p->i += 4; return jnew(J_NULL);
  case 't': p->i += 4; return jnew(J_TRUE);
  case 'f': p->i += 5; return jnew(J_FALSE);
  case '"':
    if (!(j = jnew(J_STR))) return NULL;
    j->str = jstring(p, &j->len);
    return j;
  case '[': case '{': {
    int obj = c == '{';
    if (!(j = jnew(obj ? J_OBJ : J_ARR))) return NULL;
    p->i++;
    if (p->s[p->i] == (obj ? '}' : ']')) { p->i++; return j; }
    for (;;) {
      char *key = NULL;
      uint32_t keylen = 0;
      if (obj) {
        key = jstring(p, &keylen);
        p->i++; /* ':' */
      }
      jnode *kid = jparse(p, depth + 1);
      if (!kid || !jadd(j, kid, key, keylen)) return j;
      char d = p->s[p->i++];
      if (d != ',') break;
    }
    return j;
  }
  default: {
    if (!(j = jnew(J_NUM))) return NULL;
    int neg = c == '-';
    if (neg) p->i++;
    long v = 0;
    while (p->i < p->n && p->s[p->i] >= '0' && p->s[p->i] <= '9') v = v * 10 + (p->s[p->i++] - '0');
    j->num = neg ? -v : v;
    return j;
  }
  }
}
static void jwrite(sbuf *b, const jnode *j) {
  switch (j->type) {
  case J_NULL: sb_put(b, "null", 4); break;
  case J_TRUE: sb_put(b, "true", 4); break;
  case J_FALSE: sb_put(b, "false", 5); break;
  case J_NUM: sb_num(b, j->num); break;
  case J_STR: sb_putc(b, '"'); sb_put(b, j->str, j->len); sb_putc(b, '"'); break;
  default:
    sb_putc(b, j->type == J_OBJ ? '{' : '[');
    for (uint32_t i = 0; i < j->count; i++) {
      if (i) sb_putc(b, ',');
      if (j->type == J_OBJ) {
        sb_putc(b, '"');
        sb_put(b, j->keys[i], j->keylen[i]);
        sb_put(b, "\":", 2);
      }
      jwrite(b, j->kids[i]);
    }
    sb_putc(b, j->type == J_OBJ ? '}' : ']');
  }
}
static void jfree(jnode *j) {
  if (!j) return;
  if (j->type == J_STR && j->str) xfree(j->str, j->len + 1);
  if (j->type == J_ARR || j->type == J_OBJ) {
    for (uint32_t i = 0; i < j->count; i++) {
      jfree(j->kids[i]);
      if (j->type == J_OBJ) xfree(j->keys[i], j->keylen[i] + 1);
    }
    if (j->kids) xfree(j->kids, j->cap * sizeof *j->kids);
    if (j->keys) xfree(j->keys, j->cap * sizeof *j->keys);
    if (j->keylen) xfree(j->keylen, j->cap * sizeof *j->keylen);
  }
  xfree(j, sizeof *j);
}

static void json(rng_t *r, double scale) {
  sbuf doc = {0};
  sb_putc(&doc, '[');
  unsigned values = scale < 0.1 ? (unsigned)(scale * 15000 + 0.5) + 20 : 1500; /* shorter for short runs */
  for (unsigned i = 0; i < values && !failed; i++) {
    if (i) sb_putc(&doc, ',');
    gen_value(r, &doc, 0);
  }
  sb_putc(&doc, ']');
  if (failed) return;
  size_t rounds = scaled(scale, 10);
  for (size_t round = 0; round < rounds && !failed; round++) {
    jparser p = {doc.p, 0, doc.len};
    jnode *root = jparse(&p, 0);
    sbuf out = {0};
    if (!failed) jwrite(&out, root);
    if (!failed && (out.len != doc.len || memcmp(out.p, doc.p, doc.len))) fail();
    for (size_t i = 0; i < out.len; i += 61) mix((unsigned char)out.p[i]);
    mix((uint32_t)out.len);
    jfree(root);
    if (out.p) xfree(out.p, out.cap);
  }
  xfree(doc.p, doc.cap);
}

/* ---- adversarial traces: each peer's known slow path ------------------- */
/* dlmalloc: many small free chunks (in small bins, none adjacent), then
 * larger requests that must come from the tree bins or the top, and
 * 64 KiB-aligned requests. */
#define ADV_N 8000
static void *adv_a[ADV_N], *adv_b[ADV_N];
static uint32_t adv_an[ADV_N];
static void adv_dlmalloc(rng_t *r, double scale) {
  size_t rounds = scaled(scale, 6);
  for (size_t round = 0; round < rounds && !failed; round++) {
    for (unsigned i = 0; i < ADV_N; i++) {
      adv_an[i] = between(r, 8, 248);
      adv_a[i] = xmalloc(adv_an[i]);
      adv_b[i] = xmalloc(24); /* a pin: keeps the freed chunks apart */
      if (failed) return;
      stamp(adv_a[i], adv_an[i], i);
    }
    for (unsigned i = 0; i < ADV_N; i++) {
      check(adv_a[i], adv_an[i], i);
      xfree(adv_a[i], adv_an[i]);
    }
    /* larger requests among thousands of small free chunks */
    for (unsigned i = 0; i < ADV_N / 4; i++) {
      adv_an[i] = between(r, 256, 8192);
      if (!(adv_a[i] = (i & 15) == 15 ? xmemalign(65536, adv_an[i]) : xmalloc(adv_an[i]))) return;
      stamp(adv_a[i], adv_an[i], i);
    }
    for (unsigned i = 0; i < ADV_N / 4; i++) {
      check(adv_a[i], adv_an[i], i);
      xfree(adv_a[i], adv_an[i]);
    }
    for (unsigned i = 0; i < ADV_N; i++) xfree(adv_b[i], 24);
  }
}

/* emmalloc: many free regions in one bucket, each slightly too small for
 * the next request, so that its walk of the largest bucket runs long; and
 * aligned requests that fail on the first region of each bucket. */
#define ADV_E 300
static void adv_emmalloc(rng_t *r, double scale) {
  size_t rounds = scaled(scale, 40);
  for (size_t round = 0; round < rounds && !failed; round++) {
    for (unsigned i = 0; i < ADV_E; i++) {
      adv_an[i] = 40000 + between(r, 0, 2000);
      adv_a[i] = xmalloc(adv_an[i]);
      adv_b[i] = xmalloc(16);
      if (failed) return;
      stamp(adv_a[i], adv_an[i], i);
    }
    for (unsigned i = 0; i < ADV_E; i++) {
      check(adv_a[i], adv_an[i], i);
      xfree(adv_a[i], adv_an[i]);
    }
    /* requests a little larger than every free region */
    for (unsigned i = 0; i < 64; i++) {
      uint32_t n = 42100 + between(r, 0, 1000);
      void *p = (i & 1) ? xmemalign(4096, n) : xmalloc(n);
      if (!p) return;
      stamp(p, n, i);
      check(p, n, i);
      xfree(p, n);
    }
    /* small requests: served from the regions' fronts */
    for (unsigned i = 0; i < 4 * ADV_E; i++) {
      uint32_t n = between(r, 16, 1024);
      void *p = xmalloc(n);
      if (!p) return;
      stamp(p, n, i);
      check(p, n, i);
      xfree(p, n);
    }
    for (unsigned i = 0; i < ADV_E; i++) xfree(adv_b[i], 16);
  }
}

/* Alligator: pages of every class emptied (kept as current pages), then a
 * large request that finds no free span and so releases and coalesces them
 * all; 64 KiB-aligned requests (slack, split before and after). */
static const uint16_t adv_classes[] = {16, 32, 48, 64, 80, 96, 112, 128, 144, 160, 176, 192, 224, 256,
                                       288, 336, 400, 512, 672, 1024, 2048};
#define ADV_NC (sizeof adv_classes / sizeof *adv_classes)
static void adv_alligator(rng_t *r, double scale) {
  size_t rounds = scaled(scale, 3000);
  void *keep[64] = {0};
  uint32_t keepn[64] = {0};
  for (size_t round = 0; round < rounds && !failed; round++) {
    void *p[ADV_NC];
    for (unsigned c = 0; c < ADV_NC; c++) {
      if (!(p[c] = xmalloc(adv_classes[c]))) return;
      stamp(p[c], adv_classes[c], c);
    }
    for (unsigned c = 0; c < ADV_NC; c++) {
      check(p[c], adv_classes[c], c);
      xfree(p[c], adv_classes[c]);
    }
    unsigned k = (unsigned)(round % 64);
    if (keep[k]) xfree(keep[k], keepn[k]);
    keepn[k] = between(r, 20000, 44000);
    keep[k] = (round & 3) == 3 ? xmemalign(65536, keepn[k]) : xmalloc(keepn[k]);
    if (!keep[k]) return;
    stamp(keep[k], keepn[k], k);
    uint32_t n = between(r, 1, 5000);
    void *a = xmemalign(65536, n);
    if (!a) return;
    stamp(a, n, 5);
    check(a, n, 5);
    xfree(a, n);
    uint32_t zn = between(r, 1, 3000);
    unsigned char *z = xcalloc(1, zn);
    if (!z) return;
    if (z[0] | z[zn / 2] | z[zn - 1]) fail(); /* calloc zeroes */
    mix(zn);
    xfree(z, zn);
  }
  for (unsigned k = 0; k < 64; k++)
    if (keep[k]) {
      check(keep[k], keepn[k], k);
      xfree(keep[k], keepn[k]);
    }
}

/* ---- entry --------------------------------------------------------------- */
void bench_run(int w, uint32_t seed, double scale, bench_result *out) {
  rng_t r;
  rng_seed(&r, seed * 2654435761u + (uint32_t)w);
  ops = 0;
  live = peak_live = 0;
  sum = 2166136261u;
  failed = 0;
#ifdef BENCH_INSTR
  for (int i = 0; i < 8; i++) { /* calibration: the requests alone */
    OP_BEGIN();
    OP_END(K_EMPTY);
  }
#endif
  switch (w) {
  case W_RANDOM_ACTIONS: random_actions(&r, scale, 0); break;
  case W_RANDOM_ACTIONS_REALLOC: random_actions(&r, scale, 1); break;
  case W_SMALL_CHURN: small_churn(&r, scale); break;
  case W_GROWTH: growth(&r, scale); break;
  case W_CLASS_SWEEP: class_sweep(&r, scale); break;
  case W_FRAGMENTATION: fragmentation(&r, scale); break;
  case W_JSON: json(&r, scale); break;
  case W_ADV_DLMALLOC: adv_dlmalloc(&r, scale); break;
  case W_ADV_EMMALLOC: adv_emmalloc(&r, scale); break;
  case W_ADV_ALLIGATOR: adv_alligator(&r, scale); break;
  default: fail();
  }
  if (live != 0 && !failed) fail(); /* every workload frees all it allocated */
  out->checksum = failed ? 0 : sum;
  out->ops = ops;
  out->peak_live_bytes = (double)peak_live;
  out->peak_heap_bytes = (double)bench_heap_bytes();
}
