/* The code-size baseline: a bump allocator (nothing is ever reused) over
 * Emscripten's own sbrk.c, linked with -sMALLOC=none.  An allocator's code
 * size is its module's .wasm bytes minus this one's. */
#include <stdint.h>
#include <string.h>
#include <unistd.h>

void *memalign(size_t align, size_t n) {
  if (align < 8) align = 8;
  uintptr_t b = (uintptr_t)sbrk(0), p = (b + align - 1) & ~(uintptr_t)(align - 1);
  if (sbrk((intptr_t)(p - b + n)) == (void *)-1) return NULL;
  return (void *)p;
}
void *malloc(size_t n) { return memalign(8, n); }
void free(void *p) { (void)p; }
void *calloc(size_t c, size_t n) { return malloc(c * n); } /* fresh memory is zero */
void *realloc(void *p, size_t n) {
  void *q = malloc(n);
  if (q && p) memcpy(q, p, n); /* may read past the old block: still inside the heap */
  return q;
}
