// The C counterpart of the guide's examples builds and runs: basic
// profiling, a batch of three file sets, a report, and the bottleneck ranking
// read back from the exported timings (blur, the slow one, first).
//
// RUN: rm -rf %t.d
// RUN: %tprof_cc -O2 -g -Wall -Wextra %examples/profiling_example.c %tprof_rt_static -o %t.exe
// RUN: %t.exe %t.d | %FileCheck %s
// RUN: %tpq %t.d sets | %FileCheck %s --check-prefix=SETS
//
// main, run_program and 100 operations; calloc + 100 mallocs; two 576-byte grids at once
// CHECK: 1. basic: 102 calls, 101 allocations, peak heap 1152 bytes
// CHECK: 2. batch: program_1 -> {{.*}}program_1_
// CHECK: 2. batch: program_2 -> {{.*}}program_2_
// CHECK: 2. batch: program_3 -> {{.*}}program_3_
// CHECK: 3. report: {{.*}}program_2_{{.*}}performance_report.md begins with:
// CHECK-NEXT: # tprof performance report: `program_2`
// CHECK: 4. bottlenecks by total time:
// CHECK-NEXT: blur {{.*}} in 1 program(s)
// CHECK-DAG: rotate {{.*}} in 3 program(s)
// CHECK-DAG: color_replace {{.*}} in 3 program(s)
// The exit's own export is named after the last program (program_3): a
// fourth set, which never replaces the batch's program_3 set, even within
// the same second.
// SETS: {{^}}4{{$}}
