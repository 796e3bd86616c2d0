/* wasm32-unknown-unknown: errno is a plain global (defined in shim.c). */
#ifndef ALLIGATOR_RS_ERRNO_H
#define ALLIGATOR_RS_ERRNO_H
extern int errno;
/* wasi-libc's values */
#define EINVAL 28
#define ENOMEM 48
#endif
