/* Emscripten's documented way to wrap malloc (its test_wrap_malloc.c): the
 * program defines malloc and free and calls emscripten_builtin_malloc and
 * emscripten_builtin_free inside.  With -DWRAP_ONLY_MALLOC it defines only
 * malloc: free and the rest stay Alligator's.  Prints one line; exit 0 if the
 * wrappers ran and Alligator served the memory. */
#include <stdio.h>
#include <stdlib.h>
#include <emscripten/emmalloc.h> /* emscripten_builtin_malloc, emscripten_builtin_free */
#include "alligator.h"
#include "../c/check.h"

static size_t wrapped_mallocs, wrapped_frees;

void *malloc(size_t n) {
  wrapped_mallocs++;
  return emscripten_builtin_malloc(n);
}
#ifndef WRAP_ONLY_MALLOC
void free(void *p) {
  if (p) wrapped_frees++;
  emscripten_builtin_free(p);
}
#endif

static size_t live(void) {
  alligator_stats_t st;
  alligator_stats(&st);
  return st.live_allocations;
}

int main(void) {
  static const size_t sizes[] = {1, 16, 100, 2048, 3000, 70000, 1 << 20};
  enum { N = sizeof sizes / sizeof sizes[0] };
  void *volatile p[N];
  size_t before = live(), calls = wrapped_mallocs, frees = wrapped_frees;
  for (int i = 0; i < N; i++) {
    p[i] = malloc(sizes[i]);
    CHECK(p[i] != NULL, "malloc(%zu) = NULL", sizes[i]);
  }
  CHECK(wrapped_mallocs - calls == N, "the malloc wrapper ran %zu times for %d calls", wrapped_mallocs - calls, N);
  CHECK(live() == before + N, "Alligator holds %zu live allocations, expected %zu", live(), before + N);
  for (int i = 0; i < N; i++) free(p[i]);
#ifndef WRAP_ONLY_MALLOC
  CHECK(wrapped_frees - frees == N, "the free wrapper ran %zu times for %d calls", wrapped_frees - frees, N);
#else
  (void)frees;
#endif
  CHECK(live() == before, "after the frees Alligator holds %zu live allocations, expected %zu", live(), before);
  void *q = realloc(NULL, 500); /* the rest of the family is still there */
  q = realloc(q, 5000);
  CHECK(q != NULL && live() == before + 1, "realloc: %p, live %zu", q, live());
  free(q);
  CHECK(alligator_validate(NULL, NULL) == 0, "alligator_validate");
#ifdef WRAP_ONLY_MALLOC
  return check_summary("wrap-malloc-only");
#else
  return check_summary("wrap-malloc");
#endif
}
