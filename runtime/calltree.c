/* Export side of calls: the call graph from the threads' timed edges
 * (thread_figures.c), the call-site counters and the functions' counters,
 * and the call stacks from the threads' calling-context trees, capped.
 *
 * The call graph is exact whatever the trees folded: a thread's edges have
 * one entry per (caller, callee) pair of timed calls, with cProfile's
 * inclusive rule applied; calls of untimed functions
 * come from the pass's per-call-site counters; and what neither saw
 * (indirect calls of untimed functions, calls made while the hooks were off)
 * is one edge from caller 0 per function, so that every function's incoming
 * edges add up to its calls.
 *
 * The call stacks are every thread's tree, node for node, except that an
 * export writes at most TPROF_STACK_ROWS_MAX rows and no row deeper than
 * TPROF_STACK_MAX_DEPTH: the rows kept are the most expensive paths
 * (inclusive time at least the cut's), a connected top of each tree, and a
 * node left out gives its self time and allocations to its nearest kept
 * ancestor. What moved is accounted per function (folded_calls,
 * folded_self_ticks), with the calls the runtime's own cap charged to an
 * ancestor's node. */
#include "calltree.h"

#include <string.h>

/* ---- the call graph ---- */

static int gather_edges(tprof_calltree *tree, const uint64_t *calls, uint32_t nfuncs, const tprof_call_edge *timed,
                        size_t ntimed, const tprof_callsite_count *sites, size_t nsites, uint64_t *timed_in) {
  tprof_edge_table m;
  if (tprof_edge_table_init(&m, ntimed + nsites + nfuncs + 1) != 0) return -1;
  tree->edges = m.edges;
  int rc = -1;
  for (size_t i = 0; i < ntimed && tprof_edge_table_add(&m, &timed[i]); i++) {
  }
  tree->nedges = m.n;
  for (size_t i = 0; i < tree->nedges; i++)
    if (tree->edges[i].callee < nfuncs) timed_in[tree->edges[i].callee] += tree->edges[i].calls;
  for (size_t i = 0; i < nsites; i++) {
    if (!sites[i].calls) continue;
    tprof_call_edge *d = tprof_edge_table_get(&m, sites[i].caller, sites[i].callee);
    if (d) d->calls += sites[i].calls;
  }
  tree->nedges = m.n;
  /* The remainder: calls that no timed frame and no call-site counter saw. */
  uint64_t *in = tprof_mem_alloc_temp(((size_t)nfuncs + 1) * sizeof *in);
  if (!in) goto out;
  for (size_t i = 0; i < tree->nedges; i++)
    if (tree->edges[i].callee < nfuncs) in[tree->edges[i].callee] += tree->edges[i].calls;
  for (uint32_t id = 1; id < nfuncs; id++)
    if (calls[id] > in[id]) {
      tprof_call_edge *d = tprof_edge_table_get(&m, 0, id);
      if (d) d->calls += calls[id] - in[id];
    }
  tprof_mem_free(in);
  rc = 0;
out:
  tree->nedges = m.n;
  tprof_edge_table_done(&m);
  return rc;
}

/* ---- the call stacks ---- */

int tprof_temp_append(void **v, size_t *len, size_t *cap, const void *src, size_t n, size_t elem) {
  if (*len + n > *cap) {
    size_t grown = *cap ? *cap : 256;
    while (grown < *len + n) grown *= 2;
    char *fresh = tprof_mem_alloc_temp(grown * elem);
    if (!fresh) return -1;
    if (*len) memcpy(fresh, *v, *len * elem);
    tprof_mem_free(*v);
    *v = fresh;
    *cap = grown;
  }
  if (n) memcpy((char *)*v + *len * elem, src, n * elem);
  *len += n;
  return 0;
}

int tprof_stack_rows_add(tprof_stack_rows *all, const tprof_thread_figures *fig) {
  size_t base = all->n;
  if (tprof_temp_append((void **)&all->v, &all->n, &all->cap, fig->rows, fig->nrows, sizeof *fig->rows) != 0) return -1;
  for (size_t i = base; i < all->n; i++)
    if (all->v[i].parent) all->v[i].parent += (uint32_t)base;
  return 0;
}

/* The k-th largest of v[0..n) (1 <= k <= n), reordering v: a
 * three-way quickselect, linear on average, indifferent to many equal
 * values (the tick counts of short calls often are). */
static uint64_t kth_largest(uint64_t *v, size_t n, size_t k) {
  size_t lo = 0, hi = n - 1, want = k - 1;
  for (;;) {
    if (lo == hi) return v[lo];
    uint64_t a = v[lo], b = v[lo + (hi - lo) / 2], c = v[hi];
    uint64_t p = a > b ? (b > c ? b : a > c ? c : a) : (a > c ? a : b > c ? c : b);
    size_t lt = lo, i = lo, gt = hi + 1; /* [lo,lt) > p, [lt,i) == p, [gt,hi] < p */
    while (i < gt) {
      uint64_t x = v[i];
      if (x > p) {
        v[i++] = v[lt];
        v[lt++] = x;
      } else if (x < p) {
        v[i] = v[--gt];
        v[gt] = x;
      } else {
        i++;
      }
    }
    if (want < lt)
      hi = lt - 1;
    else if (want >= gt)
      lo = gt;
    else
      return p;
  }
}

static int gather_stacks(tprof_calltree *tree, tprof_stack_rows *stacks, const uint64_t *timed_in) {
  tprof_stack_row *rows = stacks->v;
  size_t n = stacks->n;
  stacks->v = NULL;
  tree->nodes = n;
  uint32_t *depth = tprof_mem_alloc_temp((n + 1) * sizeof *depth);
  uint32_t *owner = tprof_mem_alloc_temp((n + 1) * sizeof *owner); /* 1-based row that carries it */
  uint64_t *cut = NULL, *node_calls = tprof_mem_alloc_temp(((size_t)tree->nfuncs + 1) * sizeof *node_calls);
  uint8_t *live = NULL;
  int rc = -1;
  if (!depth || !owner || !node_calls) goto out;
  for (size_t i = 0; i < n; i++) depth[i] = rows[i].parent ? depth[rows[i].parent - 1] + 1 : 1;
  for (size_t i = 0; i < n; i++)
    if (rows[i].func < tree->nfuncs) node_calls[rows[i].func] += rows[i].calls;
  /* Paths not taken since a reset keep their nodes, zeroed: a row with no
   * figure and no such row below it is left out (it would only show a path
   * of an earlier measurement). A zeroed row above a live one stays, as the
   * path of the calls below (a frame open across the reset): functions[]
   * lists its function (tprof_calltree_mark_named). Children come after
   * their parents: one pass backwards marks the rows to write. */
  if (!(live = tprof_mem_alloc_temp(n + 1))) goto out;
  for (size_t i = n; i-- > 0;) {
    const tprof_stack_row *r = &rows[i];
    if (r->calls || r->self_ticks || r->inclusive_ticks || r->alloc_count || r->alloc_bytes) live[i] = 1;
    if (live[i] && r->parent) live[r->parent - 1] = 1;
  }

  /* The cut: the inclusive time of the TPROF_STACK_ROWS_MAX-th row. */
  size_t eligible = 0;
  for (size_t i = 0; i < n; i++) eligible += live[i] && depth[i] <= TPROF_STACK_MAX_DEPTH;
  uint64_t threshold = 0;
  size_t at_threshold = (size_t)-1; /* rows equal to the cut still to take */
  if (eligible > TPROF_STACK_ROWS_MAX) {
    if (!(cut = tprof_mem_alloc_temp(eligible * sizeof *cut))) goto out;
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
      if (live[i] && depth[i] <= TPROF_STACK_MAX_DEPTH) cut[k++] = rows[i].inclusive_ticks;
    threshold = kth_largest(cut, eligible, TPROF_STACK_ROWS_MAX);
    size_t above = 0;
    for (size_t i = 0; i < eligible; i++) above += cut[i] > threshold;
    at_threshold = TPROF_STACK_ROWS_MAX - above;
  }
  size_t kept = 0;
  for (size_t i = 0; i < n; i++) {
    tprof_stack_row *r = &rows[i];
    if (!live[i]) { /* nothing to give: no owner, and no live row below */
      owner[i] = 0;
      continue;
    }
    int keep = depth[i] == 1;
    if (!keep && depth[i] <= TPROF_STACK_MAX_DEPTH && owner[r->parent - 1] == r->parent) {
      if (r->inclusive_ticks > threshold)
        keep = 1;
      else if (r->inclusive_ticks == threshold && at_threshold)
        keep = 1, at_threshold--;
    }
    if (keep) {
      owner[i] = (uint32_t)(i + 1);
      kept++;
      continue;
    }
    owner[i] = owner[r->parent - 1];
    tprof_stack_row *o = &rows[owner[i] - 1];
    o->self_ticks += r->self_ticks;
    o->alloc_count += r->alloc_count;
    o->alloc_bytes += r->alloc_bytes;
    if (r->func < tree->nfuncs) {
      tree->folded_calls[r->func] += r->calls;
      tree->folded_self_ticks[r->func] += r->self_ticks;
    }
  }
  /* Calls the runtime charged to an ancestor's node (its tree was full). */
  for (uint32_t f = 1; f < tree->nfuncs; f++)
    if (timed_in[f] > node_calls[f]) tree->folded_calls[f] += timed_in[f] - node_calls[f];
  /* Compact: kept rows in order, parents renumbered (depth[] is reused as
   * the new number of each old row). */
  size_t w = 0;
  for (size_t i = 0; i < n; i++) {
    if (owner[i] != i + 1) continue;
    tprof_stack_row r = rows[i];
    r.parent = r.parent ? depth[r.parent - 1] : 0;
    depth[i] = (uint32_t)++w;
    rows[w - 1] = r;
  }
  (void)kept;
  tree->rows = rows;
  tree->nrows = w;
  rows = NULL;
  rc = 0;
out:
  tprof_mem_free(rows);
  tprof_mem_free(depth);
  tprof_mem_free(owner);
  tprof_mem_free(cut);
  tprof_mem_free(node_calls);
  tprof_mem_free(live);
  return rc;
}

int tprof_calltree_gather(tprof_calltree *tree, const uint64_t *calls, uint32_t nfuncs, const tprof_call_edge *timed,
                          size_t ntimed, const tprof_callsite_count *sites, size_t nsites, tprof_stack_rows *stacks) {
  memset(tree, 0, sizeof *tree);
  tree->nfuncs = nfuncs;
  tree->folded_calls = tprof_mem_alloc_temp(((size_t)nfuncs + 1) * sizeof *tree->folded_calls);
  tree->folded_self_ticks = tprof_mem_alloc_temp(((size_t)nfuncs + 1) * sizeof *tree->folded_self_ticks);
  uint64_t *timed_in = tprof_mem_alloc_temp(((size_t)nfuncs + 1) * sizeof *timed_in);
  int rc = -1;
  if (tree->folded_calls && tree->folded_self_ticks && timed_in &&
      gather_edges(tree, calls, nfuncs, timed, ntimed, sites, nsites, timed_in) == 0 &&
      gather_stacks(tree, stacks, timed_in) == 0)
    rc = 0;
  tprof_mem_free(timed_in);
  tprof_mem_free(stacks->v); /* not taken: the edges failed */
  stacks->v = NULL;
  if (rc != 0) tprof_calltree_free(tree);
  return rc;
}

void tprof_calltree_mark_named(const tprof_calltree *tree, uint8_t *named, uint32_t nfuncs) {
  for (size_t i = 0; i < tree->nedges; i++) {
    const tprof_call_edge *e = &tree->edges[i];
    if (!tprof_call_edge_written(e)) continue;
    if (e->caller < nfuncs) named[e->caller] = 1;
    if (e->callee < nfuncs) named[e->callee] = 1;
  }
  for (size_t i = 0; i < tree->nrows; i++)
    if (tree->rows[i].func < nfuncs) named[tree->rows[i].func] = 1;
  for (uint32_t id = 1; id < tree->nfuncs && id < nfuncs; id++)
    if (tree->folded_calls[id] || tree->folded_self_ticks[id]) named[id] = 1;
}

void tprof_calltree_free(tprof_calltree *tree) {
  tprof_mem_free(tree->edges);
  tprof_mem_free(tree->rows);
  tprof_mem_free(tree->folded_calls);
  tprof_mem_free(tree->folded_self_ticks);
  memset(tree, 0, sizeof *tree);
}
