/* What an export writes about calls (calltree.c gathers, export_calls.c
 * writes): the call graph, the calling-context trees and the timeline. */
#ifndef TPROF_RUNTIME_CALLTREE_H
#define TPROF_RUNTIME_CALLTREE_H

#include "internal.h"

/* call_stacks keeps at most this many rows: the most expensive paths
 * (by inclusive time) of every thread together, so that metrics.json stays
 * a few MB whatever the program (about 110 bytes a row). */
#define TPROF_STACK_ROWS_MAX 50000u
/* Deepest node written as its own row: a deeper one is folded into its
 * ancestor at this depth (a stack of a hundred thousand frames is
 * unreadable, and every reader spells a row's path out). */
#define TPROF_STACK_MAX_DEPTH 256u

typedef struct tprof_call_edge {
  uint32_t caller, callee; /* function ids; caller 0: no timed caller known (see docs/FILES.md) */
  uint64_t calls, self_ticks, inclusive_ticks;
} tprof_call_edge;

/* Whether call_graph writes the edge: pairs that only ran before a reset
 * keep their entry, zeroed, and are left out. */
static inline int tprof_call_edge_written(const tprof_call_edge *e) {
  return e->calls || e->inclusive_ticks || e->self_ticks;
}

/* thread_figures.c: edges found by (caller, callee), made when missing.
 * init sizes it for `max` edges (0, or -1 when out of memory); get returns
 * NULL once `max` are made; add adds the figures of src into its pair's
 * (NULL when full); done frees the index and leaves edges[0..n) to the
 * caller (free with tprof_mem_free). */
typedef struct tprof_edge_table {
  tprof_call_edge *edges;
  size_t n, max, cap;
  uint32_t *slots; /* 1 + index in edges, 0 empty */
} tprof_edge_table;
int tprof_edge_table_init(tprof_edge_table *m, size_t max);
tprof_call_edge *tprof_edge_table_get(tprof_edge_table *m, uint32_t caller, uint32_t callee);
tprof_call_edge *tprof_edge_table_add(tprof_edge_table *m, const tprof_call_edge *src);
void tprof_edge_table_done(tprof_edge_table *m);

/* A row of call_stacks: a node of one thread's calling-context tree. */
typedef struct tprof_stack_row {
  uint32_t parent; /* 1-based row, 0 for a thread's root; always below this row */
  uint32_t func, thread;
  uint64_t calls, self_ticks, inclusive_ticks, alloc_count, alloc_bytes;
} tprof_stack_row;

/* thread_figures.c: one thread's timed calls per function and per
 * (caller, callee) edge, cProfile's rules applied, derived from its
 * calling-context tree and from the figures of its calls without a node,
 * and its call_stacks rows (rows[0..nrows), a row per node, parents as
 * 1-based rows of this thread), from the same read of each node, so the
 * two agree while the thread runs. With `open`, its open frames count as
 * if they returned at `now` (the live state is left alone). funcs[id] for
 * id < nfuncs; edges[0..nedges), one per pair. 0, or -1 when out of memory
 * (then *out holds nothing). Cost: linear in the thread's nodes, edges and
 * nfuncs; temporary memory of about 96 bytes a node and 12 a function. */
typedef struct tprof_func_figures {
  uint64_t calls, primitive_calls, self_ticks, inclusive_ticks, max_call_ticks;
} tprof_func_figures;
typedef struct tprof_thread_figures {
  tprof_func_figures *funcs;
  uint32_t nfuncs;
  tprof_call_edge *edges;
  size_t nedges;
  tprof_stack_row *rows;
  uint32_t nrows;
} tprof_thread_figures;
int tprof_thread_figures_get(tprof_thread *t, uint32_t nfuncs, int open, uint64_t now, tprof_thread_figures *out);
void tprof_thread_figures_free(tprof_thread_figures *x);

typedef struct tprof_calltree {
  tprof_call_edge *edges; /* every (caller, callee) pair of every thread, merged */
  size_t nedges;
  tprof_stack_row *rows; /* rows[0..nrows): row k is written with id k + 1 */
  size_t nrows;
  uint64_t nodes;              /* nodes in the threads' trees, before the export's cap */
  uint32_t nfuncs;             /* length of the two arrays below, indexed by function id */
  uint64_t *folded_calls;      /* calls not on a row of their own function */
  uint64_t *folded_self_ticks; /* self time that went into an ancestor's row */
} tprof_calltree;

/* calls[id] (id < nfuncs): the calls of each function as functions[] gives
 * them; every function's incoming edges are made to add up to that.
 * timed[0..ntimed): every thread's edges (tprof_thread_figures), merged
 * here by pair.
 * sites[0..nsites): tprof_callsites_get's counts, taken by the caller before
 * it locked the registry (tprof_callsites_get takes that lock itself).
 * stacks: every thread's rows (tprof_stack_rows_add); the tree takes its
 * array (stacks->v is NULL after, whatever the result).
 * 0, or -1 when out of memory. */
typedef struct tprof_stack_rows {
  tprof_stack_row *v; /* parents as 1-based indexes into v */
  size_t n, cap;
} tprof_stack_rows;
/* Appends src[0..n) (elements of elem bytes) to the export-time array
 * *v of *len elements, room for *cap, grown (doubled) from
 * tprof_mem_alloc_temp. 0, or -1 when out of memory (*v unchanged). */
int tprof_temp_append(void **v, size_t *len, size_t *cap, const void *src, size_t n, size_t elem);
/* Appends one thread's rows (tprof_thread_figures), its parents renumbered
 * to the rows of *all. 0, or -1 when out of memory. */
int tprof_stack_rows_add(tprof_stack_rows *all, const tprof_thread_figures *fig);
int tprof_calltree_gather(tprof_calltree *tree, const uint64_t *calls, uint32_t nfuncs, const tprof_call_edge *timed,
                          size_t ntimed, const tprof_callsite_count *sites, size_t nsites, tprof_stack_rows *stacks);
void tprof_calltree_free(tprof_calltree *tree);
/* Sets named[id] (id < nfuncs) for every function id that the call graph,
 * the call stacks or call_stacks_folded will write: functions[] must list
 * each, even one with no call and no time of its own since the reset (a
 * thread parked inside it since then is the caller of what it called). */
void tprof_calltree_mark_named(const tprof_calltree *tree, uint8_t *named, uint32_t nfuncs);

/* export_calls.c: the call_graph, call_stacks_* and timeline members of
 * metrics.json, each line starting with ",\n  ". */
typedef struct tprof_calls_export {
  const tprof_calltree *tree;
  double ns_per_tick;
  uint64_t origin_ticks;
  const tprof_timeline_event *timeline_events;
  uint32_t *timeline; /* indices into timeline_events, sorted by the writer */
  size_t ntimeline;
  uint64_t timeline_dropped;
} tprof_calls_export;
void tprof_write_calls(tprof_out *f, const tprof_calls_export *x);

#endif
