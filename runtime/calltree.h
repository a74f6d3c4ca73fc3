/* The merged calling-context tree of an export (calltree.c). */
#ifndef TPROF_RUNTIME_CALLTREE_H
#define TPROF_RUNTIME_CALLTREE_H

#include "internal.h"

/* Deepest call stack written as its own path (see fold_deep_paths). */
#define TPROF_STACK_MAX_DEPTH 256

typedef struct tprof_path {
  uint32_t parent, func, depth; /* parent: index in nodes, 0 for the root */
  uint32_t stack_owner;         /* the node whose call stack row carries this one (itself unless too deep) */
  uint64_t calls, self_ticks, inclusive_ticks, alloc_count, alloc_bytes;
  uint64_t stack_self_ticks, stack_alloc_count, stack_alloc_bytes; /* folded in from deeper paths */
} tprof_path;

typedef struct tprof_call_edge {
  uint32_t caller, callee; /* function ids; caller 0: called from no instrumented function */
  uint64_t calls, self_ticks, inclusive_ticks;
} tprof_call_edge;

typedef struct tprof_calltree {
  tprof_path *nodes; /* nodes[1..nnodes]; a parent's index is below its children's */
  size_t nnodes, capacity;
  tprof_call_edge *edges;
  size_t nedges;
} tprof_calltree;

/* open_frames_of(t): whether thread t's open frames count as returning at `now`. */
int tprof_calltree_gather(tprof_calltree *tree, uint64_t now, int (*open_frames_of)(tprof_thread *));
void tprof_calltree_free(tprof_calltree *tree);

#endif
