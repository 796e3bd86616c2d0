/* brk() under -sMALLOC=none (Emscripten's sbrk.c contract: brk(addr) moves
 * the break, 0 or -1 with ENOMEM), and Alligator beside a program that moves
 * the break itself: its next segment starts after the moved break, and the
 * bytes the program took stay untouched.  Prints one line; exit status 0 if
 * everything held.                                                          */
#define _DEFAULT_SOURCE /* sbrk, brk */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "alligator.h"

#define FOREIGN 4096
#define BLOCKS 64
#define BLOCK (64 * 1024)

int main(void) {
  int fails = 0;
#define CHECK(c)                                          \
  do {                                                    \
    if (!(c)) { printf("FAILED: %s\n", #c); fails++; } \
  } while (0)
  char *first = malloc(100); /* Alligator has a segment now */
  CHECK(first != NULL);
  char *top = sbrk(0);
  CHECK(brk(top + FOREIGN) == 0);
  CHECK((char *)sbrk(0) == top + FOREIGN);
  memset(top, 0xA5, FOREIGN); /* the program's own bytes */

  /* enough to need more memory than the first segment had */
  char *blocks[BLOCKS];
  for (int i = 0; i < BLOCKS; i++) {
    blocks[i] = malloc(BLOCK);
    CHECK(blocks[i] != NULL);
    if (!blocks[i]) break;
    CHECK(blocks[i] + BLOCK <= top || blocks[i] >= top + FOREIGN); /* no overlap */
    memset(blocks[i], i, BLOCK);
  }
  int intact = 1;
  for (int i = 0; i < FOREIGN; i++) intact &= (unsigned char)top[i] == 0xA5;
  CHECK(intact);
  CHECK(alligator_validate(NULL, NULL) == 0);
  for (int i = 0; i < BLOCKS; i++) free(blocks[i]);
  free(first);

  errno = 0;
  CHECK(brk((void *)16) == -1 && errno == ENOMEM); /* below the heap base */
  printf("brk: %s (%d failed)\n", fails ? "FAILED" : "ok", fails);
  return fails != 0;
}
