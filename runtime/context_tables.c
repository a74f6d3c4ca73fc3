/* A thread's two lookup tables of call paths, used by the entry hook when
 * its one-word caches miss (callstack.c): the calling-context tree's nodes,
 * one per (parent node, function), and the call-graph edges, one per
 * (caller, callee). Only the owning thread writes them; the exporter reads
 * the entries (never the index) from another thread. */
#include "internal.h"

/* ---- dense tables with an open-addressing index (paths and edges) ----
 * Entries live in chunks that never move (frames keep their index; the
 * exporter reads them from another thread), found through an index of
 * 1-based entry numbers that is rebuilt, twice as large, when half full.
 * The two tables differ only in their entries' type and key. */
static inline uint32_t pair_hash(uint32_t a, uint32_t b, uint32_t cap) {
  return (uint32_t)((((uint64_t)a << 32 | b) * 0x9E3779B97F4A7C15ull) >> 40) & (cap - 1);
}

/* The key of entry n (1-based) of one table. */
typedef void (*pair_key_fn)(tprof_thread *t, uint32_t n, uint32_t *a, uint32_t *b);

/* One table's index, as the thread's fields hold it. */
typedef struct pair_index {
  uint32_t **slots; /* 1-based entry numbers, 0 empty */
  uint32_t *cap;
  pair_key_fn key;
  uint32_t first_cap;
} pair_index;

static uint32_t index_find(tprof_thread *t, const pair_index *x, uint32_t a, uint32_t b) {
  uint32_t cap = *x->cap;
  if (!cap) return 0;
  for (uint32_t i = pair_hash(a, b, cap), n; (n = (*x->slots)[i]) != 0; i = (i + 1) & (cap - 1)) {
    uint32_t ka, kb;
    x->key(t, n, &ka, &kb);
    if (ka == a && kb == b) return n;
  }
  return 0;
}

static void index_put(uint32_t *slots, uint32_t cap, uint32_t a, uint32_t b, uint32_t n) {
  uint32_t i = pair_hash(a, b, cap);
  while (slots[i]) i = (i + 1) & (cap - 1);
  slots[i] = n;
}

/* Room in the index for entry `next` (entries 1..next-1 exist): 0, or -1
 * when out of memory. */
static int index_reserve(tprof_thread *t, const pair_index *x, uint32_t next) {
  if (next * 2 <= *x->cap) return 0;
  uint32_t cap = *x->cap ? *x->cap * 2 : x->first_cap;
  uint32_t *slots = tprof_mem_alloc_own(cap * sizeof *slots);
  if (!slots) return -1;
  for (uint32_t n = 1; n < next; n++) {
    uint32_t a, b;
    x->key(t, n, &a, &b);
    index_put(slots, cap, a, b, n);
  }
  tprof_mem_free(*x->slots); /* only this thread reads it, and not now */
  *x->slots = slots;
  *x->cap = cap;
  return 0;
}

/* ---- calling-context tree ---- */
static void node_key(tprof_thread *t, uint32_t n, uint32_t *a, uint32_t *b) {
  const tprof_node *node = tprof_node_at(t, n);
  *a = node->parent;
  *b = node->func;
}

/* The node of (parent, func), made when missing; 0 when the tree is full. */
uint32_t tprof_node_find_or_add(tprof_thread *t, uint32_t parent, uint32_t func, uint32_t depth) {
  pair_index x = {&t->node_index, &t->node_index_cap, node_key, 1024};
  uint32_t found = index_find(t, &x, parent, func);
  if (found) return found;
  uint32_t next = t->node_count + 1, c = (next - 1) / TPROF_NODE_CHUNK;
  if (c >= TPROF_NODE_MAX_CHUNKS || (c >= TPROF_NODE_SHARED_CHUNKS && depth > TPROF_NODE_SHALLOW_DEPTH)) return 0;
  if (index_reserve(t, &x, next) != 0) return 0;
  if (!t->node_chunks[c]) {
    tprof_node *chunk = tprof_mem_alloc(TPROF_NODE_CHUNK * sizeof *chunk);
    if (!chunk) return 0;
    __atomic_store_n(&t->node_chunks[c], chunk, __ATOMIC_RELEASE);
  }
  tprof_node *node = tprof_node_at(t, next);
  node->parent = parent;
  node->func = func;
  __atomic_store_n(&t->node_count, next, __ATOMIC_RELEASE); /* complete before the exporter sees it */
  index_put(t->node_index, t->node_index_cap, parent, func, next);
  return next;
}

/* ---- call-graph edges ---- */
static void edge_key(tprof_thread *t, uint32_t e, uint32_t *a, uint32_t *b) {
  const tprof_edge *edge = tprof_edge_at(t, e);
  *a = edge->caller;
  *b = edge->callee;
}

uint32_t tprof_edge_find_or_add(tprof_thread *t, uint32_t caller, uint32_t callee) {
  pair_index x = {&t->edge_index, &t->edge_index_cap, edge_key, 256};
  uint32_t found = index_find(t, &x, caller, callee);
  if (found) return found;
  uint32_t next = t->edge_count + 1, c = (next - 1) / TPROF_EDGE_CHUNK;
  if (c >= TPROF_EDGE_MAX_CHUNKS) return 0;
  if (index_reserve(t, &x, next) != 0) return 0;
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
  index_put(t->edge_index, t->edge_index_cap, caller, callee, next);
  return next;
}
