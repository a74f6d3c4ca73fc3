// Batch profiling in one process: for each program, set its id, reset, run,
// export. Each set holds only its own program's figures; the at-exit export
// adds no set when nothing ran after the last export.
//
// RUN: rm -rf %t.d
// RUN: %tprof_cc -O2 -g %s %tprof_rt_static -o %t.exe
// RUN: env TPROF_OPTIONS=output_dir=%t.d %t.exe | %FileCheck %s --check-prefix=OUT
// RUN: %tpq %t.d sets | %FileCheck %s --check-prefix=SETS
// RUN: %tpq %t.d --set batch_prog_1_ func work calls | %FileCheck %s --check-prefix=P1
// RUN: %tpq %t.d --set batch_prog_2_ func work calls | %FileCheck %s --check-prefix=P2
// RUN: %tpq %t.d --set batch_prog_3_ func work calls | %FileCheck %s --check-prefix=P3
// RUN: %tpq %t.d --set batch_prog_2_ get memory_allocation_data.allocation_count | %FileCheck %s --check-prefix=A2
// RUN: %tpq %t.d --set batch_prog_3_ get export_reason | %FileCheck %s --check-prefix=REASON
// RUN: %tpq %t.d --set batch_prog_3_ get program_id | %FileCheck %s --check-prefix=ID
//
// OUT: export 1 -> 0 {{.*}}batch_prog_1_{{[0-9_]+}}_
// OUT: snapshot calls=2 allocations=2
// OUT: export 2 -> 0 {{.*}}batch_prog_2_{{[0-9_]+}}_
// OUT: export 3 -> 0 {{.*}}batch_prog_3_{{[0-9_]+}}_
// SETS: {{^}}3{{$}}
// P1: {{^}}1{{$}}
// P2: {{^}}2{{$}}
// P3: {{^}}3{{$}}
// A2: {{^}}2{{$}}
// REASON: {{^}}api{{$}}
// ID: {{^}}batch_prog_3{{$}}
#include <stdio.h>
#include <stdlib.h>
#include <tprof/tprof.h>

/* The address escapes here, so that clang -O1 and above keeps the malloc
 * and free pair it would otherwise remove (tprof counts the allocations the
 * compiled program makes, as valgrind does). */
static void *volatile sink;

int work(int n) {
  char *p = malloc(64 + n);
  sink = p;
  int r = p != NULL;
  free(p);
  return r;
}

int main(void) {
  for (int prog = 1; prog <= 3; prog++) {
    char id[64], prefix[4096];
    snprintf(id, sizeof id, "batch_prog_%d", prog);
    tprof_set_option("program_id", id);
    tprof_reset();
    for (int i = 0; i < prog; i++) work(i);
    if (prog == 2) {
      tprof_snapshot s;
      tprof_get_snapshot(&s);
      printf("snapshot calls=%llu allocations=%llu\n", (unsigned long long)s.total_calls,
             (unsigned long long)s.allocation_count);
    }
    int rc = tprof_export(prefix, sizeof prefix);
    printf("export %d -> %d %s\n", prog, rc, prefix);
  }
  return 0;
}
