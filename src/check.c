/* The heap check and the heap map: a walk over every span (O(heap)), each
 * invariant stated where the walk can see it.  Tests and debugging only. */
#include "internal.h"

/* ---- heap walk ------------------------------------------------------------ */
typedef void (*visit_fn)(AL_HEAP_P void *arg, span_t *s, uint32_t u);

/* Visit every span, END headers included; returns the number of problems in
 * the structure itself (a walk that cannot go on stops). */
static int walk(AL_HEAP_P visit_fn visit, void *arg, al_check_fn report, void *ctx) {
  int count = 0, *errors = &count;
  if (!h->grid.end) return 0;
  uint32_t u = h->grid.first_seg;
  for (unsigned segments = 0; segments < 1u << 20; segments++) {
    unsigned prev_free = 0;
    for (;;) {
      span_t *s = al_span(h, u);
      unsigned kind = al_kind(s);
      if ((s->head & HEAD_MAGIC_MASK) != HEAD_MAGIC || kind == KIND_NONE || kind > KIND_CACHED) {
        AL_CHECK(0, "unit %u: not a span header (%08x)", u, s->head);
        return count;
      }
      AL_CHECK(((s->head & HEAD_PREV_FREE) != 0) == prev_free, "unit %u: PREV_FREE is %d, the span before is %sfree",
            u, (s->head & HEAD_PREV_FREE) != 0, prev_free ? "" : "not ");
      if (visit) visit(AL_H arg, s, u);
      if (kind == KIND_END) break;
      uint32_t size = al_size(s);
      if (size == 0 || size > h->grid.end - u) {
        AL_CHECK(0, "unit %u: size %u runs past the heap end %u", u, size, h->grid.end);
        return count;
      }
      unsigned is_free = kind == KIND_FREE || kind == KIND_CACHED; /* cached spans are free memory too */
      if (is_free) {
        AL_CHECK(!prev_free, "unit %u: two free spans side by side", u);
        AL_CHECK(((uint32_t *)al_span(h, u + size))[-1] == size, "unit %u: footer %u, size %u", u,
              ((uint32_t *)al_span(h, u + size))[-1], size);
      }
      AL_CHECK(kind != KIND_CACHED || al_kind(al_span(h, u + size)) != KIND_END, "unit %u: a cached span ends a segment", u);
      prev_free = is_free;
      u += size;
    }
    span_t *end = al_span(h, u);
    if (!end->next) {
      AL_CHECK(u == h->grid.end, "the last segment ends at unit %u, not %u", u, h->grid.end);
      return count;
    }
    u = end->next - 1;
  }
  return count + 1;
}

typedef struct {
  al_check_fn report;
  void *ctx;
  int errors;
  size_t free_spans, free_units, cached_spans, cached_units, large_blocks, large_units, in_use, partial;
  size_t pages[AL_NCLASSES], used[AL_NCLASSES];
} tally_t;

static void tally(AL_HEAP_P void *arg, span_t *s, uint32_t u) {
  tally_t *t = arg;
  al_check_fn report = t->report;
  void *ctx = t->ctx;
  int *errors = &t->errors;
  switch (al_kind(s)) {
  case KIND_FREE:
    t->free_spans++;
    t->free_units += al_size(s);
    break;
  case KIND_CACHED:
    t->cached_spans++;
    t->cached_units += al_size(s);
    break;
  case KIND_LARGE:
    AL_CHECK(s->next >= AL_HDR && s->next < AL_UNIT, "large block %u: data offset %u", u, s->next);
    AL_CHECK((uint32_t)((size_t)al_size(s) * AL_UNIT - s->next - s->prev) <= AL_UNIT,
          "large block %u: asked %u bytes (mod 2^32), holds %zu", u, s->prev, (size_t)al_size(s) * AL_UNIT - s->next);
    t->large_blocks++;
    t->large_units += al_size(s);
    t->in_use += (size_t)al_size(s) * AL_UNIT - s->next;
    break;
  case KIND_MINI:
    al_minipage_check(AL_H s, report, ctx, errors);
    if (s->cls < AL_NCLASSES) {
      t->pages[s->cls]++;
      t->used[s->cls] += s->used;
      t->in_use += (size_t)s->used * al_class_size[s->cls];
      if (s != h->pages.cur[s->cls] && s->used > 0 && s->used < al_class_slots[s->cls]) t->partial++;
    }
    break;
  default:
    break;
  }
}

static int validate(AL_HEAP_P al_check_fn report, void *ctx) {
  AL_LOCK();
  tally_t t;
  memset(&t, 0, sizeof t);
  t.report = report;
  t.ctx = ctx;
  int count = walk(AL_H tally, &t, report, ctx) + t.errors, *errors = &count;
  al_span_check(AL_H report, ctx, errors);
  size_t cached_spans, cached_units;
  al_lcache_check(AL_H report, ctx, errors, &cached_spans, &cached_units);
  AL_CHECK(t.cached_spans == cached_spans && t.cached_units == cached_units,
        "walk found %zu cached spans of %zu units, the cache's lists hold %zu of %zu", t.cached_spans, t.cached_units,
        cached_spans, cached_units);
  AL_CHECK(t.free_spans == h->pool.free_spans, "walk found %zu free spans, bins say %zu", t.free_spans, h->pool.free_spans);
  AL_CHECK(t.free_units == h->pool.free_span_units, "walk found %zu free units, bins say %zu", t.free_units,
        h->pool.free_span_units);
  AL_CHECK(t.large_blocks == h->large.blocks && t.large_units == h->large.units,
        "walk found %zu large blocks of %zu units, counters say %zu of %zu", t.large_blocks, t.large_units,
        h->large.blocks, h->large.units);
  AL_CHECK(t.in_use == h->usage.in_use_bytes, "walk found %zu bytes in use, counter says %zu", t.in_use,
        h->usage.in_use_bytes);
  size_t partial = 0;
  for (unsigned c = 0; c < AL_NCLASSES; c++) {
    AL_CHECK(t.pages[c] == h->pages.class_pages[c] && t.used[c] == h->pages.class_used[c],
          "class %u: walk found %zu pages, %zu used; counters say %zu, %zu", c, t.pages[c], t.used[c],
          h->pages.class_pages[c], h->pages.class_used[c]);
    span_t *cur = h->pages.cur[c];
    AL_CHECK(cur == &al_no_page || (al_kind(cur) == KIND_MINI && cur->cls == c), "class %u: current page is not a class %u MiniPage", c, c);
    uint32_t prev = 0, limit = 1u << 22;
    for (uint32_t link = h->pages.partial[c]; link && limit; link = al_span(h, link - 1)->next, limit--) {
      span_t *s = al_span(h, link - 1);
      AL_CHECK(al_kind(s) == KIND_MINI && s->cls == c && s->used > 0 && s->used < al_class_slots[c] && s != cur,
            "class %u: partial list holds unit %u (kind %u, class %u, used %u)", c, link - 1, al_kind(s), s->cls,
            s->used);
      AL_CHECK(s->prev == prev, "class %u: partial list back link broken at unit %u", c, link - 1);
      prev = link;
      partial++;
    }
    AL_CHECK(h->pages.partial_tail[c] == prev, "class %u: partial queue tail is %u, its last page %u", c,
          h->pages.partial_tail[c], prev);
  }
  AL_CHECK(partial == t.partial, "partial lists hold %zu pages, %zu pages are partially used", partial, t.partial);
  AL_CHECK(h->usage.peak_in_use_bytes >= h->usage.in_use_bytes, "peak %zu below in use %zu", h->usage.peak_in_use_bytes,
        h->usage.in_use_bytes);
  AL_UNLOCK();
  return count;
}

/* The caller's report runs after the heap is unlocked: the problems found
 * during the walk are held here first.  A report that allocates (a printf
 * whose stdout has no buffer yet does) would otherwise wait for the lock
 * forever with threads, or change the heap under the walk without. */
typedef struct {
  unsigned n;
  char msg[ALLIGATOR_VALIDATE_REPORTS][AL_CHECK_MSG];
} held_t;

static void hold(void *ctx, const char *msg) {
  held_t *k = ctx;
  if (k->n < ALLIGATOR_VALIDATE_REPORTS) al_format(k->msg[k->n], AL_CHECK_MSG, "%s", msg);
  k->n++;
}

int alligator_validate(al_check_fn report, void *ctx) {
  AL_HEAP_ENTRY;
  if (!report) return validate(AL_H NULL, NULL);
  held_t k;
  k.n = 0;
  int count = validate(AL_H hold, &k);
  for (unsigned i = 0; i < k.n && i < ALLIGATOR_VALIDATE_REPORTS; i++) report(ctx, k.msg[i]);
  if (k.n > ALLIGATOR_VALIDATE_REPORTS) {
    char more[64];
    al_format(more, sizeof more, "and %u more problems", k.n - ALLIGATOR_VALIDATE_REPORTS);
    report(ctx, more);
  }
  return count;
}

typedef struct {
  alligator_span_info *out;
  size_t max, n;
} map_t;

static void map_visit(AL_HEAP_P void *arg, span_t *s, uint32_t u) {
  map_t *m = arg;
  (void)h;
  (void)u;
  if (m->n < m->max) {
    alligator_span_info *e = &m->out[m->n];
    e->address = (size_t)(uintptr_t)s;
    e->kind = al_kind(s) == KIND_CACHED ? KIND_FREE : al_kind(s); /* free memory, held by the cache */
    e->bytes = e->kind == KIND_END ? AL_HDR : (size_t)al_size(s) * AL_UNIT;
    e->cls = e->kind == KIND_MINI ? s->cls : 0;
    e->used = e->kind == KIND_MINI ? s->used : 0;
    e->slots = e->kind == KIND_MINI ? al_class_slots[s->cls % AL_NCLASSES] : 0;
  }
  m->n++;
}

size_t alligator_heap_map(alligator_span_info *out, size_t max) {
  AL_HEAP_ENTRY;
  map_t m = {out, max, 0};
  AL_LOCK();
  walk(AL_H map_visit, &m, NULL, NULL);
  AL_UNLOCK();
  return m.n;
}


/* ---- debug levels 2 and 3 ------------------------------------------------ */
static void debug_fail(void *ctx, const char *message) {
  al_report(AL_ERR_CORRUPTION, ctx, message);
}

void al_debug_page_check(AL_HEAP_P span_t *s) {
  int errors = 0;
  if (al_kind(s) != KIND_MINI) return; /* it went back to the pool */
  al_minipage_check(AL_H s, debug_fail, s, &errors);
}

void al_debug_heap_check(AL_HEAP_P0) {
  validate(AL_H debug_fail, NULL);
}
