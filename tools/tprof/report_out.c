/* `tprof report`'s outputs after the last program: the summary that closes
 * the batch JSON, the flame graphs and the operations chart, and the
 * Markdown report (docs/CLI.md describes each). */
#define _GNU_SOURCE
#include "report_batch.h"

#include <cjson/cJSON.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "svg_bars.h"
#include "svg_flame.h"

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

/* The first n functions of a sorted table, one Markdown row each. */
static void md_function_table(FILE *f, const tp_entry *fns, size_t n) {
  fputs("| function | programs | calls | self ms | inclusive ms |\n|---|---|---|---|---|\n", f);
  for (size_t i = 0; i < n; i++) {
    const func_agg *g = fns[i].val;
    fputs("| ", f);
    tp_md_cell(f, fns[i].key);
    fprintf(f, " | %llu | %lld | %.3f | %.3f |\n", (unsigned long long)g->programs, g->calls, g->self_ms,
            g->inclusive_ms);
  }
}

/* The same functions by inclusive time (cProfile's cumtime), beside the
 * self-time ranking above: wrappers (main, dispatch loops) lead this one. */
static void md_functions_by_inclusive(FILE *f, batch *b) {
  size_t n = tp_map_count(b->funcs), top = n < (size_t)b->top ? n : (size_t)b->top;
  tp_entry *fns = sorted(b->funcs, by_inclusive_desc);
  fputs("\nBy inclusive time summed over the batch.\n\n", f);
  md_function_table(f, fns, top);
  free(fns);
}

static cJSON *dist_json(const tp_dist *d) {
  cJSON *o = cJSON_CreateObject();
  cJSON_AddNumberToObject(o, "count", (double)d->n);
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
    tp_json_add_float(o, "avg_time_ms", g->freq ? g->sum / (double)g->freq : 0);
    tp_json_add_float(o, "max_time_ms", g->max);
    tp_json_add_float(o, "total_time_ms", g->sum);
    cJSON_AddNumberToObject(o, "calls", (double)g->calls);
    cJSON_AddItemToArray(a, o);
  }
  return a;
}

static cJSON *finding_json(const finding *f) {
  cJSON *o = cJSON_CreateObject();
  cJSON_AddNumberToObject(o, "count", (double)f->count);
  cJSON *a = cJSON_AddArrayToObject(o, "programs");
  for (uint64_t i = 0; i < f->count && i < MAX_LISTED; i++) cJSON_AddItemToArray(a, cJSON_CreateString(f->names[i]));
  return o;
}

char *report_out_path(batch *b, const char *suffix) {
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

/* What the three outputs of a batch share: the sorted tables, the leak
 * growth, and the pictures' file names. */
typedef struct {
  size_t n_opt, n_slow, n_fn, top_fn;
  tp_entry *opt, *slow, *fns;
  double growth;
  int grew;
  char *svg_time, *svg_mem, *svg_ops;
  char stack_note[256];
} report_view;

static void write_summary_json(batch *b, const report_view *v) {
  size_t n_opt = v->n_opt, n_slow = v->n_slow, top_fn = v->top_fn;
  tp_entry *opt = v->opt, *slow = v->slow, *fns = v->fns;
  double growth = v->growth;
  int grew = v->grew;
  const char *svg_time = v->svg_time, *svg_mem = v->svg_mem, *svg_ops = v->svg_ops, *stack_note = v->stack_note;
  /* ---- batch JSON: close the programs array, then the summary ---- */
  cJSON *s = cJSON_CreateObject();
  cJSON_AddNumberToObject(s, "programs", (double)b->processed);
  cJSON_AddNumberToObject(s, "files_skipped", (double)b->skipped);
  cJSON *tot = cJSON_AddObjectToObject(s, "totals");
  tp_json_add_float(tot, "execution_time_ms", b->total_time_ms);
  cJSON_AddNumberToObject(tot, "function_calls", (double)b->total_calls);
  cJSON_AddNumberToObject(tot, "allocation_count", (double)b->total_allocs);
  cJSON_AddNumberToObject(tot, "deallocation_count", (double)b->total_deallocs);
  cJSON_AddNumberToObject(tot, "allocated_bytes", b->total_allocated_bytes);
  cJSON *dist = cJSON_AddObjectToObject(s, "distributions");
  cJSON_AddItemToObject(dist, "execution_time_ms", dist_json(&b->exec_ms));
  cJSON_AddItemToObject(dist, "peak_memory_mb", dist_json(&b->peak_mb));
  cJSON_AddItemToObject(s, "bottlenecks", optypes_json(opt, n_opt));
  cJSON *so = cJSON_AddObjectToObject(s, "slow_operations");
  cJSON_AddNumberToObject(so, "count", (double)b->slow_total);
  cJSON_AddNumberToObject(so, "programs", (double)b->slow_programs);
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
    cJSON_AddNumberToObject(o, "calls", (double)g->calls);
    tp_json_add_float(o, "self_ms", g->self_ms);
    tp_json_add_float(o, "inclusive_ms", g->inclusive_ms);
    cJSON_AddItemToArray(tf, o);
  }
  cJSON *lk = cJSON_AddObjectToObject(s, "memory_leaks");
  cJSON_AddNumberToObject(lk, "programs_with_memory_tracking", (double)b->mem_programs);
  tp_json_add_float(lk, "final_memory_growth_mb", growth);
  cJSON_AddBoolToObject(lk, "growth_above_10mb", grew);
  cJSON_AddItemToObject(lk, "peak_above_2x_final", finding_json(&b->spikes));
  cJSON_AddItemToObject(lk, "allocations_above_1_5x_deallocations", finding_json(&b->imbalanced));
  cJSON *cap = cJSON_AddObjectToObject(s, "over_caps");
  cJSON_AddNumberToObject(cap, "functions", (double)b->funcs_over);
  cJSON_AddNumberToObject(cap, "operation_types", (double)b->optypes_over);
  cJSON_AddNumberToObject(cap, "stacks", (double)b->stacks_over);
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
}

static int write_pictures(batch *b, const report_view *v) {
  size_t n_opt = v->n_opt;
  tp_entry *opt = v->opt;
  const char *svg_time = v->svg_time, *svg_mem = v->svg_mem, *svg_ops = v->svg_ops, *stack_note = v->stack_note;
  int rc = 0;
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

  return rc;
}

static int write_markdown(batch *b, const report_view *v) {
  size_t n_opt = v->n_opt, n_slow = v->n_slow, top_fn = v->top_fn;
  tp_entry *opt = v->opt, *slow = v->slow, *fns = v->fns;
  double growth = v->growth;
  int grew = v->grew;
  const char *svg_time = v->svg_time, *svg_mem = v->svg_mem, *svg_ops = v->svg_ops, *stack_note = v->stack_note;
  int rc = 0;
  /* ---- Markdown report ---- */
  char *md_path = report_out_path(b, "_report.md");
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
    fputs("\n## Top functions across programs\n\nBy self time summed over the batch.\n\n", f);
    md_function_table(f, fns, top_fn);
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
  return rc;
}

/* The batch JSON's summary, the three pictures and the Markdown report,
 * once every program has been read. */
int report_finish(batch *b) {
  report_view view = {0}, *v = &view;
  v->n_opt = tp_map_count(b->optypes);
  v->n_slow = tp_map_count(b->slow_types);
  v->n_fn = tp_map_count(b->funcs);
  v->opt = sorted(b->optypes, by_total_desc);
  v->slow = sorted(b->slow_types, by_total_desc);
  v->fns = sorted(b->funcs, by_self_desc);
  qsort(b->slowest, b->n_slowest, sizeof *b->slowest, by_ms_desc);
  v->top_fn = v->n_fn < (size_t)b->top ? v->n_fn : (size_t)b->top;
  v->growth = b->mem_programs > 1 ? b->last_final_mb - b->first_final_mb : 0;
  v->grew = v->growth > LEAK_GROWTH_MB;
  v->svg_time = report_out_path(b, "_flame_time.svg");
  v->svg_mem = report_out_path(b, "_flame_alloc.svg");
  v->svg_ops = report_out_path(b, "_operations.svg");
  snprintf(
      v->stack_note, sizeof v->stack_note, "stacks: %llu programs exact, %llu rebuilt from call_graph, %llu one-frame",
      (unsigned long long)b->stacks_exact, (unsigned long long)b->stacks_rebuilt, (unsigned long long)b->stacks_flat);
  write_summary_json(b, v);
  int rc = write_pictures(b, v);
  rc |= write_markdown(b, v);
  free(v->svg_time);
  free(v->svg_mem);
  free(v->svg_ops);
  free(v->opt);
  free(v->slow);
  free(v->fns);
  return rc;
}
