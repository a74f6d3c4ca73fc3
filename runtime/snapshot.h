/* The exporter's snapshot (one cut of every figure, gathered by
 * snapshot.c under the registry lock) and the writers of the seven files
 * of docs/FILES.md, each in the file that writes its kind: write_json.c
 * (metrics.json, memory_summary.json), write_csv.c (timings.csv,
 * cpu_functions.csv, memory_allocators.csv, memory_traces.csv),
 * write_report.c (performance_report.md). export.c puts them on disk. */
#ifndef TPROF_RUNTIME_SNAPSHOT_H
#define TPROF_RUNTIME_SNAPSHOT_H

#include "calltree.h"
#include "number_format.h"
#include "text_format.h"
#include "tprof/schema.h"

#define TOP_N 20

/* tprof_plain_len of a name, file or operation name, taken once an export
 * (the files write each name up to five times, and a scan costs ~4
 * instructions a byte): the writers' *_n functions take it. At most
 * UINT16_MAX (a longer plain name then takes the escaper's path, which
 * writes it the same), so that the rows do not grow much. */
typedef struct names_len {
  uint16_t name, file, op_name; /* op_name: 0 without one */
} names_len;

typedef struct func_row {
  uint32_t id, thread; /* thread: 0 in the totals, tprof's thread number per thread */
  const tprof_func_info *info;
  uint64_t calls, primitive_calls, self_ticks, inclusive_ticks, max_call_ticks;
  names_len len; /* of info's strings */
} func_row;

typedef struct op_row {
  uint32_t id;                     /* the function's */
  uint16_t name_len, function_len; /* tprof_plain_len of name and function (as names_len) */
  const char *name, *function;
  uint64_t calls, total_ticks, max_call_ticks;
} op_row;

typedef struct site_row {
  uint32_t id;
  const tprof_site_info *info;
  tprof_site_stat st;
  char location[512];
} site_row;

typedef struct snapshot {
  const char *reason, *timestamp;
  double ms_per_tick, execution_time_ms;
  func_row *funcs;
  size_t nfuncs;
  op_row *ops;
  size_t nops;
  site_row *sites;
  size_t nsites;
  tprof_trace_view traces; /* in place: not freed with the snapshot */
  tprof_calltree tree;
  tprof_callsite_count *callsites; /* taken before the registry lock: tprof_callsites_get locks it */
  size_t ncallsites;
  const tprof_timeline_event *timeline_events; /* in place (tprof_timeline_snapshot) */
  uint32_t *timeline;                          /* indices of its completed events */
  size_t ntimeline;
  uint64_t timeline_dropped;
  func_row *thread_funcs; /* per thread, when cpu_functions_per_thread is on */
  size_t nthread_funcs;
  tprof_heap_totals heap;
  int heap_mid_update; /* exported from inside this thread's allocation hook (a signal handler) */
  tprof_resources res;
  uint64_t total_calls;
  uint64_t total_self_ns; /* the sum of the rows' self times, each rounded to the ns as written */
} snapshot;

/* Times to the nanosecond (the clock's resolution is about that): a value
 * then has few digits, written exactly and fast, and JSON and CSV agree. */
static inline double ns_unrounded(const snapshot *s, uint64_t ticks) {
  return tprof_double_of(ticks) * s->ms_per_tick * 1e6; /* >= 0; no libm: programs link the runtime without -lm */
}
/* Below 2^63 through int64_t: one instruction each way, where uint64_t's
 * conversions take a dozen (x86-64 has no unsigned one); the same values. */
static inline double ms(const snapshot *s, uint64_t ticks) {
  double ns = ns_unrounded(s, ticks);
  return ns < 9.2e18 ? (double)(int64_t)(ns + 0.5) / 1e6 : ns / 1e6;
}
/* ms(s, ticks) as tprof_format_double writes it, without the double's
 * division (the trace file writes one per row). out: TPROF_NUMBER_MAX
 * bytes, not terminated; returns the length. */
static inline size_t ms_text(const snapshot *s, uint64_t ticks, char *out) {
  double ns = ns_unrounded(s, ticks);
  return ns < 9.2e18 ? tprof_format_ns_as_ms((uint64_t)(int64_t)(ns + 0.5), out) : tprof_format_double(ns / 1e6, out);
}
/* ticks in whole nanoseconds, rounded as ms() rounds them, or UINT64_MAX
 * from 2^63 ns (292 years) on. */
static inline uint64_t ns_rounded(const snapshot *s, uint64_t ticks) {
  double ns = ns_unrounded(s, ticks);
  return ns < 9.2e18 ? (uint64_t)(int64_t)(ns + 0.5) : UINT64_MAX;
}
/* A time in seconds (cProfile's unit: top_functions, total_time) as
 * tprof_format_double writes ns / 1e9: the nearest double to the decimal of
 * whole nanoseconds, so 7.3538e-05 and not ms / 1e3's 7.353799999999999e-05. */
static inline void json_ns_as_s(tprof_out *f, uint64_t ns) {
  char *p = tprof_out_room(f, TPROF_NUMBER_MAX);
  if (p) tprof_out_commit(f, p + tprof_format_ns_as_s(ns, p));
}
/* ms(s, ticks) written as a number, through ms_text (the metrics file
 * writes ~5,000 of them; the shortest-double formatter costs ~250
 * instructions a number). */
static inline void json_ms(tprof_out *f, const snapshot *s, uint64_t ticks) {
  char *p = tprof_out_room(f, TPROF_NUMBER_MAX);
  if (p) tprof_out_commit(f, p + ms_text(s, ticks, p));
}
/* Derived values (megabytes, means) to 12 significant digits: far below
 * what they can be trusted to, and written fast (see number_format.h). */
#define TPROF_DERIVED_DIGITS 12
/* What the writers say of a function: an operation, and timed (in the
 * mode of the export, its calls go through the hooks and get times: a
 * region always; a function the pass timed when every function is timed
 * (cpu_timing=all); an operation while operations are timed. At the light
 * level (cpu_timing=operations) a timed non-operation is counted only). */
static inline int func_is_operation(const tprof_func_info *i) { return (i->flags & TPROF_FUNC_OPERATION) != 0; }
static inline int func_is_timed(const tprof_func_info *i) {
  if (i->flags & TPROF_FLAG_REGION) return 1;
  if (!(i->flags & TPROF_FUNC_TIMED)) return 0;
  if (tprof_hot_mode & TPROF_MODE_TIME_ALL) return 1;
  return func_is_operation(i) && (__atomic_load_n(&__tprof_hooks_on, __ATOMIC_RELAXED) & TPROF_HOOKS_OPERATIONS);
}
static inline double mb(uint64_t bytes) {
  return tprof_round_significant((double)bytes / (1024.0 * 1024.0), TPROF_DERIVED_DIGITS);
}
static inline double per_call(double total, uint64_t calls) {
  return calls ? tprof_round_significant(total / (double)calls, TPROF_DERIVED_DIGITS) : 0;
}
/* mb(bytes) and per_call(total, calls) written as numbers: the same text
 * as tprof_json_number gives them, without the formatter's search
 * (tprof_format_significant). */
static inline void json_derived(tprof_out *f, double v) {
  char *p = tprof_out_room(f, TPROF_NUMBER_MAX);
  if (p) tprof_out_commit(f, p + tprof_format_significant(v, TPROF_DERIVED_DIGITS, p));
}
static inline void json_mb(tprof_out *f, uint64_t bytes) { json_derived(f, (double)bytes / (1024.0 * 1024.0)); }
static inline void json_per_call(tprof_out *f, double total, uint64_t calls) {
  if (calls)
    json_derived(f, total / (double)calls);
  else
    tprof_out_puts("0.0", f); /* tprof_json_number(0) */
}
static inline int is_slow(double total_ms) { return total_ms > tprof_cfg.slow_operation_threshold_ms; }

/* Fills s's rows at `now` (under the registry lock; s->callsites taken
 * before it). all_open_frames: close every thread's open frames (a
 * snapshot of the flush thread), else only this thread's. 0, or -1 when
 * out of memory. */
int tprof_snapshot_gather(snapshot *s, uint64_t now, int all_open_frames);
void tprof_snapshot_free(snapshot *s);

void tprof_write_metrics(tprof_out *f, const snapshot *s);
void tprof_write_memory_summary(tprof_out *f, const snapshot *s);
void tprof_write_timings(tprof_out *f, const snapshot *s);
void tprof_write_cpu_functions(tprof_out *f, const snapshot *s);
void tprof_write_allocators(tprof_out *f, const snapshot *s);
void tprof_write_traces(tprof_out *f, const snapshot *s);
void tprof_write_report(tprof_out *f, const snapshot *s);

#endif
