/* Threads: several threads allocate, fill, check and free at once, and pass
 * blocks to each other (freed by another thread than the one that made them).
 * Natively (host shim, spin lock) and in wasm with -pthread.
 *   threads [threads] [rounds]                                             */
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "alligator.h"
#ifdef __EMSCRIPTEN__
#include <emscripten/emscripten.h>
#endif

#define SLOTS 256
#define MAX_THREADS 16

static unsigned rounds = 20000;
static _Atomic(uintptr_t) mailbox[64]; /* blocks handed from one thread to another */
static _Atomic unsigned errors;

static unsigned char pat(uintptr_t p, size_t i) { return (unsigned char)((p >> 4) ^ i * 7u); }

static void *worker(void *arg) {
  uint64_t r = (uintptr_t)arg * 0x9E3779B97F4A7C15ull + 1;
  unsigned char *mine[SLOTS] = {0};
  size_t size[SLOTS] = {0};
  for (unsigned k = 0; k < rounds; k++) {
    r = r * 6364136223846793005ull + 1442695040888963407ull;
    unsigned i = (unsigned)(r >> 40) % SLOTS;
    if (mine[i]) {
      for (size_t j = 0; j < size[i]; j++)
        if (mine[i][j] != pat((uintptr_t)mine[i], j)) { errors++; break; }
      /* half the time, pass it on instead of freeing it here */
      uintptr_t old = (r >> 20) & 1 ? atomic_exchange(&mailbox[(r >> 8) % 64], (uintptr_t)mine[i]) : (uintptr_t)mine[i];
      free((void *)old);
      mine[i] = NULL;
    } else {
      size_t n = (r >> 33) % 8 == 0 ? (r >> 20) % 20000 : (r >> 20) % 300;
      unsigned char *p = (r >> 30) % 5 == 0 ? calloc(1, n) : malloc(n);
      if (!p) { errors++; continue; }
      for (size_t j = 0; j < n; j++) p[j] = pat((uintptr_t)p, j);
      mine[i] = p;
      size[i] = n;
    }
  }
  for (unsigned i = 0; i < SLOTS; i++) free(mine[i]);
  return NULL;
}

int main(int argc, char **argv) {
  unsigned n = argc > 1 ? (unsigned)atoi(argv[1]) : 4;
  if (argc > 2) rounds = (unsigned)atoi(argv[2]);
  if (n > MAX_THREADS) n = MAX_THREADS;
  pthread_t t[MAX_THREADS];
  for (unsigned i = 0; i < n; i++) pthread_create(&t[i], NULL, worker, (void *)(uintptr_t)(i + 1));
  for (unsigned i = 0; i < n; i++) pthread_join(t[i], NULL);
  for (unsigned i = 0; i < 64; i++) free((void *)mailbox[i]);
  int bad = alligator_validate(NULL, NULL);
  alligator_stats_t st;
  alligator_stats(&st);
  printf("threads: %u threads x %u rounds, %u content errors, %d heap problems, %zu live allocations: %s\n", n,
         rounds, (unsigned)errors, bad, st.live_allocations, errors || bad ? "FAILED" : "ok");
#ifdef __EMSCRIPTEN__
  emscripten_force_exit(errors || bad); /* 3.1.6 in Node: the thread pool would keep the process alive */
#endif
  return errors || bad;
}
