// One source file compiled from two directories gives one absolute path in
// every output: functions[] and the CSVs of both file sets, the allocation
// sites, and the converters' outputs (callgrind's fl=, speedscope's file),
// so viewers find the source.
// REQUIRES: tprof-cli
//
// RUN: rm -rf %t && mkdir -p %t/src %t/build && cp %s %t/src/prog.c
// RUN: cd %t/src && %tprof_cc -O1 -g prog.c %tprof_rt_static -o %t/here.exe
// RUN: cd %t/build && %tprof_cc -O1 -g ../src/prog.c %tprof_rt_static -o %t/there.exe
// RUN: env TPROF_OPTIONS=output_dir=%t/here %t/here.exe
// RUN: env TPROF_OPTIONS=output_dir=%t/there %t/there.exe
// RUN: %tpq %t/here func work file | %FileCheck %s -DDIR=%t --check-prefix=FILE
// RUN: %tpq %t/there func work file | %FileCheck %s -DDIR=%t --check-prefix=FILE
// RUN: %tpq %t/there csv cpu_functions.csv function=work file | %FileCheck %s -DDIR=%t --check-prefix=FILE
// RUN: %tpq %t/there get memory_allocation_data.top_allocators | %FileCheck %s -DDIR=%t --check-prefix=SITE
// FILE: {{^}}[[DIR]]/src/prog.c{{$}}
// SITE: [[DIR]]/src/prog.c:33
//
// RUN: %tprof_cli convert --to callgrind %t/there/*_metrics.json -o %t/cg.out
// RUN: %FileCheck %s -DDIR=%t --check-prefix=CALLGRIND < %t/cg.out
// CALLGRIND: fl={{.*}}[[DIR]]/src/prog.c
// RUN: %tprof_cli convert --to speedscope %t/there/*_metrics.json -o %t/ss.json
// RUN: %FileCheck %s -DDIR=%t --check-prefix=SPEEDSCOPE < %t/ss.json
// SPEEDSCOPE: "file":{{ ?}}"[[DIR]]/src/prog.c"
#include <stdlib.h>

/* The address escapes here, so that clang -O1 and above keeps the malloc
 * and free pair it would otherwise remove (tprof counts the allocations the
 * compiled program makes, as valgrind does). */
static void *volatile sink;

__attribute__((noinline)) int work(int n) {
  int *p = malloc(sizeof *p * (size_t)n);
  sink = p;
  int s = 0;
  for (int i = 0; i < n; i++)
    s += (p[i] = i);
  free(p);
  return s;
}

int main(void) { return work(10) == 45 ? 0 : 1; }
