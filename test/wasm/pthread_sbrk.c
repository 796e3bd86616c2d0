/* The pattern of Emscripten's test/pthread/test_pthread_sbrk.c: many threads
 * allocate many blocks at once (the heap grows under them through sbrk), fill
 * each with their own mark, check every byte, and free them.  With a lock-free
 * allocator this prints "Memory corrupted!" or hangs.  Built through the make
 * route with liballigator-mt.a (make wasm-flags-mt).
 *   pthread_sbrk [threads] [allocations per thread]                        */
#define _DEFAULT_SOURCE /* sbrk, brk */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "alligator.h"

#define MAX_THREADS 8
#define MAX_ALLOCS 4000

static unsigned allocs = 2000;
static int result[MAX_THREADS];

static void *thread_main(void *arg) {
  unsigned id = (unsigned)(size_t)arg;
  static unsigned char *blocks[MAX_THREADS][MAX_ALLOCS];
  unsigned char **mine = blocks[id];
  for (int round = 0; round < 3; round++) {
    for (unsigned i = 0; i < allocs; i++) {
      size_t n = 16 + (i * 37 + id * 11) % 3000; /* small and large blocks */
      mine[i] = malloc(n);
      if (!mine[i]) { result[id] = 1; return NULL; }
      memset(mine[i], (int)(id + 1), n);
      if (i % 500 == 0) sbrk(0); /* as the original: sbrk beside malloc */
    }
    for (unsigned i = 0; i < allocs; i++) {
      size_t n = 16 + (i * 37 + id * 11) % 3000;
      for (size_t j = 0; j < n; j++)
        if (mine[i][j] != id + 1) { result[id] = 2; break; }
      free(mine[i]);
    }
  }
  return NULL;
}

int main(int argc, char **argv) {
  unsigned n = argc > 1 ? (unsigned)atoi(argv[1]) : MAX_THREADS;
  if (argc > 2) allocs = (unsigned)atoi(argv[2]);
  if (n > MAX_THREADS) n = MAX_THREADS;
  if (allocs > MAX_ALLOCS) allocs = MAX_ALLOCS;
  pthread_t t[MAX_THREADS];
  for (unsigned i = 0; i < n; i++) pthread_create(&t[i], NULL, thread_main, (void *)(size_t)i);
  int bad = 0;
  for (unsigned i = 0; i < n; i++) {
    pthread_join(t[i], NULL);
    if (result[i]) {
      printf(result[i] == 1 ? "Out of memory!\n" : "Memory corrupted!\n");
      bad = 1;
    }
  }
  alligator_stats_t st;
  alligator_stats(&st);
  int problems = alligator_validate(NULL, NULL);
  printf("pthread_sbrk: %u threads x %u allocations x 3 rounds, %d heap problems, %zu live, %zu heap bytes\n", n, allocs,
         problems, st.live_allocations, st.heap_bytes);
  return bad || problems ? 1 : 0;
}
