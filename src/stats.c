/* Statistics (O(classes)), the heap check and heap map (O(heap)), and the
 * misuse reporter. */
#include <stdio.h>
#include <stdlib.h>
#if !defined(_WIN32)
#include <unistd.h>
#endif
#include "internal.h"

#ifdef AL_HAS_LOCK
atomic_flag al_lock_flag = ATOMIC_FLAG_INIT;
#endif

static void stats_locked(alligator_stats_t *st) {
  memset(st, 0, sizeof *st);
  size_t small_free = 0;
  st->class_count = AL_NCLASSES;
  for (unsigned c = 0; c < AL_NCLASSES; c++) {
    st->class_size[c] = al_class_size[c];
    st->class_slots[c] = al_class_slots[c];
    st->class_pages[c] = al_g.class_pages[c];
    st->class_used[c] = al_g.class_used[c];
    st->minipages += al_g.class_pages[c];
    st->live_allocations += al_g.class_used[c];
    small_free += (al_g.class_pages[c] * al_class_slots[c] - al_g.class_used[c]) * al_class_size[c];
  }
  st->heap_bytes = al_g.heap_bytes;
  st->in_use_bytes = al_g.in_use_bytes;
  st->peak_in_use_bytes = al_g.peak_in_use_bytes;
  st->large_blocks = al_g.large_blocks;
  st->large_bytes = al_g.large_units * AL_UNIT;
  st->live_allocations += al_g.large_blocks;
  st->free_spans = al_g.free_spans;
  st->free_span_bytes = al_g.free_span_units * AL_UNIT;
  st->free_bytes = st->free_span_bytes + small_free;
  st->overhead_bytes = st->heap_bytes - st->in_use_bytes - st->free_bytes;
  st->largest_free_bytes = al_span_largest_free();
  st->oom_count = al_g.oom_count;
  st->grow_count = al_g.grow_count;
  st->fragmentation =
      st->free_span_bytes ? 1.0 - (double)st->largest_free_bytes / (double)st->free_span_bytes : 0.0;
}

void alligator_stats(alligator_stats_t *st) {
  AL_LOCK();
  stats_locked(st);
  AL_UNLOCK();
}

/* ---- heap walk ------------------------------------------------------------ */
#define CHECK(cond, ...)                            \
  do {                                              \
    if (!(cond)) {                                  \
      errors++;                                     \
      if (report) {                                 \
        char msg_[160];                             \
        snprintf(msg_, sizeof msg_, __VA_ARGS__);   \
        report(ctx, msg_);                          \
      }                                             \
    }                                               \
  } while (0)

typedef void (*visit_fn)(void *arg, span_t *s, uint32_t u);

/* Visit every span, END headers included; returns the number of problems in
 * the structure itself (a walk that cannot go on stops). */
static int walk(visit_fn visit, void *arg, al_check_fn report, void *ctx) {
  int errors = 0;
  if (!al_g.end) return 0;
  uint32_t u = al_g.first_seg;
  for (unsigned segments = 0; segments < 1u << 20; segments++) {
    unsigned prev_free = 0;
    for (;;) {
      span_t *s = al_span(u);
      unsigned kind = al_kind(s);
      if ((s->head & HEAD_MAGIC_MASK) != HEAD_MAGIC || kind == KIND_NONE || kind > KIND_END) {
        CHECK(0, "unit %u: not a span header (%08x)", u, s->head);
        return errors;
      }
      CHECK(((s->head & HEAD_PREV_FREE) != 0) == prev_free, "unit %u: PREV_FREE is %d, the span before is %sfree",
            u, (s->head & HEAD_PREV_FREE) != 0, prev_free ? "" : "not ");
      if (visit) visit(arg, s, u);
      if (kind == KIND_END) break;
      uint32_t size = al_size(s);
      if (size == 0 || size > al_g.end - u) {
        CHECK(0, "unit %u: size %u runs past the heap end %u", u, size, al_g.end);
        return errors;
      }
      if (kind == KIND_FREE) {
        CHECK(!prev_free, "unit %u: two free spans side by side", u);
        CHECK(((uint32_t *)al_span(u + size))[-1] == size, "unit %u: footer %u, size %u", u,
              ((uint32_t *)al_span(u + size))[-1], size);
      }
      prev_free = kind == KIND_FREE;
      u += size;
    }
    span_t *end = al_span(u);
    if (!end->next) {
      CHECK(u == al_g.end, "the last segment ends at unit %u, not %u", u, al_g.end);
      return errors;
    }
    u = end->next - 1;
  }
  return errors + 1;
}

typedef struct {
  al_check_fn report;
  void *ctx;
  int errors;
  size_t free_spans, free_units, large_blocks, large_units, in_use, partial;
  size_t pages[AL_NCLASSES], used[AL_NCLASSES];
} tally_t;

static void tally(void *arg, span_t *s, uint32_t u) {
  tally_t *t = arg;
  al_check_fn report = t->report;
  void *ctx = t->ctx;
  int errors = 0;
  switch (al_kind(s)) {
  case KIND_FREE:
    t->free_spans++;
    t->free_units += al_size(s);
    break;
  case KIND_LARGE:
    CHECK(s->next >= AL_HDR && s->next < AL_UNIT, "large block %u: data offset %u", u, s->next);
    CHECK(s->prev <= (size_t)al_size(s) * AL_UNIT - s->next, "large block %u: asked %u bytes, holds %zu", u,
          s->prev, (size_t)al_size(s) * AL_UNIT - s->next);
    t->large_blocks++;
    t->large_units += al_size(s);
    t->in_use += (size_t)al_size(s) * AL_UNIT - s->next;
    break;
  case KIND_MINI:
    al_minipage_check(s, report, ctx, &errors);
    if (s->cls < AL_NCLASSES) {
      t->pages[s->cls]++;
      t->used[s->cls] += s->used;
      t->in_use += (size_t)s->used * al_class_size[s->cls];
      if (s != al_g.cur[s->cls] && s->used > 0 && s->used < al_class_slots[s->cls]) t->partial++;
    }
    break;
  default:
    break;
  }
  t->errors += errors;
}

int alligator_validate(al_check_fn report, void *ctx) {
  AL_LOCK();
  tally_t t;
  memset(&t, 0, sizeof t);
  t.report = report;
  t.ctx = ctx;
  int errors = walk(tally, &t, report, ctx);
  errors += t.errors;
  al_span_check(report, ctx, &errors);
  CHECK(t.free_spans == al_g.free_spans, "walk found %zu free spans, bins say %zu", t.free_spans, al_g.free_spans);
  CHECK(t.free_units == al_g.free_span_units, "walk found %zu free units, bins say %zu", t.free_units,
        al_g.free_span_units);
  CHECK(t.large_blocks == al_g.large_blocks && t.large_units == al_g.large_units,
        "walk found %zu large blocks of %zu units, counters say %zu of %zu", t.large_blocks, t.large_units,
        al_g.large_blocks, al_g.large_units);
  CHECK(t.in_use == al_g.in_use_bytes, "walk found %zu bytes in use, counter says %zu", t.in_use,
        al_g.in_use_bytes);
  size_t partial = 0;
  for (unsigned c = 0; c < AL_NCLASSES; c++) {
    CHECK(t.pages[c] == al_g.class_pages[c] && t.used[c] == al_g.class_used[c],
          "class %u: walk found %zu pages, %zu used; counters say %zu, %zu", c, t.pages[c], t.used[c],
          al_g.class_pages[c], al_g.class_used[c]);
    span_t *cur = al_g.cur[c];
    CHECK(!cur || (al_kind(cur) == KIND_MINI && cur->cls == c), "class %u: current page is not a class %u MiniPage", c, c);
    uint32_t prev = 0, limit = 1u << 22;
    for (uint32_t h = al_g.partial[c]; h && limit; h = al_span(h - 1)->next, limit--) {
      span_t *s = al_span(h - 1);
      CHECK(al_kind(s) == KIND_MINI && s->cls == c && s->used > 0 && s->used < al_class_slots[c] && s != cur,
            "class %u: partial list holds unit %u (kind %u, class %u, used %u)", c, h - 1, al_kind(s), s->cls,
            s->used);
      CHECK(s->prev == prev, "class %u: partial list back link broken at unit %u", c, h - 1);
      prev = h;
      partial++;
    }
  }
  CHECK(partial == t.partial, "partial lists hold %zu pages, %zu pages are partially used", partial, t.partial);
  CHECK(al_g.peak_in_use_bytes >= al_g.in_use_bytes, "peak %zu below in use %zu", al_g.peak_in_use_bytes,
        al_g.in_use_bytes);
  AL_UNLOCK();
  return errors;
}

typedef struct {
  alligator_span_info *out;
  size_t max, n;
} map_t;

static void map_visit(void *arg, span_t *s, uint32_t u) {
  map_t *m = arg;
  (void)u;
  if (m->n < m->max) {
    alligator_span_info *e = &m->out[m->n];
    e->address = (size_t)(uintptr_t)s;
    e->kind = al_kind(s);
    e->bytes = e->kind == KIND_END ? AL_HDR : (size_t)al_size(s) * AL_UNIT;
    e->cls = e->kind == KIND_MINI ? s->cls : 0;
    e->used = e->kind == KIND_MINI ? s->used : 0;
    e->slots = e->kind == KIND_MINI ? al_class_slots[s->cls % AL_NCLASSES] : 0;
  }
  m->n++;
}

size_t alligator_heap_map(alligator_span_info *out, size_t max) {
  map_t m = {out, max, 0};
  AL_LOCK();
  walk(map_visit, &m, NULL, NULL);
  AL_UNLOCK();
  return m.n;
}

/* ---- for js/library_alligator.js ------------------------------------------ */
#ifdef __EMSCRIPTEN__
#include <emscripten/emscripten.h>
_Static_assert(sizeof(size_t) != 4 || offsetof(alligator_stats_t, fragmentation) == 4 * (15 + 4 * AL_NCLASSES) + 4,
               "js/library_alligator.js reads the stats at these offsets");
/* Statistics into a static buffer: reading them from JS allocates nothing. */
EMSCRIPTEN_KEEPALIVE alligator_stats_t *alligator_stats_js(void) {
  static alligator_stats_t st;
  alligator_stats(&st);
  return &st;
}
EMSCRIPTEN_KEEPALIVE int alligator_validate_js(void) { return alligator_validate(NULL, NULL); }
EMSCRIPTEN_KEEPALIVE size_t alligator_heap_map_js(alligator_span_info *out, size_t max) {
  return alligator_heap_map(out, max);
}
#endif

/* ---- misuse --------------------------------------------------------------- */
static void default_error(int kind, void *p, const char *message) {
  (void)kind;
  (void)p;
#if !defined(_WIN32)
  ssize_t w = write(2, message, strlen(message));
  (void)w;
#endif
  abort();
}

static alligator_error_fn error_fn = default_error;

alligator_error_fn alligator_set_error_handler(alligator_error_fn fn) {
  alligator_error_fn old = error_fn;
  error_fn = fn ? fn : default_error;
  return old;
}

void al_report(int kind, const void *p, const char *what) {
  static const char *const names[] = {"", "double free", "invalid pointer", "heap corruption", "buffer overflow"};
  char msg[200];
  const char *name = kind >= 1 && kind <= 4 ? names[kind] : "misuse";
  snprintf(msg, sizeof msg, "alligator: %s: %p (in %s)\n", name, p, what);
  error_fn(kind, (void *)p, msg);
}
