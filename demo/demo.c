/* The demo: a word-frequency table built from generated text, with the kinds
 * of allocation a real program makes (many small nodes, a growing buffer, a
 * few large arrays), then torn down.  Built through the port, so every
 * allocation, including the JS runtime's, is Alligator's. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <emscripten/emscripten.h>
#include "alligator.h"

typedef struct word {
  struct word *next;
  unsigned count;
  char text[];
} word_t;

static word_t **table;
static size_t buckets = 64, words;

static size_t hash(const char *s) {
  size_t h = 5381;
  while (*s) h = h * 33 + (unsigned char)*s++;
  return h;
}

static void grow_table(void) {
  size_t n = buckets * 4;
  word_t **t = calloc(n, sizeof *t);
  for (size_t i = 0; i < buckets; i++)
    for (word_t *w = table[i], *next; w; w = next) {
      next = w->next;
      size_t h = hash(w->text) % n;
      w->next = t[h];
      t[h] = w;
    }
  free(table);
  table = t;
  buckets = n;
}

static void add(const char *s) {
  size_t h = hash(s) % buckets;
  for (word_t *w = table[h]; w; w = w->next)
    if (!strcmp(w->text, s)) { w->count++; return; }
  size_t len = strlen(s);
  word_t *w = malloc(sizeof *w + len + 1);
  memcpy(w->text, s, len + 1);
  w->count = 1;
  w->next = table[h];
  table[h] = w;
  if (++words > buckets * 2) grow_table();
}

/* Called from JS with a string the JS runtime allocated (allocateUTF8). */
EMSCRIPTEN_KEEPALIVE unsigned demo_count(const char *text) {
  unsigned n = 0;
  char *copy = strdup(text);
  for (char *tok = strtok(copy, " "); tok; tok = strtok(NULL, " ")) add(tok), n++;
  free(copy);
  return n;
}

EMSCRIPTEN_KEEPALIVE void demo_run(unsigned n_words) {
  static const char *syll[] = {"al", "li", "ga", "tor", "cro", "co", "dile", "cay", "man", "gha", "ri", "al"};
  table = calloc(buckets, sizeof *table);
  size_t cap = 16, len = 0;
  char *text = malloc(cap);           /* a buffer grown by realloc */
  unsigned seed = 1;
  for (unsigned i = 0; i < n_words; i++) {
    char w[32] = "";
    seed = seed * 1103515245u + 12345u;
    for (unsigned k = 0; k < 1 + (seed >> 16) % 4; k++) strcat(w, syll[(seed >> (4 + 3 * k)) % 12]);
    add(w);
    size_t wl = strlen(w);
    if (len + wl + 2 > cap) text = realloc(text, cap *= 2);
    memcpy(text + len, w, wl);
    len += wl;
    text[len++] = ' ';
  }
  text[len] = 0;
  double *scores = malloc(words * sizeof(double)); /* a large array */
  for (size_t i = 0; i < words; i++) scores[i] = (double)i;
  alligator_stats_t st;
  alligator_stats(&st);
  printf("demo: %u words, %zu distinct, text buffer %zu bytes\n", n_words, words, cap);
  printf("demo: in C, alligator_stats(): heap %zu B, in use %zu B, %zu live allocations, %zu MiniPages, %zu large blocks\n",
         st.heap_bytes, st.in_use_bytes, st.live_allocations, st.minipages, st.large_blocks);
  free(scores);
  free(text);
}

EMSCRIPTEN_KEEPALIVE void demo_teardown(void) {
  for (size_t i = 0; i < buckets; i++)
    for (word_t *w = table[i], *next; w; w = next) next = w->next, free(w);
  free(table);
  table = NULL;
  words = 0;
  buckets = 64;
}

int main(void) { return 0; }
