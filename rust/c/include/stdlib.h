/* wasm32-unknown-unknown: what the C core uses of <stdlib.h>. */
#ifndef ALLIGATOR_RS_STDLIB_H
#define ALLIGATOR_RS_STDLIB_H
#include <stddef.h>
_Noreturn void abort(void);
#endif
