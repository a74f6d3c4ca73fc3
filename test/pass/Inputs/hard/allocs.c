/* Every allocation function, through direct calls only. */
#define _GNU_SOURCE
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(void) {
  long s = 0;
  for (int i = 0; i < 100; i++) {
    char *a = malloc(10 + i), *b = calloc(4, 8), *c = strdup("abc"), *d = strndup("abcdef", 3);
    void *e = aligned_alloc(64, 128), *f = NULL, *g = memalign(32, 64);
    if (posix_memalign(&f, 16, 48) != 0) return 1;
    a = realloc(a, 100 + i);
    int *h = reallocarray(NULL, 8, sizeof(int));
    s += (long)strlen(c) + (long)strlen(d) + (b[0] == 0) + ((unsigned long)e % 64 == 0);
    free(a); free(b); free(c); free(d); free(e); free(f); free(g); free(h);
  }
  printf("%ld\n", s);
  return 0;
}
