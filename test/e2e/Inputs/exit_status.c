/* Exits with status 5 after one instrumented call and one allocation. */
#include <stdlib.h>

int work(int x) { return x + 2; }

int main(void) {
  char *p = malloc(8);
  int r = work(p ? 3 : 0);
  free(p);
  return r;
}
