// C99 `inline` and gnu_inline functions defined in a header, with their one
// external definition in another file (Inputs/inline_defs.c), are counted
// exactly at every -O level: at -O0 the calls go to that definition; from
// -O1 on, the caller's file has an available_externally copy that is
// inlined, and its counter comes with it. With -g the two records have the
// same name, file and line (the header's) and are one function; without
// -g, the copies still count under the function's name.
//
// RUN: rm -rf %t.O0 %t.O1 %t.O2 %t.O2nodebug
// RUN: %tprof_cc -O0 -g -I%S/Inputs %s %S/Inputs/inline_defs.c %tprof_rt_static -o %t.O0.exe
// RUN: env TPROF_OPTIONS=output_dir=%t.O0 %t.O0.exe 11 | %FileCheck %s --check-prefix=OUT
// RUN: %python %S/Inputs/inline_rows.py %t.O0 | %FileCheck %s
// RUN: %tprof_cc -O1 -g -I%S/Inputs %s %S/Inputs/inline_defs.c %tprof_rt_static -o %t.O1.exe
// RUN: env TPROF_OPTIONS=output_dir=%t.O1 %t.O1.exe 11 | %FileCheck %s --check-prefix=OUT
// RUN: %python %S/Inputs/inline_rows.py %t.O1 | %FileCheck %s
// RUN: %tprof_cc -O2 -g -I%S/Inputs %s %S/Inputs/inline_defs.c %tprof_rt_static -o %t.O2.exe
// RUN: env TPROF_OPTIONS=output_dir=%t.O2 %t.O2.exe 11 | %FileCheck %s --check-prefix=OUT
// RUN: %python %S/Inputs/inline_rows.py %t.O2 | %FileCheck %s
// RUN: %tprof_cc -O2 -I%S/Inputs %s %S/Inputs/inline_defs.c %tprof_rt_static -o %t.O2nodebug.exe
// RUN: env TPROF_OPTIONS=output_dir=%t.O2nodebug %t.O2nodebug.exe 11 | %FileCheck %s --check-prefix=OUT
// RUN: %python %S/Inputs/inline_rows.py %t.O2nodebug | %FileCheck %s --check-prefix=NODEBUG
//
// OUT: s = 53746
// One row each, exact counts; with -g, the header's file and line.
// CHECK: sq rows 1 calls 11 at inline_fns.h:4
// CHECK-NEXT: cube rows 1 calls 22 at inline_fns.h:10
// NODEBUG: sq rows 1 calls 11
// NODEBUG-NEXT: cube rows 1 calls 22
#include <stdio.h>
#include <stdlib.h>

#include "inline_fns.h"

int main(int argc, char **argv) {
  int n = argc > 1 ? atoi(argv[1]) : 0;
  long s = 0;
  for (int i = 0; i < n; i++)
    s += sq(i);
  for (int i = 0; i < 2 * n; i++)
    s += cube(i);
  printf("s = %ld\n", s);
  return 0;
}
