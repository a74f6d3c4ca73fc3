/* Exits with status 5 after one instrumented call and one allocation. */
#include <stdlib.h>
static void *sink; /* the address escapes there (a relaxed atomic store), so clang -O1+ keeps the allocation: tprof counts those the binary makes */

int work(int x) { return x + 2; }

int main(void) {
  char *p = malloc(8);
  __atomic_store_n(&sink, p, __ATOMIC_RELAXED);
  int r = work(p ? 3 : 0);
  free(p);
  return r;
}
