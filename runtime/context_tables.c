/* A thread's two lookup tables of call paths, used by the entry hook when
 * its one-word caches miss (callstack.c): the calling-context tree's nodes,
 * one per (parent node, function), and the call-graph edges, one per
 * (caller, callee). Only the owning thread writes them; the exporter reads
 * the entries (never the index) from another thread. */
#include "internal.h"

/* ---- dense tables with an open-addressing index (paths and edges) ----
 * Entries live in chunks that never move (frames keep their index; the
 * exporter reads them from another thread), found through an index of
 * 1-based entry numbers that is rebuilt, twice as large, when half full. */
static inline uint32_t pair_hash(uint32_t a, uint32_t b, uint32_t cap) {
  return (uint32_t)((((uint64_t)a << 32 | b) * 0x9E3779B97F4A7C15ull) >> 40) & (cap - 1);
}

/* ---- calling-context tree ---- */
static int node_index_grow(tprof_thread *t) {
  uint32_t cap = t->node_index_cap ? t->node_index_cap * 2 : 1024;
  uint32_t *index = tprof_mem_alloc_temp(cap * sizeof *index);
  if (!index) return -1;
  for (uint32_t n = 1; n <= t->node_count; n++) {
    tprof_node *node = tprof_node_at(t, n);
    uint32_t i = pair_hash(node->parent, node->func, cap);
    while (index[i]) i = (i + 1) & (cap - 1);
    index[i] = n;
  }
  tprof_mem_free(t->node_index); /* only this thread reads it, and not now */
  t->node_index = index;
  t->node_index_cap = cap;
  return 0;
}

/* The node of (parent, func), made when missing; 0 when the tree is full. */
uint32_t tprof_node_find_or_add(tprof_thread *t, uint32_t parent, uint32_t func, uint32_t depth) {
  uint32_t cap = t->node_index_cap;
  if (cap) {
    for (uint32_t i = pair_hash(parent, func, cap), n; (n = t->node_index[i]) != 0; i = (i + 1) & (cap - 1)) {
      const tprof_node *node = tprof_node_at(t, n);
      if (node->parent == parent && node->func == func) return n;
    }
  }
  uint32_t next = t->node_count + 1, c = (next - 1) / TPROF_NODE_CHUNK;
  if (c >= TPROF_NODE_MAX_CHUNKS || (c >= TPROF_NODE_SHARED_CHUNKS && depth > TPROF_NODE_SHALLOW_DEPTH)) return 0;
  if ((next * 2 > t->node_index_cap) && node_index_grow(t) != 0) return 0;
  if (!t->node_chunks[c]) {
    tprof_node *chunk = tprof_mem_alloc(TPROF_NODE_CHUNK * sizeof *chunk);
    if (!chunk) return 0;
    __atomic_store_n(&t->node_chunks[c], chunk, __ATOMIC_RELEASE);
  }
  tprof_node *node = tprof_node_at(t, next);
  node->parent = parent;
  node->func = func;
  node->edge_at = NULL;
  __atomic_store_n(&t->node_count, next, __ATOMIC_RELEASE); /* complete before the exporter sees it */
  uint32_t i = pair_hash(parent, func, t->node_index_cap);
  while (t->node_index[i]) i = (i + 1) & (t->node_index_cap - 1);
  t->node_index[i] = next;
  return next;
}

/* ---- call-graph edges ---- */
static int edge_index_grow(tprof_thread *t) {
  uint32_t cap = t->edge_index_cap ? t->edge_index_cap * 2 : 256;
  uint32_t *index = tprof_mem_alloc_temp(cap * sizeof *index);
  if (!index) return -1;
  for (uint32_t e = 1; e <= t->edge_count; e++) {
    tprof_edge *edge = tprof_edge_at(t, e);
    uint32_t i = pair_hash(edge->caller, edge->callee, cap);
    while (index[i]) i = (i + 1) & (cap - 1);
    index[i] = e;
  }
  tprof_mem_free(t->edge_index);
  t->edge_index = index;
  t->edge_index_cap = cap;
  return 0;
}

uint32_t tprof_edge_find_or_add(tprof_thread *t, uint32_t caller, uint32_t callee) {
  uint32_t cap = t->edge_index_cap;
  if (cap) {
    for (uint32_t i = pair_hash(caller, callee, cap), e; (e = t->edge_index[i]) != 0; i = (i + 1) & (cap - 1)) {
      const tprof_edge *edge = tprof_edge_at(t, e);
      if (edge->caller == caller && edge->callee == callee) return e;
    }
  }
  uint32_t next = t->edge_count + 1, c = (next - 1) / TPROF_EDGE_CHUNK;
  if (c >= TPROF_EDGE_MAX_CHUNKS) return 0;
  if ((next * 2 > t->edge_index_cap) && edge_index_grow(t) != 0) return 0;
  if (!t->edge_chunks[c]) {
    tprof_edge *chunk = tprof_mem_alloc(TPROF_EDGE_CHUNK * sizeof *chunk);
    if (!chunk) return 0;
    __atomic_store_n(&t->edge_chunks[c], chunk, __ATOMIC_RELEASE);
  }
  tprof_edge *edge = tprof_edge_at(t, next);
  edge->caller = caller;
  edge->callee = callee;
  edge->index = next;
  __atomic_store_n(&t->edge_count, next, __ATOMIC_RELEASE);
  uint32_t i = pair_hash(caller, callee, t->edge_index_cap);
  while (t->edge_index[i]) i = (i + 1) & (t->edge_index_cap - 1);
  t->edge_index[i] = next;
  return next;
}
