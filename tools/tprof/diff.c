#define _GNU_SOURCE
#include "diff.h"

#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "metrics_reader.h"
#include "strmap.h"
#include "util.h"

/* One row: a function or an operation present in either run. */
typedef struct {
  const char *name;
  int in_base, in_new;
  long long calls[2];
  double self_ms[2], time_ms[2]; /* time: inclusive (functions), total (operations) */
  double alloc_bytes[2];         /* functions, when both files have call_stacks */
} row;

typedef struct {
  row *v;
  size_t n, cap;
  tp_map *ix; /* name -> index + 1 */
} table;

static row *row_of(table *t, const char *name) {
  size_t *ix = tp_map_get(t->ix, name, 1);
  if (*ix == 0) {
    if (t->n == t->cap) {
      t->cap = t->cap ? t->cap * 2 : 64;
      t->v = xrealloc(t->v, t->cap * sizeof *t->v);
    }
    memset(&t->v[t->n], 0, sizeof t->v[0]);
    t->v[t->n].name = name;
    *ix = ++t->n;
  }
  return &t->v[*ix - 1];
}

static void fill(table *fn, table *op, const tp_metrics *m, int side) {
  for (size_t i = 0; i < m->n_funcs; i++) {
    row *r = row_of(fn, m->funcs[i].label ? m->funcs[i].label : m->funcs[i].name);
    (side ? &r->in_new : &r->in_base)[0] = 1;
    r->calls[side] += m->funcs[i].calls;
    r->self_ms[side] += m->funcs[i].self_ms;
    r->time_ms[side] += m->funcs[i].inclusive_ms;
  }
  /* Bytes allocated with the function innermost on the stack. */
  for (size_t i = 0; i < m->n_nodes; i++) {
    const tp_node *s = &m->nodes[i];
    row *r = row_of(fn, s->label);
    r->alloc_bytes[side] += (double)s->alloc_bytes;
  }
  for (size_t i = 0; i < m->n_ops; i++) {
    row *r = row_of(op, m->ops[i].name);
    (side ? &r->in_new : &r->in_base)[0] = 1;
    r->calls[side] += m->ops[i].calls;
    r->time_ms[side] += m->ops[i].total_ms;
  }
}

static int by_impact(const void *a, const void *b) {
  const row *x = a, *y = b;
  double dx = fabs(x->time_ms[1] - x->time_ms[0]), dy = fabs(y->time_ms[1] - y->time_ms[0]);
  if (dx != dy) return dx < dy ? 1 : -1;
  long long cx = llabs(x->calls[1] - x->calls[0]), cy = llabs(y->calls[1] - y->calls[0]);
  if (cx != cy) return cx < cy ? 1 : -1;
  return strcmp(x->name, y->name);
}

/* "+12.3%", "new", "gone" or "=" */
static const char *pct(char *buf, size_t n, double a, double b) {
  if (a == b)
    snprintf(buf, n, "=");
  else if (a == 0)
    snprintf(buf, n, "new");
  else
    snprintf(buf, n, "%+.1f%%", 100.0 * (b - a) / a);
  return buf;
}

typedef struct {
  double threshold; /* percent; < 0: no check */
  double min_ms;
  int regressions;
} check;

/* A rise of more than threshold percent; for times, only when the larger of
 * the two is at least min_ms (timer noise dominates below). */
static void regress(check *c, const char *what, const char *name, double a, double b, int is_time) {
  if (c->threshold < 0 || b <= a) return;
  if (is_time && (a > b ? a : b) < c->min_ms) return;
  if (a > 0 && 100.0 * (b - a) / a <= c->threshold) return;
  char p[32];
  printf("REGRESSION: %s %s: %.6g -> %.6g (%s, threshold %g%%)\n", what, name, a, b, pct(p, sizeof p, a, b),
         c->threshold);
  c->regressions++;
}

static void print_table(const char *title, table *t, int top, int with_self, int with_alloc) {
  if (t->n) qsort(t->v, t->n, sizeof *t->v, by_impact); /* v is NULL when empty */
  printf("\n%s\n  %-32s %21s %8s %27s %8s", title, "name", "calls base -> new", "", "time ms base -> new", "");
  if (with_self) printf(" %25s", "self ms base -> new");
  if (with_alloc) printf(" %27s", "alloc bytes base -> new");
  putchar('\n');
  size_t shown = 0;
  for (size_t i = 0; i < t->n && shown < (size_t)top; i++) {
    const row *r = &t->v[i];
    if (r->calls[0] == r->calls[1] && r->time_ms[0] == r->time_ms[1] && r->alloc_bytes[0] == r->alloc_bytes[1])
      continue;
    char p1[32], p2[32];
    printf("  %-32s %10lld -> %-8lld %8s %12.4f -> %-11.4f %8s", r->name, r->calls[0], r->calls[1],
           pct(p1, sizeof p1, (double)r->calls[0], (double)r->calls[1]), r->time_ms[0], r->time_ms[1],
           pct(p2, sizeof p2, r->time_ms[0], r->time_ms[1]));
    if (with_self) printf(" %11.4f -> %-10.4f", r->self_ms[0], r->self_ms[1]);
    if (with_alloc) printf(" %12.0f -> %-12.0f", r->alloc_bytes[0], r->alloc_bytes[1]);
    putchar('\n');
    shown++;
  }
  if (!shown) printf("  (no change)\n");
}

static void usage(FILE *f) {
  fputs("usage: tprof diff [--threshold PCT] [--min-ms MS] [-n N] BASE NEW\n"
        "  BASE, NEW: metrics files of two runs\n"
        "  --threshold PCT  exit 3 when the execution time, a function's inclusive time or calls, an\n"
        "                   operation's total time or calls, or the heap's allocations or bytes rose by more\n"
        "                   than PCT percent\n"
        "  --min-ms MS      times below MS in both runs are not checked (default 0.1)\n"
        "  -n N             rows per table (default 20)\n",
        f);
}

int tp_cmd_diff(int argc, char **argv) {
  static const struct option longs[] = {{"threshold", required_argument, 0, 't'},
                                        {"min-ms", required_argument, 0, 'm'},
                                        {"top", required_argument, 0, 'n'},
                                        {"help", no_argument, 0, 'h'},
                                        {0, 0, 0, 0}};
  check ck = {-1, 0.1, 0};
  int top = 20, c;
  char *end;
  optind = 1;
  while ((c = getopt_long(argc, argv, "t:m:n:h", longs, NULL)) != -1) {
    switch (c) {
    case 't':
      ck.threshold = strtod(optarg, &end);
      if (*end == '%') end++;
      if (end == optarg || *end || !(ck.threshold >= 0)) {
        tp_err("diff: --threshold takes a percentage >= 0, not '%s'", optarg);
        return TP_EXIT_USAGE;
      }
      break;
    case 'm':
      ck.min_ms = strtod(optarg, &end);
      if (end == optarg || *end || !(ck.min_ms >= 0)) {
        tp_err("diff: --min-ms takes milliseconds >= 0, not '%s'", optarg);
        return TP_EXIT_USAGE;
      }
      break;
    case 'n':
      if (tp_parse_count(optarg, "diff", "-n/--top", &top) != 0) return TP_EXIT_USAGE;
      break;
    case 'h':
      usage(stdout);
      return TP_EXIT_OK;
    default:
      usage(stderr);
      return TP_EXIT_USAGE;
    }
  }
  if (argc - optind != 2) {
    tp_err("diff: needs exactly two files, BASE and NEW");
    usage(stderr);
    return TP_EXIT_USAGE;
  }
  tp_metrics m[2];
  char err[512];
  for (int i = 0; i < 2; i++) {
    if (tp_metrics_load(argv[optind + i], 0, &m[i], err, sizeof err) != 0) {
      tp_err("%s: %s", argv[optind + i], err);
      if (i) tp_metrics_free(&m[0]);
      return TP_EXIT_FILES;
    }
  }
  table fn = {0}, op = {0};
  fn.ix = tp_map_new(sizeof(size_t), (size_t)-1);
  op.ix = tp_map_new(sizeof(size_t), (size_t)-1);
  fill(&fn, &op, &m[0], 0);
  fill(&fn, &op, &m[1], 1);
  int with_alloc = m[0].has_stacks && m[1].has_stacks;

  char p[32];
  printf("base %s (%s)\nnew  %s (%s)\n", argv[optind], m[0].program_id, argv[optind + 1], m[1].program_id);
  printf("execution time  %.4f -> %.4f ms (%s)\n", m[0].execution_time_ms, m[1].execution_time_ms,
         pct(p, sizeof p, m[0].execution_time_ms, m[1].execution_time_ms));
  printf("function calls  %lld -> %lld (%s)\n", m[0].total_calls, m[1].total_calls,
         pct(p, sizeof p, (double)m[0].total_calls, (double)m[1].total_calls));
  printf("allocations     %lld -> %lld (%s)\n", m[0].allocation_count, m[1].allocation_count,
         pct(p, sizeof p, (double)m[0].allocation_count, (double)m[1].allocation_count));
  printf("allocated bytes %lld -> %lld (%s)\n", m[0].allocated_bytes, m[1].allocated_bytes,
         pct(p, sizeof p, (double)m[0].allocated_bytes, (double)m[1].allocated_bytes));
  printf("peak heap       %.6f -> %.6f MiB (%s)\n", m[0].peak_memory_mb, m[1].peak_memory_mb,
         pct(p, sizeof p, m[0].peak_memory_mb, m[1].peak_memory_mb));
  print_table("Functions, by change in inclusive time", &fn, top, 1, with_alloc);
  print_table("Operations, by change in total time", &op, top, 0, 0);

  if (ck.threshold >= 0) {
    putchar('\n');
    regress(&ck, "execution time ms", "(program)", m[0].execution_time_ms, m[1].execution_time_ms, 1);
    regress(&ck, "allocations", "(program)", (double)m[0].allocation_count, (double)m[1].allocation_count, 0);
    regress(&ck, "allocated bytes", "(program)", (double)m[0].allocated_bytes, (double)m[1].allocated_bytes, 0);
    /* Rows are sorted by impact now, so regressions print biggest first. */
    for (size_t i = 0; i < fn.n; i++) {
      const row *r = &fn.v[i];
      regress(&ck, "function inclusive ms", r->name, r->time_ms[0], r->time_ms[1], 1);
      if (r->in_base && r->in_new) regress(&ck, "function calls", r->name, (double)r->calls[0], (double)r->calls[1], 0);
    }
    for (size_t i = 0; i < op.n; i++) {
      const row *r = &op.v[i];
      regress(&ck, "operation total ms", r->name, r->time_ms[0], r->time_ms[1], 1);
      if (r->in_base && r->in_new)
        regress(&ck, "operation calls", r->name, (double)r->calls[0], (double)r->calls[1], 0);
    }
    if (ck.regressions)
      printf("%d regressions above %g%%\n", ck.regressions, ck.threshold);
    else
      printf("no regression above %g%%\n", ck.threshold);
  }
  free(fn.v);
  free(op.v);
  tp_map_free(fn.ix);
  tp_map_free(op.ix);
  tp_metrics_free(&m[0]);
  tp_metrics_free(&m[1]);
  return ck.regressions ? TP_EXIT_REGRESSION : TP_EXIT_OK;
}
