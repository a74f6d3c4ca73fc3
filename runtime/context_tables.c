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
  uint32_t **grow, *grow_cap, *grow_done; /* a rebuild in progress (see index_reserve) */
  pair_key_fn key;
  uint32_t first_cap;
} pair_index;

/* The index's capacity: while a rebuild switches over, the slots may
 * already be the new ones with the capacity still the old one. */
static inline uint32_t index_cap(const pair_index *x) {
  return *x->grow && *x->slots == *x->grow ? *x->grow_cap : *x->cap;
}

static uint32_t index_find(tprof_thread *t, const pair_index *x, uint32_t a, uint32_t b) {
  uint32_t cap = index_cap(x);
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
  if (next * 2 <= index_cap(x) && !*x->grow) return 0;
  /* A rebuild is resumable: a handler that interrupted it and left by
   * siglongjmp (an interpreter's timeout) abandons the hook, and the next
   * entry goes on from the last entry put, with the same block (no new
   * mapping, no leak, and progress even when a rebuild takes longer than
   * the interval between the signals). */
  uint32_t *slots = *x->grow, cap = *x->grow_cap;
  if (!slots) {
    cap = *x->cap ? *x->cap * 2 : x->first_cap;
    if (!(slots = tprof_mem_alloc_own(cap * sizeof *slots))) return -1;
    *x->grow_cap = cap;
    *x->grow_done = 0;
    __atomic_signal_fence(__ATOMIC_SEQ_CST);
    *x->grow = slots;
  }
  if (*x->slots != slots) {
    for (uint32_t n = *x->grow_done + 1; n < next; n++) {
      uint32_t a, b;
      x->key(t, n, &a, &b);
      index_put(slots, cap, a, b, n); /* put twice after a jump between these two lines: a harmless duplicate */
      *x->grow_done = n;
    }
    uint32_t *old = *x->slots;
    __atomic_signal_fence(__ATOMIC_SEQ_CST);
    *x->slots = slots; /* from here index_cap() reads the new capacity */
    __atomic_signal_fence(__ATOMIC_SEQ_CST);
    tprof_mem_free(old); /* only this thread reads it, and not now */
  }
  *x->cap = cap;
  __atomic_signal_fence(__ATOMIC_SEQ_CST);
  *x->grow = NULL;
  return next * 2 <= cap ? 0 : index_reserve(t, x, next);
}

/* ---- calling-context tree ---- */
static void node_key(tprof_thread *t, uint32_t n, uint32_t *a, uint32_t *b) {
  const tprof_node *node = tprof_node_at(t, n);
  *a = node->parent;
  *b = node->func;
}

/* The node of (parent, func), made when missing; 0 when the tree is full. */
uint32_t tprof_node_find_or_add(tprof_thread *t, uint32_t parent, uint32_t func, uint32_t depth) {
  pair_index x = {&t->node_index,     &t->node_index_cap, &t->node_grow, &t->node_grow_cap,
                  &t->node_grow_done, node_key,           1024};
  uint32_t found = index_find(t, &x, parent, func);
  if (found) return found;
  uint32_t next = t->node_count + 1, c = (next - 1) / TPROF_NODE_CHUNK;
  if (c >= TPROF_NODE_MAX_CHUNKS || (c >= TPROF_NODE_SHARED_CHUNKS && depth > TPROF_NODE_SHALLOW_DEPTH)) return 0;
  if (index_reserve(t, &x, next) != 0) return 0;
  if (!t->node_chunks[c]) {
    tprof_node *chunk = tprof_mem_alloc_sparse(TPROF_NODE_CHUNK * sizeof *chunk);
    if (!chunk) return 0;
    __atomic_store_n(&t->node_chunks[c], chunk, __ATOMIC_RELEASE);
  }
  tprof_node *node = tprof_node_at(t, next);
  /* The chunk is mapped as it fills: a small program makes a few hundred
   * nodes (3 pages) of the chunk's 1,024 (24 pages). */
  tprof_mem_populate_ahead((next - 1) % TPROF_NODE_CHUNK, node, sizeof *node, t->node_chunks[c] + TPROF_NODE_CHUNK,
                           TPROF_POPULATE_RUN_SMALL);
  node->parent = parent;
  node->func = func;
  __atomic_store_n(&t->node_count, next, __ATOMIC_RELEASE); /* complete before the exporter sees it */
  index_put(t->node_index, index_cap(&x), parent, func, next);
  return next;
}

/* ---- call-graph edges ---- */
static void edge_key(tprof_thread *t, uint32_t e, uint32_t *a, uint32_t *b) {
  const tprof_edge *edge = tprof_edge_at(t, e);
  *a = edge->caller;
  *b = edge->callee;
}

uint32_t tprof_edge_find_or_add(tprof_thread *t, uint32_t caller, uint32_t callee) {
  pair_index x = {
      &t->edge_index, &t->edge_index_cap, &t->edge_grow, &t->edge_grow_cap, &t->edge_grow_done, edge_key, 256};
  uint32_t found = index_find(t, &x, caller, callee);
  if (found) return found;
  uint32_t next = t->edge_count + 1, c = (next - 1) / TPROF_EDGE_CHUNK;
  if (c >= TPROF_EDGE_MAX_CHUNKS) return 0;
  if (index_reserve(t, &x, next) != 0) return 0;
  if (!t->edge_chunks[c]) {
    tprof_edge *chunk = tprof_mem_alloc_sparse(TPROF_EDGE_CHUNK * sizeof *chunk);
    if (!chunk) return 0;
    __atomic_store_n(&t->edge_chunks[c], chunk, __ATOMIC_RELEASE);
  }
  tprof_edge *edge = tprof_edge_at(t, next);
  tprof_mem_populate_ahead((next - 1) % TPROF_EDGE_CHUNK, edge, sizeof *edge, t->edge_chunks[c] + TPROF_EDGE_CHUNK,
                           TPROF_POPULATE_RUN_SMALL); /* as the nodes' */
  edge->caller = caller;
  edge->callee = callee;
  edge->index = next;
  __atomic_store_n(&t->edge_count, next, __ATOMIC_RELEASE);
  index_put(t->edge_index, index_cap(&x), caller, callee, next);
  return next;
}
