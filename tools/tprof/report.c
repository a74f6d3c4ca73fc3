#define _GNU_SOURCE
#include "report.h"

#include <cjson/cJSON.h>
#include <ctype.h>
#include <getopt.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "batch_stats.h"
#include "metrics_reader.h"
#include "stacks.h"
#include "strmap.h"
#include "svg_bars.h"
#include "svg_flame.h"
#include "util.h"
#include "walk.h"

/* Caps that bound the aggregates whatever the batch holds (docs/CLI.md). */
#define MAX_FUNCTIONS 50000
#define MAX_OPTYPES 10000
#define MAX_STACKS 20000
#define MAX_LISTED 10   /* programs named per leak finding */
#define SLOWEST_KEPT 20 /* slowest single operations listed */
/* The guide's thresholds (detect_memory_leaks). */
#define LEAK_GROWTH_MB 10.0
#define LEAK_PEAK_RATIO 2.0
#define LEAK_ALLOC_RATIO 1.5

typedef struct {
  uint64_t freq; /* operation instances (one per program and operation) */
  uint64_t calls;
  double sum, max;
} optype_agg;

typedef struct {
  uint64_t programs;
  long long calls;
  double self_ms, inclusive_ms;
} func_agg;

typedef struct {
  double self_ms, alloc_bytes;
} stack_agg;

typedef struct {
  char *program, *operation;
  double ms;
} slow_item;

typedef struct {
  uint64_t count;
  char *names[MAX_LISTED];
} finding;

typedef struct {
  /* options */
  const char *name, *out_dir;
  int top;
  int progress;
  /* outputs */
  tp_out csv, json;
  int first_json;
  /* counts */
  uint64_t processed, skipped;
  /* totals */
  double total_time_ms;
  long long total_calls, total_allocs, total_deallocs;
  double total_allocated_bytes;
  tp_dist exec_ms, peak_mb;
  tp_map *optypes, *slow_types, *funcs, *stacks;
  uint64_t funcs_over, optypes_over, stacks_over;
  uint64_t stacks_exact, stacks_rebuilt, stacks_flat;
  slow_item slowest[SLOWEST_KEPT];
  size_t n_slowest;
  uint64_t slow_total, slow_programs;
  /* leaks */
  uint64_t mem_programs;
  double first_final_mb, last_final_mb;
  char *first_final_prog, *last_final_prog;
  finding spikes, imbalanced;
} batch;

static const char CSV_HEADER[] =
    "program_id,file,timestamp,pid,execution_time_ms,memory_used_mb,peak_memory_mb,allocation_count,"
    "deallocation_count,net_allocations,total_calls,functions,operations,slow_operations,slowest_operation,"
    "slowest_operation_ms,top_self_function,top_self_function_ms\n";

static void progress_clear(batch *b) {
  if (b->progress) fputs("\r\033[K", stderr);
}

static void progress_show(batch *b) {
  if (b->progress && (b->processed + b->skipped) % 500 == 0)
    fprintf(stderr, "\rtprof: %llu files read, %llu skipped", (unsigned long long)b->processed,
            (unsigned long long)b->skipped);
}

static void note_finding(finding *f, const char *prog) {
  if (f->count < MAX_LISTED) f->names[f->count] = xstrdup(prog);
  f->count++;
}

static void keep_slowest(batch *b, const char *prog, const char *op, double ms) {
  size_t at;
  if (b->n_slowest < SLOWEST_KEPT) {
    at = b->n_slowest++;
  } else {
    at = 0;
    for (size_t i = 1; i < SLOWEST_KEPT; i++)
      if (b->slowest[i].ms < b->slowest[at].ms) at = i;
    if (b->slowest[at].ms >= ms) return;
    free(b->slowest[at].program);
    free(b->slowest[at].operation);
  }
  b->slowest[at] = (slow_item){xstrdup(prog), xstrdup(op), ms};
}

static void add_optype(tp_map *m, uint64_t *over, const char *name, double ms, long long calls) {
  char type[256];
  optype_agg *a = tp_map_get(m, tp_op_type(name, type, sizeof type), 1);
  if (!a) {
    (*over)++;
    return;
  }
  a->freq++;
  a->calls += calls > 0 ? (uint64_t)calls : 0;
  a->sum += ms;
  if (ms > a->max) a->max = ms;
}

/* Operation functions appear in the batch's flame graphs under their
 * operation type (op_rotate_1 and op_rotate_3 of two programs are both
 * op_rotate), so the pictures aggregate across programs like the
 * bottleneck table does. */
static const char *frame_name(const tp_metrics *m, const char *f, char *buf, size_t n) {
  for (size_t i = 0; i < m->n_ops; i++) {
    /* frames are labels: an operation's is its name (metrics_reader.h) */
    if (strcmp(m->ops[i].name, f) == 0 || (m->ops[i].function && strcmp(m->ops[i].function, f) == 0)) {
      char type[256];
      tp_op_type(m->ops[i].name, type, sizeof type);
      snprintf(buf, n, "%s", type);
      return buf;
    }
  }
  return f;
}

static void add_stacks(batch *b, const tp_metrics *m) {
  tp_stackset s;
  tp_stacks_build(m, &s);
  if (s.source == TP_STACKS_EXACT)
    b->stacks_exact++;
  else if (s.source == TP_STACKS_CALL_GRAPH)
    b->stacks_rebuilt++;
  else
    b->stacks_flat++;
  size_t cap = 1024;
  char *key = xmalloc(cap);
  for (size_t i = 0; i < s.n; i++) {
    const tp_wstack *w = &s.v[i];
    if (!(w->self_ms > 0) && w->alloc_bytes <= 0) continue;
    size_t len = 0;
    for (size_t d = 0; d < w->depth; d++) {
      char buf[256];
      const char *f = frame_name(m, w->frames[d], buf, sizeof buf);
      size_t fl = strlen(f);
      if (len + fl + 2 > cap) {
        cap = (len + fl + 2) * 2;
        key = xrealloc(key, cap);
      }
      if (d) key[len++] = ';';
      for (size_t k = 0; k < fl; k++) key[len++] = f[k] == ';' ? ':' : f[k];
    }
    key[len] = 0;
    stack_agg *a = tp_map_get(b->stacks, key, 1);
    if (!a) {
      /* Table full: the stack keeps its weight under a marker, so the
       * pictures' totals stay right. */
      b->stacks_over++;
      a = tp_map_get(b->stacks, "[stacks beyond the table's cap]", 1);
      if (!a) continue;
    }
    a->self_ms += w->self_ms > 0 ? w->self_ms : 0;
    a->alloc_bytes += w->alloc_bytes > 0 ? (double)w->alloc_bytes : 0;
  }
  free(key);
  tp_stacks_free(&s);
}

/* YYYYMMDD_HHMMSS (the file names' UTC stamp) as ISO 8601; 0 when the
 * stamp has another form. */
static int iso8601(const char *t, char out[32]) {
  if (!t || strlen(t) != 15 || t[8] != '_') return 0;
  for (int i = 0; i < 15; i++)
    if (i != 8 && !isdigit((unsigned char)t[i])) return 0;
  snprintf(out, 32, "%.4s-%.2s-%.2sT%.2s:%.2s:%.2sZ", t, t + 4, t + 6, t + 9, t + 11, t + 13);
  return 1;
}

static void write_rows(batch *b, const char *path, const tp_metrics *m, const char *slowest, double slowest_ms,
                       const char *topf, double topf_ms) {
  FILE *f = b->csv.f;
  tp_csv_field(f, m->program_id);
  fputc(',', f);
  tp_csv_field(f, path);
  fputc(',', f);
  tp_csv_field(f, m->timestamp);
  fprintf(f, ",%lld,", m->pid);
  tp_put_double(f, m->execution_time_ms);
  fputc(',', f);
  tp_put_double(f, m->memory_used_mb);
  fputc(',', f);
  tp_put_double(f, m->peak_memory_mb);
  fprintf(f, ",%lld,%lld,%lld,%lld,%zu,%zu,%zu,", m->allocation_count, m->deallocation_count, m->net_allocations,
          m->total_calls, m->n_funcs, m->n_ops, m->n_slow);
  tp_csv_field(f, slowest);
  fputc(',', f);
  tp_put_double(f, slowest_ms);
  fputc(',', f);
  tp_csv_field(f, topf);
  fputc(',', f);
  tp_put_double(f, topf_ms);
  fputc('\n', f);

  /* One small object per program, printed and dropped at once: the JSON
   * array grows on disk, not in memory. */
  cJSON *o = cJSON_CreateObject();
  cJSON_AddStringToObject(o, "program_id", m->program_id);
  cJSON_AddStringToObject(o, "file", path);
  cJSON_AddStringToObject(o, "timestamp", m->timestamp);
  char iso[32];
  if (iso8601(m->timestamp, iso)) cJSON_AddStringToObject(o, "timestamp_iso8601", iso);
  cJSON_AddNumberToObject(o, "pid", (double)m->pid);
  ;
  tp_json_add_float(o, "execution_time_ms", m->execution_time_ms);
  tp_json_add_float(o, "memory_used_mb", m->memory_used_mb);
  tp_json_add_float(o, "peak_memory_mb", m->peak_memory_mb);
  cJSON_AddNumberToObject(o, "allocation_count", (double)m->allocation_count);
  ;
  cJSON_AddNumberToObject(o, "deallocation_count", (double)m->deallocation_count);
  ;
  cJSON_AddNumberToObject(o, "net_allocations", (double)m->net_allocations);
  ;
  cJSON_AddNumberToObject(o, "total_calls", (double)m->total_calls);
  ;
  cJSON_AddNumberToObject(o, "functions", (double)m->n_funcs);
  ;
  cJSON_AddNumberToObject(o, "operations", (double)m->n_ops);
  ;
  cJSON_AddNumberToObject(o, "slow_operations", (double)m->n_slow);
  ;
  cJSON_AddStringToObject(o, "slowest_operation", slowest);
  tp_json_add_float(o, "slowest_operation_ms", slowest_ms);
  cJSON_AddStringToObject(o, "top_self_function", topf);
  tp_json_add_float(o, "top_self_function_ms", topf_ms);
  char *s = cJSON_PrintUnformatted(o);
  fprintf(b->json.f, "%s\n    ", b->first_json ? "" : ",");
  tp_json_text(b->json.f, s);
  b->first_json = 0;
  free(s);
  cJSON_Delete(o);
}

static void process(const char *path, void *arg) {
  batch *b = arg;
  tp_metrics m;
  char err[512];
  if (tp_metrics_load(path, 0, &m, err, sizeof err) != 0) {
    progress_clear(b);
    tp_err("%s: %s", path, err);
    b->skipped++;
    progress_show(b);
    return;
  }
  b->processed++;
  const char *prog = m.program_id[0] ? m.program_id : tp_basename(path);

  b->total_time_ms += m.execution_time_ms;
  b->total_calls += m.total_calls;
  b->total_allocs += m.allocation_count;
  b->total_deallocs += m.deallocation_count;
  b->total_allocated_bytes += (double)m.allocated_bytes;
  tp_dist_add(&b->exec_ms, m.execution_time_ms);
  tp_dist_add(&b->peak_mb, m.peak_memory_mb);

  const char *slowest = "";
  double slowest_ms = 0;
  for (size_t i = 0; i < m.n_ops; i++) {
    add_optype(b->optypes, &b->optypes_over, m.ops[i].name, m.ops[i].total_ms, m.ops[i].calls);
    if (m.ops[i].total_ms > slowest_ms || !slowest[0]) {
      slowest = m.ops[i].name;
      slowest_ms = m.ops[i].total_ms;
    }
  }
  if (m.n_slow) b->slow_programs++;
  for (size_t i = 0; i < m.n_slow; i++) {
    b->slow_total++;
    add_optype(b->slow_types, &b->optypes_over, m.slow[i].name, m.slow[i].value, 0);
    keep_slowest(b, prog, m.slow[i].name, m.slow[i].value);
  }

  const char *topf = "";
  double topf_ms = 0;
  for (size_t i = 0; i < m.n_funcs; i++) {
    const tp_func *fn = &m.funcs[i];
    if (fn->self_ms > topf_ms || !topf[0]) {
      topf = fn->name;
      topf_ms = fn->self_ms;
    }
    func_agg *a = tp_map_get(b->funcs, fn->name, 1);
    if (!a) {
      b->funcs_over++;
      continue;
    }
    a->programs++;
    a->calls += fn->calls;
    a->self_ms += fn->self_ms;
    a->inclusive_ms += fn->inclusive_ms;
  }
  add_stacks(b, &m);

  /* The guide's detect_memory_leaks, over programs with memory tracking. */
  if (m.mem_enabled) {
    b->mem_programs++;
    if (b->mem_programs == 1) {
      b->first_final_mb = m.current_memory_mb;
      b->first_final_prog = xstrdup(prog);
    }
    b->last_final_mb = m.current_memory_mb;
    free(b->last_final_prog);
    b->last_final_prog = xstrdup(prog);
    double peak_ratio = m.memory_used_mb > 0 ? m.peak_memory_mb / m.memory_used_mb : 1;
    if (peak_ratio > LEAK_PEAK_RATIO) note_finding(&b->spikes, prog);
    /* No deallocations at all counts as an imbalance only if something was
     * allocated (the guide's ratio would be infinite even for 0 / 0). */
    double alloc_ratio = m.deallocation_count > 0 ? (double)m.allocation_count / (double)m.deallocation_count
                         : m.allocation_count > 0 ? INFINITY
                                                  : 0;
    if (alloc_ratio > LEAK_ALLOC_RATIO) note_finding(&b->imbalanced, prog);
  }

  write_rows(b, path, &m, slowest, slowest_ms, topf, topf_ms);
  tp_metrics_free(&m);
  progress_show(b);
}

/* ---- the summary: sorted views of the aggregates ---- */

static int by_total_desc(const void *x, const void *y) {
  const optype_agg *a = ((const tp_entry *)x)->val, *b = ((const tp_entry *)y)->val;
  if (a->sum != b->sum) return a->sum < b->sum ? 1 : -1;
  return strcmp(((const tp_entry *)x)->key, ((const tp_entry *)y)->key);
}

static int by_self_desc(const void *x, const void *y) {
  const func_agg *a = ((const tp_entry *)x)->val, *b = ((const tp_entry *)y)->val;
  if (a->self_ms != b->self_ms) return a->self_ms < b->self_ms ? 1 : -1;
  return strcmp(((const tp_entry *)x)->key, ((const tp_entry *)y)->key);
}

static int by_ms_desc(const void *x, const void *y) {
  const slow_item *a = x, *b = y;
  if (a->ms != b->ms) return a->ms < b->ms ? 1 : -1;
  int c = strcmp(a->program, b->program);
  return c ? c : strcmp(a->operation, b->operation);
}

static tp_entry *sorted(tp_map *m, int (*cmp)(const void *, const void *)) {
  size_t n = tp_map_count(m);
  tp_entry *e = xmalloc((n ? n : 1) * sizeof *e);
  memcpy(e, tp_map_entries(m), n * sizeof *e);
  qsort(e, n, sizeof *e, cmp);
  return e;
}

static int by_inclusive_desc(const void *x, const void *y) {
  const func_agg *a = ((const tp_entry *)x)->val, *b = ((const tp_entry *)y)->val;
  if (a->inclusive_ms != b->inclusive_ms) return a->inclusive_ms < b->inclusive_ms ? 1 : -1;
  return strcmp(((const tp_entry *)x)->key, ((const tp_entry *)y)->key);
}

/* The same functions by inclusive time (cProfile's cumtime), beside the
 * self-time ranking above: wrappers (main, dispatch loops) lead this one. */
static void md_functions_by_inclusive(FILE *f, batch *b) {
  size_t n = tp_map_count(b->funcs), top = n < (size_t)b->top ? n : (size_t)b->top;
  tp_entry *fns = sorted(b->funcs, by_inclusive_desc);
  fputs("\nBy inclusive time summed over the batch.\n\n"
        "| function | programs | calls | self ms | inclusive ms |\n|---|---|---|---|---|\n",
        f);
  for (size_t i = 0; i < top; i++) {
    const func_agg *g = fns[i].val;
    fputs("| ", f);
    tp_md_cell(f, fns[i].key);
    fprintf(f, " | %llu | %lld | %.3f | %.3f |\n", (unsigned long long)g->programs, g->calls, g->self_ms,
            g->inclusive_ms);
  }
  free(fns);
}

static cJSON *dist_json(const tp_dist *d) {
  cJSON *o = cJSON_CreateObject();
  cJSON_AddNumberToObject(o, "count", (double)d->n);
  ;
  tp_json_add_float(o, "total", d->sum);
  tp_json_add_float(o, "mean", d->n ? d->sum / (double)d->n : 0);
  tp_json_add_float(o, "min", d->min);
  tp_json_add_float(o, "median", tp_dist_quantile(d, 0.5));
  tp_json_add_float(o, "p90", tp_dist_quantile(d, 0.9));
  tp_json_add_float(o, "max", d->max);
  cJSON_AddBoolToObject(o, "quantiles_exact", tp_dist_is_exact(d));
  return o;
}

static cJSON *optypes_json(tp_entry *e, size_t n) {
  cJSON *a = cJSON_CreateArray();
  for (size_t i = 0; i < n; i++) {
    const optype_agg *g = e[i].val;
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "operation", e[i].key);
    cJSON_AddNumberToObject(o, "frequency", (double)g->freq);
    ;
    tp_json_add_float(o, "avg_time_ms", g->freq ? g->sum / (double)g->freq : 0);
    tp_json_add_float(o, "max_time_ms", g->max);
    tp_json_add_float(o, "total_time_ms", g->sum);
    cJSON_AddNumberToObject(o, "calls", (double)g->calls);
    ;
    cJSON_AddItemToArray(a, o);
  }
  return a;
}

static cJSON *finding_json(const finding *f) {
  cJSON *o = cJSON_CreateObject();
  cJSON_AddNumberToObject(o, "count", (double)f->count);
  ;
  cJSON *a = cJSON_AddArrayToObject(o, "programs");
  for (uint64_t i = 0; i < f->count && i < MAX_LISTED; i++) cJSON_AddItemToArray(a, cJSON_CreateString(f->names[i]));
  return o;
}

static char *out_path(batch *b, const char *suffix) {
  char name[1024];
  snprintf(name, sizeof name, "%s%s", b->name, suffix);
  return tp_path_join(b->out_dir, name);
}

static void md_row_optype(FILE *f, const tp_entry *e) {
  const optype_agg *g = e->val;
  fputs("| ", f);
  tp_md_cell(f, e->key);
  fprintf(f, " | %llu | %.3f | %.3f | %.3f |\n", (unsigned long long)g->freq, g->freq ? g->sum / (double)g->freq : 0,
          g->max, g->sum);
}

static void md_names(FILE *f, const finding *x) {
  for (uint64_t i = 0; i < x->count && i < MAX_LISTED; i++) {
    fputs(i ? ", " : "", f);
    tp_md_cell(f, x->names[i]);
  }
  if (x->count > MAX_LISTED) fprintf(f, " and %llu more", (unsigned long long)(x->count - MAX_LISTED));
}

/* [![alt](file)](file): the picture, linked to its own file. The name is
 * percent-encoded (RFC 3986): it may hold spaces, brackets or bytes that are
 * not UTF-8, and the link must still name the file. */
static void md_url(FILE *f, const char *name) {
  for (const unsigned char *s = (const unsigned char *)name; *s; s++) {
    if (isalnum(*s) || strchr("-._~", *s))
      fputc(*s, f);
    else
      fprintf(f, "%%%02X", *s);
  }
}

static void md_picture(FILE *f, const char *alt, const char *path) {
  fprintf(f, "[![%s](", alt);
  md_url(f, tp_basename(path));
  fputs(")](", f);
  md_url(f, tp_basename(path));
  fputc(')', f);
}

static int finish(batch *b) {
  int rc = 0;
  size_t n_opt = tp_map_count(b->optypes), n_slow = tp_map_count(b->slow_types), n_fn = tp_map_count(b->funcs);
  tp_entry *opt = sorted(b->optypes, by_total_desc);
  tp_entry *slow = sorted(b->slow_types, by_total_desc);
  tp_entry *fns = sorted(b->funcs, by_self_desc);
  qsort(b->slowest, b->n_slowest, sizeof *b->slowest, by_ms_desc);
  size_t top_fn = n_fn < (size_t)b->top ? n_fn : (size_t)b->top;
  double growth = b->mem_programs > 1 ? b->last_final_mb - b->first_final_mb : 0;
  int grew = growth > LEAK_GROWTH_MB;

  char *svg_time = out_path(b, "_flame_time.svg"), *svg_mem = out_path(b, "_flame_alloc.svg"),
       *svg_ops = out_path(b, "_operations.svg");
  char stack_note[256];
  snprintf(stack_note, sizeof stack_note, "stacks: %llu programs exact, %llu rebuilt from call_graph, %llu one-frame",
           (unsigned long long)b->stacks_exact, (unsigned long long)b->stacks_rebuilt,
           (unsigned long long)b->stacks_flat);

  /* ---- batch JSON: close the programs array, then the summary ---- */
  cJSON *s = cJSON_CreateObject();
  cJSON_AddNumberToObject(s, "programs", (double)b->processed);
  ;
  cJSON_AddNumberToObject(s, "files_skipped", (double)b->skipped);
  ;
  cJSON *tot = cJSON_AddObjectToObject(s, "totals");
  tp_json_add_float(tot, "execution_time_ms", b->total_time_ms);
  cJSON_AddNumberToObject(tot, "function_calls", (double)b->total_calls);
  ;
  cJSON_AddNumberToObject(tot, "allocation_count", (double)b->total_allocs);
  ;
  cJSON_AddNumberToObject(tot, "deallocation_count", (double)b->total_deallocs);
  ;
  cJSON_AddNumberToObject(tot, "allocated_bytes", b->total_allocated_bytes);
  cJSON *dist = cJSON_AddObjectToObject(s, "distributions");
  cJSON_AddItemToObject(dist, "execution_time_ms", dist_json(&b->exec_ms));
  cJSON_AddItemToObject(dist, "peak_memory_mb", dist_json(&b->peak_mb));
  cJSON_AddItemToObject(s, "bottlenecks", optypes_json(opt, n_opt));
  cJSON *so = cJSON_AddObjectToObject(s, "slow_operations");
  cJSON_AddNumberToObject(so, "count", (double)b->slow_total);
  ;
  cJSON_AddNumberToObject(so, "programs", (double)b->slow_programs);
  ;
  cJSON_AddItemToObject(so, "by_type", optypes_json(slow, n_slow));
  cJSON *sl = cJSON_AddArrayToObject(so, "slowest");
  for (size_t i = 0; i < b->n_slowest; i++) {
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "program_id", b->slowest[i].program);
    cJSON_AddStringToObject(o, "operation", b->slowest[i].operation);
    tp_json_add_float(o, "time_ms", b->slowest[i].ms);
    cJSON_AddItemToArray(sl, o);
  }
  cJSON *tf = cJSON_AddArrayToObject(s, "top_functions");
  for (size_t i = 0; i < top_fn; i++) {
    const func_agg *g = fns[i].val;
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "name", fns[i].key);
    cJSON_AddNumberToObject(o, "programs", (double)g->programs);
    ;
    cJSON_AddNumberToObject(o, "calls", (double)g->calls);
    ;
    tp_json_add_float(o, "self_ms", g->self_ms);
    tp_json_add_float(o, "inclusive_ms", g->inclusive_ms);
    cJSON_AddItemToArray(tf, o);
  }
  cJSON *lk = cJSON_AddObjectToObject(s, "memory_leaks");
  cJSON_AddNumberToObject(lk, "programs_with_memory_tracking", (double)b->mem_programs);
  ;
  tp_json_add_float(lk, "final_memory_growth_mb", growth);
  cJSON_AddBoolToObject(lk, "growth_above_10mb", grew);
  cJSON_AddItemToObject(lk, "peak_above_2x_final", finding_json(&b->spikes));
  cJSON_AddItemToObject(lk, "allocations_above_1_5x_deallocations", finding_json(&b->imbalanced));
  cJSON *cap = cJSON_AddObjectToObject(s, "over_caps");
  cJSON_AddNumberToObject(cap, "functions", (double)b->funcs_over);
  ;
  cJSON_AddNumberToObject(cap, "operation_types", (double)b->optypes_over);
  ;
  cJSON_AddNumberToObject(cap, "stacks", (double)b->stacks_over);
  ;
  cJSON *pic = cJSON_AddObjectToObject(s, "pictures");
  cJSON_AddStringToObject(pic, "flame_time", tp_basename(svg_time));
  cJSON_AddStringToObject(pic, "flame_alloc", tp_basename(svg_mem));
  cJSON_AddStringToObject(pic, "operations", tp_basename(svg_ops));
  cJSON_AddStringToObject(pic, "stack_sources", stack_note);
  char *st = cJSON_Print(s);
  fputs("\n  ],\n  \"summary\": ", b->json.f);
  tp_json_text(b->json.f, st);
  fputs("\n}\n", b->json.f);
  free(st);
  cJSON_Delete(s);

  /* ---- pictures ---- */
  tp_flame *ft = tp_flame_new(), *fm = tp_flame_new();
  tp_entry *se = tp_map_entries(b->stacks);
  const char *frames[256];
  for (size_t i = 0; i < tp_map_count(b->stacks); i++) {
    char *k = xstrdup(se[i].key), *save = NULL;
    size_t d = 0;
    for (char *t = strtok_r(k, ";", &save); t && d < 256; t = strtok_r(NULL, ";", &save)) frames[d++] = t;
    const stack_agg *a = se[i].val;
    tp_flame_add(ft, frames, d, a->self_ms);
    tp_flame_add(fm, frames, d, a->alloc_bytes);
    free(k);
  }
  char title[1200];
  snprintf(title, sizeof title, "%s: self time by call stack, %llu programs", b->name,
           (unsigned long long)b->processed);
  rc |= tp_flame_write(ft, svg_time, title, "ms", stack_note);
  snprintf(title, sizeof title, "%s: allocated bytes by call stack, %llu programs", b->name,
           (unsigned long long)b->processed);
  rc |= tp_flame_write(fm, svg_mem, title, "bytes",
                       b->stacks_exact == b->processed
                           ? stack_note
                           : "without call_stacks, bytes are per allocation site (top_allocators)");
  tp_flame_free(ft);
  tp_flame_free(fm);
  size_t nb = n_opt < 40 ? n_opt : 40;
  tp_bar *bars = xcalloc(nb ? nb : 1, sizeof *bars);
  char(*details)[128] = xcalloc(nb ? nb : 1, sizeof *details);
  for (size_t i = 0; i < nb; i++) {
    const optype_agg *g = opt[i].val;
    snprintf(details[i], sizeof details[i], "%llu instances, average %.3f ms, max %.3f ms", (unsigned long long)g->freq,
             g->freq ? g->sum / (double)g->freq : 0, g->max);
    bars[i] = (tp_bar){opt[i].key, g->sum, details[i]};
  }
  snprintf(title, sizeof title, "%s: total time by operation type", b->name);
  rc |= tp_bars_write(svg_ops, title, "ms", bars, nb);
  free(bars);
  free(details);

  /* ---- Markdown report ---- */
  char *md_path = out_path(b, "_report.md");
  tp_out md;
  if (tp_out_open(&md, md_path) != 0) {
    rc = -1;
  } else {
    FILE *f = md.f;
    fputs("# Performance report: ", f);
    tp_md_cell(f, b->name);
    fprintf(f, "\n\n%llu programs analysed", (unsigned long long)b->processed);
    if (b->skipped)
      fprintf(f, "; %llu files skipped (see the messages of `tprof report`)", (unsigned long long)b->skipped);
    fputs(".\n\n## Totals\n\n| figure | value |\n|---|---|\n", f);
    fprintf(f, "| programs | %llu |\n| execution time | %.3f ms |\n| function calls | %lld |\n",
            (unsigned long long)b->processed, b->total_time_ms, b->total_calls);
    fprintf(f, "| allocations | %lld |\n| deallocations | %lld |\n| allocated | %.0f bytes |\n\n", b->total_allocs,
            b->total_deallocs, b->total_allocated_bytes);
    fputs("## Distributions\n\n| figure | min | median | p90 | max | mean |\n|---|---|---|---|---|---|\n", f);
    const tp_dist *ds[2] = {&b->exec_ms, &b->peak_mb};
    const char *dn[2] = {"execution time (ms)", "peak memory (MiB)"};
    for (int i = 0; i < 2; i++)
      fprintf(f, "| %s | %.4f | %.4f | %.4f | %.4f | %.4f |\n", dn[i], ds[i]->min, tp_dist_quantile(ds[i], 0.5),
              tp_dist_quantile(ds[i], 0.9), ds[i]->max, ds[i]->n ? ds[i]->sum / (double)ds[i]->n : 0);
    if (!tp_dist_is_exact(&b->exec_ms))
      fprintf(f, "\nMedian and p90 come from a log-bucket histogram (relative error at most 0.5%%); min, max and mean "
                 "are exact.\n");
    /* Each picture links to its file: a forge shows an embedded SVG as an
     * image, without its tooltips, zoom or search; the file has them. */
    fputs("\n## Bottlenecks by operation type\n\n", f);
    md_picture(f, "total time by operation type", svg_ops);
    fputs("\n\n", f);
    fputs("Every operation of every program, grouped by type (the name without its `_N` instance number); "
          "frequency is the number of operation instances, times are each instance's total in its run; sorted by "
          "total time (frequency x average).\n\n",
          f);
    fputs("| operation type | frequency | average ms | max ms | total ms |\n|---|---|---|---|---|\n", f);
    for (size_t i = 0; i < n_opt && i < (size_t)b->top; i++) md_row_optype(f, &opt[i]);
    if (n_opt > (size_t)b->top) fprintf(f, "\n%zu more types in the batch JSON.\n", n_opt - (size_t)b->top);
    fputs("\n## Top functions across programs\n\nBy self time summed over the batch.\n\n"
          "| function | programs | calls | self ms | inclusive ms |\n|---|---|---|---|---|\n",
          f);
    for (size_t i = 0; i < top_fn; i++) {
      const func_agg *g = fns[i].val;
      fputs("| ", f);
      tp_md_cell(f, fns[i].key);
      fprintf(f, " | %llu | %lld | %.3f | %.3f |\n", (unsigned long long)g->programs, g->calls, g->self_ms,
              g->inclusive_ms);
    }
    md_functions_by_inclusive(f, b);
    fputs("\n## Call stacks\n\n", f);
    md_picture(f, "self time by call stack", svg_time);
    fputs("\n\n", f);
    md_picture(f, "allocated bytes by call stack", svg_mem);
    fputs("\n\nOpen a flame graph on its own for its figures on hover, click-to-zoom and search.\n\n", f);
    fprintf(f, "Operation functions are merged by operation type. %s.\n", stack_note);
    if (b->stacks_rebuilt || b->stacks_flat)
      fputs("Stacks rebuilt from call_graph are approximate, and without call_stacks the allocation picture shows "
            "allocation sites instead of stacks.\n",
            f);
    fputs("\n## Memory leak findings\n\n", f);
    fprintf(f, "Over the %llu programs with memory tracking, in the order read:\n\n",
            (unsigned long long)b->mem_programs);
    int any = 0;
    if (grew) {
      fputs("- Final heap usage grew by ", f);
      fprintf(f, "%.2f MB from the first program (", growth);
      tp_md_cell(f, b->first_final_prog);
      fputs(") to the last (", f);
      tp_md_cell(f, b->last_final_prog);
      fprintf(f, "), above the %.0f MB threshold.\n", LEAK_GROWTH_MB);
      any = 1;
    }
    if (b->spikes.count) {
      fprintf(f, "- %llu programs peaked above %.0fx their final heap usage: ", (unsigned long long)b->spikes.count,
              LEAK_PEAK_RATIO);
      md_names(f, &b->spikes);
      fputs(".\n", f);
      any = 1;
    }
    if (b->imbalanced.count) {
      fprintf(f, "- %llu programs made more than %.1fx as many allocations as deallocations: ",
              (unsigned long long)b->imbalanced.count, LEAK_ALLOC_RATIO);
      md_names(f, &b->imbalanced);
      fputs(".\n", f);
      any = 1;
    }
    if (!any) fputs("No findings.\n", f);
    fprintf(f,
            "\n## Slow operations\n\n%llu slow operations in %llu programs (above each run's "
            "`slow_operation_threshold_ms`).\n",
            (unsigned long long)b->slow_total, (unsigned long long)b->slow_programs);
    if (n_slow) {
      fputs("\n| operation type | frequency | average ms | max ms | total ms |\n|---|---|---|---|---|\n", f);
      for (size_t i = 0; i < n_slow && i < (size_t)b->top; i++) md_row_optype(f, &slow[i]);
      fputs("\nSlowest:\n\n| program | operation | ms |\n|---|---|---|\n", f);
      for (size_t i = 0; i < b->n_slowest; i++) {
        fputs("| ", f);
        tp_md_cell(f, b->slowest[i].program);
        fputs(" | ", f);
        tp_md_cell(f, b->slowest[i].operation);
        fprintf(f, " | %.3f |\n", b->slowest[i].ms);
      }
    }
    rc |= tp_out_commit(&md);
  }
  free(md_path);
  free(svg_time);
  free(svg_mem);
  free(svg_ops);
  free(opt);
  free(slow);
  free(fns);
  return rc;
}

static void usage(FILE *f) {
  fputs("usage: tprof report [--name NAME] [--out DIR] [--top N] PATH...\n"
        "  PATH: metrics files, or directories searched for *_metrics.json\n"
        "  writes DIR/NAME_batch.csv, NAME_batch.json, NAME_report.md, NAME_flame_time.svg,\n"
        "  NAME_flame_alloc.svg, NAME_operations.svg (defaults: NAME batch, DIR .)\n",
        f);
}

int tp_cmd_report(int argc, char **argv) {
  static const struct option longs[] = {{"name", required_argument, 0, 'n'},
                                        {"out", required_argument, 0, 'o'},
                                        {"top", required_argument, 0, 't'},
                                        {"help", no_argument, 0, 'h'},
                                        {0, 0, 0, 0}};
  batch b;
  memset(&b, 0, sizeof b);
  b.name = "batch";
  b.out_dir = ".";
  b.top = 20;
  int c;
  optind = 1;
  while ((c = getopt_long(argc, argv, "n:o:t:h", longs, NULL)) != -1) {
    switch (c) {
    case 'n':
      b.name = optarg;
      break;
    case 'o':
      b.out_dir = optarg;
      break;
    case 't':
      b.top = atoi(optarg);
      break;
    case 'h':
      usage(stdout);
      return TP_EXIT_OK;
    default:
      usage(stderr);
      return TP_EXIT_USAGE;
    }
  }
  if (optind >= argc || !b.name[0] || strchr(b.name, '/') || b.top <= 0) {
    if (optind >= argc)
      tp_err("report: no PATH given");
    else
      tp_err("report: --name must be a plain file name and --top positive");
    usage(stderr);
    return TP_EXIT_USAGE;
  }
  struct stat st;
  if (stat(b.out_dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
    tp_err("%s: output directory does not exist", b.out_dir);
    return TP_EXIT_USAGE;
  }
  b.progress = isatty(2);
  b.first_json = 1;
  tp_dist_init(&b.exec_ms);
  tp_dist_init(&b.peak_mb);
  b.optypes = tp_map_new(sizeof(optype_agg), MAX_OPTYPES);
  b.slow_types = tp_map_new(sizeof(optype_agg), MAX_OPTYPES);
  b.funcs = tp_map_new(sizeof(func_agg), MAX_FUNCTIONS);
  b.stacks = tp_map_new(sizeof(stack_agg), MAX_STACKS);

  char *csv_path = out_path(&b, "_batch.csv"), *json_path = out_path(&b, "_batch.json");
  int rc = TP_EXIT_OK;
  if (tp_out_open(&b.csv, csv_path) != 0 || tp_out_open(&b.json, json_path) != 0) {
    tp_out_abort(&b.csv);
    rc = TP_EXIT_FILES;
    goto out;
  }
  fputs(CSV_HEADER, b.csv.f);
  fprintf(b.json.f, "{\n  \"schema_version\": %d,\n  \"generator\": \"tprof " TPROF_VERSION "\",\n  \"name\": ",
          TP_SCHEMA_VERSION);
  tp_json_string(b.json.f, b.name);
  fputs(",\n  \"programs\": [", b.json.f);

  for (int i = optind; i < argc; i++) tp_walk(argv[i], process, &b);
  progress_clear(&b);

  if (b.processed == 0) {
    tp_err("report: no metrics file could be read; nothing written");
    tp_out_abort(&b.csv);
    tp_out_abort(&b.json);
    rc = TP_EXIT_FILES;
  } else {
    int frc = finish(&b);
    int crc = tp_out_commit(&b.csv);
    int jrc = tp_out_commit(&b.json);
    if (crc != 0 || jrc != 0 || frc != 0)
      rc = TP_EXIT_FILES;
    else if (b.skipped)
      rc = TP_EXIT_FILES;
  }
  if (b.skipped) tp_err("%llu files skipped", (unsigned long long)b.skipped);
out:
  free(csv_path);
  free(json_path);
  tp_dist_free(&b.exec_ms);
  tp_dist_free(&b.peak_mb);
  tp_map_free(b.optypes);
  tp_map_free(b.slow_types);
  tp_map_free(b.funcs);
  tp_map_free(b.stacks);
  for (size_t i = 0; i < b.n_slowest; i++) {
    free(b.slowest[i].program);
    free(b.slowest[i].operation);
  }
  for (uint64_t i = 0; i < MAX_LISTED; i++) {
    free(b.spikes.names[i]);
    free(b.imbalanced.names[i]);
  }
  free(b.first_final_prog);
  free(b.last_final_prog);
  return rc;
}
