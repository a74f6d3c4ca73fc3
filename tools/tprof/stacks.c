#include "stacks.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "strmap.h"
#include "util.h"

/* Bounds of the rebuild: deeper paths and more paths than this go to the
 * residual stacks (see stacks.h). */
#define MAX_DEPTH 64
#define MAX_PATHS 100000

static void push(tp_stackset *s, const char **frames, size_t depth, double self_ms, double calls, long long bytes) {
  if (s->n == s->cap) {
    s->cap = s->cap ? s->cap * 2 : 64;
    s->v = xrealloc(s->v, s->cap * sizeof *s->v);
  }
  s->v[s->n++] = (tp_wstack){frames, depth, self_ms, calls, bytes, 0};
}

static const char **own(tp_stackset *s, const char *const *frames, size_t depth) {
  const char **f = xmalloc((depth ? depth : 1) * sizeof *f);
  memcpy(f, frames, depth * sizeof *f);
  if (s->n_owned == s->cap_owned) {
    s->cap_owned = s->cap_owned ? s->cap_owned * 2 : 64;
    s->owned = xrealloc(s->owned, s->cap_owned * sizeof *s->owned);
  }
  s->owned[s->n_owned++] = (void *)f;
  return f;
}

typedef struct {
  size_t *out; /* indices of edges leaving this function */
  size_t n_out, cap_out;
  double in_calls; /* calls of the function: the sum of its incoming edges */
} node;

typedef struct {
  const tp_metrics *m;
  tp_stackset *s;
  tp_map *index; /* name -> size_t node index + 1 */
  node *nodes;
  size_t *edge_callee;
  double *assigned; /* self time of each edge placed on a path so far */
  const char *path[MAX_DEPTH + 1];
  size_t paths;
} rebuild;

static size_t node_of(rebuild *r, const char *name, size_t *count) {
  size_t *ix = tp_map_get(r->index, name, 1);
  if (*ix == 0) *ix = ++*count;
  return *ix - 1;
}

static void walk(rebuild *r, size_t depth, size_t e, double share) {
  const tp_edge *ed = &r->m->edges[e];
  r->path[depth] = ed->callee;
  push(r->s, own(r->s, r->path, depth + 1), depth + 1, ed->self_ms * share, (double)ed->calls * share, 0);
  r->assigned[e] += ed->self_ms * share;
  if (++r->paths >= MAX_PATHS || depth + 1 >= MAX_DEPTH) return;
  for (size_t i = 0; i < depth; i++)
    if (strcmp(r->path[i], ed->callee) == 0) return; /* recursion: stop here */
  node *g = &r->nodes[r->edge_callee[e]];
  if (g->in_calls <= 0) return;
  double next = share * (double)ed->calls / g->in_calls;
  if (next < 1e-12) return;
  for (size_t i = 0; i < g->n_out; i++) walk(r, depth + 1, g->out[i], next);
}

static void from_call_graph(const tp_metrics *m, tp_stackset *s) {
  rebuild r = {0};
  r.m = m;
  r.s = s;
  r.index = tp_map_new(sizeof(size_t), (size_t)-1);
  size_t nn = 0;
  r.edge_callee = xcalloc(m->n_edges, sizeof *r.edge_callee);
  r.assigned = xcalloc(m->n_edges, sizeof *r.assigned);
  size_t *edge_caller = xcalloc(m->n_edges, sizeof *edge_caller);
  for (size_t e = 0; e < m->n_edges; e++) {
    r.edge_callee[e] = node_of(&r, m->edges[e].callee, &nn);
    edge_caller[e] = m->edges[e].caller ? node_of(&r, m->edges[e].caller, &nn) : (size_t)-1;
  }
  r.nodes = xcalloc(nn, sizeof *r.nodes);
  for (size_t e = 0; e < m->n_edges; e++) {
    r.nodes[r.edge_callee[e]].in_calls += (double)m->edges[e].calls;
    if (edge_caller[e] == (size_t)-1) continue;
    node *c = &r.nodes[edge_caller[e]];
    if (c->n_out == c->cap_out) {
      c->cap_out = c->cap_out ? c->cap_out * 2 : 4;
      c->out = xrealloc(c->out, c->cap_out * sizeof *c->out);
    }
    c->out[c->n_out++] = e;
  }
  for (size_t e = 0; e < m->n_edges; e++)
    if (!m->edges[e].caller) walk(&r, 0, e, 1.0);
  /* Residuals keep the total exact (stacks.h). */
  for (size_t e = 0; e < m->n_edges; e++) {
    const tp_edge *ed = &m->edges[e];
    double rest = ed->self_ms - r.assigned[e];
    if (rest <= 1e-9 * (ed->self_ms > 0 ? ed->self_ms : 1)) continue;
    const char *f[2] = {ed->caller, ed->callee};
    if (ed->caller)
      push(s, own(s, f, 2), 2, rest, 0, 0);
    else
      push(s, own(s, f + 1, 1), 1, rest, 0, 0);
  }
  for (size_t i = 0; i < nn; i++) free(r.nodes[i].out);
  free(r.nodes);
  free(r.edge_callee);
  free(r.assigned);
  free(edge_caller);
  tp_map_free(r.index);
}

/* Every node's path from the tree, one pool for all (the rows' depths add
 * up to m->total_depth, which the reader bounds). merged: the nodes of one
 * path on several threads become one stack. */
static void from_tree(const tp_metrics *m, tp_stackset *s, int merged) {
  const char **pool = xcalloc(m->total_depth ? m->total_depth : 1, sizeof *pool);
  size_t *into = xcalloc(m->n_nodes + 1, sizeof *into); /* node -> 1 + its stack in s */
  tp_map *paths = merged ? tp_map_new(sizeof(size_t), (size_t)-1) : NULL;
  if (s->n_owned == s->cap_owned) {
    s->cap_owned = s->cap_owned ? s->cap_owned * 2 : 64;
    s->owned = xrealloc(s->owned, s->cap_owned * sizeof *s->owned);
  }
  s->owned[s->n_owned++] = (void *)pool;
  size_t used = 0;
  for (size_t i = 0; i < m->n_nodes; i++) {
    const tp_node *n = &m->nodes[i];
    size_t *slot = NULL;
    if (merged) {
      /* a path is its merged parent and its function (labels are unique) */
      char key[64];
      snprintf(key, sizeof key, "%zu:%p", n->parent ? into[n->parent] : 0, (const void *)n->label);
      slot = tp_map_get(paths, key, 1);
      if (slot && *slot) {
        into[i + 1] = *slot;
        tp_wstack *w = &s->v[*slot - 1];
        w->self_ms += n->self_ms;
        w->calls += (double)n->calls;
        w->alloc_bytes += n->alloc_bytes;
        continue;
      }
    }
    const char **f = pool + used;
    size_t depth = 1;
    if (n->parent) {
      const tp_wstack *up = &s->v[into[n->parent] - 1];
      memcpy(f, up->frames, up->depth * sizeof *f);
      depth = up->depth + 1;
    }
    f[depth - 1] = n->label;
    used += depth;
    push(s, f, depth, n->self_ms, (double)n->calls, n->alloc_bytes);
    s->v[s->n - 1].thread = merged ? 0 : n->thread;
    into[i + 1] = s->n;
    if (slot) *slot = s->n;
  }
  free(into);
  if (paths) tp_map_free(paths);
}

static void build(const tp_metrics *m, tp_stackset *s, int merged) {
  memset(s, 0, sizeof *s);
  if (m->has_stacks) {
    s->source = TP_STACKS_EXACT;
    from_tree(m, s, merged);
    return;
  }
  if (m->n_edges) {
    s->source = TP_STACKS_CALL_GRAPH;
    from_call_graph(m, s);
  } else {
    s->source = TP_STACKS_FUNCTIONS;
    for (size_t i = 0; i < m->n_funcs; i++)
      push(s, &m->funcs[i].name, 1, m->funcs[i].self_ms, (double)m->funcs[i].calls, 0);
  }
  s->alloc_from_sites = 1;
  for (size_t i = 0; i < m->n_allocators; i++) {
    double b = m->allocators[i].value * 1048576.0;
    push(s, &m->allocators[i].name, 1, 0, 0, b > 0 && b < 9e18 ? (long long)(b + 0.5) : 0);
  }
}

void tp_stacks_build(const tp_metrics *m, tp_stackset *s) { build(m, s, 1); }

void tp_stacks_build_threads(const tp_metrics *m, tp_stackset *s) {
  build(m, s, 0);
  /* by thread, each thread's stacks in file order (parents first) */
  if (s->n > 1) {
    tp_wstack *sorted = xcalloc(s->n, sizeof *sorted);
    long long *threads;
    size_t nt = tp_stacks_threads(s, &threads), k = 0;
    for (size_t t = 0; t < nt; t++)
      for (size_t i = 0; i < s->n; i++)
        if (s->v[i].thread == threads[t]) sorted[k++] = s->v[i];
    free(threads);
    free(s->v);
    s->v = sorted;
    s->cap = s->n;
  }
}

static int ll_cmp(const void *a, const void *b) {
  long long x = *(const long long *)a, y = *(const long long *)b;
  return x < y ? -1 : x > y;
}

size_t tp_stacks_threads(const tp_stackset *s, long long **out) {
  long long *v = xcalloc(s->n ? s->n : 1, sizeof *v);
  for (size_t i = 0; i < s->n; i++) v[i] = s->v[i].thread;
  qsort(v, s->n, sizeof *v, ll_cmp);
  size_t k = 0;
  for (size_t i = 0; i < s->n; i++)
    if (!k || v[k - 1] != v[i]) v[k++] = v[i];
  *out = v;
  return k;
}

void tp_stacks_free(tp_stackset *s) {
  for (size_t i = 0; i < s->n_owned; i++) free(s->owned[i]);
  free(s->owned);
  free(s->v);
  memset(s, 0, sizeof *s);
}

const char *tp_stacks_note(tp_stack_source src) {
  switch (src) {
  case TP_STACKS_EXACT:
    return NULL;
  case TP_STACKS_CALL_GRAPH:
    return "no call_stacks in the file; stacks rebuilt from call_graph are approximate (a function's time is split "
           "over its callers' paths in proportion to calls); allocated bytes are per allocation site, not per stack";
  case TP_STACKS_FUNCTIONS:
    return "no call_stacks or call_graph in the file; one-frame stacks, one per function; allocated bytes are per "
           "allocation site";
  }
  return NULL;
}
