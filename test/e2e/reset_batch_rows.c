// The documented batch loop, reset then a program's work then tprof_export,
// each batch into a directory of its own: every set is valid. A reset keeps
// the call tree's nodes, zeroed; a node not used since (here the path of
// one_off, called only before the first reset) was written as an all-zero
// call_stacks row whose function, with no calls, had no entry in
// functions[] (every set of the batch, 20 of 20 runs). Such rows are left
// out now; rows of paths used since stay.
//
// RUN: rm -rf %t.d && mkdir -p %t.d
// RUN: %tprof_cc -O2 -g %s %tprof_rt_static -o %t.exe
// RUN: env TPROF_OPTIONS=output_dir=%t.d/0 %t.exe %t.d | %FileCheck %s
// RUN: %python %tprof_src/test/unit/check_file_set.py %t.d/1 | %FileCheck %s --check-prefix=VALID
// RUN: %python %tprof_src/test/unit/check_file_set.py %t.d/2 | %FileCheck %s --check-prefix=VALID
// RUN: %python %tprof_src/test/unit/check_file_set.py %t.d/3 | %FileCheck %s --check-prefix=VALID
// RUN: %tpexpect %t.d/3 "f('op_step_1', 'calls') == 200" "f('leaf', 'calls') == 4000" "f('one_off', 'calls') is None"
//
// CHECK: 3 batches
// VALID: file set ok
#include <stdio.h>
#include <stdlib.h>
#include <tprof/tprof.h>

static void *volatile sink;

__attribute__((noinline)) int leaf(int x) {
  volatile int s = 0;
  for (int i = 0; i < x; i++) s += i;
  return s;
}
__attribute__((noinline)) int one_off(int x) { return leaf(x) + 1; }
__attribute__((noinline)) int op_step_1(int x) {
  int s = 0;
  for (int i = 0; i < x; i++) {
    s += leaf(i);
    sink = malloc(8 + (size_t)i);
    free(sink);
  }
  return s;
}

int main(int argc, char **argv) {
  if (argc < 2) return 2;
  one_off(3);
  for (int b = 1; b <= 3; b++) {
    char dir[4096];
    snprintf(dir, sizeof dir, "%s/%d", argv[1], b);
    tprof_reset();
    tprof_set_option("output_dir", dir);
    for (int k = 0; k < 200; k++) op_step_1(20);
    if (tprof_export(NULL, 0) != 0) return 1;
  }
  printf("%d batches\n", 3);
  return 0;
}
