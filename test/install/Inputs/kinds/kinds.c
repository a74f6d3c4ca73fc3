#include <stdlib.h>

__attribute__((noinline)) int op_kinds_step(int x) {
  int *p = malloc(sizeof *p);
  *p = x * 3 + 1;
  int r = *p;
  free(p);
  return r;
}

int kinds_work(int n) {
  int sum = 0;
  for (int i = 0; i < n; i++)
    sum += op_kinds_step(i);
  return sum;
}
