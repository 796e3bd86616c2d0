/* A small formatter for the heap check's messages (%s %c %d %u %x %08x %zu
 * %p), so that Alligator pulls no printf into a wasm module. */
#include <stdarg.h>
#include "internal.h"

/* ---- a small formatter ---------------------------------------------------- */
static al_noinline size_t put_num(char *out, size_t at, size_t cap, uintmax_t v, unsigned base, int neg, unsigned width) {
  char digits[24];
  unsigned n = 0;
  do {
    digits[n++] = "0123456789abcdef"[v % base];
    v /= base;
  } while (v);
  while (n < width) digits[n++] = '0';
  if (neg) digits[n++] = '-';
  while (n)
    if (at + 1 < cap) out[at++] = digits[--n];
    else n--;
  return at;
}

static size_t vformat(char *out, size_t cap, const char *fmt, va_list ap) {
  size_t at = 0;
  for (const char *f = fmt; *f; f++) {
    if (*f != '%') {
      if (at + 1 < cap) out[at++] = *f;
      continue;
    }
    unsigned width = 0;
    f++;
    while (*f >= '0' && *f <= '9') width = width * 10 + (unsigned)(*f++ - '0');
    switch (*f) {
    case 's':
      for (const char *t = va_arg(ap, const char *); *t; t++)
        if (at + 1 < cap) out[at++] = *t;
      break;
    case 'c':
      if (at + 1 < cap) out[at++] = (char)va_arg(ap, int);
      break;
    case 'd': {
      int v = va_arg(ap, int);
      at = put_num(out, at, cap, v < 0 ? 0u - (unsigned)v : (unsigned)v, 10, v < 0, width);
      break;
    }
    case 'u': at = put_num(out, at, cap, va_arg(ap, unsigned), 10, 0, width); break;
    case 'x': at = put_num(out, at, cap, va_arg(ap, unsigned), 16, 0, width); break;
    case 'z': f++; at = put_num(out, at, cap, va_arg(ap, size_t), 10, 0, width); break; /* %zu */
    case 'p':
      if (at + 2 < cap) out[at++] = '0', out[at++] = 'x';
      at = put_num(out, at, cap, (uintptr_t)va_arg(ap, void *), 16, 0, width);
      break;
    default:
      if (at + 1 < cap) out[at++] = *f;
      if (!*f) f--;
    }
  }
  if (cap) out[at] = 0;
  return at;
}

size_t al_format(char *out, size_t cap, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  size_t n = vformat(out, cap, fmt, ap);
  va_end(ap);
  return n;
}

void al_check_fail(al_check_fn report, void *ctx, int *errors, const char *fmt, ...) {
  (*errors)++;
  if (!report) return;
  char msg[AL_CHECK_MSG];
  va_list ap;
  va_start(ap, fmt);
  vformat(msg, sizeof msg, fmt, ap);
  va_end(ap);
  report(ctx, msg);
}
