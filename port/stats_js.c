/* What js/library_alligator.js calls (Module.alligator).  A separate object,
 * so that a program built without the JS layer carries none of it: built with
 * -DALLIGATOR_JS (the port's js=true, the default; `make wasm-lib`), the
 * backend references alligator_js_linked and so links this file.  The
 * functions fill static buffers: reading statistics from JS allocates nothing. */
#ifdef __EMSCRIPTEN__
#include <stddef.h>
#include <emscripten/emscripten.h>
#include "../src/alligator.h"

_Static_assert(sizeof(size_t) != 4 || offsetof(alligator_stats_t, fragmentation) == 4 * (15 + 4 * ALLIGATOR_CLASSES) + 4,
               "js/library_alligator.js reads the stats at these offsets");

const char alligator_js_linked = 1;

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
