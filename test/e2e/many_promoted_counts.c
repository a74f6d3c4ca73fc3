// A loop that calls 24 tiny leaves, each under a branch on the data: at -O2
// the lowering keeps the 24 counts in registers and adds them on the loop's
// way out, each a register input of the x86-64 statement that adds them.
// One statement for all 24 asked for more registers than x86-64 has, and
// clang stopped with "inline assembly requires more registers than
// available" (found by a csmith program); the adds now go in several
// statements. The program counts each leaf's calls itself; tprof's counts
// must be the same at every -O level.
//
// RUN: rm -rf %t.O0 %t.O2 %t.O3
// RUN: %tprof_cc -O0 %s %tprof_rt_static -o %t.O0.exe
// RUN: env TPROF_OPTIONS=output_dir=%t.O0 %t.O0.exe > %t.O0.txt
// RUN: %tpq %t.O0 func f0 f1 f2 f3 f4 f5 f6 f7 f8 f9 f10 f11 f12 f13 f14 f15 f16 f17 f18 f19 f20 f21 f22 f23 calls >> %t.O0.txt
// RUN: %FileCheck %s < %t.O0.txt
// RUN: %tprof_cc -O2 %s %tprof_rt_static -o %t.O2.exe
// RUN: env TPROF_OPTIONS=output_dir=%t.O2 %t.O2.exe > %t.O2.txt
// RUN: %tpq %t.O2 func f0 f1 f2 f3 f4 f5 f6 f7 f8 f9 f10 f11 f12 f13 f14 f15 f16 f17 f18 f19 f20 f21 f22 f23 calls >> %t.O2.txt
// RUN: %FileCheck %s < %t.O2.txt
// RUN: %tprof_cc -O3 %s %tprof_rt_static -o %t.O3.exe
// RUN: env TPROF_OPTIONS=output_dir=%t.O3 %t.O3.exe > %t.O3.txt
// RUN: %tpq %t.O3 func f0 f1 f2 f3 f4 f5 f6 f7 f8 f9 f10 f11 f12 f13 f14 f15 f16 f17 f18 f19 f20 f21 f22 f23 calls >> %t.O3.txt
// RUN: %FileCheck %s < %t.O3.txt
//
// The program's own counts first (each leaf called at least once), then
// tprof's, in the same order.
// CHECK: x {{[0-9]+}}
// CHECK-NEXT: [[C0:[1-9][0-9]*]] [[C1:[1-9][0-9]*]] [[C2:[1-9][0-9]*]] [[C3:[1-9][0-9]*]] [[C4:[1-9][0-9]*]] [[C5:[1-9][0-9]*]] [[C6:[1-9][0-9]*]] [[C7:[1-9][0-9]*]]
// CHECK-NEXT: [[C8:[1-9][0-9]*]] [[C9:[1-9][0-9]*]] [[C10:[1-9][0-9]*]] [[C11:[1-9][0-9]*]] [[C12:[1-9][0-9]*]] [[C13:[1-9][0-9]*]] [[C14:[1-9][0-9]*]] [[C15:[1-9][0-9]*]]
// CHECK-NEXT: [[C16:[1-9][0-9]*]] [[C17:[1-9][0-9]*]] [[C18:[1-9][0-9]*]] [[C19:[1-9][0-9]*]] [[C20:[1-9][0-9]*]] [[C21:[1-9][0-9]*]] [[C22:[1-9][0-9]*]] [[C23:[1-9][0-9]*]]
// CHECK-NEXT: {{^}}[[C0]]{{$}}
// CHECK-NEXT: {{^}}[[C1]]{{$}}
// CHECK-NEXT: {{^}}[[C2]]{{$}}
// CHECK-NEXT: {{^}}[[C3]]{{$}}
// CHECK-NEXT: {{^}}[[C4]]{{$}}
// CHECK-NEXT: {{^}}[[C5]]{{$}}
// CHECK-NEXT: {{^}}[[C6]]{{$}}
// CHECK-NEXT: {{^}}[[C7]]{{$}}
// CHECK-NEXT: {{^}}[[C8]]{{$}}
// CHECK-NEXT: {{^}}[[C9]]{{$}}
// CHECK-NEXT: {{^}}[[C10]]{{$}}
// CHECK-NEXT: {{^}}[[C11]]{{$}}
// CHECK-NEXT: {{^}}[[C12]]{{$}}
// CHECK-NEXT: {{^}}[[C13]]{{$}}
// CHECK-NEXT: {{^}}[[C14]]{{$}}
// CHECK-NEXT: {{^}}[[C15]]{{$}}
// CHECK-NEXT: {{^}}[[C16]]{{$}}
// CHECK-NEXT: {{^}}[[C17]]{{$}}
// CHECK-NEXT: {{^}}[[C18]]{{$}}
// CHECK-NEXT: {{^}}[[C19]]{{$}}
// CHECK-NEXT: {{^}}[[C20]]{{$}}
// CHECK-NEXT: {{^}}[[C21]]{{$}}
// CHECK-NEXT: {{^}}[[C22]]{{$}}
// CHECK-NEXT: {{^}}[[C23]]{{$}}
#include <stdio.h>

// unsigned arithmetic: UBSan adds no overflow check, so every leaf stays
// tiny (no call) in the sanitized builds too.
#define LEAF(i)                                                                                                        \
  static unsigned f##i(unsigned x) { return x * 2654435761u + i; }
LEAF(0) LEAF(1) LEAF(2) LEAF(3) LEAF(4) LEAF(5) LEAF(6) LEAF(7) LEAF(8) LEAF(9) LEAF(10) LEAF(11)
LEAF(12) LEAF(13) LEAF(14) LEAF(15) LEAF(16) LEAF(17) LEAF(18) LEAF(19) LEAF(20) LEAF(21) LEAF(22) LEAF(23)

// The leaves' own counts, kept apart from the loop that calls them, so
// that the loop holds nothing but the calls.
static unsigned long counted[24];

__attribute__((noinline)) unsigned walk(unsigned x, unsigned rounds) {
#define CALL(i)                                                                                                        \
  if (x & (1u << i)) x = f##i(x);
  for (unsigned r = 0; r < rounds; r++) {
    CALL(0) CALL(1) CALL(2) CALL(3) CALL(4) CALL(5) CALL(6) CALL(7) CALL(8) CALL(9) CALL(10) CALL(11)
    CALL(12) CALL(13) CALL(14) CALL(15) CALL(16) CALL(17) CALL(18) CALL(19) CALL(20) CALL(21) CALL(22) CALL(23)
  }
  return x;
}

// The same walk, counting each call where walk() makes it.
__attribute__((noinline)) unsigned walk_counted(unsigned x, unsigned rounds) {
#define COUNT(i)                                                                                                       \
  if (x & (1u << i)) {                                                                                                 \
    counted[i]++;                                                                                                      \
    x = x * 2654435761u + i;                                                                                           \
  }
  for (unsigned r = 0; r < rounds; r++) {
    COUNT(0) COUNT(1) COUNT(2) COUNT(3) COUNT(4) COUNT(5) COUNT(6) COUNT(7) COUNT(8) COUNT(9) COUNT(10) COUNT(11)
    COUNT(12) COUNT(13) COUNT(14) COUNT(15) COUNT(16) COUNT(17) COUNT(18) COUNT(19) COUNT(20) COUNT(21) COUNT(22)
    COUNT(23)
  }
  return x;
}

int main(void) {
  unsigned x = walk(12345, 5000), y = walk_counted(12345, 5000);
  if (x != y) {
    printf("the counted walk went elsewhere: %u vs %u\n", x, y);
    return 1;
  }
  printf("x %u\n", x);
  for (int i = 0; i < 24; i++) printf("%lu%c", counted[i], i % 8 == 7 ? '\n' : ' ');
  return 0;
}
