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
 * Each declaration below states its cost, whether it may be called from
 * several threads at once, and what it returns. "Thread-safe" means any
 * thread may call it at any time; none of them may be called from a signal
 * handler except tprof_region_enter and tprof_region_leave.
 *
 * The header compiles without warnings as C99, C11 and C++ under gcc and
 * clang with -Wall -Wextra -pedantic.
 */
#ifndef TPROF_TPROF_H
#define TPROF_TPROF_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define TPROF_VERSION_MAJOR 0
#define TPROF_VERSION_MINOR 2
#define TPROF_VERSION_PATCH 0
#define TPROF_VERSION_STRING "0.2.0"

/* Mark a function as an operation reported under its own name (op_ prefix
 * stripped if present)... or under an explicit name, e.g.
 * TPROF_OPERATION_NAMED("rotate_1"). The pass reads clang's annotate
 * attribute. Other compilers cannot load the pass, so nothing they compile is
 * profiled: there the macros only keep the function out of line (gcc, which
 * would warn that it ignores annotate) or expand to nothing, and the same
 * source builds with and without the profiler. */
#if defined(__clang__)
#define TPROF_OPERATION __attribute__((annotate("tprof.operation"), noinline))
#define TPROF_OPERATION_NAMED(name) __attribute__((annotate("tprof.operation=" name), noinline))
#elif defined(__GNUC__)
#define TPROF_OPERATION __attribute__((noinline))
#define TPROF_OPERATION_NAMED(name) __attribute__((noinline))
#else
#define TPROF_OPERATION
#define TPROF_OPERATION_NAMED(name)
#endif

/* Configuration. Field names are the TPROF_OPTIONS keys. */
/* The fields are runtime/options.def's, in its order (the runtime checks
 * this struct against it when it is built). */
typedef struct tprof_config {
  int cpu_profiling_enabled;          /* per-function counts and times (default 1) */
  int memory_tracking_enabled;        /* heap counts, sites, traces (default 1) */
  int resource_monitoring_enabled;    /* getrusage figures (default 1) */
  int export_profiling_data;          /* write the file set at exit (default 1) */
  long max_traced_allocations;        /* memory_traces rows kept, 32 B each (default 10000) */
  double slow_operation_threshold_ms; /* operations slower than this are "slow" (default 10) */
  char output_dir[4096];              /* default "tprof_output" */
  char program_id[256];               /* default: the base name of the path the program was started by */
  int verbosity;                      /* 0 silent, 1 warnings (default), 2 also "wrote ..." */
  int handle_signals;           /* SIGINT/SIGTERM write the file set, then the process dies by the signal (default 1) */
  int cpu_functions_per_thread; /* cpu_functions.csv gets a thread column and a row per thread and function (default 0) */
  long timeline_max_events; /* completed calls kept for trace viewers (metrics.json "timeline"; default 10000, 0 off) */
  int timeline_functions;   /* the timeline records every function call, not only operations (default 0) */
  long flush_interval_ms;   /* > 0: the file set is rewritten every N ms while the program runs (default 0) */
  int cpu_timing;           /* TPROF_CPU_TIMING_ALL (default) or _OPERATIONS: the light level, exact call
                                         counts for every function but times for operations and regions only */
  int operation_timing_enabled; /* operations and regions are timed even when cpu_profiling_enabled is 0
                                         (default 1); with both 0 no hook runs: calls are only counted */
} tprof_config;

/* cpu_timing values (TPROF_OPTIONS: cpu_timing=all or cpu_timing=operations). */
#define TPROF_CPU_TIMING_ALL 0
#define TPROF_CPU_TIMING_OPERATIONS 1

/* Copies the configuration in force into *out.
 * Returns 0, or -1 when out is NULL. Cost: a copy of the struct (about
 * 4.5 KB), no lock. Safe from any thread while no other thread changes the
 * configuration. */
int tprof_get_config(tprof_config *out);
/* Replaces the configuration with *cfg (validated; on a bad field, one
 * warning on stderr, that field keeps its value, and -1 is returned; -1 for
 * a NULL cfg). Returns 0 when every field was taken. Cost: parses every
 * field. Not thread-safe against other configuration calls: configure from
 * one thread, typically at the start of main; a change of the CPU or
 * memory switches applies to calls that start after it. */
int tprof_configure(const tprof_config *cfg);
/* Sets one option by its TPROF_OPTIONS key, e.g. ("program_id", "prog_7").
 * Returns 0, or -1 (with one warning on stderr) for a NULL, unknown key or
 * bad value. Cost: parses one value. Thread-safety: as tprof_configure. */
int tprof_set_option(const char *key, const char *value);

/* Manual operation regions, by name: time [begin, end) as the operation
 * `name`. Regions nest; an end closes the innermost open region of the
 * calling thread; an end without a begin is ignored with a warning.
 * Cost of tprof_region_begin: a look-up of the name among all region names
 * under a lock (signals blocked around it: two system calls), then what an
 * operation's entry costs. In a loop, use the handle form below.
 * Thread-safe; each thread has its own stack of open regions. */
void tprof_region_begin(const char *name);
/* Cost: a scan of the calling thread's open frames, then an operation's
 * exit (a clock read). Thread-safe. */
void tprof_region_end(void);

/* Manual regions, by handle: the name is looked up once. */
typedef struct tprof_region tprof_region;
/* The region named `name` (made on first use, kept until the process
 * ends; the same name gives the same handle). Returns NULL, with one warning,
 * for a NULL or empty name or when out of memory; NULL is accepted (and
 * ignored) by enter and leave. Cost: as tprof_region_begin's look-up.
 * Thread-safe; the handle may be used from any thread. */
tprof_region *tprof_region_get(const char *name);
/* Opens the region on the calling thread. Cost: what the entry of an
 * operation costs (an atomic add, a clock read, no lock, no system call,
 * no allocation once the thread has been seen). Thread-safe and
 * async-signal-safe. */
void tprof_region_enter(tprof_region *region);
/* Closes the region, and any region or call opened inside it and still
 * open, on the calling thread; a region that is not open there is ignored
 * with a warning. Cost: an operation's exit (a clock read). Thread-safe and
 * async-signal-safe when the region is open. */
void tprof_region_leave(tprof_region *region);

/* Counters so far. Returns 0, or -1 when out is NULL. Thread-safe; sums the
 * counters of every thread (no lock on the threads' side, so a figure may
 * lag another thread by the calls in flight): cost grows with the number of
 * threads, not with the number of calls. */
typedef struct tprof_snapshot {
  double execution_time_ms;    /* wall time since start or the last reset */
  uint64_t total_calls;        /* instrumented function calls */
  uint64_t allocation_count;   /* successful allocations */
  uint64_t deallocation_count; /* frees of tracked blocks */
  uint64_t current_bytes;      /* heap bytes live now */
  uint64_t peak_bytes;         /* highest current_bytes */
  uint64_t dropped_traces;     /* traces beyond max_traced_allocations */
} tprof_snapshot;
int tprof_get_snapshot(tprof_snapshot *out);

/* Zeroes every figure (calls, times, operations, heap counters, traces);
 * blocks allocated before the reset are still recognised when freed but no
 * longer counted. Use between programs of a batch. Call it while no other
 * thread runs profiled code or exports (figures of calls in flight on other
 * threads are then undefined, and an export running meanwhile, which reads
 * the timeline and the traces in place, may write rows of either side of
 * the reset); cost grows with the number of functions, threads and live
 * blocks. */
void tprof_reset(void);

/* Writes the file set now. Returns 0, or -1 after one message on stderr.
 * When prefix_out is not NULL, the path prefix of the set (everything
 * before "metrics.json") is copied there (truncated to prefix_len).
 * Thread-safe (exports are serialised); costs the whole export: file
 * writes proportional to the functions, call stacks and traces recorded.
 * The export at exit then writes no further set if nothing was counted or
 * allocated since (this one is the whole profile). */
int tprof_export(char *prefix_out, size_t prefix_len);

#ifdef __cplusplus
}
#endif

#endif /* TPROF_TPROF_H */
