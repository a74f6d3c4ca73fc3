// A loop whose bound is read again in every iteration (a store through an
// `unsigned char *` may change it, so the compiler cannot tell the trip
// count in advance) counts the tiny leaf inlined into it exactly: at -O2
// the lowering adds "iterations run" on the loop's way out, taken from the
// loop's own induction variable, instead of an add per iteration
// (test/pass/reloaded_bound.c shows the code), counting up and counting
// down. The sizes come from argv.
//
// RUN: rm -rf %t.O0 %t.O2 %t.O3
// RUN: %tprof_cc -O0 %s %tprof_rt_static -o %t.O0.exe
// RUN: env TPROF_OPTIONS=output_dir=%t.O0 %t.O0.exe 300 7 | %FileCheck %s --check-prefix=OUT
// RUN: %tpq %t.O0 func get get_back calls | %FileCheck %s --check-prefix=CALLS
// RUN: %tprof_cc -O2 %s %tprof_rt_static -o %t.O2.exe
// RUN: env TPROF_OPTIONS=output_dir=%t.O2 %t.O2.exe 300 7 | %FileCheck %s --check-prefix=OUT
// RUN: %tpq %t.O2 func get get_back calls | %FileCheck %s --check-prefix=CALLS
// RUN: %tprof_cc -O3 %s %tprof_rt_static -o %t.O3.exe
// RUN: env TPROF_OPTIONS=output_dir=%t.O3 %t.O3.exe 300 7 | %FileCheck %s --check-prefix=OUT
// RUN: %tpq %t.O3 func get get_back calls | %FileCheck %s --check-prefix=CALLS
//
// Up: 3 rounds of 300 cells; down: 3 rounds from cell 299 to cell 7.
// OUT: checksum 1479
// CALLS: {{^}}900{{$}}
// CALLS-NEXT: {{^}}879{{$}}
#include <stdio.h>
#include <stdlib.h>

struct buf {
  unsigned n;
  int lo;
  unsigned char *cells;
};

// unsigned arithmetic: no UBSan check, the leaves stay tiny in sanitized builds
static unsigned get(const struct buf *b, unsigned i) { return b->cells[i]; }
static unsigned get_back(const struct buf *b, int i) { return b->cells[i] + 1u; }

__attribute__((noinline)) void copy_up(struct buf *dst, const struct buf *src) {
  for (unsigned i = 0; i < src->n; i++) dst->cells[i] = (unsigned char)get(src, i);
}

__attribute__((noinline)) void copy_down(struct buf *dst, const struct buf *src) {
  for (int i = (int)dst->n - 1; i >= src->lo; i--) dst->cells[i] = (unsigned char)get_back(src, i);
}

int main(int argc, char **argv) {
  unsigned n = argc > 2 ? (unsigned)atoi(argv[1]) : 1;
  struct buf a = {n, argc > 2 ? atoi(argv[2]) : 0, calloc(n, 1)}, b = {n, a.lo, calloc(n, 1)};
  if (!a.cells || !b.cells) return 1;
  for (unsigned i = 0; i < n; i++) a.cells[i] = (unsigned char)(i % 5);
  unsigned long sum = 0;
  for (int k = 0; k < 3; k++) {
    copy_up(&b, &a);
    copy_down(&a, &b);
  }
  for (unsigned i = 0; i < n; i++) sum += a.cells[i];
  printf("checksum %lu\n", sum);
  free(a.cells);
  free(b.cells);
  return 0;
}
