// A SIGTERM handler the program installed before tprof started: tprof writes
// the file set first, then chains to it (here it ends the process with
// _exit(9), so only the signal's set exists).
// UNSUPPORTED: sanitizer-thread
//
// RUN: rm -rf %t.d
// RUN: %clang -O2 -c %S/Inputs/early_handler.c -o %t.early.o
// RUN: %tprof_cc -O2 -g %s %t.early.o %tprof_rt_static -o %t.exe
// RUN: env TPROF_OPTIONS=output_dir=%t.d %run_signals_default %t.exe > %t.out
// RUN: %FileCheck %s < %t.out
// RUN: %tpq %t.d get export_reason | %FileCheck %s --check-prefix=REASON
// RUN: %tpq %t.d func busy calls | %FileCheck %s --check-prefix=CALLS
//
// CHECK: early handler ran
// CHECK-NEXT: status 9
// REASON: {{^}}signal{{$}}
// CALLS: {{^}}3{{$}}
#include <signal.h>

int busy(int x) { return x + 1; }

int main(void) {
  int s = busy(0) + busy(1) + busy(2);
  raise(SIGTERM);
  return s;
}
