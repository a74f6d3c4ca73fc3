// The seed guide's analysis functions (analyze_execution_metrics,
// identify_performance_bottlenecks, detect_memory_leaks) run unchanged on our
// metrics.json and print sensible figures.
// REQUIRES: seed-guide
//
// RUN: rm -rf %t.d
// RUN: %tprof_cc -O2 -g %s %tprof_rt_static -o %t.exe
// RUN: env TPROF_OPTIONS=output_dir=%t.d:program_id=run_a:slow_operation_threshold_ms=1 %t.exe 1
// RUN: env TPROF_OPTIONS=output_dir=%t.d:program_id=run_b:slow_operation_threshold_ms=1 %t.exe 2
// RUN: %guide_analysis %t.d/run_a_*_metrics.json %t.d/run_b_*_metrics.json | %FileCheck %s
//
// CHECK: == analyze_execution_metrics(run_a_
// CHECK: Execution time: {{[0-9]+\.[0-9][0-9]}} ms
// CHECK: Slowest operation: flood_fill_2
// CHECK: Slow operations detected: 1
// CHECK: CPU Profiling:
// CHECK-NEXT: Total calls: {{[1-9][0-9]*}}
// CHECK: Top functions by cumulative time:
// CHECK-NEXT: main:
// CHECK: Memory Analysis:
// CHECK-NEXT: Peak memory: {{[0-9.]+}} MB
// CHECK: Net allocations: 2
// CHECK: Top memory allocators:
// CHECK-NEXT: guide_analysis.c:{{[0-9]+}}: {{[0-9.]+}} MB
// CHECK: == identify_performance_bottlenecks
// CHECK-NEXT: bottleneck flood frequency=2
// CHECK: == detect_memory_leaks
// CHECK: trend execution=0
// CHECK: trend execution=1
// CHECK: issue: 2 executions had significantly more allocations than deallocations
// CHECK: guide analysis: 2 metrics files, OK
#include <stdlib.h>
#include <string.h>
#include <time.h>

unsigned char *volatile leaked; /* volatile: see sink */
char *volatile leaked_name;
/* The address escapes here, so that clang -O1 and above keeps the malloc
 * and free pair it would otherwise remove (tprof counts the allocations the
 * compiled program makes, as valgrind does). */
static void *volatile sink;

unsigned char *op_rotate_1(const unsigned char *g, int n) {
  unsigned char *out = malloc((size_t)n * n);
  sink = out;
  for (int r = 0; r < n; r++)
    for (int c = 0; c < n; c++) out[c * n + (n - 1 - r)] = g[r * n + c];
  return out;
}

void op_flood_fill_2(unsigned char *g, int n) {
  struct timespec ts = {0, 3 * 1000000L}; /* a slow operation: 3 ms > 1 ms */
  nanosleep(&ts, 0);
  for (int i = 0; i < n * n; i++) if (g[i] == 0) g[i] = 7;
}

int main(int argc, char **argv) {
  int n = 30 * (argc > 1 ? atoi(argv[1]) : 1);
  unsigned char *g = calloc((size_t)n * n, 1);
  sink = g;
  unsigned char *r = op_rotate_1(g, n);
  op_flood_fill_2(r, n);
  leaked = malloc(1 << 20); /* kept to the end, with leaked_name: two net allocations */
  memset(leaked, 1, 1 << 20);
  leaked_name = strdup("kept");
  free(g);
  free(r);
  return 0;
}
