/* wasm32-unknown-unknown: write(2, ...) keeps the misuse message (shim.c). */
#ifndef ALLIGATOR_RS_UNISTD_H
#define ALLIGATOR_RS_UNISTD_H
#include <stddef.h>
typedef long ssize_t;
ssize_t write(int fd, const void *buf, size_t n);
#endif
