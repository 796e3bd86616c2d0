/* wasm32-unknown-unknown: a failed assertion (debug builds) keeps its text
 * as the last error (shim.c) and traps. */
#ifndef ALLIGATOR_RS_ASSERT_H
#define ALLIGATOR_RS_ASSERT_H
_Noreturn void alligator_rs_assert_fail(const char *expr, const char *file, int line);
#define assert(x) ((x) ? (void)0 : alligator_rs_assert_fail(#x, __FILE__, __LINE__))
#endif
