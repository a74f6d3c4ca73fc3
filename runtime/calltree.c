/* Export side of the calling-context trees: merges every thread's tree into
 * one (same path, same node), adds the frames still open, and derives the
 * call graph (caller -> callee edges) and the call stacks from it.
 *
 * cProfile counts an edge's inclusive time once across recursion: a call
 * adds its time only when no call of the same edge is active above it. On
 * a tree that is a property of the path, so a depth-first walk that counts
 * the edges active on the current path gives exactly that figure. */
#include "calltree.h"

#include <string.h>

static inline uint32_t pair_hash(uint32_t a, uint32_t b, size_t cap) {
  return (uint32_t)(((((uint64_t)a << 32) | b) * 0x9E3779B97F4A7C15ull) >> 33) & (uint32_t)(cap - 1);
}

static size_t pow2_at_least(size_t n) {
  size_t cap = 16;
  while (cap < n) cap *= 2;
  return cap;
}

/* (parent, func) -> merged node; returns 0 when the table is full. */
static uint32_t merged_node(tprof_calltree *tree, uint32_t *index, size_t cap, uint32_t parent, uint32_t func) {
  for (uint32_t i = pair_hash(parent, func, cap);; i = (uint32_t)((i + 1) & (cap - 1))) {
    uint32_t n = index[i];
    if (!n) {
      if (tree->nnodes + 1 >= tree->capacity) return 0;
      n = (uint32_t)++tree->nnodes;
      tree->nodes[n] = (tprof_path){.parent = parent, .func = func,
                                    .depth = parent ? tree->nodes[parent].depth + 1 : 1};
      index[i] = n;
      return n;
    }
    if (tree->nodes[n].parent == parent && tree->nodes[n].func == func) return n;
  }
}

/* Frames still open on thread t count as if they returned at `now`. */
static void add_open_frames(tprof_calltree *tree, tprof_thread *t, const uint32_t *map, uint32_t mapped, uint64_t now) {
  uint32_t depth = __atomic_load_n(&t->depth, __ATOMIC_ACQUIRE);
  if (!t->stack) return;
  uint64_t carried = 0;
  for (uint32_t d = depth; d-- > 0;) {
    const tprof_frame *f = &t->stack[d];
    uint64_t elapsed = now > f->start ? now - f->start : 0, inner = f->child_ticks + carried;
    uint64_t self = elapsed - (inner > elapsed ? elapsed : inner);
    uint32_t local = f->node & ~TPROF_NODE_BORROWED;
    uint32_t n = local && local <= mapped ? map[local] : 0;
    if (n) {
      tree->nodes[n].self_ticks += self;
      if (!(f->node & TPROF_NODE_BORROWED)) {
        tree->nodes[n].inclusive_ticks += elapsed;
        tree->nodes[n].calls++; /* a path's calls are counted when they return */
      }
    }
    carried = elapsed;
  }
}

static int merge_threads(tprof_calltree *tree, uint64_t now, int (*open_frames_of)(tprof_thread *)) {
  size_t total = 0;
  for (tprof_thread *t = tprof_threads_head(); t; t = t->next)
    total += __atomic_load_n(&t->node_count, __ATOMIC_ACQUIRE);
  size_t cap = pow2_at_least(2 * total + 2);
  tree->capacity = total + 2;
  tree->nodes = tprof_mem_alloc_temp(tree->capacity * sizeof *tree->nodes);
  uint32_t *index = tprof_mem_alloc_temp(cap * sizeof *index);
  if (!tree->nodes || !index) {
    tprof_mem_free(index);
    return -1;
  }
  for (tprof_thread *t = tprof_threads_head(); t; t = t->next) {
    uint32_t count = __atomic_load_n(&t->node_count, __ATOMIC_ACQUIRE);
    uint32_t *map = tprof_mem_alloc_temp(((size_t)count + 1) * sizeof *map);
    if (!map) {
      tprof_mem_free(index);
      return -1;
    }
    for (uint32_t l = 1; l <= count; l++) {
      const tprof_node *node = tprof_node_at(t, l);
      uint32_t parent = node->parent && node->parent < l ? map[node->parent] : 0;
      uint32_t n = merged_node(tree, index, cap, parent, node->func);
      map[l] = n;
      if (!n) continue;
      tprof_path *p = &tree->nodes[n];
      p->calls += node->calls;
      p->self_ticks += node->self_ticks;
      p->inclusive_ticks += node->inclusive_ticks;
      p->alloc_count += node->alloc_count;
      p->alloc_bytes += node->alloc_bytes;
    }
    if (open_frames_of(t)) add_open_frames(tree, t, map, count, now);
    tprof_mem_free(map);
  }
  tprof_mem_free(index);
  return 0;
}

/* Edge rows and, per node, its edge (caller's function -> callee). */
static int derive_edges(tprof_calltree *tree) {
  size_t n = tree->nnodes, cap = pow2_at_least(2 * n + 2);
  uint32_t *index = tprof_mem_alloc_temp(cap * sizeof *index);
  uint32_t *edge_of = tprof_mem_alloc_temp((n + 1) * sizeof *edge_of);
  uint32_t *active = tprof_mem_alloc_temp((n + 1) * sizeof *active);
  uint32_t *first_child = tprof_mem_alloc_temp((n + 1) * sizeof *first_child);
  uint32_t *next_sibling = tprof_mem_alloc_temp((n + 1) * sizeof *next_sibling);
  tree->edges = tprof_mem_alloc_temp((n + 1) * sizeof *tree->edges);
  int rc = -1;
  if (!index || !edge_of || !active || !first_child || !next_sibling || !tree->edges) goto out;
  for (uint32_t i = 1; i <= n; i++) {
    const tprof_path *p = &tree->nodes[i];
    uint32_t caller = p->parent ? tree->nodes[p->parent].func : 0;
    for (uint32_t h = pair_hash(caller, p->func, cap);; h = (uint32_t)((h + 1) & (cap - 1))) {
      uint32_t e = index[h];
      if (!e) {
        e = (uint32_t)++tree->nedges;
        tree->edges[e - 1] = (tprof_call_edge){.caller = caller, .callee = p->func};
        index[h] = e;
      }
      if (tree->edges[e - 1].caller == caller && tree->edges[e - 1].callee == p->func) {
        edge_of[i] = e;
        break;
      }
    }
  }
  /* children lists, then an iterative depth-first walk: a node is pushed
   * once on the way down and once more (marked with the top bit) to leave */
  for (uint32_t i = n; i >= 1; i--) {
    uint32_t parent = tree->nodes[i].parent;
    uint32_t *head = parent ? &first_child[parent] : &first_child[0];
    next_sibling[i] = *head;
    *head = i;
  }
  uint32_t *stack = tprof_mem_alloc_temp((2 * n + 2) * sizeof *stack);
  if (!stack) goto out;
  size_t top = 0;
  for (uint32_t c = first_child[0]; c; c = next_sibling[c]) stack[top++] = c;
  while (top) {
    uint32_t item = stack[--top], i = item & 0x7fffffffu;
    tprof_call_edge *e = &tree->edges[edge_of[i] - 1];
    if (item & 0x80000000u) {
      active[edge_of[i]]--;
      continue;
    }
    const tprof_path *p = &tree->nodes[i];
    e->calls += p->calls;
    e->self_ticks += p->self_ticks;
    if (active[edge_of[i]]++ == 0) e->inclusive_ticks += p->inclusive_ticks;
    stack[top++] = i | 0x80000000u;
    for (uint32_t c = first_child[i]; c; c = next_sibling[c]) stack[top++] = c;
  }
  tprof_mem_free(stack);
  rc = 0;
out:
  tprof_mem_free(index);
  tprof_mem_free(edge_of);
  tprof_mem_free(active);
  tprof_mem_free(first_child);
  tprof_mem_free(next_sibling);
  return rc;
}

/* Paths deeper than TPROF_STACK_MAX_DEPTH give their time and allocations
 * to their ancestor at that depth: a stack of a hundred thousand frames is
 * unreadable, and writing every prefix of it would be quadratic. */
static void fold_deep_paths(tprof_calltree *tree) {
  for (size_t i = 1; i <= tree->nnodes; i++) {
    tprof_path *p = &tree->nodes[i];
    p->stack_owner = p->depth <= TPROF_STACK_MAX_DEPTH ? (uint32_t)i : tree->nodes[p->parent].stack_owner;
    if (p->stack_owner == i) continue;
    tprof_path *owner = &tree->nodes[p->stack_owner];
    owner->stack_self_ticks += p->self_ticks;
    owner->stack_alloc_count += p->alloc_count;
    owner->stack_alloc_bytes += p->alloc_bytes;
  }
}

int tprof_calltree_gather(tprof_calltree *tree, uint64_t now, int (*open_frames_of)(tprof_thread *)) {
  memset(tree, 0, sizeof *tree);
  if (merge_threads(tree, now, open_frames_of) != 0 || derive_edges(tree) != 0) {
    tprof_calltree_free(tree);
    return -1;
  }
  fold_deep_paths(tree);
  return 0;
}

void tprof_calltree_free(tprof_calltree *tree) {
  tprof_mem_free(tree->nodes);
  tprof_mem_free(tree->edges);
  memset(tree, 0, sizeof *tree);
}
