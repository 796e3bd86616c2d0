/* The C tests' one way to check a condition (the programs in test/c and fuzz).
 *
 *   CHECK(cond, fmt, ...)  counts a check; if cond is false, prints
 *                          "FAIL file:line: <message>" and counts a failure
 *   FAIL(fmt, ...)         an unconditional failure
 *   check_summary(name)    prints "<name>: N checks, M failed", returns the
 *                          exit status (0 = all passed)
 * Settings, before the first check:
 *   check_context               called before each FAIL line with the
 *                               number of earlier failures (model.c prints
 *                               its step, and its trace the first time)
 *   check_max_failures          exit(1) after this many (0 = never)
 *   check_abort                 abort() at the first failure (the fuzz
 *                               harness: fuzzers look for crashes)
 * Messages go to stdout, in order with the program's other output.
 */
#ifndef ALLIGATOR_TEST_CHECK_H
#define ALLIGATOR_TEST_CHECK_H
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#define CHECK_UNUSED __attribute__((unused))
static unsigned long check_count CHECK_UNUSED, check_failures CHECK_UNUSED;
static void (*check_context)(unsigned long earlier_failures) CHECK_UNUSED;
static unsigned long check_max_failures CHECK_UNUSED;
static int check_abort CHECK_UNUSED;

static void check_failed(const char *file, int line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4), unused));
static void check_failed(const char *file, int line, const char *fmt, ...) {
  if (check_context) check_context(check_failures);
  check_failures++;
  printf("FAIL %s:%d: ", file, line);
  va_list ap;
  va_start(ap, fmt);
  vprintf(fmt, ap);
  va_end(ap);
  putchar('\n');
  fflush(stdout);
  if (check_abort) abort();
  if (check_max_failures && check_failures >= check_max_failures) {
    printf("too many failures: stopping\n");
    exit(1);
  }
}

#define CHECK(cond, ...)                                              \
  do {                                                                \
    check_count++;                                                    \
    if (!(cond)) check_failed(__FILE__, __LINE__, __VA_ARGS__);       \
  } while (0)
#define FAIL(...) check_failed(__FILE__, __LINE__, __VA_ARGS__)

static int check_summary(const char *name) __attribute__((unused));
static int check_summary(const char *name) {
  printf("%s: %lu checks, %lu failed\n", name, check_count, check_failures);
  return check_failures != 0;
}
#endif
