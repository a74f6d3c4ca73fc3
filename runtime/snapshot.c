/* Gathering the snapshot: per-function totals (every thread's figures,
 * open frames closed as if they returned now, in a copy), operations, per
 * thread rows, heap sites and traces, the call tree and the timeline. */
#include "snapshot.h"

#include <string.h>

/* ---- gathering ---- */

static int by_inclusive_desc(const void *a, const void *b) {
  const func_row *x = a, *y = b;
  return x->inclusive_ticks < y->inclusive_ticks   ? 1
         : x->inclusive_ticks > y->inclusive_ticks ? -1
                                                   : (int)(x->id - y->id);
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

/* Frames still open on thread t count as if they returned now; the live
 * state is left alone so a later export is still right. */
static void close_open_frames(func_row *rows, uint32_t n, tprof_thread *t, uint64_t now) {
  uint32_t depth = __atomic_load_n(&t->depth, __ATOMIC_ACQUIRE);
  if (!t->stack || !depth) return;
  uint32_t *open = tprof_mem_alloc_temp((n + 1) * sizeof *open);
  if (!open) return;
  for (uint32_t d = 0; d < depth; d++)
    if (t->stack[d].id < n) open[t->stack[d].id]++;
  uint64_t carried = 0; /* elapsed time of the frame above */
  for (uint32_t d = depth; d-- > 0;) {
    const tprof_frame *f = &t->stack[d];
    uint64_t elapsed = now > f->start ? now - f->start : 0;
    if (f->id < n) {
      func_row *r = &rows[f->id];
      r->self_ticks += elapsed - (f->child_ticks + carried > elapsed ? elapsed : f->child_ticks + carried);
      if (--open[f->id] == 0) r->inclusive_ticks += elapsed;
      if ((f->is_op & (TPROF_FUNC_OPERATION | TPROF_FLAG_REGION)) && elapsed > r->max_call_ticks)
        r->max_call_ticks = elapsed;
    }
    carried = elapsed;
  }
  tprof_mem_free(open);
}

/* Whose open frames an export closes: its own thread's; a snapshot taken
 * by the flush thread closes every thread's (read while they run: a frame
 * pushed or popped meanwhile can make those figures slightly off). */
static int all_open_frames; /* set for the duration of tprof_snapshot_gather */
static int closes_open_frames(tprof_thread *t) { return all_open_frames || t == tprof_current_thread(); }

/* Adds thread t's per-function figures into rows[0..n), indexed by id. */
static void add_thread_stats(func_row *rows, uint32_t n, tprof_thread *t) {
  for (uint32_t c = 0; c < TPROF_MAX_CHUNKS && c * TPROF_CHUNK < n; c++) {
    tprof_fstat *chunk = __atomic_load_n(&t->chunks[c], __ATOMIC_ACQUIRE);
    for (uint32_t i = 0; chunk && i < TPROF_CHUNK && c * TPROF_CHUNK + i < n; i++) {
      func_row *r = &rows[c * TPROF_CHUNK + i];
      r->calls += chunk[i].calls;
      r->primitive_calls += chunk[i].primitive_calls;
      r->self_ticks += chunk[i].self_ticks;
      r->inclusive_ticks += chunk[i].inclusive_ticks;
      if (chunk[i].max_call_ticks > r->max_call_ticks) r->max_call_ticks = chunk[i].max_call_ticks;
    }
  }
}

static int gather_functions(snapshot *s, uint64_t now) {
  uint32_t n = tprof_function_count();
  func_row *rows = tprof_mem_alloc_temp((n ? n : 1) * sizeof *rows);
  if (!rows) return -1;
  for (tprof_thread *t = tprof_threads_head(); t; t = t->next) {
    add_thread_stats(rows, n, t);
    if (closes_open_frames(t)) close_open_frames(rows, n, t, now);
  }
  s->ntimeline = tprof_timeline_snapshot(&s->timeline_events, &s->timeline, &s->timeline_dropped);

  /* Keep the functions that ran; the registry outlives this export. */
  size_t kept = 0, nops = 0;
  for (uint32_t id = 1; id < n; id++) {
    func_row r = rows[id];
    r.id = id;
    r.info = tprof_function_info(id);
    /* Every call is counted inline; the hooks saw the timed ones. A call
     * that was not timed (a tiny leaf, hooks off, a signal handler inside
     * the runtime) was not seen nested in another of the same function:
     * it counts as primitive. */
    uint64_t all = tprof_function_calls(id);
    /* cpu_profiling_enabled=0 reports operations only, as before counters */
    if (!tprof_cfg.cpu_profiling_enabled && r.info && !(r.info->flags & TPROF_FUNC_OPERATION)) all = 0;
    if (all > r.calls) {
      r.primitive_calls += all - r.calls;
      r.calls = all;
    }
    if (!r.info || (!r.calls && !r.inclusive_ticks && !r.self_ticks)) continue;
    rows[kept++] = r;
    if (r.info->flags & TPROF_FUNC_OPERATION) nops++;
  }
  s->funcs = rows;
  s->nfuncs = kept;
  /* The call graph adds up to the calls functions[] gives (kept rows). */
  uint64_t *calls = tprof_mem_alloc_temp((n ? n : 1) * sizeof *calls);
  if (!calls) return -1;
  for (size_t i = 0; i < kept; i++) calls[rows[i].id] = rows[i].calls;
  int rc = tprof_calltree_gather(&s->tree, calls, n, s->callsites, s->ncallsites, now, closes_open_frames);
  tprof_mem_free(calls);
  if (rc != 0) return -1;
  tprof_sort(rows, kept, sizeof *rows, by_inclusive_desc);
  for (size_t i = 0; i < kept; i++) {
    s->total_calls += rows[i].calls;
    s->total_self_s += ms(s, rows[i].self_ticks) / 1e3;
  }

  /* One operation per function: two static functions of one name in two
   * files are two operations (operation_timings, keyed by name, adds them). */
  op_row *ops = tprof_mem_alloc_temp((nops ? nops : 1) * sizeof *ops);
  if (!ops) return -1;
  size_t m = 0;
  for (size_t i = 0; i < kept; i++) {
    const tprof_func_info *fi = rows[i].info;
    if (!(fi->flags & TPROF_FUNC_OPERATION)) continue;
    ops[m++] = (op_row){rows[i].id,
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

static int by_thread_then_inclusive(const void *a, const void *b) {
  const func_row *x = a, *y = b;
  if (x->thread != y->thread) return x->thread < y->thread ? -1 : 1;
  return by_inclusive_desc(a, b);
}

/* cpu_functions_per_thread: the same rows, one set per thread. Calls that
 * no thread's hooks saw (functions counted but not timed) have no thread:
 * they get a row of thread 0, so each function's rows still add up to its
 * calls. */
static int gather_thread_functions(snapshot *s, uint64_t now) {
  uint32_t n = tprof_function_count();
  size_t cap = n, k = 0;
  for (tprof_thread *t = tprof_threads_head(); t; t = t->next) cap += n;
  func_row *out = tprof_mem_alloc_temp((cap ? cap : 1) * sizeof *out);
  func_row *rows = tprof_mem_alloc_temp((n ? n : 1) * sizeof *rows);
  uint64_t *seen = tprof_mem_alloc_temp((n ? n : 1) * sizeof *seen);
  if (!out || !rows || !seen) {
    tprof_mem_free(out);
    tprof_mem_free(rows);
    tprof_mem_free(seen);
    return -1;
  }
  for (tprof_thread *t = tprof_threads_head(); t; t = t->next) {
    memset(rows, 0, (n ? n : 1) * sizeof *rows);
    add_thread_stats(rows, n, t);
    if (closes_open_frames(t)) close_open_frames(rows, n, t, now);
    for (uint32_t id = 1; id < n && k < cap; id++) {
      func_row r = rows[id];
      r.id = id;
      r.thread = t->number;
      r.info = tprof_function_info(id);
      seen[id] += r.calls;
      if (r.info && (r.calls || r.inclusive_ticks || r.self_ticks)) out[k++] = r;
    }
  }
  for (uint32_t id = 1; id < n && k < cap; id++) {
    const tprof_func_info *info = tprof_function_info(id);
    uint64_t all = tprof_function_calls(id);
    if (!info || all <= seen[id] || (!tprof_cfg.cpu_profiling_enabled && !(info->flags & TPROF_FUNC_OPERATION)))
      continue;
    out[k++] =
        (func_row){.id = id, .thread = 0, .info = info, .calls = all - seen[id], .primitive_calls = all - seen[id]};
  }
  tprof_mem_free(rows);
  tprof_mem_free(seen);
  tprof_sort(out, k, sizeof *out, by_thread_then_inclusive);
  s->thread_funcs = out;
  s->nthread_funcs = k;
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
      snprintf(r->location, sizeof r->location, "%s:%u", si->file, si->line);
    else
      snprintf(r->location, sizeof r->location, "%s", si->function);
  }
  tprof_mem_free(st);
  tprof_sort(rows, kept, sizeof *rows, sites_by_bytes_desc);
  s->sites = rows;
  s->nsites = kept;
  return 0;
}

int tprof_snapshot_gather(snapshot *s, uint64_t now, int all_open) {
  all_open_frames = all_open;
  int rc = gather_functions(s, now) == 0 && gather_heap(s) == 0 &&
                   (!tprof_cfg.cpu_functions_per_thread || gather_thread_functions(s, now) == 0)
               ? 0
               : -1;
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
