/* Just enough of <emscripten.h> to compile Emscripten's emmalloc.c natively
 * (benchmark only): the logging macros compile away. */
#ifndef BENCH_STUB_EMSCRIPTEN_H
#define BENCH_STUB_EMSCRIPTEN_H
#define EM_ASM(...) ((void)0)
#define MAIN_THREAD_ASYNC_EM_ASM(...) ((void)0)
#define EMSCRIPTEN_KEEPALIVE
#endif
