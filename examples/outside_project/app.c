/* A stand-in for a transpiled program: two operations on a heap grid. */
#include <stdio.h>
#include <stdlib.h>

enum { N = 16 };

void op_invert_1(unsigned char *g) {
  for (int i = 0; i < N * N; i++) g[i] = (unsigned char)(9 - g[i]);
}

unsigned char *op_transpose_2(const unsigned char *g) {
  unsigned char *out = malloc(N * N);
  for (int r = 0; r < N; r++)
    for (int c = 0; c < N; c++) out[c * N + r] = g[r * N + c];
  return out;
}

int main(void) {
  unsigned char *g = malloc(N * N);
  for (int i = 0; i < N * N; i++) g[i] = (unsigned char)(i % 10);
  unsigned long sum = 0;
  for (int round = 0; round < 100; round++) {
    op_invert_1(g);
    unsigned char *t = op_transpose_2(g);
    for (int i = 0; i < N * N; i++) sum = sum * 31 + t[i];
    free(t);
  }
  free(g);
  printf("checksum %lu\n", sum);
  return 0;
}
