/*
 * tprof public API.
 *
 * A program compiled with the tprof pass plugin and linked with libtprof_rt
 * is profiled without calling anything here: at exit the file set is written
 * to output_dir (see docs/FILES.md). This header adds:
 *   - TPROF_OPERATION / TPROF_OPERATION_NAMED: mark a function as a DSL
 *     operation when its name does not follow the op_ convention;
 *   - manual operation regions, for generated code that does not emit one
 *     function per operation;
 *   - configuration from code (same keys as TPROF_OPTIONS; code wins);
 *   - snapshot, reset and export, for batch runs in one process.
 *
 * All functions are safe to call when the program was built without the
 * pass (they then see no function calls and no allocations).
 * Strings passed in are copied; nothing returned needs to be freed.
 */
#ifndef TPROF_TPROF_H
#define TPROF_TPROF_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define TPROF_VERSION_MAJOR 0
#define TPROF_VERSION_MINOR 1
#define TPROF_VERSION_PATCH 0
#define TPROF_VERSION_STRING "0.1.0"

/* Mark a function as an operation reported under its own name (op_ prefix
 * stripped if present)... */
#define TPROF_OPERATION __attribute__((annotate("tprof.operation"), noinline))
/* ...or under an explicit name, e.g. TPROF_OPERATION_NAMED("rotate_1"). */
#define TPROF_OPERATION_NAMED(name) __attribute__((annotate("tprof.operation=" name), noinline))

/* Configuration. Field names are the TPROF_OPTIONS keys. */
typedef struct tprof_config {
  int cpu_profiling_enabled;          /* per-function counts and times (default 1) */
  int memory_tracking_enabled;        /* heap counts, sites, traces (default 1) */
  int resource_monitoring_enabled;    /* getrusage figures (default 1) */
  int export_profiling_data;          /* write the file set at exit (default 1) */
  long max_traced_allocations;        /* cap of memory_traces rows (default 10000) */
  double slow_operation_threshold_ms; /* operations slower than this are "slow" (default 10) */
  char output_dir[4096];              /* default "tprof_output" */
  char program_id[256];               /* default: the executable's base name */
  int verbosity;                      /* 0 silent, 1 warnings (default), 2 also "wrote ..." */
  int handle_signals;                 /* SIGINT/SIGTERM write the file set, then the process dies by the signal (default 1) */
  int cpu_functions_per_thread;       /* cpu_functions.csv gets a thread column and a row per thread and function (default 0) */
  long timeline_max_events;           /* completed calls kept for trace viewers (metrics.json "timeline"; default 10000, 0 off) */
  int timeline_functions;             /* the timeline records every function call, not only operations (default 0) */
  long flush_interval_ms;             /* > 0: the file set is rewritten every N ms while the program runs (default 0) */
  int cpu_timing;                     /* TPROF_CPU_TIMING_ALL (default) or _OPERATIONS: the light level, exact call
                                         counts for every function but times for operations and regions only */
  int operation_timing_enabled;       /* operations and regions are timed even when cpu_profiling_enabled is 0
                                         (default 1); with both 0 no hook runs: calls are only counted */
} tprof_config;

/* cpu_timing values (TPROF_OPTIONS: cpu_timing=all or cpu_timing=operations). */
#define TPROF_CPU_TIMING_ALL 0
#define TPROF_CPU_TIMING_OPERATIONS 1

/* Copies the configuration in force into *out. Returns 0. */
int tprof_get_config(tprof_config *out);
/* Replaces the configuration with *cfg (validated; on a bad field, one
 * warning on stderr, that field keeps its value, and -1 is returned). */
int tprof_configure(const tprof_config *cfg);
/* Sets one option by its TPROF_OPTIONS key, e.g. ("program_id", "prog_7").
 * Returns 0, or -1 (with one warning on stderr) for an unknown key or bad value. */
int tprof_set_option(const char *key, const char *value);

/* Manual operation regions: time [begin, end) as the operation `name`.
 * Regions nest; an end without a begin is ignored with a warning. */
void tprof_region_begin(const char *name);
void tprof_region_end(void);

/* Counters so far, cheap enough to call often. */
typedef struct tprof_snapshot {
  double execution_time_ms;     /* wall time since start or the last reset */
  uint64_t total_calls;         /* instrumented function calls */
  uint64_t allocation_count;    /* successful allocations */
  uint64_t deallocation_count;  /* frees of tracked blocks */
  uint64_t current_bytes;       /* heap bytes live now */
  uint64_t peak_bytes;          /* highest current_bytes */
  uint64_t dropped_traces;      /* traces beyond max_traced_allocations */
} tprof_snapshot;
int tprof_get_snapshot(tprof_snapshot *out);

/* Zeroes every figure (calls, times, operations, heap counters, traces);
 * blocks allocated before the reset are still recognised when freed but no
 * longer counted. Use between programs of a batch. */
void tprof_reset(void);

/* Writes the file set now. Returns 0, or -1 after one message on stderr.
 * When prefix_out is not NULL, the path prefix of the set (everything
 * before "metrics.json") is copied there (truncated to prefix_len). */
int tprof_export(char *prefix_out, size_t prefix_len);

#ifdef __cplusplus
}
#endif

#endif /* TPROF_TPROF_H */
