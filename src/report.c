/* Misuse reports: the one line a user sees (double free, foreign pointer,
 * corruption, overflow), and the handler that receives it. */
#include <stdlib.h>
#if !defined(_WIN32)
#include <unistd.h>
#endif
#include "internal.h"

/* ---- misuse --------------------------------------------------------------- */
static void default_error(int kind, void *p, const char *message) {
  (void)kind;
  (void)p;
#if !defined(_WIN32)
  ssize_t w = write(2, message, strlen(message));
  (void)w;
#endif
  abort();
}

static alligator_error_fn error_fn = default_error;

alligator_error_fn alligator_set_error_handler(alligator_error_fn fn) {
  alligator_error_fn old = error_fn;
  error_fn = fn ? fn : default_error;
  return old;
}

/* Built by hand, not with al_format: this is linked into every program. */
void al_report(int kind, const void *p, const char *what) {
  static const char *const names[] = {"misuse", "double free", "invalid pointer", "heap corruption", "buffer overflow"};
  char msg[200], *m = msg, *end = msg + sizeof msg - 2;
  const char *parts[] = {"alligator: ", names[kind >= 1 && kind <= 4 ? kind : 0], ": 0x", NULL, " (in ", what, ")"};
  for (unsigned i = 0; i < sizeof parts / sizeof parts[0]; i++) {
    if (!parts[i]) { /* the address, in hex */
      uintptr_t a = (uintptr_t)p;
      int shift = (int)(sizeof a * 8) - 4;
      while (shift > 0 && !(a >> shift)) shift -= 4;
      for (; shift >= 0 && m < end; shift -= 4) *m++ = "0123456789abcdef"[(a >> shift) & 15];
      continue;
    }
    for (const char *t = parts[i]; *t && m < end; t++) *m++ = *t;
  }
  *m++ = '\n';
  *m = 0;
  error_fn(kind, (void *)p, msg);
}

