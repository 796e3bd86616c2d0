/* The Rust crate's C side, compiled with the core (src/) by build.rs:
 * the entry points under the names the crate calls, the last misuse message,
 * the layout facts tests/layout.rs checks, and on wasm32-unknown-unknown the
 * few C library functions the core needs (there is no C library there). */
#include <stddef.h>
#include <stdint.h>
#include "alligator.h"

/* ---- the crate's entry points --------------------------------------------- */
/* The crate always calls alligator_* (alligator.h): in the prefixed host and
 * wasm32-unknown-unknown builds the core's only names, on wasm32-wasi strong
 * aliases of the unprefixed core, which IS the C library's malloc there (one
 * heap for Rust, wasi-libc and any C code; wasi-libc's dlmalloc.o is never
 * linked).  Calling malloc by name would not do: Rust's LLVM knows what
 * malloc and free are and may delete calls it thinks are unused. */

/* ---- the last misuse message ---------------------------------------------- */
/* Kept on every target (by the crate's misuse hook, and on
 * wasm32-unknown-unknown by write(2, ...) below), NUL-terminated, so that
 * Rust (alligator::last_error) and JS (the export alligator_last_error) can
 * read it after the trap that follows. */
static char last_error[256];

void alligator_rs_record_error(const char *message, size_t n);
void alligator_rs_record_error(const char *message, size_t n) {
  if (n > sizeof last_error - 1) n = sizeof last_error - 1;
  for (size_t i = 0; i < n; i++) last_error[i] = message[i];
  last_error[n] = 0;
}

const char *alligator_rs_last_error(void);
const char *alligator_rs_last_error(void) { return last_error; }

/* ---- layout facts, checked against the crate's definitions (tests/layout.rs) */
#define FIELD(t, f) offsetof(t, f)
extern const size_t alligator_rs_layout[], alligator_rs_layout_count;
const size_t alligator_rs_layout[] = {
    _Alignof(max_align_t), /* what malloc's result is aligned to */
    ALLIGATOR_CLASSES,
    sizeof(alligator_stats_t),
    FIELD(alligator_stats_t, heap_bytes), FIELD(alligator_stats_t, in_use_bytes),
    FIELD(alligator_stats_t, peak_in_use_bytes), FIELD(alligator_stats_t, free_bytes),
    FIELD(alligator_stats_t, overhead_bytes), FIELD(alligator_stats_t, live_allocations),
    FIELD(alligator_stats_t, minipages), FIELD(alligator_stats_t, large_blocks),
    FIELD(alligator_stats_t, large_bytes), FIELD(alligator_stats_t, free_spans),
    FIELD(alligator_stats_t, free_span_bytes), FIELD(alligator_stats_t, largest_free_bytes),
    FIELD(alligator_stats_t, oom_count), FIELD(alligator_stats_t, grow_count),
    FIELD(alligator_stats_t, class_count), FIELD(alligator_stats_t, class_size),
    FIELD(alligator_stats_t, class_slots), FIELD(alligator_stats_t, class_pages),
    FIELD(alligator_stats_t, class_used), FIELD(alligator_stats_t, fragmentation),
    sizeof(alligator_span_info),
    FIELD(alligator_span_info, address), FIELD(alligator_span_info, bytes),
    FIELD(alligator_span_info, kind), FIELD(alligator_span_info, cls),
    FIELD(alligator_span_info, used), FIELD(alligator_span_info, slots),
};
const size_t alligator_rs_layout_count = sizeof alligator_rs_layout / sizeof alligator_rs_layout[0];

/* ---- wasm32-unknown-unknown: the C library the core needs ----------------- */
#if defined(__wasm__) && !defined(__wasi__) && !defined(__EMSCRIPTEN__)
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <assert.h>

int errno;

size_t strlen(const char *s) {
  size_t n = 0;
  while (s[n]) n++;
  return n;
}

/* Only the misuse reporter writes, to fd 2: keep the message. */
ssize_t write(int fd, const void *buf, size_t n) {
  if (fd == 2) alligator_rs_record_error(buf, n);
  return (ssize_t)n;
}

/* A bare trap: the message is in alligator_last_error. */
_Noreturn void abort(void) { __builtin_trap(); }

_Noreturn void alligator_rs_assert_fail(const char *expr, const char *file, int line) {
  char msg[200], *m = msg, *end = msg + sizeof msg - 16;
  const char *parts[] = {"alligator: assertion failed: ", expr, " (", file, ":"};
  for (unsigned i = 0; i < sizeof parts / sizeof parts[0]; i++)
    for (const char *t = parts[i]; *t && m < end; t++) *m++ = *t;
  char digits[12], *d = digits + sizeof digits;
  unsigned v = (unsigned)line;
  do *--d = (char)('0' + v % 10); while (v /= 10);
  while (d < digits + sizeof digits) *m++ = *d++;
  *m++ = ')';
  *m++ = '\n';
  alligator_rs_record_error(msg, (size_t)(m - msg));
  __builtin_trap();
}
#endif
