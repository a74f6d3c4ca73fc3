/* One thread's figures per function and per call-graph edge, derived for
 * an export from its calling-context tree (the calls that have a node of
 * their own) and from its function and edge tables (the calls that got
 * none, because the tree was full).
 *
 * cProfile's rules on a tree: a call is primitive, and its inclusive time
 * counts, when no call of the same function encloses it (for an edge: no
 * call through the same caller -> callee pair). The calls that enclose a
 * call with a node are exactly the nodes of its path, so the rule is a
 * property of the node, decided once per node here by one depth-first walk
 * that keeps a count per function and per edge of the path's nodes. The
 * hooks then need no recursion bookkeeping on their common path. The calls
 * without a node applied the rules as they returned (callstack.c). */
#include "calltree.h"

#include <string.h>

/* ---- edges by (caller, callee) ---- */
int tprof_edge_table_init(tprof_edge_table *m, size_t max) {
  memset(m, 0, sizeof *m);
  m->max = max;
  m->cap = 16;
  while (m->cap < 2 * max) m->cap *= 2;
  m->edges = tprof_mem_alloc_temp((max ? max : 1) * sizeof *m->edges);
  m->slots = tprof_mem_alloc_temp(m->cap * sizeof *m->slots);
  if (m->edges && m->slots) return 0;
  tprof_edge_table_done(m);
  tprof_mem_free(m->edges);
  m->edges = NULL;
  return -1;
}

tprof_call_edge *tprof_edge_table_get(tprof_edge_table *m, uint32_t caller, uint32_t callee) {
  uint64_t key = ((uint64_t)caller << 32) | callee;
  for (size_t i = (size_t)((key * 0x9E3779B97F4A7C15ull) >> 32) & (m->cap - 1);; i = (i + 1) & (m->cap - 1)) {
    uint32_t e = m->slots[i];
    if (!e) {
      if (m->n >= m->max) return NULL;
      m->edges[m->n] = (tprof_call_edge){.caller = caller, .callee = callee};
      m->slots[i] = (uint32_t)++m->n;
      return &m->edges[m->n - 1];
    }
    tprof_call_edge *x = &m->edges[e - 1];
    if (x->caller == caller && x->callee == callee) return x;
  }
}

tprof_call_edge *tprof_edge_table_add(tprof_edge_table *m, const tprof_call_edge *src) {
  tprof_call_edge *d = tprof_edge_table_get(m, src->caller, src->callee);
  if (d) {
    d->calls += src->calls;
    d->self_ticks += src->self_ticks;
    d->inclusive_ticks += src->inclusive_ticks;
  }
  return d;
}

void tprof_edge_table_done(tprof_edge_table *m) {
  tprof_mem_free(m->slots);
  m->slots = NULL;
}

/* ---- one thread's figures ---- */
/* The index of (caller, callee) in m->edges, made when missing; UINT32_MAX
 * when full (the table is sized for every key, but another thread's tables
 * may grow while they are read). */
static uint32_t edge_index(tprof_edge_table *m, uint32_t caller, uint32_t callee) {
  tprof_call_edge *e = tprof_edge_table_get(m, caller, callee);
  return e ? (uint32_t)(e - m->edges) : UINT32_MAX;
}

typedef struct node_figures {
  uint64_t calls, self_ticks, inclusive_ticks, max_call_ticks;
} node_figures;

/* Open frames count as if they returned at `now` (their calls were counted
 * at entry): a frame with a node in fig[], one without in the function's
 * and the edge's figures, with cProfile's rule among the open frames without a
 * node and the frame's TPROF_OUTER_* for its path below. */
static int add_open_frames(tprof_thread *t, node_figures *fig, tprof_stack_row *rows, uint32_t count,
                           tprof_func_figures *funcs, uint32_t nfuncs, tprof_edge_table *m, uint64_t now) {
  uint32_t depth = __atomic_load_n(&t->depth, __ATOMIC_ACQUIRE);
  if (!t->stack || !depth) return 0;
  uint32_t *open = tprof_mem_alloc_temp(((size_t)nfuncs + m->max + 1) * sizeof *open), *open_edge = open + nfuncs;
  uint32_t *edge_of_frame = tprof_mem_alloc_temp((size_t)depth * sizeof *edge_of_frame);
  if (!open || !edge_of_frame) {
    tprof_mem_free(open);
    tprof_mem_free(edge_of_frame);
    return -1;
  }
  for (uint32_t d = 0; d < depth; d++) {
    const tprof_frame *f = &t->stack[d];
    edge_of_frame[d] = UINT32_MAX;
    if (!(f->kind & TPROF_FRAME_BORROWED)) continue;
    if (f->id < nfuncs) open[f->id]++;
    if (f->edge_at && (edge_of_frame[d] = edge_index(m, f->edge_at->caller, f->edge_at->callee)) != UINT32_MAX)
      open_edge[edge_of_frame[d]]++;
  }
  uint64_t carried = 0; /* elapsed time of the frame above */
  for (uint32_t d = depth; d-- > 0;) {
    const tprof_frame *f = &t->stack[d];
    uint64_t elapsed = now > f->start ? now - f->start : 0, inner = f->child_ticks + carried;
    uint64_t self = elapsed - (inner > elapsed ? elapsed : inner);
    carried = elapsed;
    if (f->id < nfuncs && (f->kind & (TPROF_FUNC_OPERATION | TPROF_FLAG_REGION)) &&
        elapsed > funcs[f->id].max_call_ticks)
      funcs[f->id].max_call_ticks = elapsed;
    if (!(f->kind & TPROF_FRAME_BORROWED)) {
      if (f->node && f->node <= count) {
        node_figures *n = &fig[f->node];
        n->self_ticks += self;
        n->inclusive_ticks += elapsed;
      }
      continue;
    }
    /* no node of its own: its self time is in its ancestor's row, as
     * absorbed_ticks will hold it when it returns */
    uint32_t ancestor = f->node & ~TPROF_NODE_BORROWED;
    if (ancestor && ancestor <= count) rows[ancestor - 1].self_ticks += self;
    if (f->id < nfuncs) {
      funcs[f->id].self_ticks += self;
      if (--open[f->id] == 0 && (f->outer & TPROF_OUTER_FUNC)) funcs[f->id].inclusive_ticks += elapsed;
    }
    if (edge_of_frame[d] != UINT32_MAX) {
      tprof_call_edge *e = &m->edges[edge_of_frame[d]];
      e->self_ticks += self;
      if (--open_edge[edge_of_frame[d]] == 0 && (f->outer & TPROF_OUTER_EDGE)) e->inclusive_ticks += elapsed;
    }
  }
  tprof_mem_free(open);
  tprof_mem_free(edge_of_frame);
  return 0;
}

/* The tree's part: every node's figures into its function's and its
 * edge's, the inclusive time and the primitive calls only where no
 * ancestor has the same function (the same edge). */
static int add_tree(tprof_thread *t, const node_figures *fig, uint32_t count, tprof_func_figures *funcs,
                    uint32_t nfuncs, tprof_edge_table *m) {
  /* first_child[0] is the first root; nodes are made after their parent */
  uint32_t *first_child = tprof_mem_alloc_temp(((size_t)count + 1) * 5 * sizeof *first_child);
  uint32_t *on_path = tprof_mem_alloc_temp(((size_t)nfuncs + m->max + 1) * sizeof *on_path);
  if (!first_child || !on_path) {
    tprof_mem_free(first_child);
    tprof_mem_free(on_path);
    return -1;
  }
  uint32_t *next_sibling = first_child + count + 1, *edge = next_sibling + count + 1, *func = edge + count + 1,
           *stack = func + count + 1, *on_edge = on_path + nfuncs;
  for (uint32_t n = count; n >= 1; n--) {
    const tprof_node *node = tprof_node_at(t, n);
    uint32_t parent = node->parent < n ? node->parent : 0; /* read while the thread runs: keep it a tree */
    func[n] = node->func;
    next_sibling[n] = first_child[parent];
    first_child[parent] = n;
  }
  uint32_t sp = 0, cur = first_child[0];
  for (;;) {
    if (cur) { /* enter cur */
      const tprof_node *node = tprof_node_at(t, cur);
      uint32_t f = func[cur], parent = node->parent < cur ? node->parent : 0;
      const node_figures *x = &fig[cur];
      if (f < nfuncs) {
        tprof_func_figures *r = &funcs[f];
        r->calls += x->calls;
        r->self_ticks += x->self_ticks;
        if (x->max_call_ticks > r->max_call_ticks) r->max_call_ticks = x->max_call_ticks;
        if (!on_path[f]++) {
          r->primitive_calls += x->calls;
          r->inclusive_ticks += x->inclusive_ticks;
        }
      }
      uint32_t e = edge[cur] = edge_index(m, parent ? func[parent] : 0, f);
      if (e != UINT32_MAX) {
        tprof_call_edge *r = &m->edges[e];
        r->calls += x->calls;
        r->self_ticks += x->self_ticks;
        if (!on_edge[e]++) r->inclusive_ticks += x->inclusive_ticks;
      }
      stack[sp++] = cur;
      cur = first_child[cur];
    } else { /* leave the node on top */
      if (!sp) break;
      uint32_t n = stack[--sp];
      if (func[n] < nfuncs) on_path[func[n]]--;
      if (edge[n] != UINT32_MAX) on_edge[edge[n]]--;
      cur = next_sibling[n];
    }
  }
  tprof_mem_free(first_child);
  tprof_mem_free(on_path);
  return 0;
}

int tprof_thread_figures_get(tprof_thread *t, uint32_t nfuncs, int open, uint64_t now, tprof_thread_figures *out) {
  memset(out, 0, sizeof *out);
  uint32_t count = __atomic_load_n(&t->node_count, __ATOMIC_ACQUIRE);
  uint32_t nedges = __atomic_load_n(&t->edge_count, __ATOMIC_ACQUIRE);
  uint32_t depth = __atomic_load_n(&t->depth, __ATOMIC_ACQUIRE);
  tprof_edge_table m;
  if (tprof_edge_table_init(&m, (size_t)count + nedges + depth + 1) != 0) return -1;
  out->funcs = tprof_mem_alloc_temp(((size_t)nfuncs + 1) * sizeof *out->funcs);
  node_figures *fig = tprof_mem_alloc_temp(((size_t)count + 1) * sizeof *fig);
  out->rows = tprof_mem_alloc_temp(((size_t)count + 1) * sizeof *out->rows);
  int rc = -1;
  if (!out->funcs || !fig || !out->rows) goto out;
  /* One read of each node for both the functions' figures and the call
   * stacks' rows: the thread may still be running, and a second read
   * made call_stacks disagree with functions[]. */
  for (uint32_t n = 1; n <= count; n++) {
    const tprof_node *node = tprof_node_at(t, n);
    fig[n] = (node_figures){node->calls, node->self_ticks, node->inclusive_ticks, node->max_call_ticks};
    out->rows[n - 1] = (tprof_stack_row){.parent = node->parent < n ? node->parent : 0,
                                         .func = node->func,
                                         .thread = t->number,
                                         .self_ticks = node->absorbed_ticks,
                                         .alloc_count = node->alloc_count,
                                         .alloc_bytes = node->alloc_bytes};
  }
  /* The calls without a node: as their tables hold them. */
  for (uint32_t c = 0; c < TPROF_MAX_CHUNKS && c * TPROF_CHUNK < nfuncs; c++) {
    const tprof_fstat *chunk = __atomic_load_n(&t->chunks[c], __ATOMIC_ACQUIRE);
    for (uint32_t i = 0; chunk && i < TPROF_CHUNK && c * TPROF_CHUNK + i < nfuncs; i++) {
      tprof_func_figures *r = &out->funcs[c * TPROF_CHUNK + i];
      r->calls = chunk[i].calls;
      r->primitive_calls = chunk[i].primitive_calls;
      r->self_ticks = chunk[i].self_ticks;
      r->inclusive_ticks = chunk[i].inclusive_ticks;
      r->max_call_ticks = chunk[i].max_call_ticks;
    }
  }
  for (uint32_t e = 1; e <= nedges; e++) {
    const tprof_edge *src = tprof_edge_at(t, e);
    tprof_call_edge x = {src->caller, src->callee, src->calls, src->self_ticks, src->inclusive_ticks};
    if (!tprof_edge_table_add(&m, &x)) break;
  }
  if (open && add_open_frames(t, fig, out->rows, count, out->funcs, nfuncs, &m, now) != 0) goto out;
  if (add_tree(t, fig, count, out->funcs, nfuncs, &m) != 0) goto out;
  for (uint32_t n = 1; n <= count; n++) {
    tprof_stack_row *r = &out->rows[n - 1];
    r->calls = fig[n].calls;
    r->self_ticks += fig[n].self_ticks;
    r->inclusive_ticks = fig[n].inclusive_ticks;
  }
  out->nrows = count;
  out->nfuncs = nfuncs;
  out->edges = m.edges;
  out->nedges = m.n;
  m.edges = NULL;
  rc = 0;
out:
  tprof_edge_table_done(&m);
  tprof_mem_free(m.edges);
  tprof_mem_free(fig);
  if (rc != 0) tprof_thread_figures_free(out);
  return rc;
}

void tprof_thread_figures_free(tprof_thread_figures *x) {
  tprof_mem_free(x->funcs);
  tprof_mem_free(x->edges);
  tprof_mem_free(x->rows);
  memset(x, 0, sizeof *x);
}
