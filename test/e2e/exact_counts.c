// Counts stay exact whatever the optimiser does: a static helper inlined
// into a loop, a function marked const (which -O2 would otherwise hoist out
// of the loop), an always_inline function and a tail-recursive function.
//
// RUN: rm -rf %t.O1 %t.O3
// RUN: %tprof_cc -O1 %s %tprof_rt_static -o %t.O1.exe
// RUN: env TPROF_OPTIONS=output_dir=%t.O1 %t.O1.exe | %FileCheck %s --check-prefix=OUT
// RUN: %tpq %t.O1 func add_one calls | %FileCheck %s --check-prefix=THOUSAND
// RUN: %tpq %t.O1 func square calls | %FileCheck %s --check-prefix=THOUSAND
// RUN: %tpq %t.O1 func twice calls | %FileCheck %s --check-prefix=THOUSAND
// RUN: %tpq %t.O1 func count_down calls | %FileCheck %s --check-prefix=TAIL
// RUN: %tprof_cc -O3 -g %s %tprof_rt_static -o %t.O3.exe
// RUN: env TPROF_OPTIONS=output_dir=%t.O3 %t.O3.exe | %FileCheck %s --check-prefix=OUT
// RUN: %tpq %t.O3 func add_one calls | %FileCheck %s --check-prefix=THOUSAND
// RUN: %tpq %t.O3 func square calls | %FileCheck %s --check-prefix=THOUSAND
// RUN: %tpq %t.O3 func twice calls | %FileCheck %s --check-prefix=THOUSAND
// RUN: %tpq %t.O3 func count_down calls | %FileCheck %s --check-prefix=TAIL
// RUN: %tpq %t.O3 func count_down primitive_calls | %FileCheck %s --check-prefix=ONE
//
// OUT: sum = 1511500
// THOUSAND: {{^}}1000{{$}}
// TAIL: {{^}}501{{$}}
// ONE: {{^}}1{{$}}
#include <stdio.h>

static int add_one(int x) { return x + 1; }
__attribute__((const)) int square(int x) { return x * x; }
static inline __attribute__((always_inline)) int twice(int x) { return 2 * x; }
int count_down(int n) { return n == 0 ? 0 : count_down(n - 1); }

int main(void) {
  long sum = 0;
  for (int i = 0; i < 1000; i++) sum += add_one(i) + square(3) + twice(1);
  sum += count_down(500);
  printf("sum = %ld\n", sum + 1000000);
  return 0;
}
