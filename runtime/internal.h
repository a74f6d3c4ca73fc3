/*
 * Internal interfaces of the tprof runtime. Nothing here is exported: the
 * library is built with -fvisibility=hidden and only the public API
 * (tprof.h) and the hooks (abi.h) are marked TPROF_EXPORT.
 */
#ifndef TPROF_RUNTIME_INTERNAL_H
#define TPROF_RUNTIME_INTERNAL_H

/* Every runtime file includes this header first, so the feature macro is
 * seen before any system header (clock_gettime, secure_getenv, memalign,
 * MAP_ANONYMOUS...): the build then works with -std=c11 as with gnu11. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif

#include "tprof/abi.h"
#include "tprof/tprof.h"

#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/single_threaded.h>
#include <sys/types.h>
#include <time.h>
#include <x86intrin.h>

#define TPROF_EXPORT __attribute__((visibility("default")))
/* On the declaration of a variable the hooks read: -fvisibility=hidden
 * covers definitions only, and position-independent code reads a variable
 * declared default through the GOT (two loads instead of one). */
#define TPROF_HIDDEN __attribute__((visibility("hidden")))
#define TPROF_LIKELY(x) __builtin_expect(!!(x), 1)
#define TPROF_UNLIKELY(x) __builtin_expect(!!(x), 0)

/* ---- the runtime's own memory (memory.c): mmap, never the program's heap ---- */
void *tprof_mem_alloc(size_t n); /* zeroed; small blocks are never given back */
/* Zeroed, its own mapping (in an export: the scratch range, below): given
 * back (or kept for reuse) by tprof_mem_free; up to 256 KiB mapped at once
 * (populated): for tables that will be filled. */
void *tprof_mem_alloc_temp(size_t n);
void *tprof_mem_alloc_own(size_t n); /* tprof_mem_alloc_temp, never from the exporter's scratch range */
/* tprof_mem_alloc_own, its pages mapped at first touch (or by
 * tprof_mem_populate): for a capacity that may stay mostly unused. Up to
 * 512 KiB from the hot range once it exists (below). */
void *tprof_mem_alloc_sparse(size_t n);
void tprof_mem_free(void *p);
/* Buffers that a profiled run fills densely, from one 2 MiB range backed
 * by a transparent huge page where the kernel allows (memory.c: on the VMs
 * of docs/BENCHMARKS.md a 4 KiB page's first write costs 5-15 us, one huge
 * page about what 15 of them do). tprof_mem_hot: n bytes (up to 512 KiB;
 * 64-byte aligned, zero, never given back; the first call makes the
 * range), or NULL when they do not fit (then map a buffer of your own).
 * Thread- and async-signal-safe (an atomic bump; mmap once). */
void *tprof_mem_hot(size_t n);
int tprof_mem_hot_made(void); /* whether the range exists (not: has room) */
/* Makes the range now (the configuration turned the profile on). Once it
 * exists, the arena's next chunk, tprof_mem_alloc_sparse's blocks up to
 * 512 KiB (tprof_mem_free then leaves their space taken) and the export's
 * buffers come from it too; the export's scratch range takes what is left
 * above 128 KiB, kept for buffers made later. */
void tprof_mem_hot_prepare(void);
/* Whether p lies in the range: its pages are counted once, as the range's. */
int tprof_mem_in_hot(const void *p);
/* A buffer that fills in slot order (the allocation traces, the calling-
 * context tree's nodes, the timeline) gets its pages mapped in runs, one
 * system call each, a page before the writes reach them: on the VMs of
 * docs/BENCHMARKS.md a page mapped at its first write (a page fault) cost
 * ~10 us and one mapped ahead in a batch ~4.5 us, and the grid bench fills
 * 80 pages of traces. The runs grow with the buffer, so that a small
 * program's short buffer has no more pages than it fills: counting the
 * buffer's pages from 0, the run at page k is pages [k, 2k) for k = 1, 2,
 * 4, ... below `max_run` bytes, and from there a run of `max_run` at each
 * multiple of it (page 0 is left to its first write). What is mapped is
 * then at most twice what was written (and at most `max_run` more), where
 * runs of a fixed 64 KiB mapped 16 pages for the 2 pages of one transpiled
 * program's timeline. The slot that starts page k (and slot 0) maps the
 * run that starts at page k + 1, if one does: before any slot writes
 * there, even one that straddles into it. Writes that get there first
 * (another thread's slot) fault as before; a kernel without
 * MADV_POPULATE_WRITE (before Linux 5.14) is asked once.
 * Async-signal-safe; errno is kept. */
#define TPROF_POPULATE_RUN ((uintptr_t)64 << 10)
/* For a table that a small program fills only its first pages of, in
 * chunks that each start over (the nodes of a few hundred calling
 * contexts: 3 pages for one transpiled program). */
#define TPROF_POPULATE_RUN_SMALL ((uintptr_t)16 << 10)
/* Maps the pages of [from, to) in (page-rounded outwards), one system call:
 * for memory about to be written. The first EINVAL (a kernel without
 * MADV_POPULATE_WRITE, before Linux 5.14) stops all later calls: those
 * pages fault as before. Async-signal-safe; errno is kept. */
void tprof_mem_populate(const void *from, const void *to);
/* The run (see above) of the buffer that starts at `base` which starts at
 * the page after the one of `at`, if one does, mapped in up to `end`. */
void tprof_mem_populate_next_run(const void *base, const void *at, const void *end, uintptr_t max_run);
/* Whether the slot of `size` bytes at `at` is the first to start in its page. */
static inline __attribute__((always_inline)) int tprof_mem_starts_page(const void *at, size_t size) {
  return ((uintptr_t)at & 4095) < size;
}
/* Called with each slot (index `slot` of the buffer that ends at `end`)
 * before it is written. */
static inline __attribute__((always_inline)) void tprof_mem_populate_ahead(uint64_t slot, const void *at, size_t size,
                                                                           const void *end, uintptr_t max_run) {
  if (TPROF_UNLIKELY(slot == 0 || tprof_mem_starts_page(at, size)))
    tprof_mem_populate_next_run((const char *)at - slot * size, at, end, max_run);
}
/* Between these two, this thread's tprof_mem_alloc_temp blocks of up to
 * 256 KiB come from one kept range, freed as a stack (memory.c): for the
 * exporter's temporaries, which are all freed before it ends. A table that
 * outlives the export (grown by a hook, a signal handler) asks for
 * tprof_mem_alloc_own: always a mapping of its own. */
void tprof_mem_scratch_begin(void);
void tprof_mem_scratch_end(void);
void *tprof_mem_realloc(void *p, size_t n);
char *tprof_mem_strdup(const char *s);
uint64_t tprof_mem_mapped_bytes(void);

/* ---- the exporter's stable sorts (sort.c), on that memory: glibc's qsort may call malloc ---- */
void tprof_sort(void *base, size_t n, size_t size, int (*cmp)(const void *, const void *));
/* tprof_sort's result for an order that a key per row gives (major, then
 * minor, both ascending; a descending field as its complement): the keys
 * are taken once a row and compared inline instead of calling cmp ~n log n
 * times (a fifth fewer instructions). cmp must order rows as their keys
 * do; it sorts only when memory is short. */
typedef struct tprof_sort_key {
  uint64_t major, minor;
} tprof_sort_key;
void tprof_sort_keyed(void *base, size_t n, size_t size, tprof_sort_key (*key)(const void *),
                      int (*cmp)(const void *, const void *));

/* ---- signals around the locks outside the hooks (sigmask.c) ----
 * The hooks never block signals: they hold tprof_tls_busy (callstack.c). The
 * paths that take a lock outside a hook (the registry: module registration,
 * region names, the export; the arena of the runtime's own memory) run with
 * asynchronous signals blocked, so a handler's instrumented code or export
 * runs after them instead of waiting forever for a lock its own thread
 * holds. They are rare (once per module, region name, export, arena).
 * Faults (SIGSEGV, SIGBUS, ...) are left unblocked. */
void tprof_signals_block(sigset_t *old);
void tprof_signals_restore(const sigset_t *old);

/* tprof_func_record.flags bit of the runtime's own records for manual
 * regions (never set by the pass: its flags are TPROF_FUNC_*, bit 0). */
#define TPROF_FLAG_REGION 0x80000000u

/* ---- configuration: the values (config.c), the options' table and parser (options.c) ---- */
extern tprof_config tprof_cfg TPROF_HIDDEN;
/* Copies of the switches the hooks read, as plain ints. */
extern int tprof_mem_on TPROF_HIDDEN;
/* What the enter/exit hooks do, in one word read once per call. */
#define TPROF_MODE_TIME_ALL 0x1u            /* every function timed (cpu_profiling_enabled, cpu_timing=all) */
#define TPROF_MODE_COUNT_ALL 0x2u           /* every function counted (the light level counts without timing) */
#define TPROF_MODE_TIMELINE_ALL 0x40000000u /* frame flag: the timeline takes every call (timeline_functions) */
extern uint32_t tprof_hot_mode TPROF_HIDDEN;
/* The kind of an operation's frame in this mode: TPROF_FUNC_OPERATION, |
 * TPROF_MODE_TIMELINE_ALL (set with tprof_hot_mode). */
extern uint32_t tprof_hot_op_kind TPROF_HIDDEN;
void tprof_config_init_from_env(void);
void tprof_config_defaults(tprof_config *cfg);
int tprof_config_parse(tprof_config *cfg, const char *text, const char *origin); /* returns bad items */
int tprof_config_set(tprof_config *cfg, const char *key, const char *value, const char *origin);

/* ---- messages on stderr (messages.c), "tprof: ..." and a newline added ---- */
void tprof_error(const char *fmt, ...) __attribute__((format(printf, 1, 2))); /* always: data was lost */
void tprof_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));  /* verbosity >= 1 */
void tprof_note(const char *fmt, ...) __attribute__((format(printf, 1, 2)));  /* verbosity >= 2 */
/* The options of options.def, by index, for writers of the configuration. */
enum {
  TPROF_OPTION_BOOL,
  TPROF_OPTION_INT,
  TPROF_OPTION_LONG,
  TPROF_OPTION_DOUBLE,
  TPROF_OPTION_STRING,
  TPROF_OPTION_CPU_TIMING
};
size_t tprof_option_count(void);
/* The key of option i; *kind: TPROF_OPTION_*, *field: its value in *cfg. */
const char *tprof_option_get(const tprof_config *cfg, size_t i, int *kind, const void **field);
/* Every option of *src into *dst through the parser (tprof_configure);
 * returns non-zero when a value was refused (warned, dst's value kept). */
int tprof_config_set_all(tprof_config *dst, const tprof_config *src, const char *origin);

/* ---- clock (clock.c) ---- */
extern int tprof_clock_uses_tsc TPROF_HIDDEN;
void tprof_clock_init(void);
static inline uint64_t tprof_now(void) {
  if (TPROF_LIKELY(tprof_clock_uses_tsc)) return __rdtsc();
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}
/* Ticks per nanosecond, calibrated over the run so far. */
double tprof_ticks_per_ns(void);

extern uint64_t tprof_origin_ticks TPROF_HIDDEN; /* start of the measurement (init or last reset) */

/* ---- the process measured (process.c) ---- */
/* The process the runtime measures (set at start-up and in a fork()'s child). */
extern pid_t tprof_pid;
/* 1 in a child the fork handlers did not see (vfork, clone, _Fork): it must
 * not touch tprof's state nor write a set (a vfork child shares the parent's
 * memory). */
int tprof_in_unknown_child(void);

/* ---- lifecycle (lifecycle.c) ---- */
/* The one documented call from a lower layer to the top one: any entry
 * point (a hook, a module's registration, an API call) may be the first. */
void tprof_ensure_init(void);

/* ---- registry (registry.c): functions and sites by dense id ---- */
#define TPROF_MAX_IDS (1u << 20) /* ids are < this; 0 means "not registered" */
#define TPROF_REJECTED UINT32_MAX
typedef struct tprof_func_info {
  char *name, *op_name, *file;
  uint32_t line, flags;
  int is_region;
} tprof_func_info;
typedef struct tprof_site_info {
  char *function, *file;
  uint32_t line, column;
} tprof_site_info;
uint32_t tprof_register_function(tprof_func_record *rec);
uint32_t tprof_register_site(tprof_site_record *site);
tprof_func_record *tprof_region_record(const char *name);
/* Copies of the tables for the exporter (caller frees the arrays, not the strings). */
uint32_t tprof_function_count(void); /* highest id + 1; any thread, without the lock */
/* Every call of function `id` since start or the last reset, timed or not:
 * the sum of its records' inline counters (kept after a dlclose; a region's
 * record is counted by the region API). */
uint64_t tprof_function_calls(uint32_t id);
/* The call sites the pass counts inline (calls of untimed functions):
 * caller and callee ids and calls since the last reset. *out is allocated
 * with tprof_mem_alloc_temp (caller frees with tprof_mem_free); returns the
 * number of entries. */
typedef struct tprof_callsite_count {
  uint32_t caller, callee, line;
  uint64_t calls;
} tprof_callsite_count;
size_t tprof_callsites_get(tprof_callsite_count **out);
void tprof_registry_reset_counts(void); /* a reset: the counters' current values become zero */
uint32_t tprof_site_count(void);
void tprof_registry_lock(sigset_t *old);  /* blocks signals too (see above); registers queued modules first */
void tprof_registry_stop_deferring(void); /* something reads the registry from now on: no module waits */
void tprof_registry_unlock(const sigset_t *old);
const tprof_func_info *tprof_function_info(uint32_t id); /* under the registry lock */
const tprof_site_info *tprof_site_info_get(uint32_t id);

/* ---- call stacks (callstack.c) ---- */
/* A thread's figures of one function, beside its calling-context tree.
 * A call with a node of its own is counted in its node only: the export
 * derives the function's figures from the tree (thread_figures.c). The
 * figures here are those of the calls that got no node (the tree was
 * full), with cProfile's rules applied as they return. */
typedef struct tprof_fstat {
  uint64_t calls, primitive_calls, self_ticks, inclusive_ticks; /* calls without a node of their own */
  uint64_t max_call_ticks; /* longest of those calls, of an operation or a region */
  uint32_t active;         /* its frames without a node open on the stack */
  /* 1 + the node whose path was last searched for this function (the
   * root of a stack's frames without a node), and whether it was there:
   * a path never changes, so the answer is kept */
  uint32_t path_root, on_path;
  uint64_t last_node; /* parent node << 32 | node of the last call, to skip the lookup next time */
  /* caller id << 32 | edge of the last two calls without a node (the last
   * first; two, because a mutual recursion calls a function from two
   * callers in turn), and those edges */
  uint64_t last_edge, other_edge;
  struct tprof_edge *last_edge_at, *other_edge_at;
  struct tprof_node *last_node_at; /* the node of last_node */
} tprof_fstat;
/* A node of the thread's calling-context tree: one call path (root ->
 * ... -> func). Every figure of the export about timed calls is derived
 * from it: the functions', the call graph's and the call stacks'. A path is
 * never active twice at once, and whether an earlier call of the same
 * function (or edge) encloses a call is a property of its path, so the
 * hooks apply no recursion rule here; the export does (thread_figures.c). */
typedef struct tprof_node {
  uint32_t parent, func; /* parent: 1-based node index, 0 for the root */
  /* The lookup cache of this node's children: the last two it called
   * (func << 32 | node, and the node), the last first. Two, because a loop
   * often calls two functions in turn (a get and a set). */
  uint64_t last_child, other_child;
  struct tprof_node *last_child_at, *other_child_at;
  uint64_t calls;          /* calls on this path, counted at entry */
  uint64_t self_ticks;     /* their self time */
  uint64_t absorbed_ticks; /* self time of calls below that got no node of their own */
  uint64_t inclusive_ticks, alloc_count, alloc_bytes;
  uint64_t max_call_ticks; /* longest call, of an operation or a region */
} tprof_node;
#define TPROF_NODE_CHUNK 1024u
#define TPROF_NODE_MAX_CHUNKS                                                                                          \
  68u /* 65,536 paths per thread (the export writes at most 50,000 rows, and a
                                     tree that grows with every new path of a tree walk costs a cache miss
                                     per call and megabytes per thread), plus 4,096 kept for paths at most
                                     TPROF_NODE_SHALLOW_DEPTH deep, so the calls a program makes after a
                                     deep walk filled the tree still get rows of their own */
#define TPROF_NODE_SHARED_CHUNKS 64u
#define TPROF_NODE_SHALLOW_DEPTH 16u
/* A frame whose call got no node of its own (table full): its time and
 * allocations go to the nearest ancestor's node, named in the low bits. */
#define TPROF_NODE_BORROWED 0x80000000u
#define TPROF_CHUNK_BITS 10
#define TPROF_CHUNK (1u << TPROF_CHUNK_BITS)
#define TPROF_MAX_CHUNKS (TPROF_MAX_IDS / TPROF_CHUNK)
/* A caller -> callee pair of the timed calls that got no node of their
 * own. Its size depends on the distinct pairs, never on the paths, so the
 * call graph stays exact whatever the calling-context tree's cap folded. */
typedef struct tprof_edge {
  uint32_t caller, callee; /* function ids; caller 0: no timed frame below the call */
  uint32_t active;         /* its calls open on the thread's stack */
  uint32_t index;          /* its own 1-based index in the thread's edge table */
  uint32_t path_root;      /* as tprof_fstat's, for a call of caller -> callee on the path */
  uint32_t on_path;
  uint64_t calls;           /* calls through this edge, counted at entry */
  uint64_t self_ticks;      /* the callee's self time in them, added at return */
  uint64_t inclusive_ticks; /* cProfile's rule: added when the outermost open call of the edge returns */
} tprof_edge;
#define TPROF_EDGE_CHUNK 1024u
#define TPROF_EDGE_MAX_CHUNKS 4096u
/* tprof_frame.kind: the call has no node of its own (TPROF_NODE_BORROWED
 * in .node), so its exit takes the full path */
#define TPROF_FRAME_BORROWED 0x20000000u
/* tprof_frame.kind: the clock is clock_gettime's (no invariant TSC), which
 * only the full exit reads */
#define TPROF_FRAME_CLOCK_GETTIME 0x10000000u
/* tprof_frame.kind: the call's return is a timeline event (and, for an
 * operation or a region, a candidate for its longest call) */
#define TPROF_FRAME_TIMELINE (TPROF_FUNC_OPERATION | TPROF_FLAG_REGION | TPROF_MODE_TIMELINE_ALL)
/* tprof_frame.outer of a frame without a node: no call of its function
 * (of its edge) is open on the path of its nodes below */
#define TPROF_OUTER_FUNC 0x1u
#define TPROF_OUTER_EDGE 0x2u
typedef struct tprof_frame {
  tprof_func_record *rec;
  struct tprof_node *node_at; /* the node (its own, or the borrowed ancestor's), NULL when none */
  uint64_t start, child_ticks;
  uint32_t id;
  /* rec->flags & (TPROF_FUNC_OPERATION | TPROF_FLAG_REGION), | TPROF_MODE_TIMELINE_ALL, | TPROF_FRAME_BORROWED:
   * nonzero sends the exit off the common path */
  uint32_t kind;
  uint32_t node;  /* 1-based node index (| TPROF_NODE_BORROWED) */
  uint32_t outer; /* frames without a node: TPROF_OUTER_* */
  /* frames without a node only: */
  struct tprof_fstat *stat; /* the function's figures on this thread */
  tprof_edge *edge_at;      /* the edge, NULL when the table is full */
} tprof_frame;
/* An entry of a thread's cache of the nodes of calls at its root: the
 * node of function `id` called with no timed frame below (empty: an id
 * that never indexes it, callstack.c). */
typedef struct tprof_root_entry {
  uint32_t id, node;
  struct tprof_node *at;
} tprof_root_entry;
#define TPROF_ROOT_CACHE 512u /* entries, indexed by id modulo this */
typedef struct tprof_thread {
  /* stack[0..depth): the open frames. stack[-1] is a sentinel whose node
   * is `root`, so that a call with no frame below takes the common path. */
  tprof_frame *stack;
  tprof_node root; /* only its cache of the last child is used */
  /* Read separately by the exit hook: one 64-bit load of both, right after
   * the entry's 32-bit store of depth, cannot take its value from the store
   * buffer and waits for the store (about 6 ns a timed call). */
  uint32_t depth;       /* open frames */
  uint32_t overflow;    /* calls whose entry pushed no frame (too deep, out of memory), still open */
  uint32_t number;      /* slot number, 1-based: threads that did not live at the same time may share a slot */
  uint32_t exit_rounds; /* thread-specific-data destructor rounds seen at thread exit */
  /* The depth below which the common entry pushes a frame: the stack's
   * size with a stack and the TSC clock, else 0 (every entry takes the
   * full one). One compare in place of three tests on every timed call. */
  uint32_t push_limit;
  struct tprof_thread *free_next;
  /* The nodes of the calls at the root, by function id (operations called
   * in turn from code that is not timed, at the light level): a direct-
   * mapped cache, filled by the full entry; nodes never move nor go. */
  tprof_root_entry root_cache[TPROF_ROOT_CACHE];
  tprof_fstat *chunks[TPROF_MAX_CHUNKS];
  /* calling-context tree: dense, in chunks that never move (frames keep
   * their index), found through an open-addressing index rebuilt when it
   * fills */
  tprof_node *node_chunks[TPROF_NODE_MAX_CHUNKS];
  uint32_t node_count, node_index_cap;
  uint32_t *node_index; /* 1 + dense index, 0 empty */
  /* an index being rebuilt (context_tables.c): kept here so that a rebuild
   * abandoned by a handler's siglongjmp resumes instead of leaking it */
  uint32_t *node_grow, node_grow_cap, node_grow_done;
  /* call graph: dense edges in chunks that never move, same indexing */
  tprof_edge *edge_chunks[TPROF_EDGE_MAX_CHUNKS];
  uint32_t edge_count, edge_index_cap;
  uint32_t *edge_index;
  uint32_t *edge_grow, edge_grow_cap, edge_grow_done;
  struct tprof_thread *next;
} tprof_thread;
static inline tprof_node *tprof_node_at(tprof_thread *t, uint32_t n /* 1-based */) {
  return &t->node_chunks[(n - 1) / TPROF_NODE_CHUNK][(n - 1) % TPROF_NODE_CHUNK];
}
static inline tprof_edge *tprof_edge_at(tprof_thread *t, uint32_t e /* 1-based, <= edge_count */) {
  return &t->edge_chunks[(e - 1) / TPROF_EDGE_CHUNK][(e - 1) % TPROF_EDGE_CHUNK];
}
/* context_tables.c, for the entry hook's cache misses (the owning thread
 * only): the 1-based node of (parent, func), made when missing, 0 when the
 * tree is full at this depth; the 1-based edge of (caller, callee), made
 * when missing, 0 when the edge table is full. They may allocate from the
 * runtime's arena. */
uint32_t tprof_node_find_or_add(tprof_thread *t, uint32_t parent, uint32_t func, uint32_t depth);
uint32_t tprof_edge_find_or_add(tprof_thread *t, uint32_t caller, uint32_t callee);
/* Heap hooks: an allocation made by the call on top of the stack, counted
 * on its frame's node_at (its node, or the ancestor's that takes a call
 * without one: the node its index names, without decoding the index). */
static inline void tprof_top_note_alloc(tprof_thread *t, uint64_t size) { /* t->depth > 0 */
  tprof_node *node = t->stack[t->depth - 1].node_at;
  if (node) {
    node->alloc_count++;
    node->alloc_bytes += size;
  }
}
static inline void tprof_node_note_alloc(tprof_thread *t, uint64_t size) {
  if (t && t->depth) tprof_top_note_alloc(t, size);
}
tprof_thread *tprof_threads_head(void); /* list of every thread state ever made */
uint32_t tprof_threads_seen(void);
/* After the last export of this copy of the runtime (its code may be
 * unmapped next: dlclose): no thread-exit callback left behind. */
void tprof_threads_unload(void);
/* The hooks' thread-local variables, in one block: a hook reaches both
 * from one offset (one GOT load fewer per hook), without __tls_get_addr
 * (initial-exec: the runtime is the executable's or a library loaded with
 * it). */
typedef struct tprof_tls_block {
  tprof_thread *current; /* this thread's state */
  /* "Inside the runtime": 1 while a hook of this thread works, so a signal
   * handler's hooks do nothing instead of touching a half-updated frame or
   * table, or waiting for a lock the interrupted code holds. A runtime
   * signal handler that finds it set adds 1 and returns; the hook then
   * calls the function given to tprof_set_deferred_work as it leaves
   * (signals.c sets it before installing its handler; it must set
   * tprof_tls_busy to 0). */
  uint8_t busy;
} tprof_tls_block;
extern __thread tprof_tls_block tprof_tls __attribute__((tls_model("initial-exec")));
#define tprof_tls_current (tprof_tls.current)
#define tprof_tls_busy (tprof_tls.busy)
void tprof_set_deferred_work(void (*fn)(void));
/* A region's call: its counter, and its entry hook when hooks are on. */
void tprof_region_enter_record(tprof_func_record *rec);
static inline tprof_thread *tprof_current_thread(void) { return tprof_tls_current; } /* NULL: no hook ran here yet */
tprof_thread *tprof_thread_self(void); /* made on first use; NULL only when out of memory */
void tprof_callstack_reset(uint64_t now);

/* ---- timeline (timeline.c) ---- */
typedef struct tprof_timeline_event {
  uint32_t id, thread;
  uint64_t start, end; /* ticks; end 0 while the slot is being written */
} tprof_timeline_event;
void tprof_timeline_configure(int hooks_on); /* hooks_on: whether any hook may run now */
/* The buffer, its cap and the next slot (counting the calls past the cap):
 * set by tprof_timeline_configure, the buffer before the cap (release), so
 * that a cap read with acquire above 0 has its buffer. */
extern tprof_timeline_event *tprof_timeline_buf TPROF_HIDDEN;
extern uint64_t tprof_timeline_cap TPROF_HIDDEN, tprof_timeline_next TPROF_HIDDEN;
/* Records a completed call (the hooks, inline). One thread: a plain
 * increment (a locked add cost ~8 ns on every call, the calls past the cap
 * included), and once the cap is reached, a compare and the count of the
 * call dropped. Every caller holds the hooks' busy byte, so a signal
 * handler of this thread records nothing in between. A cap of 0 (the
 * timeline off) counts nothing either. Returns the slot written, or NULL
 * (for tprof_timeline_map_ahead). */
static inline __attribute__((always_inline)) tprof_timeline_event *tprof_timeline_append(uint32_t id, uint32_t thread,
                                                                                         uint64_t start, uint64_t end) {
  uint64_t cap = __atomic_load_n(&tprof_timeline_cap, __ATOMIC_ACQUIRE);
  uint64_t slot = __atomic_load_n(&tprof_timeline_next, __ATOMIC_RELAXED);
  if (TPROF_LIKELY(__libc_single_threaded)) {
    if (TPROF_UNLIKELY(slot >= cap)) {
      if (cap) __atomic_store_n(&tprof_timeline_next, slot + 1, __ATOMIC_RELAXED);
      return NULL;
    }
    __atomic_store_n(&tprof_timeline_next, slot + 1, __ATOMIC_RELAXED);
  } else {
    if (!cap) return NULL;
    slot = __atomic_fetch_add(&tprof_timeline_next, 1, __ATOMIC_RELAXED);
    if (slot >= cap) return NULL;
  }
  tprof_timeline_event *ev = &__atomic_load_n(&tprof_timeline_buf, __ATOMIC_RELAXED)[slot];
  ev->id = id;
  ev->thread = thread;
  ev->start = start;
  __atomic_store_n(&ev->end, end, __ATOMIC_RELEASE); /* set last: 0 means "being written" */
  return ev;
}
/* The buffer's pages are mapped in runs that grow with it (up to
 * TPROF_POPULATE_RUN: see tprof_mem_populate_ahead), each by the event
 * that starts the page before the run, after its stores: the 59 page
 * faults of a full timeline of 10,000 events cost twice as much one by
 * one, and a short timeline gets no more than twice its pages. The test is
 * one per page; the call finds whether a run starts at the next. After,
 * not before the stores
 * (tprof_mem_populate_ahead), and by a tail call of the hook's last step:
 * a call anywhere else on the hooks' exit made it save registers on every
 * timed call (+12, +6 instructions). */
static inline __attribute__((always_inline)) int tprof_timeline_opens_page(const tprof_timeline_event *ev) {
  return ev && tprof_mem_starts_page(ev, sizeof *ev);
}
void tprof_timeline_map_ahead(const tprof_timeline_event *ev);
/* tprof_timeline_append, out of line (the full exit, tests). */
void tprof_timeline_record(uint32_t id, uint32_t thread, uint64_t start, uint64_t end);
/* The completed events, read in place (a copy was the export's largest
 * allocation: 24 bytes an event, against 4 for an index): *events is the
 * live buffer, *idx (caller frees) the indices of its completed slots, in
 * slot order; returns how many. A slot is written once, so the events stay
 * as they are until a reset. *dropped: calls past the cap. */
size_t tprof_timeline_snapshot(const tprof_timeline_event **events, uint32_t **idx, uint64_t *dropped);
void tprof_timeline_reset(void);
/* Sorts idx[0..n) by their events' start, the enclosing call first at
 * equal starts (equal events keep their order). Fast on the order events
 * are recorded in. */
void tprof_timeline_sort(const tprof_timeline_event *events, uint32_t *idx, size_t n);

/* ---- heap (heap.c; the files heap_books.h lists hold the rest) ---- */
typedef struct tprof_heap_totals {
  uint64_t allocation_count, deallocation_count, reallocation_count, failed_allocations, untracked_frees,
      allocated_bytes, freed_bytes, current_bytes, peak_bytes, live_blocks, traced_events, dropped_traces;
} tprof_heap_totals;
typedef struct tprof_site_stat {
  uint64_t allocations, deallocations, allocated_bytes, live_blocks, live_bytes;
} tprof_site_stat;
/* One traced event in 32 bytes (48 with a sequence number and the event
 * in words of their own: the log's pages are most of what memory tracking
 * touches on a small program, at ~10 us each on a VM). Its sequence number
 * is its slot's index + 1. kind_size: the block's size in the low 56 bits
 * (a block that exists is below 2^48), the event + 1 in the top byte;
 * written last (release), and 0 while the slot is reserved and not written
 * yet, or cleared by a reset. */
typedef struct tprof_trace {
  uint64_t ticks;
  uintptr_t address;
  uint64_t kind_size;
  uint32_t site, thread;
} tprof_trace;
_Static_assert(sizeof(tprof_trace) == 32, "a traced event is 32 bytes");
#define TPROF_TRACE_SIZE_BITS 56
static inline uint64_t tprof_trace_kind_size(unsigned event, uint64_t size) {
  return (uint64_t)(event + 1) << TPROF_TRACE_SIZE_BITS | (size & ((UINT64_C(1) << TPROF_TRACE_SIZE_BITS) - 1));
}
/* 0: the slot holds no event (see above). */
static inline uint64_t tprof_trace_written(const tprof_trace *t) {
  return __atomic_load_n(&t->kind_size, __ATOMIC_ACQUIRE);
}
static inline unsigned tprof_trace_event(uint64_t kind_size) {
  return (unsigned)(kind_size >> TPROF_TRACE_SIZE_BITS) - 1;
}
static inline uint64_t tprof_trace_size(uint64_t kind_size) {
  return kind_size & ((UINT64_C(1) << TPROF_TRACE_SIZE_BITS) - 1);
}
#define TPROF_EVENT_KINDS 11 /* heap_books.h's enum event */
extern const char *const tprof_event_names[TPROF_EVENT_KINDS];
void tprof_heap_totals_get(tprof_heap_totals *out);
/* Copies per-site stats into out[0..n) (n = tprof_site_count()); heap_sites.c. */
void tprof_heap_sites_get(tprof_site_stat *out, uint32_t n);
/* The trace log, read in place (no copy: its pages were ~15% of an
 * export's page faults): slots [0, nslots) of the live buffer, of which
 * ncomplete were complete when counted. A slot that holds no event
 * (tprof_trace_written: reserved and not written yet, or cleared by a
 * reset) is skipped; readers write at
 * most ncomplete rows, so the file agrees with traced_events. The buffer
 * is never freed under a reader (heap_traces.c). */
typedef struct tprof_trace_view {
  const tprof_trace *slots;
  size_t nslots, ncomplete;
} tprof_trace_view;
tprof_trace_view tprof_heap_traces_view(void); /* heap_traces.c */
void tprof_heap_reset(void);
void tprof_heap_configure_traces(void); /* heap_traces.c */
/* For the exporter, one cut: per-site figures of sites [0, n), the totals
 * summed from them (so they agree), and the trace log in place. Takes no
 * lock. */
void tprof_heap_snapshot(tprof_heap_totals *totals, tprof_site_stat *sites, uint32_t n, tprof_trace_view *traces);
/* Whether the calling thread is inside an allocation hook's update (an
 * export from a signal handler that interrupted it sees that event half
 * counted). */
int tprof_heap_mid_update(void);
/* Memory the heap's shadow map holds: its resident pages under the
 * process's anonymous mappings (a page touched for a block whose memory was
 * unmapped since is not counted); heap_shadow.c. The whole map's resident
 * pages, as the fallback without /proc (and for the tests). */
uint64_t tprof_heap_shadow_bytes(void);
uint64_t tprof_heap_shadow_bytes_scan_all(void);

/* ---- export (export.c) ---- */
typedef enum {
  TPROF_REASON_EXIT,
  TPROF_REASON_API,
  TPROF_REASON_SIGNAL,
  TPROF_REASON_EXEC,
  TPROF_REASON_SNAPSHOT
} tprof_export_reason;
int tprof_export_now(tprof_export_reason reason, char *prefix_out, size_t prefix_len);
void tprof_export_fork_child(void);      /* the child's file names are its own */
void tprof_export_close_snapshots(void); /* the final export is coming: no snapshot after it */
/* calls + allocations + frees in the last file set written; UINT64_MAX before the first */
extern uint64_t tprof_exported_events;
/* dir_entries.c: calls visit(dir_fd, name, ctx) for each entry of the
 * directory open at dir_fd ("." and ".." included), from its current
 * offset, allocating nothing (a stack buffer of 8 KiB). Stops at the first
 * nonzero return of visit and returns it; 0 after the last entry, -1 when
 * reading failed (errno set). */
int tprof_dir_each(int dir_fd, int (*visit)(int dir_fd, const char *name, void *ctx), void *ctx);
/* stale_temps.c: leftovers of killed writers; is_set_file_name(name, len):
 * name[0..len) ends in "_<a file of the set>" (the export knows the set) */
void tprof_remove_stale_temps(const char *dir, int (*is_set_file_name)(const char *name, size_t len));
/* When tprof_cfg.output_dir changed (start-up, an API call): the directory
 * the sets go to is fixed now, a relative one against the working directory
 * of this moment, so a later chdir does not move the sets. */
void tprof_output_dir_resolve(void);

/* ---- several copies of the runtime in one process (copies.c) ---- */
void tprof_copies_init(void);
/* "" when this runtime is the executable's or libtprof_rt.so; else the base
 * name of the shared library it was linked into statically (its file sets
 * are named after it). */
const char *tprof_copy_name(void);
/* Whether addr lies in the executable (never unloaded); 0 when unknown
 * (a static executable without the dynamic loader's dladdr1). */
int tprof_in_main_program(const void *addr);

/* ---- one thread at a time in exit() (exit_lock.c) ---- */
void tprof_exit_lock_claim(void); /* tprof's first exit step: a later exit() of another thread waits */
void tprof_exit_lock_fork_child(void);

/* ---- periodic snapshots (flush.c) ---- */
void tprof_flush_configure(void); /* start the snapshot thread when flush_interval_ms > 0 */
void tprof_flush_stop(void);      /* before the final export: no snapshot after it */
void tprof_flush_join(void);      /* after it: waits for the snapshot thread to end */
void tprof_flush_fork_child(void);

/* ---- output (output.c): a buffered writer on a file descriptor or a memory
 * buffer, so exporting needs neither stdio nor the program's heap ---- */
typedef struct tprof_out {
  int fd; /* -1: memory only (buf holds everything; overflow is an error) */
  char *buf;
  size_t cap, len;
  int error; /* errno of the first failure, or ENOSPC for a full memory buffer */
} tprof_out;
void tprof_out_write(tprof_out *o, const void *p, size_t n);
/* Inline: most callers pass a literal, whose length the compiler knows, so
 * the common case is a copy of known size with no call (the metrics file
 * writes ~9,000 of them). */
static inline void tprof_out_puts(const char *s, tprof_out *o) {
  size_t n = __builtin_strlen(s);
  if (TPROF_LIKELY(o->cap - o->len >= n && !o->error)) {
    __builtin_memcpy(o->buf + o->len, s, n);
    o->len += n;
    return;
  }
  tprof_out_write(o, s, n);
}
/* One of two literals, each copied with its known length (a ternary inside
 * tprof_out_puts is a strlen and a memcpy call: rows write several). */
#define tprof_out_puts_if(cond, yes, no, o) ((cond) ? tprof_out_puts((yes), (o)) : tprof_out_puts((no), (o)))
/* putc and u64, inline too: ~13,000 calls an export of a few hundred
 * functions, where the call cost as much as the byte or the digits. */
void tprof_out_putc_slow(int c, tprof_out *o);
static inline void tprof_out_putc(int c, tprof_out *o) {
  if (TPROF_LIKELY(o->len < o->cap && !o->error)) {
    o->buf[o->len++] = (char)c;
    return;
  }
  tprof_out_putc_slow(c, o);
}
void tprof_out_printf(tprof_out *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
size_t tprof_format_u64(uint64_t n, char *out); /* number_format.h */
void tprof_out_u64_slow(tprof_out *o, uint64_t v);
static inline void tprof_out_u64(tprof_out *o, uint64_t v) { /* decimal, as %llu */
  if (TPROF_LIKELY(o->cap - o->len >= 20 && !o->error)) {    /* straight into the buffer */
    o->len += tprof_format_u64(v, o->buf + o->len);
    return;
  }
  tprof_out_u64_slow(o, v);
}
void tprof_out_hex(tprof_out *o, uint64_t v); /* as 0x%llx */
/* v with `decimals` (0..6) digits after the point, as "%.*f" (without its
 * printf: the report's tables write thousands of them). */
void tprof_out_fixed(tprof_out *o, double v, int decimals);
int tprof_out_flush(tprof_out *o); /* 0, or -1 with o->error set */
/* A row written straight into the buffer, with no call per field (the
 * trace file and the timeline have up to millions of rows):
 * tprof_out_room(o, n) is where to write at most n bytes (n no more than
 * the buffer), or NULL once o has failed, in which case nothing is written;
 * tprof_out_commit(o, end) after writing up to `end`. */
char *tprof_out_room_slow(tprof_out *o, size_t n);
static inline char *tprof_out_room(tprof_out *o, size_t n) {
  if (TPROF_LIKELY(o->cap - o->len >= n && !o->error)) return o->buf + o->len;
  return tprof_out_room_slow(o, n);
}
static inline void tprof_out_commit(tprof_out *o, const char *end) { o->len = (size_t)(end - o->buf); }
/* Copies a string literal to p; the end of the copy. */
#define TPROF_PUT_LITERAL(p, lit) ((char *)memcpy((p), (lit), sizeof(lit) - 1) + sizeof(lit) - 1)

/* ---- writers (writers.c): JSON and CSV text with escaping ---- */
void tprof_json_string(tprof_out *f, const char *s);
void tprof_json_number(tprof_out *f, double v);
void tprof_csv_field(tprof_out *f, const char *s);
void tprof_md_cell(tprof_out *f, const char *s);
/* The same, given n = tprof_plain_len(s) (taken once for a name written
 * several times). */
void tprof_json_string_n(tprof_out *f, const char *s, size_t n);
void tprof_csv_field_n(tprof_out *f, const char *s, size_t n);
void tprof_md_cell_n(tprof_out *f, const char *s, size_t n);

/* ---- signals (signals.c) and fork (fork.c) ---- */
void tprof_signals_configure(void); /* install or remove the SIGINT/SIGTERM handlers per the config */
void tprof_signals_unload(void);    /* the program's SIGINT/SIGTERM actions back (after the last export) */
/* reset_measurement: the child's new measurement (lifecycle.c), run by fork()'s child handler */
void tprof_fork_init(void (*reset_measurement)(void));
/* Each lock's three steps around fork() (fork.c takes them in order):
 * prepare takes it, parent releases it, child makes it anew. */
void tprof_heap_fork_prepare(void); /* heap_table.c: the table is not copied half-updated */
void tprof_heap_fork_parent(void);
void tprof_heap_fork_child(void);
void tprof_registry_fork_prepare(void); /* registry.c */
void tprof_registry_fork_parent(void);
void tprof_registry_fork_child(void);
void tprof_threads_fork_prepare(void); /* callstack.c: the list of thread states */
void tprof_threads_fork_parent(void);
void tprof_threads_fork_child(void);
void tprof_signals_fork_prepare(void); /* signals.c */
void tprof_signals_fork_parent(void);
void tprof_signals_fork_child(void);
void tprof_mem_fork_prepare(void); /* memory.c: the arena */
void tprof_mem_fork_parent(void);
void tprof_mem_fork_child(void);

/* ---- applying the configuration (configure.c, control layer) ---- */
void tprof_config_apply(void); /* after tprof_cfg changed: refresh the hook switches and the subsystems */

/* ---- the process's mappings (proc_maps.c) ---- */
/* Calls fn for each anonymous mapping [lo, hi) of the process, in address
 * order (malloc's memory is among them). 0, or -1 when /proc/self/maps
 * cannot be read. No allocation; errno kept. */
int tprof_each_anonymous_mapping(void (*fn)(uintptr_t lo, uintptr_t hi, void *ctx), void *ctx);

/* ---- resources (resources.c) ---- */
typedef struct tprof_resources {
  double user_cpu_ms, system_cpu_ms, max_rss_mb;
  long minor_faults, major_faults, voluntary_switches, involuntary_switches;
} tprof_resources;
void tprof_resources_get(tprof_resources *out);

#endif
