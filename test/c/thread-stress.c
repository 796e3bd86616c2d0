/* Multi-threaded malloc stress, for liballigatorc under LD_PRELOAD.
 *
 *   LD_PRELOAD=build/liballigatorc.so thread-stress [threads] [rounds] [forks]
 *
 * Each thread allocates blocks of random sizes (16 B .. 64 KiB, some
 * memalign/calloc/realloc), fills them with a pattern naming the owner, and
 * frees them: half itself, half by handing them to the next thread through a
 * small mailbox (so blocks are freed by another thread than the one that
 * allocated them).  Every block's pattern is checked before it is freed.
 * While the threads run, the main thread forks `forks` times; each child
 * allocates and frees, then exits: a child must never inherit a held lock.
 * At the end the heap is walked with alligator_validate (looked up with
 * dlsym: the program must be running on Alligator). */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <malloc.h>

#define MAXT 16
#define MAILBOX 64

typedef struct {
  unsigned char *p;
  size_t n;
  uint32_t tag;
} block_t;

typedef struct {
  pthread_mutex_t mu;
  block_t box[MAILBOX];
  int count;
} mailbox_t;

static mailbox_t mail[MAXT];
static int nthreads = 4, rounds = 20000;
static volatile int errors;

static void fill(block_t *b) {
  for (size_t i = 0; i < b->n; i++) b->p[i] = (unsigned char)(b->tag + i * 13);
}
static void check_and_free(block_t *b) {
  for (size_t i = 0; i < b->n; i++)
    if (b->p[i] != (unsigned char)(b->tag + i * 13)) {
      fprintf(stderr, "thread-stress: block %p tag %u byte %zu overwritten\n", (void *)b->p, b->tag, i);
      __atomic_add_fetch(&errors, 1, __ATOMIC_RELAXED);
      break;
    }
  free(b->p);
}

static uint32_t rnd(uint64_t *s) {
  *s = *s * 6364136223846793005ull + 1442695040888963407ull;
  return (uint32_t)(*s >> 33);
}

static void *worker(void *arg) {
  int me = (int)(intptr_t)arg, next = (me + 1) % nthreads;
  uint64_t seed = 0x9E3779B97F4A7C15ull * (uint64_t)(me + 1);
  block_t mine[128];
  memset(mine, 0, sizeof mine);
  for (int r = 0; r < rounds; r++) {
    uint32_t x = rnd(&seed);
    block_t *b = &mine[x % 128];
    if (b->p) {
      if (x & 0x100) { /* hand it over: the next thread frees it */
        pthread_mutex_lock(&mail[next].mu);
        if (mail[next].count < MAILBOX) {
          mail[next].box[mail[next].count++] = *b;
          b->p = NULL;
        }
        pthread_mutex_unlock(&mail[next].mu);
      }
      if (b->p) {
        check_and_free(b);
        b->p = NULL;
      }
    }
    size_t n = (x >> 12) % 100 < 90 ? rnd(&seed) % 512 + 1 : rnd(&seed) % 65536 + 1;
    switch ((x >> 9) % 8) {
    case 0: b->p = memalign((size_t)16 << (x % 6), n); break;
    case 1: b->p = calloc(1, n); break;
    case 2: /* grow by realloc */
      b->p = malloc(n / 2 + 1);
      if (b->p) {
        unsigned char *q = realloc(b->p, n);
        if (q) b->p = q;
        else { free(b->p); b->p = NULL; }
      }
      break;
    default: b->p = malloc(n); break;
    }
    if (!b->p) {
      fprintf(stderr, "thread-stress: allocation of %zu bytes failed\n", n);
      __atomic_add_fetch(&errors, 1, __ATOMIC_RELAXED);
      continue;
    }
    b->n = n;
    b->tag = x;
    fill(b);
    /* free what others handed us */
    pthread_mutex_lock(&mail[me].mu);
    block_t got[MAILBOX];
    int k = mail[me].count;
    memcpy(got, mail[me].box, sizeof(block_t) * (size_t)k);
    mail[me].count = 0;
    pthread_mutex_unlock(&mail[me].mu);
    for (int i = 0; i < k; i++) check_and_free(&got[i]);
  }
  for (int i = 0; i < 128; i++)
    if (mine[i].p) check_and_free(&mine[i]);
  return NULL;
}

int main(int argc, char **argv) {
  if (argc > 1) nthreads = atoi(argv[1]);
  if (argc > 2) rounds = atoi(argv[2]);
  int forks = argc > 3 ? atoi(argv[3]) : 0;
  if (nthreads < 1 || nthreads > MAXT) nthreads = 4;
  int (*validate)(void (*)(void *, const char *), void *) =
      (int (*)(void (*)(void *, const char *), void *))dlsym(RTLD_DEFAULT, "alligator_validate");
  if (!validate) {
    fprintf(stderr, "thread-stress: alligator_validate not found: not running on Alligator (LD_PRELOAD?)\n");
    return 2;
  }
  pthread_t t[MAXT];
  for (int i = 0; i < nthreads; i++) pthread_mutex_init(&mail[i].mu, NULL);
  for (int i = 0; i < nthreads; i++)
    if (pthread_create(&t[i], NULL, worker, (void *)(intptr_t)i)) return 2;
  int child_failures = 0;
  for (int f = 0; f < forks; f++) { /* fork while the workers hold and take the lock */
    pid_t pid = fork();
    if (pid == 0) {
      alarm(60); /* a child stuck on an inherited lock dies instead of spinning on */
      void *a[64];
      for (int i = 0; i < 64; i++) a[i] = malloc((size_t)(i * 97 % 3000) + 1);
      for (int i = 0; i < 64; i++) free(a[i]);
      _exit(validate(NULL, NULL) == 0 ? 0 : 3);
    }
    int status = 0;
    if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
      child_failures++;
  }
  for (int i = 0; i < nthreads; i++) pthread_join(t[i], NULL);
  for (int i = 0; i < nthreads; i++) /* blocks still in mailboxes */
    for (int k = 0; k < mail[i].count; k++) check_and_free(&mail[i].box[k]);
  int problems = validate(NULL, NULL);
  printf("thread-stress: %d threads x %d rounds, %d forks: %d pattern errors, %d failed children, "
         "heap check %d problems\n",
         nthreads, rounds, forks, errors, child_failures, problems);
  return errors || child_failures || problems ? 1 : 0;
}
