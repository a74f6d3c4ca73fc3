// All seven files of a set exist, parse with Python's json and csv modules,
// carry the documented columns, and no temporary file is left behind. With no
// configuration at all the set goes to ./tprof_output/.
//
// RUN: rm -rf %t.run && mkdir -p %t.run
// RUN: %tprof_cc -O1 -g %s %tprof_rt_static -o %t.run/prog
// RUN: cd %t.run && ./prog
// RUN: %tpq %t.run/tprof_output sets | %FileCheck %s --check-prefix=SETS
// RUN: %tpq %t.run/tprof_output check | %FileCheck %s --check-prefix=CHECK
// RUN: %tpq %t.run/tprof_output header timings.csv | %FileCheck %s --check-prefix=TIMINGS
// RUN: %tpq %t.run/tprof_output header cpu_functions.csv | %FileCheck %s --check-prefix=CPU
// RUN: %tpq %t.run/tprof_output header memory_allocators.csv | %FileCheck %s --check-prefix=ALLOCATORS
// RUN: %tpq %t.run/tprof_output header memory_traces.csv | %FileCheck %s --check-prefix=TRACES
// RUN: %tpq %t.run/tprof_output get schema_version | %FileCheck %s --check-prefix=SCHEMA
// RUN: %tpq %t.run/tprof_output get program_id | %FileCheck %s --check-prefix=ID
// RUN: %tpq %t.run/tprof_output get profile_data.enabled | %FileCheck %s --check-prefix=TRUE
// RUN: %tpq %t.run/tprof_output get memory_allocation_data.enabled | %FileCheck %s --check-prefix=TRUE
// RUN: %tpq %t.run/tprof_output get resource_usage.enabled | %FileCheck %s --check-prefix=TRUE
// RUN: %tpq %t.run/tprof_output get export_reason | %FileCheck %s --check-prefix=REASON
// RUN: grep -c "^#" %t.run/tprof_output/*_performance_report.md | %FileCheck %s --check-prefix=HEADINGS
//
// SETS: {{^}}1{{$}}
// SETS-NEXT: {{^prog_[0-9]+_[0-9]+_[0-9]+_$}}
// CHECK: metrics.json: json
// CHECK-NEXT: timings.csv: csv, 7 columns, 1 rows
// CHECK-NEXT: cpu_functions.csv: csv, 11 columns, 3 rows
// CHECK-NEXT: memory_summary.json: json
// CHECK-NEXT: memory_allocators.csv: csv, 10 columns, 1 rows
// CHECK-NEXT: memory_traces.csv: csv, 7 columns, 2 rows
// CHECK-NEXT: performance_report.md: markdown
// CHECK-NEXT: temporary files left: 0
// TIMINGS: operation,function,calls,total_ms,mean_ms,max_ms,is_slow
// CPU: function,file,line,calls,primitive_calls,self_ms,inclusive_ms,self_per_call_us,inclusive_per_call_us,is_operation
// ALLOCATORS: location,function,file,line,allocations,deallocations,allocated_bytes,live_blocks,live_bytes,size_mb
// TRACES: seq,time_ms,event,size_bytes,address,location,thread
// SCHEMA: {{^}}2{{$}}
// ID: {{^}}prog{{$}}
// TRUE: {{^}}true{{$}}
// REASON: {{^}}exit{{$}}
// HEADINGS: {{[4-9]|[1-9][0-9]}}
#include <stdlib.h>
static void *sink; /* the address escapes there (a relaxed atomic store), so clang -O1+ keeps the allocation: tprof counts those the binary makes */

int square(int x) { return x * x; }
int op_double_1(int x) { return 2 * x; }

int main(void) {
  int *v = malloc(8 * sizeof *v);
  __atomic_store_n(&sink, v, __ATOMIC_RELAXED);
  for (int i = 0; i < 8; i++) v[i] = square(i);
  int r = op_double_1(v[3]);
  free(v);
  return r == 18 ? 0 : 1;
}
