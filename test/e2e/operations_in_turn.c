// A transpiled program's run function calls a copy, then op 1, op 2, ...
// in turn, and one operation is also called from a second place: every
// call path keeps its exact count. (An operation's entry looks first in the
// operation's cache of its last parent, then in the parent's cache of its
// last two children, then searches: a run function calling more than two
// children in turn misses the parent's cache, and run_two's calls of op_a
// and op_c miss the callee's cache after run_one's.) At the light level
// only the operations are timed: each is one path at the root.
//
// RUN: rm -rf %t.d %t.light
// RUN: %tprof_cc -O2 -g %s %tprof_rt_static -o %t.exe
// RUN: env TPROF_OPTIONS=output_dir=%t.d %t.exe
// RUN: %calls_reader %t.d stacks | %FileCheck %s
// RUN: %calls_reader %t.d sums | %FileCheck %s --check-prefix=SUMS
// RUN: env TPROF_OPTIONS=output_dir=%t.light:cpu_timing=operations %t.exe
// RUN: %calls_reader %t.light stacks | %FileCheck %s --check-prefix=LIGHT
//
// main: 3 rounds of run_one(100) and run_two(40), then op_b once.
// CHECK: main calls=1
// CHECK-NEXT: main;op_b calls=1
// CHECK-NEXT: main;run_one calls=3
// CHECK-NEXT: main;run_one;copy_grid calls=300
// CHECK-NEXT: main;run_one;op_a calls=300
// CHECK-NEXT: main;run_one;op_b calls=300
// CHECK-NEXT: main;run_one;op_c calls=300
// CHECK-NEXT: main;run_two calls=3
// CHECK-NEXT: main;run_two;op_a calls=120
// CHECK-NEXT: main;run_two;op_c calls=120
// CHECK-NOT: calls=
// SUMS: {{^}}7 functions, 0 whose incoming calls differ from their calls
// LIGHT: {{^}}op_a calls=420
// LIGHT-NEXT: {{^}}op_b calls=301
// LIGHT-NEXT: {{^}}op_c calls=420
// LIGHT-NOT: calls=
volatile int sink;

__attribute__((noinline)) void copy_grid(int i) {
  for (int k = 0; k < i % 5; k++) sink += k;
}
__attribute__((noinline)) void op_a(int i) {
  for (int k = 0; k < i % 3; k++) sink += k;
}
__attribute__((noinline)) void op_b(int i) { sink += i; }
__attribute__((noinline)) void op_c(int i) {
  for (int k = 0; k < i % 4; k++) sink -= k;
}

__attribute__((noinline)) void run_one(int n) {
  for (int i = 0; i < n; i++) {
    copy_grid(i);
    op_a(i);
    op_b(i);
    op_c(i);
  }
}

__attribute__((noinline)) void run_two(int n) {
  for (int i = 0; i < n; i++) {
    op_c(i);
    op_a(i);
  }
}

int main(void) {
  for (int r = 0; r < 3; r++) {
    run_one(100);
    run_two(40);
  }
  op_b(1);
  return 0;
}
