/* Hello world for Alligator: one program for the host (64- and 32-bit),
 * wasm (Emscripten, through the port) and debuggers.
 *
 * It uses malloc, realloc and free where you can see them, then prints
 * Alligator's statistics and checks the heap.  Exit status 0 = the heap is
 * consistent and everything the program allocated was given back. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "alligator.h"

/* A growing list of greetings: malloc for each string, realloc for the array. */
static char **greet(size_t *count) {
  static const char *const words[] = {"hello", "hallo", "bonjour", "hola", "ciao", "hej", "ahoj", "moi"};
  char **list = NULL;
  size_t n = 0;
  for (size_t i = 0; i < 64; i++) {
    char **grown = realloc(list, (n + 1) * sizeof *list);  /* realloc, NULL first */
    if (!grown) break;
    list = grown;
    const char *w = words[i % 8];
    list[n] = malloc(strlen(w) + 12);                         /* small: a MiniPage segment */
    if (!list[n]) break;
    snprintf(list[n], strlen(w) + 12, "%s, world %zu", w, i);
    n++;
  }
  *count = n;
  return list;
}

int main(void) {
  alligator_stats_t before, during, after;
  /* Print first: stdio allocates its buffer on the first call, before the count starts. */
  printf("Alligator %s hello world\n", ALLIGATOR_VERSION);
  alligator_stats(&before);

  size_t n;
  char **list = greet(&n);
  printf("%s! (%zu greetings, the last: \"%s\")\n", list[0], n, list[n - 1]);

  /* A large block (> 2 KiB: a run of units), grown in place or moved. */
  size_t big = 100000;
  unsigned char *buf = malloc(big);
  if (!buf) return 1;
  memset(buf, 0xA5, big);
  unsigned char *bigger = realloc(buf, 4 * big);
  if (!bigger) return 1;
  buf = bigger;
  int intact = buf[0] == 0xA5 && buf[big - 1] == 0xA5;
  printf("realloc kept the contents: %s\n", intact ? "yes" : "NO");

  alligator_stats(&during);
  for (size_t i = 0; i < n; i++) free(list[i]);
  free(list);
  free(buf);
  alligator_stats(&after);

  printf("Alligator statistics (while the data was live / after free):\n");
  printf("  heap bytes         %10zu / %zu\n", during.heap_bytes, after.heap_bytes);
  printf("  in use bytes       %10zu / %zu\n", during.in_use_bytes, after.in_use_bytes);
  printf("  peak in use bytes  %10zu\n", after.peak_in_use_bytes);
  printf("  live allocations   %10zu / %zu\n", during.live_allocations, after.live_allocations);
  printf("  MiniPages          %10zu / %zu\n", during.minipages, after.minipages);
  printf("  large blocks       %10zu / %zu\n", during.large_blocks, after.large_blocks);
  printf("  free bytes         %10zu / %zu\n", during.free_bytes, after.free_bytes);
  printf("  heap growths       %10zu\n", after.grow_count);
  int problems = alligator_validate(NULL, NULL);
  printf("  heap check         %10d problems\n", problems);

  /* Our allocations (n strings + the array + the buffer) were counted, then given back. */
  int counted = during.live_allocations >= before.live_allocations + n + 2 &&
                after.live_allocations == before.live_allocations;
  printf("allocations counted and returned: %s\n", counted ? "yes" : "NO");
  return intact && counted && problems == 0 ? 0 : 1;
}
