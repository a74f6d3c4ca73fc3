#include <stdio.h>

int kinds_work(int n);

int main(void) {
  printf("sum %d\n", kinds_work(7));
  return 0;
}
