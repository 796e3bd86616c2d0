/* fork() in a multi-threaded program that uses stdio, run under
 * LD_PRELOAD=liballigatorc.so (glibc's tst-malloc-fork-deadlock pattern,
 * glibc bug 19431).  Threads read lines with getline (which holds the
 * FILE's lock while it mallocs), flush every stream with fflush(NULL)
 * (which holds stdio's list lock while it waits for each FILE's lock), and
 * malloc/free; the main thread forks, and each child mallocs and exits.
 * glibc's fork takes the list lock after the atfork prepare handlers: an
 * allocator that holds its lock from a prepare handler waits for the list
 * lock, while the flusher waits for a FILE held by a reader that waits for
 * the allocator.  A hang is turned into a failure by alarm().
 *   fork-stdio [FORKS]   prints "fork-stdio: ... ok", exit 0 */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define READERS 3
#define ALLOCATORS 2
static atomic_int stop;
static char text[8192];

static void *reader(void *arg) {
  (void)arg;
  while (!atomic_load(&stop)) {
    FILE *f = fmemopen(text, strlen(text), "r");
    if (!f) continue;
    char *line = NULL;
    size_t cap = 0;
    while (getline(&line, &cap, f) > 0) { /* a new buffer each line: malloc under the FILE lock */
      free(line);
      line = NULL;
      cap = 0;
    }
    free(line);
    fclose(f);
  }
  return NULL;
}

static void *flusher(void *arg) {
  (void)arg;
  while (!atomic_load(&stop)) fflush(NULL);
  return NULL;
}

static void *allocator(void *arg) {
  unsigned x = (unsigned)(size_t)arg;
  while (!atomic_load(&stop)) {
    x = x * 1103515245u + 12345u;
    free(malloc(16 + (x >> 16) % 5000));
  }
  return NULL;
}

int main(int argc, char **argv) {
  int forks = argc > 1 ? atoi(argv[1]) : 300;
  alarm(60); /* a deadlock ends the program (SIGALRM) instead of hanging the suite */
  for (size_t i = 0; i + 40 < sizeof text; i += 40) memcpy(text + i, "a line of text for getline to read ...\n", 40);
  pthread_t t[READERS + ALLOCATORS + 1];
  int n = 0;
  for (int i = 0; i < READERS; i++) pthread_create(&t[n++], NULL, reader, NULL);
  for (int i = 0; i < ALLOCATORS; i++) pthread_create(&t[n++], NULL, allocator, (void *)(size_t)(i + 1));
  pthread_create(&t[n++], NULL, flusher, NULL);
  int bad = 0;
  for (int i = 0; i < forks; i++) {
    pid_t pid = fork();
    if (pid == 0) {
      alarm(20); /* alarms are not inherited */
      for (int k = 0; k < 100; k++) free(malloc(100 + k * 37));
      _exit(0);
    }
    int status = 0;
    if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFEXITED(status) || WEXITSTATUS(status)) bad++;
  }
  atomic_store(&stop, 1);
  for (int i = 0; i < n; i++) pthread_join(t[i], NULL);
  printf("fork-stdio: %d forks beside %d getline, %d malloc and 1 fflush(NULL) threads, %d failed children: %s\n",
         forks, READERS, ALLOCATORS, bad, bad ? "FAILED" : "ok");
  return bad != 0;
}
