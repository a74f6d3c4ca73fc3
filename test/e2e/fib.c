// The recursive fib(20) makes exactly 21891 calls of fib, at every -O level
// (the pass instruments before inlining), with cProfile's semantics: one
// primitive call, and inclusive time counted once across the recursion.
//
// RUN: rm -rf %t.O0 %t.O2 %t.O3
// RUN: %tprof_cc -O0 -g %s %tprof_rt_static -o %t.O0.exe
// RUN: env TPROF_OPTIONS=output_dir=%t.O0 %t.O0.exe | %FileCheck %s --check-prefix=OUT
// RUN: %tpq %t.O0 func fib calls | %FileCheck %s --check-prefix=CALLS
// RUN: %tpq %t.O0 func fib primitive_calls | %FileCheck %s --check-prefix=PRIM
// RUN: %tpq %t.O0 get profile_data.total_calls | %FileCheck %s --check-prefix=TOTAL
//
// RUN: %tprof_cc -O2 -g %s %tprof_rt_static -o %t.O2.exe
// RUN: env TPROF_OPTIONS=output_dir=%t.O2 %t.O2.exe | %FileCheck %s --check-prefix=OUT
// RUN: %tpq %t.O2 func fib calls | %FileCheck %s --check-prefix=CALLS
// RUN: %tpq %t.O2 func fib primitive_calls | %FileCheck %s --check-prefix=PRIM
// RUN: %tpq %t.O2 get profile_data.total_calls | %FileCheck %s --check-prefix=TOTAL
// RUN: %tpq %t.O2 csv cpu_functions.csv function=fib calls | %FileCheck %s --check-prefix=CALLS
//
// RUN: %tprof_cc -O3 %s %tprof_rt_shared -o %t.O3.exe
// RUN: env TPROF_OPTIONS=output_dir=%t.O3 %t.O3.exe | %FileCheck %s --check-prefix=OUT
// RUN: %tpq %t.O3 func fib calls | %FileCheck %s --check-prefix=CALLS
// With the shared runtime the executable reads its own copy of the guard
// byte (a copy relocation, pass/Guards.cpp): the hooks still run when the
// runtime turns it on, so the recursion is seen (one primitive call; the
// counts alone would give 21891).
// RUN: %tpq %t.O3 func fib primitive_calls | %FileCheck %s --check-prefix=PRIM
//
// Inclusive time of fib is counted once: it cannot exceed main's.
// RUN: %python -c "import json,glob; m=json.load(open(glob.glob('%t.O2/*_metrics.json')[0])); f={x['name']:x for x in m['functions']}; print('fib within main:', f['fib']['inclusive_ms'] <= f['main']['inclusive_ms'] + 1e-6, 'self<=incl:', f['fib']['self_ms'] <= f['fib']['inclusive_ms'] + 1e-6)" | %FileCheck %s --check-prefix=ONCE
//
// OUT: fib(20) = 6765
// CALLS: {{^}}21891{{$}}
// PRIM: {{^}}1{{$}}
// main is called once too
// TOTAL: {{^}}21892{{$}}
// ONCE: fib within main: True self<=incl: True
#include <stdio.h>

int fib(int n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }

int main(void) {
  printf("fib(20) = %d\n", fib(20));
  return 0;
}
