#define _GNU_SOURCE
#include "report.h"

#include "make_dirs.h"

#include <cjson/cJSON.h>
#include <ctype.h>
#include <errno.h>
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
#include "util.h"
#include "walk.h"
#include "report_batch.h"

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
  tp_json_add_float(o, "execution_time_ms", m->execution_time_ms);
  tp_json_add_float(o, "memory_used_mb", m->memory_used_mb);
  tp_json_add_float(o, "peak_memory_mb", m->peak_memory_mb);
  cJSON_AddNumberToObject(o, "allocation_count", (double)m->allocation_count);
  cJSON_AddNumberToObject(o, "deallocation_count", (double)m->deallocation_count);
  cJSON_AddNumberToObject(o, "net_allocations", (double)m->net_allocations);
  cJSON_AddNumberToObject(o, "total_calls", (double)m->total_calls);
  cJSON_AddNumberToObject(o, "functions", (double)m->n_funcs);
  cJSON_AddNumberToObject(o, "operations", (double)m->n_ops);
  cJSON_AddNumberToObject(o, "slow_operations", (double)m->n_slow);
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
    /* The label, as in every other output: an operation under its
     * operation's name (rotate_1, not op_rotate_1). */
    const char *label = fn->label ? fn->label : fn->name;
    if (fn->self_ms > topf_ms || !topf[0]) {
      topf = label;
      topf_ms = fn->self_ms;
    }
    func_agg *a = tp_map_get(b->funcs, label, 1);
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

static void usage(FILE *f) {
  fputs("usage: tprof report [--name NAME] [--out DIR] [--top N] PATH...\n"
        "  PATH: metrics files, or directories searched for *_metrics.json\n"
        "  writes DIR/NAME_batch.csv, NAME_batch.json, NAME_report.md, NAME_flame_time.svg,\n"
        "  NAME_flame_alloc.svg, NAME_operations.svg (defaults: NAME batch, DIR .; DIR is created if missing)\n",
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
      if (tp_parse_count(optarg, "report", "-t/--top", &b.top) != 0) return TP_EXIT_USAGE;
      break;
    case 'h':
      usage(stdout);
      return TP_EXIT_OK;
    default:
      usage(stderr);
      return TP_EXIT_USAGE;
    }
  }
  if (optind >= argc || !b.name[0] || strchr(b.name, '/') || !b.out_dir[0]) {
    if (optind >= argc)
      tp_err("report: no PATH given");
    else if (!b.out_dir[0])
      tp_err("report: --out needs a directory ('.' for the current one)");
    else
      tp_err("report: --name must be a plain file name, not '%s'", b.name);
    usage(stderr);
    return TP_EXIT_USAGE;
  }
  /* --out is made when missing, as mkdir -p does (and the runtime does with
   * its output_dir), so a first run into a fresh directory works. */
  struct stat st;
  if (stat(b.out_dir, &st) == 0 && !S_ISDIR(st.st_mode)) {
    tp_err("report: --out %s exists and is not a directory; give a directory (it is created if missing)", b.out_dir);
    return TP_EXIT_USAGE;
  }
  size_t failed;
  if (tprof_make_dirs(b.out_dir, &failed) != 0) {
    int e = errno;
    if (failed == strlen(b.out_dir))
      tp_err("%s: cannot create the output directory: %s", b.out_dir, strerror(e));
    else
      tp_err("%s: cannot create the output directory (at %.*s): %s", b.out_dir, (int)failed, b.out_dir, strerror(e));
    return TP_EXIT_FILES;
  }
  b.progress = isatty(2);
  b.first_json = 1;
  tp_dist_init(&b.exec_ms);
  tp_dist_init(&b.peak_mb);
  b.optypes = tp_map_new(sizeof(optype_agg), MAX_OPTYPES);
  b.slow_types = tp_map_new(sizeof(optype_agg), MAX_OPTYPES);
  b.funcs = tp_map_new(sizeof(func_agg), MAX_FUNCTIONS);
  b.stacks = tp_map_new(sizeof(stack_agg), MAX_STACKS);

  char *csv_path = report_out_path(&b, "_batch.csv"), *json_path = report_out_path(&b, "_batch.json");
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
    int frc = report_finish(&b);
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
