// TPROF_OPTIONS switches features off, and a bad option gets one warning
// naming the key and value while the program runs on with the default.
//
// RUN: rm -rf %t.off %t.bad %t.noexport
// RUN: %tprof_cc -O2 -g %s %tprof_rt_static -o %t.exe
// RUN: env TPROF_OPTIONS=output_dir=%t.off:cpu_profiling_enabled=0:memory_tracking_enabled=false:resource_monitoring_enabled=no:program_id=quiet %t.exe
// RUN: %tpq %t.off get profile_data.enabled | %FileCheck %s --check-prefix=FALSE
// RUN: %tpq %t.off get profile_data.total_calls | %FileCheck %s --check-prefix=ZERO
// RUN: %tpq %t.off get memory_allocation_data.enabled | %FileCheck %s --check-prefix=FALSE
// RUN: %tpq %t.off get memory_allocation_data.allocation_count | %FileCheck %s --check-prefix=ZERO
// RUN: %tpq %t.off get resource_usage.enabled | %FileCheck %s --check-prefix=FALSE
// RUN: %tpq %t.off get program_id | %FileCheck %s --check-prefix=QUIET
//
// RUN: env TPROF_OPTIONS=output_dir=%t.bad:no_such_key=1:max_traced_allocations=-5:cpu_profiling_enabled=maybe %t.exe 2>%t.err
// RUN: %FileCheck %s --check-prefix=WARN < %t.err
// RUN: %tpq %t.bad get config.max_traced_allocations | %FileCheck %s --check-prefix=DEFAULT
// RUN: %tpq %t.bad get profile_data.enabled | %FileCheck %s --check-prefix=TRUE
//
// RUN: env TPROF_OPTIONS=output_dir=%t.noexport:export_profiling_data=0 %t.exe
// RUN: not ls %t.noexport
//
// FALSE: {{^}}false{{$}}
// TRUE: {{^}}true{{$}}
// ZERO: {{^}}0{{$}}
// QUIET: {{^}}quiet{{$}}
// WARN-DAG: tprof: warning: {{.*}}no_such_key
// WARN-DAG: tprof: warning: {{.*}}'-5' for max_traced_allocations
// WARN-DAG: tprof: warning: {{.*}}'maybe' for cpu_profiling_enabled
// DEFAULT: {{^}}10000{{$}}
#include <stdlib.h>
static void *sink; /* the address escapes there (a relaxed atomic store), so clang -O1+ keeps the allocation: tprof counts those the binary makes */

int twice(int x) { return 2 * x; }

int main(void) {
  int *p = malloc(sizeof *p);
  __atomic_store_n(&sink, p, __ATOMIC_RELAXED);
  *p = twice(21);
  int r = *p == 42 ? 0 : 1;
  free(p);
  return r;
}
