#define _GNU_SOURCE
#include "summary.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "metrics_reader.h"
#include "util.h"

static int func_by_self(const void *a, const void *b) {
  const tp_func *x = a, *y = b;
  if (x->self_ms != y->self_ms) return x->self_ms < y->self_ms ? 1 : -1;
  return strcmp(x->name, y->name);
}

static int op_by_total(const void *a, const void *b) {
  const tp_op *x = a, *y = b;
  if (x->total_ms != y->total_ms) return x->total_ms < y->total_ms ? 1 : -1;
  return strcmp(x->name, y->name);
}

/* Long names are cut with a '~' so the columns stay aligned. */
static void cell(const char *s, int width) {
  int len = (int)strlen(s);
  if (len <= width)
    printf("%-*s", width, s);
  else
    printf("%.*s~", width - 1, s);
}

static void usage(FILE *f) { fputs("usage: tprof summary [-n N] FILE\n  N: rows per table (default 10)\n", f); }

int tp_cmd_summary(int argc, char **argv) {
  static const struct option longs[] = {
      {"top", required_argument, 0, 'n'}, {"help", no_argument, 0, 'h'}, {0, 0, 0, 0}};
  int top = 10, c;
  optind = 1;
  while ((c = getopt_long(argc, argv, "n:h", longs, NULL)) != -1) {
    switch (c) {
    case 'n':
      if (tp_parse_count(optarg, "summary", "-n/--top", &top) != 0) return TP_EXIT_USAGE;
      break;
    case 'h':
      usage(stdout);
      return TP_EXIT_OK;
    default:
      usage(stderr);
      return TP_EXIT_USAGE;
    }
  }
  if (optind != argc - 1) {
    tp_err("summary: %s", optind == argc ? "no FILE given" : "one FILE only");
    usage(stderr);
    return TP_EXIT_USAGE;
  }
  const char *path = argv[optind];
  tp_metrics m;
  char err[512];
  if (tp_metrics_load(path, 0, &m, err, sizeof err) != 0) {
    tp_err("%s: %s", path, err);
    return TP_EXIT_FILES;
  }
  printf("%s  pid %lld  %s\n", m.program_id, m.pid, m.timestamp);
  printf("time %.3f ms   calls %lld   allocations %lld   deallocations %lld   peak heap %.4f MiB   heap at exit %.4f "
         "MiB\n",
         m.execution_time_ms, m.total_calls, m.allocation_count, m.deallocation_count, m.peak_memory_mb,
         m.memory_used_mb);

  qsort(m.funcs, m.n_funcs, sizeof *m.funcs, func_by_self);
  printf("\nTop functions by self time%s\n", m.funcs_from_top ? " (from profile_data.top_functions)" : "");
  printf("  %-40s %12s %12s %12s %8s\n", "function", "calls", "self ms", "incl ms", "self %");
  double total_self = 0;
  for (size_t i = 0; i < m.n_funcs; i++) total_self += m.funcs[i].self_ms;
  for (size_t i = 0; i < m.n_funcs && i < (size_t)top; i++) {
    const tp_func *f = &m.funcs[i];
    printf("  ");
    cell(f->label ? f->label : f->name, 40);
    printf(" %12lld %12.4f %12.4f %7.1f%%\n", f->calls, f->self_ms, f->inclusive_ms,
           total_self > 0 ? 100.0 * f->self_ms / total_self : 0);
  }
  if (m.n_funcs > (size_t)top) printf("  (%zu more)\n", m.n_funcs - (size_t)top);

  qsort(m.ops, m.n_ops, sizeof *m.ops, op_by_total);
  printf("\nOperations by total time\n");
  printf("  %-40s %12s %12s %12s %12s\n", "operation", "calls", "total ms", "mean ms", "max ms");
  for (size_t i = 0; i < m.n_ops && i < (size_t)top; i++) {
    const tp_op *o = &m.ops[i];
    printf("  ");
    cell(o->name, 40);
    printf(" %12lld %12.4f %12.4f %12.4f\n", o->calls, o->total_ms, o->mean_ms, o->max_ms);
  }
  if (m.n_ops > (size_t)top) printf("  (%zu more)\n", m.n_ops - (size_t)top);
  if (m.n_slow) printf("  slow (above the threshold): %zu\n", m.n_slow);

  printf("\nTop allocation sites by bytes allocated\n");
  printf("  %-60s %12s\n", "site", "MiB");
  for (size_t i = 0; i < m.n_allocators && i < (size_t)top; i++) {
    printf("  ");
    cell(m.allocators[i].name, 60);
    printf(" %12.6f\n", m.allocators[i].value);
  }
  if (!m.n_allocators) printf("  (none)\n");
  tp_metrics_free(&m);
  return TP_EXIT_OK;
}
