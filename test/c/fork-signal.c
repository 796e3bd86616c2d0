/* fork() from a signal handler that interrupts malloc, in a single-threaded
 * program, run under LD_PRELOAD=liballigatorc.so (glibc's tst-mallocfork2
 * pattern).  fork is async-signal-safe; the interrupted malloc holds the
 * allocator's lock, so an atfork handler that waits for that lock waits for
 * ever.  An interval timer (ITIMER_REAL: SIGALRM every 0.5 ms) interrupts a
 * loop of malloc and free; each handler call forks a child that exits at
 * once.  A hang is turned into a failure: a watchdog process kills the
 * program after 60 s.
 *   fork-signal [FORKS]   prints "fork-signal: ... ok", exit 0 */
#define _GNU_SOURCE
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

static volatile sig_atomic_t forks, failed;

static void handler(int sig) {
  (void)sig;
  pid_t pid = fork();
  if (pid == 0) _exit(0); /* only async-signal-safe calls in the child */
  int status = 0;
  if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFEXITED(status) || WEXITSTATUS(status)) failed++;
  forks++;
}

int main(int argc, char **argv) {
  int want = argc > 1 ? atoi(argv[1]) : 300;
  pid_t parent = getpid(), watchdog = fork();
  if (watchdog == 0) { /* kills the parent if it does not finish in time */
    sleep(60);
    if (getppid() == parent) kill(parent, SIGKILL);
    _exit(0);
  }
  struct sigaction sa = {0};
  sa.sa_handler = handler;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = SA_RESTART;
  sigaction(SIGALRM, &sa, NULL);
  struct itimerval every = {{0, 500}, {0, 500}}; /* every 0.5 ms */
  setitimer(ITIMER_REAL, &every, NULL);
  unsigned x = 1;
  void *keep[64] = {0};
  while (forks < want) { /* almost all the time inside malloc or free */
    x = x * 1103515245u + 12345u;
    unsigned i = (x >> 8) % 64;
    free(keep[i]);
    keep[i] = malloc(16 + (x >> 16) % 3000);
  }
  struct itimerval off = {{0, 0}, {0, 0}};
  setitimer(ITIMER_REAL, &off, NULL);
  for (int i = 0; i < 64; i++) free(keep[i]);
  kill(watchdog, SIGKILL);
  waitpid(watchdog, NULL, 0);
  printf("fork-signal: %d forks from a signal handler interrupting malloc/free, %d failed children: %s\n", (int)forks,
         (int)failed, failed ? "FAILED" : "ok");
  return failed != 0;
}
