/* What js/library_alligator.js calls (Module.alligator).  A separate object,
 * so that a program built without the JS layer carries none of it: built with
 * -DALLIGATOR_JS (the port's js=true, the default; `make wasm-lib`), the
 * backend references alligator_js_linked and so links this file.  The
 * functions fill static buffers: reading statistics from JS allocates nothing. */
#ifdef __EMSCRIPTEN__
#include <stddef.h>
#include <emscripten/emscripten.h>
#include <emscripten/emmalloc.h> /* emscripten_builtin_malloc / _free */
#include "../src/internal.h"

/* Where js/library_alligator.js finds each statistic: the names and byte
 * offsets of ALLIGATOR_STATS_FIELDS, the class arrays and the unit geometry
 * (unit = header + section), so that no field order, class count or geometry
 * is written in JS. */
#define JS_FIELD_(c, js) {#js, offsetof(alligator_stats_t, c)},
static const struct {
  uint32_t count, classes, unit, header, class_size, class_slots, class_pages, class_used, fragmentation;
  struct { const char *name; uint32_t offset; } field[0 ALLIGATOR_STATS_FIELDS(AL_CLASS_COUNT_)];
} layout = {
  0 ALLIGATOR_STATS_FIELDS(AL_CLASS_COUNT_), AL_NCLASSES, AL_UNIT, AL_HDR,
  offsetof(alligator_stats_t, class_size), offsetof(alligator_stats_t, class_slots),
  offsetof(alligator_stats_t, class_pages), offsetof(alligator_stats_t, class_used),
  offsetof(alligator_stats_t, fragmentation),
  {ALLIGATOR_STATS_FIELDS(JS_FIELD_)},
};

EMSCRIPTEN_KEEPALIVE const void *alligator_stats_layout_js(void) { return &layout; }
_Static_assert(sizeof(size_t) != 4 || sizeof(alligator_span_info) == 24, "js/library_alligator.js reads 6 words per span");

const char alligator_js_linked = 1;

/* Defined by js/library_alligator.js with $Alligator as its dependency: this
 * import is what pulls Module.alligator into the build, so no link needs
 * -sDEFAULT_LIBRARY_FUNCS_TO_INCLUDE=$Alligator (whose `$` a shell eats). */
extern void alligator_js_attach(void);
__attribute__((constructor)) static void attach(void) { alligator_js_attach(); }

EMSCRIPTEN_KEEPALIVE alligator_stats_t *alligator_stats_js(void) {
  static alligator_stats_t st;
  alligator_stats(&st);
  return &st;
}

EMSCRIPTEN_KEEPALIVE int alligator_validate_js(void) { return alligator_validate(NULL, NULL); }

/* The heap map for JS, in a block of its own: [count, unused, entries...].
 * It comes from the allocator itself (emscripten_builtin_malloc, so it works
 * whether or not the program exports malloc, and under a wrapping malloc),
 * and it shows in the map.  NULL when out of memory.  Free it with
 * alligator_heap_map_free_js. */
EMSCRIPTEN_KEEPALIVE size_t *alligator_heap_map_js(void) {
  for (size_t max = alligator_heap_map(NULL, 0) + 8;;) {
    size_t *buf = emscripten_builtin_malloc(2 * sizeof(size_t) + max * sizeof(alligator_span_info));
    if (!buf) return NULL;
    size_t n = alligator_heap_map((alligator_span_info *)(buf + 2), max);
    if (n <= max) {
      buf[0] = n;
      return buf;
    }
    emscripten_builtin_free(buf); /* the heap grew meanwhile: try with room for all */
    max = n + 8;
  }
}

EMSCRIPTEN_KEEPALIVE void alligator_heap_map_free_js(size_t *buf) { emscripten_builtin_free(buf); }
#endif
