/* Reads one tprof metrics.json (schema_version 1) into plain C arrays.
 *
 * Split in two so the fuzzer exercises exactly what the CLI runs:
 * tp_read_file() loads the bytes (size limit, regular files only) and
 * tp_metrics_parse() validates and extracts from a buffer. The strings in a
 * tp_metrics point into the cJSON tree it keeps; tp_metrics_free() releases
 * both, so a batch holds one file's tree at a time. */
#ifndef TPROF_CLI_METRICS_READER_H
#define TPROF_CLI_METRICS_READER_H

#include <stddef.h>

#define TP_SCHEMA_VERSION 1
/* Files above this are refused rather than parsed: a metrics file of the
 * runtime is kilobytes to a few MiB; hundreds of MiB means something else. */
#define TP_MAX_FILE_BYTES (256ull << 20)

typedef struct {
  const char *name, *file;
  long long line, calls, primitive_calls;
  double self_ms, inclusive_ms;
  int is_operation;
} tp_func;

typedef struct {
  const char *caller; /* NULL: called from no instrumented function */
  const char *callee;
  long long calls;
  double self_ms, inclusive_ms;
} tp_edge;

typedef struct {
  const char *name, *function; /* function may be NULL (operation_timings only) */
  long long calls;
  double total_ms, mean_ms, max_ms;
} tp_op;

typedef struct {
  const char **frames; /* outermost first */
  size_t depth;
  long long calls, alloc_count, alloc_bytes;
  double self_ms, inclusive_ms;
} tp_stack;

typedef struct {
  const char *name, *kind;
  long long thread;
  double start_us, dur_us;
} tp_event;

typedef struct {
  const char *name;
  double value; /* slow operations: ms; allocators: MiB */
} tp_named;

typedef struct {
  void *root; /* cJSON tree the strings point into */
  void *frame_pool; /* one allocation for every tp_stack.frames */
  int schema_version;
  const char *generator, *program_id, *timestamp;
  long long pid;
  double execution_time_ms, memory_used_mb;

  int prof_enabled;
  long long total_calls;
  double total_time_s;

  int mem_enabled;
  double peak_memory_mb, current_memory_mb;
  long long allocation_count, deallocation_count, net_allocations;
  int has_heap;
  long long allocated_bytes, freed_bytes, peak_bytes;

  tp_op *ops;
  size_t n_ops;
  tp_named *slow;
  size_t n_slow;
  tp_named *allocators;
  size_t n_allocators;
  tp_func *funcs; /* functions[], else profile_data.top_functions */
  size_t n_funcs;
  int funcs_from_top; /* funcs came from the 20 top_functions only */
  tp_edge *edges;
  size_t n_edges;

  int has_stacks;
  tp_stack *stacks;
  size_t n_stacks;
  long long stacks_dropped;

  int has_timeline;
  tp_event *events;
  size_t n_events;
  long long max_events, dropped_events;
} tp_metrics;

/* Which optional sections to extract (the rest is skipped, not validated). */
enum { TP_LOAD_TIMELINE = 1 };

/* 0 with the bytes in buf and len on success; -1 with a reason in err. */
int tp_read_file(const char *path, char **buf, size_t *len, char *err, size_t errlen);
/* 0 on success; -1 with a reason in err (m is then already freed). */
int tp_metrics_parse(const char *buf, size_t len, int flags, tp_metrics *m, char *err, size_t errlen);
/* Both of the above. */
int tp_metrics_load(const char *path, int flags, tp_metrics *m, char *err, size_t errlen);
void tp_metrics_free(tp_metrics *m);

#endif
