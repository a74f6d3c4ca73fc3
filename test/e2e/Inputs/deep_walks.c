/* Issue 13's program: deep recursion along a path that changes with every
 * walk, then a flat loop. deep_walks() walks WALKS times down a mutually
 * recursive step/left/right chain DEPTH levels deep: step(d, x) calls
 * left(d - 1, y) or right(d - 1, y) by the low bit of x, y being x rotated
 * right by one, and left and right call step (none is a tail call), so the
 * calling-context tree gains a new path of 2 x DEPTH frames per walk. Then
 * flat_loop() calls leaf() LEAF_CALLS times from a loop.
 * Prints a checksum (the same with and without tprof). */
#include <stdio.h>

#ifndef WALKS
#define WALKS 3000
#endif
#ifndef DEPTH
#define DEPTH 300
#endif
#ifndef LEAF_CALLS
#define LEAF_CALLS 1800000
#endif

static volatile unsigned sink;

int step(int d, unsigned x);
__attribute__((noinline)) int left(int d, unsigned x) { return step(d, x) + 1; }
__attribute__((noinline)) int right(int d, unsigned x) { return step(d, x) + 2; }
__attribute__((noinline)) int step(int d, unsigned x) {
  if (d <= 0) return (int)(x & 7);
  unsigned y = (x >> 1) | (x << 31);
  int r = (x & 1) ? right(d - 1, y) : left(d - 1, y);
  return r ^ (d & 1);
}

__attribute__((noinline)) unsigned deep_walks(void) {
  unsigned sum = 0;
  for (unsigned w = 0; w < WALKS; w++) sum += (unsigned)step(DEPTH, w * 2654435761u + 12345u);
  return sum;
}

__attribute__((noinline)) unsigned leaf(unsigned i) { return i * 3 + 1; }

__attribute__((noinline)) unsigned flat_loop(void) {
  unsigned sum = 0;
  for (unsigned i = 0; i < LEAF_CALLS; i++) {
    sum += leaf(i);
    sink = sum; /* keeps the loop's calls from being folded away */
  }
  return sum;
}

int main(void) {
  unsigned a = deep_walks(), b = flat_loop();
  printf("deep_walks %u flat_loop %u\n", a, b);
  return 0;
}
