/* bench_heap_bytes / bench_grow_count for glibc.  glibc gives memory back
 * (trim, munmap), so its end-of-run footprint is not a high-water mark:
 * bench_heap_bytes() returns 0 and the report shows no peak heap for it.
 * Growth (for setting calls apart in instruction counts): the break or the
 * mmapped bytes changed during the call. */
#ifndef _DEFAULT_SOURCE
#define _DEFAULT_SOURCE
#endif
#include <malloc.h>
#include <unistd.h>
#include "../bench.h"
size_t bench_heap_bytes(void) { return 0; }
unsigned long bench_grow_count(void) {
  static unsigned long count;
  static void *last_brk;
  static size_t last_mmapped;
  struct mallinfo2 mi = mallinfo2();
  void *b = sbrk(0);
  if (b != last_brk || mi.hblkhd != last_mmapped) count++;
  last_brk = b;
  last_mmapped = mi.hblkhd;
  return count;
}
