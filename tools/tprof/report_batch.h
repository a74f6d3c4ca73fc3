/* The aggregates of `tprof report` (report.c reads the programs into them;
 * report_out.c writes the batch's summary, pictures and Markdown report). */
#ifndef TPROF_REPORT_BATCH_H
#define TPROF_REPORT_BATCH_H

#include <stddef.h>
#include <stdint.h>

#include "batch_stats.h"
#include "strmap.h"
#include "util.h"

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

/* DIR/NAME + suffix (the batch's output files); the caller frees it. */
char *report_out_path(batch *b, const char *suffix);
/* Writes what follows the programs: 0, or -1 when a file failed. */
int report_finish(batch *b);

#endif
