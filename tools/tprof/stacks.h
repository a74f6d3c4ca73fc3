/* The call stacks of one metrics file, each with its self time and the bytes
 * allocated while it was the innermost frame: the input of folded stacks,
 * speedscope profiles and flame graphs.
 *
 * Exact when the file has call_stacks (a tree per thread, whose cap moved
 * the cheapest paths' time into their ancestors: call_stacks_folded says
 * how much, per function). Otherwise rebuilt from call_graph,
 * which only knows caller -> callee pairs: a function's figures are split
 * over the paths that reach it in proportion to the calls each incoming
 * path makes, which is a guess (the same guess gprof makes). Whatever the
 * rebuild cannot place (recursion, a path cap) goes to the two-frame stack
 * caller;callee, so the self times still add up to the file's total. Without
 * call_graph either, each function is its own one-frame stack. */
#ifndef TPROF_CLI_STACKS_H
#define TPROF_CLI_STACKS_H

#include "metrics_reader.h"

typedef enum { TP_STACKS_EXACT, TP_STACKS_CALL_GRAPH, TP_STACKS_FUNCTIONS } tp_stack_source;

typedef struct {
  const char **frames; /* outermost first; strings belong to the tp_metrics */
  size_t depth;
  double self_ms;
  double calls;
  long long alloc_bytes;
  long long thread; /* tprof's thread number; 0 in a merged set */
} tp_wstack;

typedef struct {
  tp_wstack *v;
  size_t n, cap;
  tp_stack_source source;
  /* Without call_stacks the allocated bytes per stack are unknown: the
   * allocation sites of top_allocators stand in as one-frame stacks. */
  int alloc_from_sites;
  void **owned; /* frame arrays allocated by the rebuild or the tree */
  size_t n_owned, cap_owned;
} tp_stackset;

/* All threads merged: the same path on several threads is one stack. */
void tp_stacks_build(const tp_metrics *m, tp_stackset *out);
/* One set of stacks per thread (tp_wstack.thread), threads in increasing
 * order; without call_stacks, as tp_stacks_build with thread 0. */
void tp_stacks_build_threads(const tp_metrics *m, tp_stackset *out);
/* The threads of a per-thread set, in order (caller frees *out). */
size_t tp_stacks_threads(const tp_stackset *s, long long **out);
void tp_stacks_free(tp_stackset *s);
/* One line for stderr or the report; NULL when exact. */
const char *tp_stacks_note(tp_stack_source src);

#endif
