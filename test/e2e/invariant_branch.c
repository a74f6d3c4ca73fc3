// Tiny leaves inlined into a loop behind a branch whose condition is the
// same in every iteration (an argument: which axis to flip, which quarter
// to turn) are counted exactly: at -O2 the lowering adds "trip count x
// (1 if the branch goes this way, else 0)" on the loop's way out instead
// of an add per iteration (test/pass/invariant_branch.c shows the code).
// Each arm calls a leaf of its own, so a count given to the wrong arm
// shows. A leaf behind a branch on the data (odd cells) keeps its add per
// iteration, and its count too. The sizes come from argv, so -O2 knows the
// trip counts only as expressions.
//
// RUN: rm -rf %t.O0 %t.O2 %t.O3
// RUN: %tprof_cc -O0 %s %tprof_rt_static -o %t.O0.exe
// RUN: env TPROF_OPTIONS=output_dir=%t.O0 %t.O0.exe 7 9 | %FileCheck %s --check-prefix=OUT
// RUN: %tpq %t.O0 func from_right from_below put0 put1 put2 put3 odd calls | %FileCheck %s --check-prefix=CALLS
// RUN: %tprof_cc -O2 %s %tprof_rt_static -o %t.O2.exe
// RUN: env TPROF_OPTIONS=output_dir=%t.O2 %t.O2.exe 7 9 | %FileCheck %s --check-prefix=OUT
// RUN: %tpq %t.O2 func from_right from_below put0 put1 put2 put3 odd calls | %FileCheck %s --check-prefix=CALLS
// RUN: %tprof_cc -O3 %s %tprof_rt_static -o %t.O3.exe
// RUN: env TPROF_OPTIONS=output_dir=%t.O3 %t.O3.exe 7 9 | %FileCheck %s --check-prefix=OUT
// RUN: %tpq %t.O3 func from_right from_below put0 put1 put2 put3 odd calls | %FileCheck %s --check-prefix=CALLS
//
// 7 x 9 = 63 cells; flip: once from below, twice from the right; turn:
// quarter q q + 1 times; 29 odd cells (i * 7 % 11), counted once.
// OUT: checksum 132170
// CALLS: {{^}}126{{$}}
// CALLS-NEXT: {{^}}63{{$}}
// CALLS-NEXT: {{^}}63{{$}}
// CALLS-NEXT: {{^}}126{{$}}
// CALLS-NEXT: {{^}}189{{$}}
// CALLS-NEXT: {{^}}252{{$}}
// CALLS-NEXT: {{^}}29{{$}}
#include <stdio.h>
#include <stdlib.h>

// unsigned arithmetic: UBSan adds no overflow check, so every leaf stays
// tiny (no call) in the sanitized builds too.
static unsigned from_right(const unsigned char *g, unsigned w, unsigned r, unsigned c) {
  return g[r * w + (w - 1 - c)];
}
static unsigned from_below(const unsigned char *g, unsigned h, unsigned w, unsigned r, unsigned c) {
  return g[(h - 1 - r) * w + c];
}
static void put0(unsigned char *g, unsigned h, unsigned w, unsigned r, unsigned c, unsigned v) {
  (void)h;
  g[r * w + c] = (unsigned char)v;
}
static void put1(unsigned char *g, unsigned h, unsigned w, unsigned r, unsigned c, unsigned v) {
  (void)w;
  g[c * h + (h - 1 - r)] = (unsigned char)v;
}
static void put2(unsigned char *g, unsigned h, unsigned w, unsigned r, unsigned c, unsigned v) {
  g[(h - 1 - r) * w + (w - 1 - c)] = (unsigned char)v;
}
static void put3(unsigned char *g, unsigned h, unsigned w, unsigned r, unsigned c, unsigned v) {
  (void)h;
  g[(w - 1 - c) * h + r] = (unsigned char)v;
}
static unsigned odd(unsigned v) { return v * 3; }

__attribute__((noinline)) void flip(const unsigned char *in, unsigned char *out, unsigned h, unsigned w,
                                    int horizontal) {
  for (unsigned r = 0; r < h; r++)
    for (unsigned c = 0; c < w; c++)
      out[r * w + c] = (unsigned char)(horizontal ? from_right(in, w, r, c) : from_below(in, h, w, r, c));
}

__attribute__((noinline)) void turn(const unsigned char *in, unsigned char *out, unsigned h, unsigned w,
                                    int quarter) {
  for (unsigned r = 0; r < h; r++)
    for (unsigned c = 0; c < w; c++) {
      unsigned v = in[r * w + c];
      if (quarter == 0) put0(out, h, w, r, c, v);
      else if (quarter == 1) put1(out, h, w, r, c, v);
      else if (quarter == 2) put2(out, h, w, r, c, v);
      else put3(out, h, w, r, c, v);
    }
}

__attribute__((noinline)) unsigned odd_cells(const unsigned char *g, unsigned n) {
  unsigned s = 0;
  for (unsigned i = 0; i < n; i++)
    if (g[i] & 1) s += odd(g[i]);
  return s;
}

int main(int argc, char **argv) {
  unsigned h = argc > 2 ? (unsigned)atoi(argv[1]) : 1, w = argc > 2 ? (unsigned)atoi(argv[2]) : 1, n = h * w;
  unsigned char *in = malloc(n), *out = malloc(n);
  if (!in || !out) return 1;
  for (unsigned i = 0; i < n; i++) in[i] = (unsigned char)(i * 7 % 11);
  unsigned long sum = 0;
  for (int k = 0; k < 3; k++) {
    flip(in, out, h, w, k > 0);
    for (unsigned i = 0; i < n; i++) sum += out[i] * (i + 1);
  }
  for (int q = 0; q < 4; q++)
    for (int k = 0; k <= q; k++) {
      turn(in, out, h, w, q);
      for (unsigned i = 0; i < n; i++) sum += out[i] * (i + 1);
    }
  sum += odd_cells(in, n);
  printf("checksum %lu\n", sum);
  free(in);
  free(out);
  return 0;
}
