/*
 * tprof from C, in four parts:
 *   1. basic profiling: run a program, look at the counters so far;
 *   2. batch profiling: several programs in one process, each with its own
 *      program id and its own file set (reset, run, export);
 *   3. export and report: where the files are, the start of a report;
 *   4. bottlenecks: read the exported timings.csv files back and rank the
 *      operation types by total time.
 *
 * Build (from the repository root, after scripts/demo.sh or a cmake build):
 *   /usr/lib/llvm-14/bin/clang -O2 -g -fpass-plugin=build/llvm-14/lib/tprof.so -Iinclude \
 *     examples/profiling_example.c build/llvm-14/lib/libtprof_rt.a -o profiling_example
 *   ./profiling_example [OUTPUT_DIR]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <tprof/tprof.h>

enum { N = 24 };
typedef unsigned char cell;

/* Three tiny "transpiled programs", one function per operation instance. */
cell *op_rotate_1(const cell *g) {
  cell *out = malloc(N * N);
  for (int r = 0; r < N; r++)
    for (int c = 0; c < N; c++) out[c * N + (N - 1 - r)] = g[r * N + c];
  return out;
}
cell *op_color_replace_2(const cell *g) {
  cell *out = malloc(N * N);
  for (int i = 0; i < N * N; i++) out[i] = g[i] == 0 ? 5 : g[i];
  return out;
}
cell *op_blur_3(const cell *g) { /* deliberately slow */
  cell *out = malloc(N * N);
  for (int i = 0; i < N * N; i++) {
    int s = 0;
    for (int k = 0; k < 2000; k++) s += g[(i + k) % (N * N)];
    out[i] = (cell)(s % 10);
  }
  return out;
}

typedef cell *(*operation)(const cell *);
static void run_program(const operation *ops, int nops, int repeat) {
  cell *g = calloc(N * N, 1);
  for (int r = 0; r < repeat; r++)
    for (int i = 0; i < nops; i++) {
      cell *next = ops[i](g);
      free(g);
      g = next;
    }
  free(g);
}

/* Part 4: total time per operation type ("rotate_1" -> "rotate"). */
typedef struct { char type[64]; double total_ms; int programs; } op_total;

static void add_timings(const char *prefix, op_total *totals, int *ntotals) {
  char path[4400], line[512];
  snprintf(path, sizeof path, "%stimings.csv", prefix);
  FILE *f = fopen(path, "r");
  if (!f) { perror(path); return; }
  fgets(line, sizeof line, f); /* header: operation,function,calls,total_ms,... */
  while (fgets(line, sizeof line, f)) {
    char name[64];
    double total;
    if (sscanf(line, "%63[^,],%*[^,],%*[^,],%lf", name, &total) != 2) continue;
    char *suffix = strrchr(name, '_');
    if (suffix) *suffix = '\0';
    int k = 0;
    while (k < *ntotals && strcmp(totals[k].type, name)) k++;
    if (k == *ntotals) { snprintf(totals[k].type, sizeof totals[k].type, "%s", name); totals[k].total_ms = 0; totals[k].programs = 0; ++*ntotals; }
    totals[k].total_ms += total;
    totals[k].programs++;
  }
  fclose(f);
}

static int by_total_desc(const void *a, const void *b) {
  double x = ((const op_total *)a)->total_ms, y = ((const op_total *)b)->total_ms;
  return (x < y) - (x > y);
}

int main(int argc, char **argv) {
  tprof_set_option("output_dir", argc > 1 ? argv[1] : "tprof_output/profiling_example");

  /* 1. Basic profiling */
  const operation quick[] = {op_rotate_1, op_color_replace_2};
  run_program(quick, 2, 50);
  tprof_snapshot s;
  tprof_get_snapshot(&s);
  printf("1. basic: %llu calls, %llu allocations, peak heap %llu bytes, %.2f ms so far\n",
         (unsigned long long)s.total_calls, (unsigned long long)s.allocation_count,
         (unsigned long long)s.peak_bytes, s.execution_time_ms);

  /* 2. Batch profiling: one file set per program */
  const operation with_blur[] = {op_rotate_1, op_blur_3, op_color_replace_2};
  struct { const char *id; const operation *ops; int n; } batch[] = {
      {"program_1", quick, 2}, {"program_2", with_blur, 3}, {"program_3", quick, 2}};
  char prefixes[3][4400];
  for (int i = 0; i < 3; i++) {
    tprof_set_option("program_id", batch[i].id);
    tprof_reset();
    run_program(batch[i].ops, batch[i].n, 20);
    if (tprof_export(prefixes[i], sizeof prefixes[i]) != 0) return 1;
    printf("2. batch: %s -> %s*\n", batch[i].id, prefixes[i]);
  }

  /* 3. Export and report */
  char report[4500], line[256];
  snprintf(report, sizeof report, "%sperformance_report.md", prefixes[1]);
  printf("3. report: %s begins with:\n", report);
  FILE *f = fopen(report, "r");
  for (int i = 0; f && i < 3 && fgets(line, sizeof line, f); i++) printf("   %s", line);
  if (f) fclose(f);

  /* 4. Bottlenecks across the batch, from the exported timings */
  op_total totals[32];
  int ntotals = 0;
  for (int i = 0; i < 3; i++) add_timings(prefixes[i], totals, &ntotals);
  qsort(totals, (size_t)ntotals, sizeof totals[0], by_total_desc);
  printf("4. bottlenecks by total time:\n");
  for (int k = 0; k < ntotals; k++)
    printf("   %-14s %8.3f ms in %d program(s)\n", totals[k].type, totals[k].total_ms, totals[k].programs);
  return 0;
}
