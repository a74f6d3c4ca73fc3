/* Gathering the snapshot: per-function totals (every thread's figures,
 * open frames closed as if they returned now, in a copy), operations, per
 * thread rows, heap sites and traces, the call tree and the timeline. */
#include "snapshot.h"
#include "text_escape.h"

#include <string.h>

/* ---- gathering ---- */

static int by_inclusive_desc(const void *a, const void *b) {
  const func_row *x = a, *y = b;
  return x->inclusive_ticks < y->inclusive_ticks   ? 1
         : x->inclusive_ticks > y->inclusive_ticks ? -1
                                                   : (int)(x->id - y->id);
}
static tprof_sort_key inclusive_desc_key(const void *a) {
  const func_row *x = a;
  return (tprof_sort_key){~x->inclusive_ticks, x->id};
}
static int by_thread_then_inclusive(const void *a, const void *b) {
  const func_row *x = a, *y = b;
  if (x->thread != y->thread) return x->thread < y->thread ? -1 : 1;
  return by_inclusive_desc(a, b);
}
static int ops_by_total_desc(const void *a, const void *b) {
  const op_row *x = a, *y = b;
  return x->total_ticks < y->total_ticks ? 1 : x->total_ticks > y->total_ticks ? -1 : strcmp(x->name, y->name);
}
static int sites_by_bytes_desc(const void *a, const void *b) {
  const site_row *x = a, *y = b;
  return x->st.allocated_bytes < y->st.allocated_bytes   ? 1
         : x->st.allocated_bytes > y->st.allocated_bytes ? -1
                                                         : (int)(x->id - y->id);
}

static tprof_sort_key sites_key(const void *a) {
  const site_row *x = a;
  return (tprof_sort_key){~x->st.allocated_bytes, x->id};
}

/* Whose open frames an export closes: its own thread's; a snapshot taken
 * by the flush thread closes every thread's (read while they run: a frame
 * pushed or popped meanwhile can make those figures slightly off). */
static int all_open_frames; /* set for the duration of tprof_snapshot_gather */
static int closes_open_frames(tprof_thread *t) { return all_open_frames || t == tprof_current_thread(); }

static void add_figures(func_row *r, const tprof_func_figures *x) {
  r->calls += x->calls;
  r->primitive_calls += x->primitive_calls;
  r->self_ticks += x->self_ticks;
  r->inclusive_ticks += x->inclusive_ticks;
  if (x->max_call_ticks > r->max_call_ticks) r->max_call_ticks = x->max_call_ticks;
}

/* Every thread's timed edges, one after the other (merged by pair in
 * calltree.c). */
typedef struct edge_list {
  tprof_call_edge *v;
  size_t n, cap;
} edge_list;

static int append_edges(edge_list *l, const tprof_call_edge *e, size_t n) {
  return tprof_temp_append((void **)&l->v, &l->n, &l->cap, e, n, sizeof *e);
}

static uint16_t plain_len16(const char *s) {
  size_t n = tprof_plain_len(s);
  return n < UINT16_MAX ? (uint16_t)n : UINT16_MAX;
}

static names_len measure(const tprof_func_info *info) {
  return (names_len){plain_len16(info->name), plain_len16(info->file), info->op_name ? plain_len16(info->op_name) : 0};
}

/* Calls that no thread's hooks saw (functions counted but not timed) have
 * no thread in cpu_functions_per_thread: they get a row of thread 0, so
 * each function's rows still add up to its calls. */
static void finish_thread_functions(snapshot *s, uint32_t n, const uint64_t *counted, const uint64_t *seen,
                                    size_t cap) {
  size_t k = s->nthread_funcs;
  for (uint32_t id = 1; id < n && k < cap; id++) {
    const tprof_func_info *info = tprof_function_info(id);
    uint64_t all = counted[id];
    if (!info || all <= seen[id] || (!tprof_cfg.cpu_profiling_enabled && !(info->flags & TPROF_FUNC_OPERATION)))
      continue;
    s->thread_funcs[k++] =
        (func_row){.id = id, .thread = 0, .info = info, .calls = all - seen[id], .primitive_calls = all - seen[id]};
  }
  for (size_t i = 0; i < k; i++) s->thread_funcs[i].len = measure(s->thread_funcs[i].info);
  tprof_sort(s->thread_funcs, k, sizeof *s->thread_funcs, by_thread_then_inclusive);
  s->nthread_funcs = k;
}

/* Every thread's figures into rows[0..n) (by id), its timed edges into
 * *edges, and, with cpu_functions_per_thread, its own rows into
 * s->thread_funcs (seen[id]: the calls they hold). */
static int gather_threads(snapshot *s, func_row *rows, uint32_t n, uint64_t now, edge_list *edges,
                          tprof_stack_rows *stacks, uint64_t *seen, size_t cap) {
  for (tprof_thread *t = tprof_threads_head(); t; t = t->next) {
    tprof_thread_figures fig;
    if (tprof_thread_figures_get(t, n, closes_open_frames(t), now, &fig) != 0) return -1;
    for (uint32_t id = 1; id < n; id++) {
      const tprof_func_figures *x = &fig.funcs[id];
      add_figures(&rows[id], x);
      if (!s->thread_funcs || s->nthread_funcs >= cap || (!x->calls && !x->inclusive_ticks && !x->self_ticks)) continue;
      const tprof_func_info *info = tprof_function_info(id);
      if (!info) continue;
      func_row r = {.id = id, .thread = t->number, .info = info};
      add_figures(&r, x);
      seen[id] += r.calls;
      s->thread_funcs[s->nthread_funcs++] = r;
    }
    int rc = append_edges(edges, fig.edges, fig.nedges) == 0 ? tprof_stack_rows_add(stacks, &fig) : -1;
    tprof_thread_figures_free(&fig);
    if (rc != 0) return -1;
  }
  return 0;
}

static int gather_functions(snapshot *s, uint64_t now) {
  uint32_t n = tprof_function_count();
  func_row *rows = tprof_mem_alloc_temp((n ? n : 1) * sizeof *rows);
  if (!rows) return -1;
  s->funcs = rows; /* freed with the snapshot, whatever fails below */
  /* The inline counters, read before the threads' figures: a thread still
   * running then cannot make a timed function's count exceed its figures'
   * and its call_stacks rows' (which come from one later read). calls[id]
   * becomes the count functions[] gives, which the call graph adds up to. */
  uint64_t *calls = tprof_mem_alloc_temp((n ? n : 1) * sizeof *calls);
  if (!calls) return -1;
  for (uint32_t id = 1; id < n; id++) calls[id] = tprof_function_calls(id);
  uint64_t *seen = NULL;
  size_t cap = 0;
  if (tprof_cfg.cpu_functions_per_thread) {
    cap = n;
    for (tprof_thread *t = tprof_threads_head(); t; t = t->next) cap += n;
    s->thread_funcs = tprof_mem_alloc_temp((cap ? cap : 1) * sizeof *s->thread_funcs);
    seen = tprof_mem_alloc_temp((n ? n : 1) * sizeof *seen);
    if (!s->thread_funcs || !seen) {
      tprof_mem_free(seen);
      tprof_mem_free(calls);
      return -1;
    }
  }
  edge_list edges = {0};
  tprof_stack_rows stacks = {0};
  int threads_rc = gather_threads(s, rows, n, now, &edges, &stacks, seen, cap);
  if (threads_rc == 0 && seen) finish_thread_functions(s, n, calls, seen, cap);
  tprof_mem_free(seen);
  if (threads_rc != 0) {
    tprof_mem_free(calls);
    tprof_mem_free(edges.v);
    tprof_mem_free(stacks.v);
    return -1;
  }
  s->ntimeline = tprof_timeline_snapshot(&s->timeline_events, &s->timeline, &s->timeline_dropped);

  /* Every function's figures in rows[id]. */
  uint8_t *named = tprof_mem_alloc_temp(n ? n : 1);
  if (!named) {
    tprof_mem_free(calls);
    tprof_mem_free(named);
    tprof_mem_free(edges.v);
    tprof_mem_free(stacks.v);
    return -1;
  }
  for (uint32_t id = 1; id < n; id++) {
    func_row *r = &rows[id];
    r->id = id;
    r->info = tprof_function_info(id);
    /* Every call is counted inline; the hooks saw the timed ones. A call
     * that was not timed (a tiny leaf, hooks off, a signal handler inside
     * the runtime) was not seen nested in another of the same function:
     * it counts as primitive. */
    uint64_t all = calls[id];
    /* cpu_profiling_enabled=0 reports operations only, as before counters */
    if (!tprof_cfg.cpu_profiling_enabled && r->info && !(r->info->flags & TPROF_FUNC_OPERATION)) all = 0;
    if (all > r->calls) {
      r->primitive_calls += all - r->calls;
      r->calls = all;
    }
    calls[id] = r->info ? r->calls : 0;
  }
  int rc = tprof_calltree_gather(&s->tree, calls, n, edges.v, edges.n, s->callsites, s->ncallsites, &stacks);
  tprof_mem_free(calls);
  tprof_mem_free(edges.v);
  if (rc != 0) {
    tprof_mem_free(named);
    return -1;
  }

  /* Keep the functions that ran, and those that the call graph, the call
   * stacks or the timeline name: a function whose frame was open across
   * tprof_reset (a thread parked inside it) has no call and maybe no time
   * since, yet is the caller of the calls it made since; the registry
   * outlives this export. */
  tprof_calltree_mark_named(&s->tree, named, n);
  for (size_t i = 0; i < s->ntimeline; i++) {
    uint32_t id = s->timeline_events[s->timeline[i]].id;
    if (id < n) named[id] = 1;
  }
  size_t kept = 0, nops = 0;
  for (uint32_t id = 1; id < n; id++) {
    func_row r = rows[id];
    if (!r.info || (!r.calls && !r.inclusive_ticks && !r.self_ticks && !named[id])) continue;
    r.len = measure(r.info);
    rows[kept++] = r;
    if (r.info->flags & TPROF_FUNC_OPERATION) nops++;
  }
  tprof_mem_free(named);
  s->nfuncs = kept;
  tprof_sort_keyed(rows, kept, sizeof *rows, inclusive_desc_key, by_inclusive_desc);
  for (size_t i = 0; i < kept; i++) {
    s->total_calls += rows[i].calls;
    uint64_t ns = ns_rounded(s, rows[i].self_ticks);
    s->total_self_ns = ns > UINT64_MAX - s->total_self_ns ? UINT64_MAX : s->total_self_ns + ns;
  }

  /* One operation per function: two static functions of one name in two
   * files are two operations (operation_timings, keyed by name, adds them). */
  op_row *ops = tprof_mem_alloc_temp((nops ? nops : 1) * sizeof *ops);
  if (!ops) return -1;
  size_t m = 0;
  for (size_t i = 0; i < kept; i++) {
    const tprof_func_info *fi = rows[i].info;
    if (!(fi->flags & TPROF_FUNC_OPERATION)) continue;
    const names_len *len = &rows[i].len;
    ops[m++] = (op_row){rows[i].id,
                        fi->op_name ? len->op_name : len->name,
                        fi->is_region ? 0 /* tprof_plain_len("(region)") */ : len->name,
                        fi->op_name ? fi->op_name : fi->name,
                        fi->is_region ? "(region)" : fi->name,
                        rows[i].calls,
                        rows[i].inclusive_ticks,
                        rows[i].max_call_ticks};
  }
  tprof_sort(ops, m, sizeof *ops, ops_by_total_desc);
  s->ops = ops;
  s->nops = m;
  return 0;
}

static int gather_heap(snapshot *s) {
  s->heap_mid_update = tprof_heap_mid_update();
  uint32_t n = tprof_site_count();
  tprof_site_stat *st = tprof_mem_alloc_temp((n ? n : 1) * sizeof *st);
  site_row *rows = tprof_mem_alloc_temp((n ? n : 1) * sizeof *rows);
  if (!st || !rows) {
    tprof_mem_free(st);
    tprof_mem_free(rows);
    return -1;
  }
  tprof_heap_snapshot(&s->heap, st, n, &s->traces);
  size_t kept = 0;
  for (uint32_t id = 1; id < n; id++) {
    const tprof_site_info *si = tprof_site_info_get(id);
    if (!si || (!st[id].allocations && !st[id].deallocations)) continue;
    site_row *r = &rows[kept++];
    r->id = id;
    r->info = si;
    r->st = st[id];
    if (*si->file && si->line)
      tprof_format(r->location, sizeof r->location, "%s:%u", si->file, si->line);
    else
      tprof_format(r->location, sizeof r->location, "%s", si->function);
  }
  tprof_mem_free(st);
  tprof_sort_keyed(rows, kept, sizeof *rows, sites_key, sites_by_bytes_desc);
  s->sites = rows;
  s->nsites = kept;
  return 0;
}

int tprof_snapshot_gather(snapshot *s, uint64_t now, int all_open) {
  all_open_frames = all_open;
  int rc = gather_functions(s, now) == 0 && gather_heap(s) == 0 ? 0 : -1;
  all_open_frames = 0;
  return rc;
}

void tprof_snapshot_free(snapshot *s) {
  tprof_mem_free(s->funcs);
  tprof_mem_free(s->ops);
  tprof_mem_free(s->sites);
  tprof_calltree_free(&s->tree);
  tprof_mem_free(s->callsites);
  tprof_mem_free(s->timeline);
  tprof_mem_free(s->thread_funcs);
}
