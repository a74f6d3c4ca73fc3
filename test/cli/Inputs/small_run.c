/* A small profiled program for the tests that need real runs with some of
 * the runtime's recording turned off (convert_nothing.test,
 * other_files.test): two operations calling a helper that allocates. */
#include <stdlib.h>
#include <string.h>

static void *volatile keep;
static volatile long sink;

__attribute__((noinline)) void grid_work(int n) {
  char *p = malloc(1000 + (size_t)n);
  keep = p;
  memset(p, n, 1000);
  for (long i = 0; i < 20000; i++) sink += i ^ n;
  free(keep);
}

__attribute__((noinline)) void op_extract_objects_22(int n) { grid_work(n); }

__attribute__((noinline)) void op_rotate_1(int n) {
  grid_work(n + 1);
  grid_work(n + 2);
}

int main(void) {
  for (int i = 0; i < 5; i++) {
    op_extract_objects_22(i);
    op_rotate_1(i);
  }
  return 0;
}
