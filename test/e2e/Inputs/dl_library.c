/* An instrumented shared library, loaded with dlopen and closed with dlclose
 * before the program exits (test/e2e/dlopen.c). */
#include <stdlib.h>

/* The address escapes here, so that clang -O1 and above keeps the malloc
 * and free pair it would otherwise remove (tprof counts the allocations the
 * compiled program makes, as valgrind does). */
static void *volatile sink;

static int helper_in_library(int x) { return x * 2; }

int op_library_op_1(int n) {
  int *p = malloc(sizeof *p * 4);
  sink = p;
  p[0] = helper_in_library(n);
  int r = p[0];
  free(p);
  return r;
}
