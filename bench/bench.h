/* The allocator under test, chosen at build time, for bench/workloads.c.
 *
 *   (default)          malloc, free, ... : whatever the program links
 *                      (wasm: -sMALLOC=dlmalloc / emmalloc, or the Alligator
 *                      port with -sMALLOC=none; host: glibc)
 *   -DBENCH_ALLIGATOR  alligator_malloc, ... (host, -DALLIGATOR_PREFIX build)
 *   -DBENCH_DLMALLOC   dlmalloc, ... (host, Emscripten's dlmalloc.c, USE_DL_PREFIX)
 *   -DBENCH_EMMALLOC   emmalloc_malloc, ... (host, Emscripten's emmalloc.c)
 *
 * bench_heap_bytes(): bytes the heap backend handed out so far (the sbrk
 * high-water mark: wasm memory never shrinks).  bench_grow_count(): how many
 * times the heap grew (host only, used to set growth calls apart).
 */
#ifndef BENCH_H
#define BENCH_H
#include <stddef.h>
#include <stdint.h>

#if defined(BENCH_ALLIGATOR)
#define ALLIGATOR_PREFIX 1
#include "alligator.h"
#define B_MALLOC alligator_malloc
#define B_FREE alligator_free
#define B_REALLOC alligator_realloc
#define B_CALLOC alligator_calloc
#define B_MEMALIGN alligator_memalign
#elif defined(BENCH_DLMALLOC)
void *dlmalloc(size_t);
void dlfree(void *);
void *dlrealloc(void *, size_t);
void *dlcalloc(size_t, size_t);
void *dlmemalign(size_t, size_t);
#define B_MALLOC dlmalloc
#define B_FREE dlfree
#define B_REALLOC dlrealloc
#define B_CALLOC dlcalloc
#define B_MEMALIGN dlmemalign
#elif defined(BENCH_EMMALLOC)
void *emmalloc_malloc(size_t);
void emmalloc_free(void *);
void *emmalloc_realloc(void *, size_t);
void *emmalloc_calloc(size_t, size_t);
void *emmalloc_memalign(size_t, size_t);
#define B_MALLOC emmalloc_malloc
#define B_FREE emmalloc_free
#define B_REALLOC emmalloc_realloc
#define B_CALLOC emmalloc_calloc
#define B_MEMALIGN emmalloc_memalign
#else
#include <stdlib.h>
void *memalign(size_t, size_t);
#define B_MALLOC malloc
#define B_FREE free
#define B_REALLOC realloc
#define B_CALLOC calloc
#define B_MEMALIGN memalign
#endif

size_t bench_heap_bytes(void);
unsigned long bench_grow_count(void);

/* workloads.c */
enum {
  W_RANDOM_ACTIONS,
  W_RANDOM_ACTIONS_REALLOC,
  W_SMALL_CHURN,
  W_GROWTH,
  W_CLASS_SWEEP,
  W_FRAGMENTATION,
  W_JSON,
  W_ADV_DLMALLOC,
  W_ADV_EMMALLOC,
  W_ADV_ALLIGATOR,
  W_COUNT
};
extern const char *const bench_workload_names[W_COUNT];

typedef struct bench_result {
  uint32_t checksum;
  double ops;              /* allocator calls made */
  double peak_live_bytes;  /* highest sum of requested sizes of live blocks */
  double peak_heap_bytes;  /* bench_heap_bytes() at the end */
} bench_result;

/* Run workload w (deterministic from seed; scale multiplies its length). */
void bench_run(int w, uint32_t seed, double scale, bench_result *out);

/* Instruction-count builds (-DBENCH_INSTR): every allocator call is a
 * noinline op_* function (callgrind --dump-after), and the kind of each call
 * and whether the heap grew during it are recorded in order. */
#ifdef BENCH_INSTR
typedef void (*bench_op_record_fn)(int kind, int grew);
extern bench_op_record_fn bench_op_record;
/* bench/host/pair.c: `pair SIZE SHORT LONG`, the malloc+free loop */
int bench_pair(int argc, char **argv);
#endif
#endif
