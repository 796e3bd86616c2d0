/* Host driver: bench-host-ALLOC WORKLOAD SEED SCALE [OPLOG]
 * Runs one workload and prints one JSON line: checksum, ops, seconds,
 * peak live bytes, peak heap bytes.  Instruction-count builds
 * (-DBENCH_INSTR, run under callgrind) write one byte per allocator call to
 * OPLOG: kind (0 malloc, 1 free, 2 realloc, 3 calloc, 4 memalign) | 16 if
 * the heap grew during the call.  They also run the fast-path pair:
 * bench-ALLOC-instr pair SIZE SHORT LONG (bench/host/pair.c). */
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L
#endif
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "../bench.h"

#ifdef BENCH_INSTR
static unsigned char *oplog;
static size_t oplog_len, oplog_cap;
static void record(int kind, int grew) {
  if (oplog_len == oplog_cap) {
    oplog_cap = oplog_cap ? oplog_cap * 2 : 1 << 16;
    oplog = realloc(oplog, oplog_cap); /* the C library's own malloc */
    if (!oplog) exit(3);
  }
  oplog[oplog_len++] = (unsigned char)(kind | (grew ? 16 : 0));
}
#endif

int main(int argc, char **argv) {
  if (argc < 4) {
    fprintf(stderr, "usage: %s WORKLOAD SEED SCALE [OPLOG]\n", argv[0]);
    return 2;
  }
#ifdef BENCH_INSTR
  if (!strcmp(argv[1], "pair")) return bench_pair(argc, argv);
#endif
  int w = -1;
  for (int i = 0; i < W_COUNT; i++)
    if (!strcmp(argv[1], bench_workload_names[i])) w = i;
  if (w < 0) w = atoi(argv[1]);
  if (w < 0 || w >= W_COUNT) return 2;
#ifdef BENCH_INSTR
  bench_op_record = record;
#endif
  bench_result r;
  struct timespec a, b;
  clock_gettime(CLOCK_MONOTONIC, &a);
  bench_run(w, (uint32_t)strtoul(argv[2], NULL, 0), atof(argv[3]), &r);
  clock_gettime(CLOCK_MONOTONIC, &b);
  double secs = (double)(b.tv_sec - a.tv_sec) + (double)(b.tv_nsec - a.tv_nsec) / 1e9;
#ifdef BENCH_INSTR
  if (argc > 4) {
    FILE *f = fopen(argv[4], "wb");
    if (!f || fwrite(oplog, 1, oplog_len, f) != oplog_len) return 3;
    fclose(f);
  }
#endif
  printf("{\"workload\":\"%s\",\"checksum\":%u,\"ops\":%.0f,\"seconds\":%.6f,\"peak_live_bytes\":%.0f,"
         "\"peak_heap_bytes\":%.0f}\n",
         bench_workload_names[w], (unsigned)r.checksum, r.ops, secs, r.peak_live_bytes, r.peak_heap_bytes);
  return r.checksum ? 0 : 1;
}
