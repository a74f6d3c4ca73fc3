/* Reads one tprof metrics.json (schema_version TPROF_SCHEMA_VERSION, and
 * no other) into plain C arrays.
 *
 * Split in two so the fuzzer exercises exactly what the CLI runs:
 * tp_read_file() loads the bytes (size limit, regular files only) and
 * tp_metrics_parse() validates and extracts from a buffer. The strings in a
 * tp_metrics point into the cJSON tree it keeps; tp_metrics_free() releases
 * both, so a batch holds one file's tree at a time. */
#ifndef TPROF_CLI_METRICS_READER_H
#define TPROF_CLI_METRICS_READER_H

#include <stddef.h>

#include "tprof/schema.h"

#define TP_SCHEMA_VERSION TPROF_SCHEMA_VERSION
/* Files above this are refused rather than parsed: a metrics file of the
 * runtime is kilobytes to a few MiB; hundreds of MiB means something else. */
#define TP_MAX_FILE_BYTES (256ull << 20)

typedef struct {
  long long id; /* the file's function id: call_graph, call_stacks, operations and the timeline refer to it */
  const char *name, *file;
  const char *operation; /* the operation's name when the function is one, else NULL */
  const char *kind;      /* "function", "operation" or "region" */
  /* What the viewers show: the operation's name for an operation, the
   * function's otherwise, followed by " (file:line)" when another function
   * of the file would show the same text; so a label names one function. */
  const char *label;
  long long line, calls, primitive_calls;
  double self_ms, inclusive_ms;
  int is_operation;
} tp_func;

typedef struct {
  const char *caller;        /* label; NULL: caller id 0 (no timed caller, see docs/FILES.md) */
  const char *callee;        /* label */
  long caller_ix, callee_ix; /* index in funcs, -1 for caller 0 or an id functions[] lacks */
  long long calls;
  double self_ms, inclusive_ms;
} tp_edge;

typedef struct {
  const char *name, *function; /* function may be NULL (operation_timings only) */
  const char *file;            /* the function's file (by function_id), NULL when unknown */
  long long calls;
  double total_ms, mean_ms, max_ms;
} tp_op;

/* A row of call_stacks: a node of one thread's calling-context tree. */
typedef struct {
  size_t parent; /* 1-based index in nodes, always below this node's; 0 for a root */
  long fidx;     /* index in funcs, -1 for an id functions[] lacks */
  const char *label;
  size_t depth; /* 1 for a root */
  long long thread, calls, alloc_count, alloc_bytes;
  double self_ms, inclusive_ms;
} tp_node;

/* call_stacks_folded: calls and self time not on a row of their function. */
typedef struct {
  long fidx;
  const char *label;
  long long calls;
  double self_ms;
} tp_folded;

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
  void *root;     /* cJSON tree the strings point into */
  void *id_index; /* functions[] by id */
  char **owned;   /* labels made by the reader */
  size_t n_owned, cap_owned;
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
  tp_node *nodes;
  size_t n_nodes;
  size_t total_depth; /* sum of the nodes' depths: the frames a reader spells out */
  tp_folded *folded;
  size_t n_folded;
  long long stack_nodes, stack_rows_max; /* call_stacks_limits: nodes before the cap, the cap */

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
