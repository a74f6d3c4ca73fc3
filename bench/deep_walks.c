/*
 * Deep changing paths against flat calls (issue 13): deep_walks() makes
 * WALKS walks down a mutually recursive step/left/right chain DEPTH levels
 * deep; step(d, x) calls left(d-1, y) or right(d-1, y) by the low bit of x,
 * where y is x rotated right by one, and left/right call step(d, x), so the
 * path changes with every walk (none of these calls is a tail call). Then
 * flat_loop() calls leaf() as many times as the deep part made calls, from
 * one loop: the same number of calls on one path.
 *
 *   deep_walks [WALKS [DEPTH]]      (defaults 3000, 300)
 *
 * Prints the calls of each part; with BENCH_PHASES=FILE, also appends the
 * seconds of each part ("deep S", "flat S", see phases.h).
 */
#include "phases.h"

#include <stdio.h>
#include <stdlib.h>

/* A macro, not a function: a helper would add calls of its own. */
#define ROTR1(x) ((x) >> 1 | (x) << 63)

unsigned long step(int d, unsigned long x);

__attribute__((noinline)) unsigned long left(int d, unsigned long x) { return step(d, x) * 3 + 1; }
__attribute__((noinline)) unsigned long right(int d, unsigned long x) { return step(d, x) * 5 + 2; }

__attribute__((noinline)) unsigned long step(int d, unsigned long x) {
  if (d == 0) return x;
  unsigned long y = ROTR1(x);
  return (x & 1 ? right(d - 1, y) : left(d - 1, y)) ^ (unsigned long)d;
}

__attribute__((noinline)) unsigned long deep_walks(long walks, int depth) {
  unsigned long acc = 0;
  for (long w = 0; w < walks; w++) acc += step(depth, (unsigned long)(w + 1) * 0x9e3779b97f4a7c15ul);
  return acc;
}

__attribute__((noinline)) unsigned long leaf(unsigned long x) { return x * 0x2545f4914f6cdd1dul + 1; }

__attribute__((noinline)) unsigned long flat_loop(long calls) {
  unsigned long acc = 0;
  for (long i = 0; i < calls; i++) acc = leaf(acc ^ (unsigned long)i);
  return acc;
}

int main(int argc, char **argv) {
  long walks = argc > 1 ? atol(argv[1]) : 3000;
  int depth = argc > 2 ? atoi(argv[2]) : 300;
  if (walks < 1 || depth < 1) {
    fprintf(stderr, "usage: deep_walks [WALKS [DEPTH]]\n");
    return 2;
  }
  /* step at depth d..0 (d+1 calls) and left/right at d-1..0 (d calls). */
  long deep_calls = walks * (2L * depth + 1);
  double t = phase_now();
  unsigned long a = deep_walks(walks, depth);
  phase_write("deep", phase_now() - t);
  t = phase_now();
  unsigned long b = flat_loop(deep_calls);
  phase_write("flat", phase_now() - t);
  printf("deep_walks: %ld walks of depth %d, %ld deep calls, %ld flat calls, checksum %lu\n", walks, depth, deep_calls,
         deep_calls, a ^ b);
  return 0;
}
