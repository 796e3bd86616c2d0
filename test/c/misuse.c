/* Misuse is caught: each case is run in its own process, which must abort
 * with one line "alligator: <kind>: <address> (in <function>)" naming the
 * address the program passed.
 *
 *   misuse CASE   perform one case (prints "ptr=<address>" first); used by
 *                 the native runner below and by test/misuse.test.js in wasm
 *   misuse        (native) run every case in a child process and check it
 *   misuse --list the cases (test/misuse.test.js reads them from the wasm build)
 */
#define _POSIX_C_SOURCE 200809L
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <malloc.h>
#include "alligator.h"

typedef struct {
  const char *name;
  const char *kind;  /* the words the message must contain */
  int checked_only;  /* caught only by the checked build */
} case_t;

static const case_t cases[] = {
    {"double-free-small", "double free", 0},
    {"double-free-large", "double free", 0},
    {"double-free-cached", "double free", 0},
    {"realloc-freed-cached", "double free", 0},
    {"usable-size-freed-cached", "double free", 0},
    {"foreign-stack", "invalid pointer", 0},
    {"foreign-static", "invalid pointer", 0},
    {"interior-large", "invalid pointer", 0},
    {"realloc-foreign", "invalid pointer", 0},
    {"realloc-freed-small", "double free", 0},
    {"usable-size-freed-small", "double free", 0},
    {"interior-small", "invalid pointer", 1},
    {"overflow-small", "buffer overflow", 1},
    {"overflow-large", "buffer overflow", 1},
    {"overflow-realloc", "buffer overflow", 1},
    {"write-after-free", "heap corruption", 1},
    {"footer-after-free", "heap corruption", 0},
    {"footer-after-free-last", "heap corruption", 0},
    {"header-after-free", "heap corruption", 0},
    {"header-of-top", "heap corruption", 0},
};
#define NCASES (sizeof cases / sizeof cases[0])

static char static_buffer[64];

/* Hide the misuse from the compiler's static checks: it is the point here. */
static void *launder(void *p) {
  void *volatile q = p;
  return q;
}

static void announce(void *p) {
  printf("ptr=%p\n", p);
  fflush(stdout);
}

static int run_case(const char *name) {
  volatile char *v;
  setvbuf(stdout, NULL, _IONBF, 0); /* stdio allocates no buffer between the steps of a case */
  if (!strcmp(name, "double-free-small")) {
    void *p = malloc(40);
    announce(p); /* before the first free: printf's own buffer must not reuse p */
    free(launder(p));
    free(launder(p));
  } else if (!strcmp(name, "double-free-large")) {
    void *p = malloc(50000);
    announce(p);
    free(launder(p));
    free(launder(p));
  } else if (!strcmp(name, "double-free-cached") || !strcmp(name, "realloc-freed-cached") ||
             !strcmp(name, "usable-size-freed-cached")) {
    /* A block of 2 units between two live ones: freed, it is parked in the
     * large-span cache (not coalesced), and must still read as freed. */
    void *before = launder(malloc(3000)), *p = launder(malloc(3000)), *after = launder(malloc(3000));
    announce(p); /* (laundered: the compiler may not drop the neighbours) */
    free(launder(p));
    if (name[0] == 'd') free(launder(p));
    else if (name[0] == 'r') printf("realloc returned %p\n", realloc(launder(p), 3500));
    else printf("malloc_usable_size: %zu\n", malloc_usable_size(launder(p)));
    free(launder(before));
    free(launder(after));
  } else if (!strcmp(name, "foreign-stack")) {
    char local[32];
    announce(local);
    free(launder(local));
  } else if (!strcmp(name, "foreign-static")) {
    free(malloc(10)); /* make sure a heap exists */
    announce(static_buffer);
    free(launder(static_buffer));
  } else if (!strcmp(name, "interior-large")) {
    char *p = malloc(50000);
    announce(p + 64);
    free(launder(p + 64));
  } else if (!strcmp(name, "realloc-foreign")) {
    free(malloc(10));
    announce(static_buffer + 16);
    (void)!realloc(launder(static_buffer + 16), 100);
  } else if (!strcmp(name, "realloc-freed-small")) {
    void *keep = malloc(40); /* the page stays in use: the freed segment is on its free vector */
    void *p = malloc(40);
    announce(p);
    free(launder(p));
    void *q = realloc(launder(p), 48); /* a freed block is not live: no resize, no second owner */
    printf("realloc returned %p, then malloc %p\n", q, malloc(40));
    free(keep);
  } else if (!strcmp(name, "usable-size-freed-small")) {
    void *keep = malloc(40);
    void *p = malloc(40);
    announce(p);
    free(launder(p));
    printf("malloc_usable_size: %zu\n", malloc_usable_size(launder(p)));
    free(keep);
  } else if (!strcmp(name, "interior-small")) {
    char *p = malloc(100);
    announce(p + 8);
    free(launder(p + 8));
  } else if (!strcmp(name, "overflow-small")) {
    char *p = malloc(20);
    v = p;
    v[20] = 'x'; /* one byte past the end */
    announce(p);
    free(launder(p));
  } else if (!strcmp(name, "overflow-large")) {
    char *p = malloc(10000);
    v = p;
    v[10000] = 'x';
    announce(p);
    free(launder(p));
  } else if (!strcmp(name, "overflow-realloc")) {
    char *p = malloc(300);
    v = p;
    v[301] = 'x';
    announce(p);
    (void)!realloc(launder(p), 5000);
  } else if (!strcmp(name, "write-after-free")) {
    char *p = malloc(48);
    announce(p);
    free(launder(p));
    v = launder(p);
    v[20] = 'x'; /* into a freed block */
    void *q = malloc(48); /* the same segment comes back: poison broken */
    announce(q);
  } else if (!strcmp(name, "footer-after-free")) {
    /* A write after free into the last bytes of a freed large block, where
     * a free span keeps its size (its footer: glibc's prev_size); then the
     * block after it is freed and merges with it.  The size asked for makes
     * the block end exactly where its span ends, in both builds (5 units of
     * 2080 bytes, less the 32-byte header and the checked build's canary). */
    size_t n = 5 * 2080 - 32 - 1;
    free(launder(malloc(10)));
    char *a = malloc(n), *b = malloc(n), *guard = launder(malloc(n));
    size_t usable = malloc_usable_size(a);
    free(launder(a));
    v = launder(a);
    for (size_t i = usable - 8; i < usable; i++) v[i] = 0x7F;
    announce(b); /* the free that trusts the footer */
    free(launder(b));
    free(guard);
  } else if (!strcmp(name, "footer-after-free-last")) {
    /* The same, but b is the last live block: its free empties the heap,
     * whose free memory then becomes one span again without a merge
     * (al_pages_settle); the footer must still be checked. */
    size_t n = 5 * 2080 - 32 - 1;
    char *a = malloc(n), *b = malloc(n);
    size_t usable = malloc_usable_size(a);
    free(launder(a));
    v = launder(a);
    for (size_t i = usable - 8; i < usable; i++) v[i] = 0x7F;
    announce(b);
    free(launder(b));
  } else if (!strcmp(name, "header-after-free")) {
    /* A crafted size in the header of a free span (written through a stale
     * pointer, or by an underflow of the block before): grown to cover the
     * live block after it.  malloc must not hand out that block's memory. */
    size_t n = 5 * 2080 - 32 - 1;
    free(malloc(10));
    char *a = malloc(n), *b = malloc(n), *guard = malloc(n);
    memset(b, 'b', n);
    free(launder(a));
    uint32_t *head = (uint32_t *)launder(a - 32); /* kind | flags | magic | size in units << 8 */
    *head += (*head >> 8) << 8;                  /* double the size: now a's span covers b */
    announce(a);
    char *q = malloc(n), *r = malloc(n);
    if ((q && q < b + n && b < q + n) || (r && r < b + n && b < r + n))
      printf("malloc handed out %p and %p, overlapping the live block %p\n", q, r, b);
    free(guard);
  } else if (!strcmp(name, "header-of-top")) {
    /* An overflow of the last block into the header of the free span that
     * ends the heap (the top: in no bin, split by every request that nothing
     * else serves), crafted to claim twice its size.  The next request taken
     * from the top must report it, not trust the size. */
    char *a = launder(malloc(3 * 2080)), *b = launder(malloc(2 * 2080));
    static alligator_span_info map[64];
    size_t n = alligator_heap_map(map, 64);
    if (n < 2 || n > 64 || map[n - 1].kind != 4 || map[n - 2].kind != 1) return 4; /* no top: nothing to test */
    uint32_t *head = (uint32_t *)launder((void *)map[n - 2].address);
    *head += (*head >> 8) << 8;
    announce((char *)head + 32); /* the top's section, where the report points */
    char *q = launder(malloc(2 * 2080));
    if (q && (uintptr_t)q < map[n - 2].address) printf("the top was not used: %p\n", q);
    free(a);
    free(b);
  } else {
    fprintf(stderr, "misuse: unknown case %s\n", name);
    return 2;
  }
  printf("not caught\n");
  return 3;
}

/* `misuse --list`: the cases, one a line ("name|kind|checked_only"), for
 * test/misuse.test.js (the list is written only here). */
static int list_cases(void) {
  for (size_t i = 0; i < NCASES; i++) printf("%s|%s|%d\n", cases[i].name, cases[i].kind, cases[i].checked_only);
  return 0;
}

#if defined(__wasm__)
int main(int argc, char **argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: misuse CASE | --list\n");
    return 2;
  }
  if (!strcmp(argv[1], "--list")) return list_cases();
  return run_case(argv[1]);
}
#else
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

/* Run one case in a child; return 1 if it aborted with the right message. */
static int check_case(const char *self, const case_t *c) {
  int out[2], err[2];
  if (pipe(out) || pipe(err)) return 0;
  pid_t pid = fork();
  if (pid == 0) {
    dup2(out[1], 1);
    dup2(err[1], 2);
    execl(self, self, c->name, (char *)NULL);
    _exit(127);
  }
  close(out[1]);
  close(err[1]);
  char obuf[256] = "", ebuf[512] = "";
  ssize_t n = read(out[0], obuf, sizeof obuf - 1);
  obuf[n > 0 ? n : 0] = 0;
  size_t len = 0;
  while (len < sizeof ebuf - 1 && (n = read(err[0], ebuf + len, sizeof ebuf - 1 - len)) > 0) len += (size_t)n;
  ebuf[len] = 0;
  int status = 0;
  waitpid(pid, &status, 0);
  close(out[0]);
  close(err[0]);
  char ptr[64] = "", want[160];
  sscanf(obuf, "ptr=%63s", ptr);
  snprintf(want, sizeof want, "alligator: %s: %s", c->kind, ptr);
  int ok = WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT && ptr[0] && strstr(ebuf, want);
  printf("%s %-20s %s", ok ? "ok  " : "FAIL", c->name, ebuf[0] ? ebuf : "(no message)\n");
  if (!ok) printf("      expected \"%s\" and SIGABRT; stdout: %s\n", want, obuf);
  return ok;
}

int main(int argc, char **argv) {
  if (argc > 1) return strcmp(argv[1], "--list") ? run_case(argv[1]) : list_cases();
#ifdef ALLIGATOR_CHECKED
  const int checked = 1;
#else
  const int checked = 0;
#endif
  unsigned passed = 0, failed = 0;
  for (size_t i = 0; i < NCASES; i++) {
    if (cases[i].checked_only && !checked) continue;
    if (check_case(argv[0], &cases[i])) passed++;
    else failed++;
  }
  printf("misuse%s: %u passed, %u failed\n", checked ? " (checked)" : "", passed, failed);
  return failed != 0;
}
#endif
