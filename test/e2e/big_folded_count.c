// Counts folded from loops whose trip counts are known (a loop that calls
// nothing keeps its counts in registers, and a count that grows by one per
// iteration becomes the trip count on the loop's way out) can exceed what
// x86-64's addq takes as an immediate (a signed 32-bit value): such a count
// is a register input of the statement that adds it. Written as an
// immediate, the assembler refused it ("invalid operand for instruction")
// and the compile failed. Here the loops do nothing else, so at -O1 and
// above the folding leaves no loop at all and the run is instant (at -O0
// they would make 7.9 billion calls: not run).
//
// RUN: rm -rf %t.O1 %t.O2 %t.O3
// RUN: %tprof_cc -O1 %s %tprof_rt_static -o %t.O1.exe
// RUN: env TPROF_OPTIONS=output_dir=%t.O1 %t.O1.exe | %FileCheck %s --check-prefix=OUT
// RUN: %tpq %t.O1 func once nested calls | %FileCheck %s
// RUN: %tprof_cc -O2 %s %tprof_rt_static -o %t.O2.exe
// RUN: env TPROF_OPTIONS=output_dir=%t.O2 %t.O2.exe | %FileCheck %s --check-prefix=OUT
// RUN: %tpq %t.O2 func once nested calls | %FileCheck %s
// RUN: %tprof_cc -O3 %s %tprof_rt_static -o %t.O3.exe
// RUN: env TPROF_OPTIONS=output_dir=%t.O3 %t.O3.exe | %FileCheck %s --check-prefix=OUT
// RUN: %tpq %t.O3 func once nested calls | %FileCheck %s
//
// OUT: 0
// CHECK: {{^}}3000000000{{$}}
// CHECK-NEXT: {{^}}4900000000{{$}}
#include <stdio.h>

static unsigned once(unsigned long i) { return (unsigned)(i & 0); }
static unsigned nested(unsigned i, unsigned j) { return (i ^ j) & 0; }

int main(void) {
  unsigned s = 0;
  for (unsigned long i = 0; i < 3000000000ul; i++) s += once(i);
  for (unsigned i = 0; i < 70000; i++)
    for (unsigned j = 0; j < 70000; j++) s += nested(i, j);
  printf("%u\n", s);
  return 0;
}
