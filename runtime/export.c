/* The exporter: gathers every figure into one snapshot and writes the seven
 * files of docs/FILES.md, each to a temporary name first and then renamed,
 * so no reader ever sees half a file. It never stops the program: an I/O
 * error is one message on stderr. */
#include "calltree.h"
#include "tprof/schema.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define TOP_N 20

typedef struct func_row {
  uint32_t id, thread; /* thread: 0 in the totals, tprof's thread number per thread */
  const tprof_func_info *info;
  uint64_t calls, primitive_calls, self_ticks, inclusive_ticks, max_call_ticks;
} func_row;

typedef struct op_row {
  uint32_t id; /* the function's */
  const char *name, *function;
  uint64_t calls, total_ticks, max_call_ticks;
} op_row;

typedef struct site_row {
  uint32_t id;
  const tprof_site_info *info;
  tprof_site_stat st;
  char location[512];
} site_row;

typedef struct snapshot {
  const char *reason, *timestamp;
  double ms_per_tick, execution_time_ms;
  func_row *funcs;
  size_t nfuncs;
  op_row *ops;
  size_t nops;
  site_row *sites;
  size_t nsites;
  tprof_trace *traces;
  size_t ntraces;
  tprof_calltree tree;
  tprof_callsite_count *callsites; /* taken before the registry lock: tprof_callsites_get locks it */
  size_t ncallsites;
  tprof_timeline_event *timeline;
  size_t ntimeline;
  uint64_t timeline_dropped;
  func_row *thread_funcs; /* per thread, when cpu_functions_per_thread is on */
  size_t nthread_funcs;
  tprof_heap_totals heap;
  int heap_mid_update; /* exported from inside this thread's allocation hook (a signal handler) */
  tprof_resources res;
  uint64_t total_calls;
  double total_self_s;
} snapshot;

/* Times to the nanosecond (the clock's resolution is about that): a value
 * then has few digits, written exactly and fast, and JSON and CSV agree. */
static double ms(const snapshot *s, uint64_t ticks) {
  double ns = (double)ticks * s->ms_per_tick * 1e6; /* >= 0; no libm: programs link the runtime without -lm */
  return ns < 9.2e18 ? (double)(uint64_t)(ns + 0.5) / 1e6 : ns / 1e6;
}
static double mb(uint64_t bytes) { return (double)bytes / (1024.0 * 1024.0); }
static int is_slow(double total_ms) { return total_ms > tprof_cfg.slow_operation_threshold_ms; }

/* ---- gathering ---- */

static int by_inclusive_desc(const void *a, const void *b) {
  const func_row *x = a, *y = b;
  return x->inclusive_ticks < y->inclusive_ticks ? 1 : x->inclusive_ticks > y->inclusive_ticks ? -1
                                                                                                : (int)(x->id - y->id);
}
static int ops_by_total_desc(const void *a, const void *b) {
  const op_row *x = a, *y = b;
  return x->total_ticks < y->total_ticks ? 1 : x->total_ticks > y->total_ticks ? -1 : strcmp(x->name, y->name);
}
static int sites_by_bytes_desc(const void *a, const void *b) {
  const site_row *x = a, *y = b;
  return x->st.allocated_bytes < y->st.allocated_bytes ? 1
         : x->st.allocated_bytes > y->st.allocated_bytes ? -1
                                                         : (int)(x->id - y->id);
}

/* Frames still open on thread t count as if they returned now; the live
 * state is left alone so a later export is still right. */
static void close_open_frames(func_row *rows, uint32_t n, tprof_thread *t, uint64_t now) {
  uint32_t depth = __atomic_load_n(&t->depth, __ATOMIC_ACQUIRE);
  if (!t->stack || !depth)
    return;
  uint32_t *open = tprof_mem_alloc_temp((n + 1) * sizeof *open);
  if (!open)
    return;
  for (uint32_t d = 0; d < depth; d++)
    if (t->stack[d].id < n) open[t->stack[d].id]++;
  uint64_t carried = 0; /* elapsed time of the frame above */
  for (uint32_t d = depth; d-- > 0;) {
    const tprof_frame *f = &t->stack[d];
    uint64_t elapsed = now > f->start ? now - f->start : 0;
    if (f->id < n) {
      func_row *r = &rows[f->id];
      r->self_ticks += elapsed - (f->child_ticks + carried > elapsed ? elapsed : f->child_ticks + carried);
      if (--open[f->id] == 0)
        r->inclusive_ticks += elapsed;
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
static int all_open_frames;
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
  if (!rows)
    return -1;
  for (tprof_thread *t = tprof_threads_head(); t; t = t->next) {
    add_thread_stats(rows, n, t);
    if (closes_open_frames(t))
      close_open_frames(rows, n, t, now);
  }
  s->ntimeline = tprof_timeline_snapshot(&s->timeline, &s->timeline_dropped);

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
    if (!tprof_cfg.cpu_profiling_enabled && r.info && !(r.info->flags & TPROF_FUNC_OPERATION))
      all = 0;
    if (all > r.calls) {
      r.primitive_calls += all - r.calls;
      r.calls = all;
    }
    if (!r.info || (!r.calls && !r.inclusive_ticks && !r.self_ticks))
      continue;
    rows[kept++] = r;
    if (r.info->flags & TPROF_FUNC_OPERATION) nops++;
  }
  s->funcs = rows;
  s->nfuncs = kept;
  /* The call graph adds up to the calls functions[] gives (kept rows). */
  uint64_t *calls = tprof_mem_alloc_temp((n ? n : 1) * sizeof *calls);
  if (!calls)
    return -1;
  for (size_t i = 0; i < kept; i++) calls[rows[i].id] = rows[i].calls;
  int rc = tprof_calltree_gather(&s->tree, calls, n, s->callsites, s->ncallsites, now, closes_open_frames);
  tprof_mem_free(calls);
  if (rc != 0)
    return -1;
  tprof_sort(rows, kept, sizeof *rows, by_inclusive_desc);
  for (size_t i = 0; i < kept; i++) {
    s->total_calls += rows[i].calls;
    s->total_self_s += ms(s, rows[i].self_ticks) / 1e3;
  }

  /* One operation per function: two static functions of one name in two
   * files are two operations (operation_timings, keyed by name, adds them). */
  op_row *ops = tprof_mem_alloc_temp((nops ? nops : 1) * sizeof *ops);
  if (!ops)
    return -1;
  size_t m = 0;
  for (size_t i = 0; i < kept; i++) {
    const tprof_func_info *fi = rows[i].info;
    if (!(fi->flags & TPROF_FUNC_OPERATION)) continue;
    ops[m++] = (op_row){rows[i].id, fi->op_name ? fi->op_name : fi->name, fi->is_region ? "(region)" : fi->name,
                        rows[i].calls, rows[i].inclusive_ticks, rows[i].max_call_ticks};
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
    if (closes_open_frames(t))
      close_open_frames(rows, n, t, now);
    for (uint32_t id = 1; id < n && k < cap; id++) {
      func_row r = rows[id];
      r.id = id;
      r.thread = t->number;
      r.info = tprof_function_info(id);
      seen[id] += r.calls;
      if (r.info && (r.calls || r.inclusive_ticks || r.self_ticks))
        out[k++] = r;
    }
  }
  for (uint32_t id = 1; id < n && k < cap; id++) {
    const tprof_func_info *info = tprof_function_info(id);
    uint64_t all = tprof_function_calls(id);
    if (!info || all <= seen[id] || (!tprof_cfg.cpu_profiling_enabled && !(info->flags & TPROF_FUNC_OPERATION)))
      continue;
    out[k++] = (func_row){.id = id, .thread = 0, .info = info, .calls = all - seen[id], .primitive_calls = all - seen[id]};
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
  tprof_heap_snapshot(&s->heap, st, n, &s->traces, &s->ntraces);
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

/* ---- the files ---- */

static void json_key(tprof_out *f, const char *key) {
  tprof_json_string(f, key);
  tprof_out_puts(": ", f);
}

/* Every option of options.def by its key, in its order. */
static void write_config(tprof_out *f) {
  for (size_t i = 0, n = tprof_option_count(); i < n; i++) {
    int kind;
    const void *v;
    const char *key = tprof_option_get(&tprof_cfg, i, &kind, &v);
    tprof_out_printf(f, "%s\"%s\": ", i ? ", " : "{", key);
    switch (kind) {
    case TPROF_OPTION_BOOL: tprof_out_puts(*(const int *)v ? "true" : "false", f); break;
    case TPROF_OPTION_INT: tprof_out_printf(f, "%d", *(const int *)v); break;
    case TPROF_OPTION_LONG: tprof_out_printf(f, "%ld", *(const long *)v); break;
    case TPROF_OPTION_DOUBLE: tprof_json_number(f, *(const double *)v); break;
    case TPROF_OPTION_STRING: tprof_json_string(f, (const char *)v); break;
    case TPROF_OPTION_CPU_TIMING:
      tprof_out_puts(*(const int *)v == TPROF_CPU_TIMING_OPERATIONS ? "\"operations\"" : "\"all\"", f);
      break;
    }
  }
  tprof_out_putc('}', f);
}

static int op_refs_by_name(const void *a, const void *b) {
  const op_row *const *x = a, *const *y = b;
  return strcmp((*x)->name, (*y)->name);
}

/* The guide's map from operation name to total ms: operations of one name
 * (static functions in several files) add up under it. */
static void write_operation_timings(tprof_out *f, const snapshot *s) {
  const op_row **byname = tprof_mem_alloc_temp((s->nops ? s->nops : 1) * sizeof *byname);
  if (!byname) return;
  for (size_t i = 0; i < s->nops; i++) byname[i] = &s->ops[i];
  tprof_sort(byname, s->nops, sizeof *byname, op_refs_by_name);
  for (size_t i = 0, k = 0; i < s->nops;) {
    uint64_t total = 0;
    size_t j = i;
    for (; j < s->nops && !strcmp(byname[j]->name, byname[i]->name); j++) total += byname[j]->total_ticks;
    tprof_out_puts(k++ ? ", " : "", f);
    json_key(f, byname[i]->name);
    tprof_json_number(f, ms(s, total));
    i = j;
  }
  tprof_mem_free(byname);
}

/* The operation type of an operation instance: its name without a trailing
 * "_<digits>" (rotate_1 -> rotate), as the grid-DSL transpiler numbers
 * instances and as the tprof command groups them. */
static const char *op_type(const char *name, char *buf, size_t n) {
  size_t len = strlen(name), k = len;
  while (k > 0 && name[k - 1] >= '0' && name[k - 1] <= '9') k--;
  if (k < len && k > 1 && name[k - 1] == '_') len = k - 1;
  if (len >= n) len = n - 1;
  memcpy(buf, name, len);
  buf[len] = 0;
  return buf;
}

static void write_metrics(tprof_out *f, const snapshot *s) {
  char type[256];
  const tprof_heap_totals *h = &s->heap;
  int mem = tprof_cfg.memory_tracking_enabled, res = tprof_cfg.resource_monitoring_enabled;
  tprof_out_printf(f, "{\n  \"schema_version\": %d,\n  \"generator\": \"tprof %s\",\n  \"program_id\": ", TPROF_SCHEMA_VERSION,
          TPROF_VERSION_STRING);
  tprof_json_string(f, tprof_cfg.program_id);
  /* timestamp is the file names' form, YYYYMMDD_HHMMSS (UTC) */
  const char *t = s->timestamp;
  tprof_out_printf(f, ",\n  \"pid\": %d,\n  \"timestamp\": \"%s\",\n  \"timestamp_iso8601\": \"%.4s-%.2s-%.2sT%.2s:%.2s:%.2sZ\","
                      "\n  \"export_reason\": \"%s\",\n",
                   (int)getpid(), t, t, t + 4, t + 6, t + 9, t + 11, t + 13, s->reason);
  tprof_out_puts("  \"execution_time_ms\": ", f);
  tprof_json_number(f, s->execution_time_ms);
  tprof_out_puts(",\n  \"memory_used_mb\": ", f);
  tprof_json_number(f, mem ? mb(h->current_bytes) : 0);

  tprof_out_puts(",\n  \"operation_timings\": {", f);
  write_operation_timings(f, s);
  tprof_out_puts("},\n  \"slow_operations\": [", f);
  for (size_t i = 0, k = 0; i < s->nops; i++)
    if (is_slow(ms(s, s->ops[i].total_ticks))) {
      tprof_out_puts(k++ ? ", [" : "[", f);
      tprof_json_string(f, s->ops[i].name);
      tprof_out_puts(", ", f);
      tprof_json_number(f, ms(s, s->ops[i].total_ticks));
      tprof_out_putc(']', f);
    }

  tprof_out_printf(f, "],\n  \"profile_data\": {\"enabled\": %s, \"total_calls\": %llu, \"total_time\": ",
          tprof_cfg.cpu_profiling_enabled ? "true" : "false", (unsigned long long)s->total_calls);
  tprof_json_number(f, s->total_self_s);
  tprof_out_puts(", \"top_functions\": [", f);
  for (size_t i = 0; i < s->nfuncs && i < TOP_N; i++) {
    tprof_out_puts(i ? ", [" : "[", f);
    tprof_json_string(f, s->funcs[i].info->name);
    tprof_out_printf(f, ", %llu, ", (unsigned long long)s->funcs[i].calls);
    tprof_json_number(f, ms(s, s->funcs[i].self_ticks) / 1e3);
    tprof_out_puts(", ", f);
    tprof_json_number(f, ms(s, s->funcs[i].inclusive_ticks) / 1e3);
    tprof_out_putc(']', f);
  }

  tprof_out_printf(f, "]},\n  \"memory_allocation_data\": {\"enabled\": %s, \"peak_memory_mb\": ", mem ? "true" : "false");
  tprof_json_number(f, mb(h->peak_bytes));
  tprof_out_puts(", \"current_memory_mb\": ", f);
  tprof_json_number(f, mb(h->current_bytes));
  tprof_out_printf(f, ", \"allocation_count\": %llu, \"deallocation_count\": %llu, \"net_allocations\": %lld, \"top_allocators\": [",
          (unsigned long long)h->allocation_count, (unsigned long long)h->deallocation_count,
          (long long)(h->allocation_count - h->deallocation_count));
  for (size_t i = 0; i < s->nsites && i < TOP_N; i++) {
    tprof_out_puts(i ? ", [" : "[", f);
    tprof_json_string(f, s->sites[i].location);
    tprof_out_puts(", ", f);
    tprof_json_number(f, mb(s->sites[i].st.allocated_bytes));
    tprof_out_putc(']', f);
  }
  tprof_out_puts("]},\n", f);

  tprof_out_puts("  \"config\": ", f);
  write_config(f);
  tprof_out_printf(f, ",\n  \"clock\": {\"source\": \"%s\", \"ticks_per_ns\": ", tprof_clock_uses_tsc ? "tsc" : "clock_gettime");
  tprof_json_number(f, 1.0 / (s->ms_per_tick * 1e6));
  tprof_out_printf(f, "},\n  \"runtime_memory_mb\": ");
  tprof_json_number(f, mb(tprof_mem_mapped_bytes() + tprof_heap_shadow_bytes()));
  tprof_out_printf(f, ",\n  \"threads_seen\": %u,\n  \"functions\": [", tprof_threads_seen());
  for (size_t i = 0; i < s->nfuncs; i++) {
    const func_row *r = &s->funcs[i];
    tprof_out_puts(i ? ",\n    {\"id\": " : "\n    {\"id\": ", f);
    tprof_out_printf(f, "%u, \"name\": ", r->id);
    tprof_json_string(f, r->info->name);
    if (r->info->flags & TPROF_FUNC_OPERATION && r->info->op_name) {
      tprof_out_puts(", \"operation\": ", f);
      tprof_json_string(f, r->info->op_name);
    }
    tprof_out_printf(f, ", \"kind\": \"%s\"",
                     r->info->is_region ? "region" : r->info->flags & TPROF_FUNC_OPERATION ? "operation" : "function");
    tprof_out_puts(", \"file\": ", f);
    tprof_json_string(f, r->info->file);
    tprof_out_printf(f, ", \"line\": %u, \"calls\": %llu, \"primitive_calls\": %llu, \"self_ms\": ", r->info->line,
            (unsigned long long)r->calls, (unsigned long long)r->primitive_calls);
    tprof_json_number(f, ms(s, r->self_ticks));
    tprof_out_puts(", \"inclusive_ms\": ", f);
    tprof_json_number(f, ms(s, r->inclusive_ticks));
    tprof_out_printf(f, ", \"is_operation\": %s, \"timed\": %s}", r->info->flags & TPROF_FUNC_OPERATION ? "true" : "false",
                     r->info->flags & (TPROF_FUNC_TIMED | TPROF_FLAG_REGION) ? "true" : "false");
  }
  tprof_out_puts("],\n  \"operations\": [", f);
  for (size_t i = 0; i < s->nops; i++) {
    const op_row *o = &s->ops[i];
    tprof_out_puts(i ? ",\n    {\"name\": " : "\n    {\"name\": ", f);
    tprof_json_string(f, o->name);
    tprof_out_puts(", \"function\": ", f);
    tprof_json_string(f, o->function);
    tprof_out_printf(f, ", \"function_id\": %u, \"calls\": %llu, \"total_ms\": ", o->id, (unsigned long long)o->calls);
    tprof_json_number(f, ms(s, o->total_ticks));
    tprof_out_puts(", \"mean_ms\": ", f);
    tprof_json_number(f, o->calls ? ms(s, o->total_ticks) / o->calls : 0);
    tprof_out_puts(", \"max_ms\": ", f);
    tprof_json_number(f, ms(s, o->max_call_ticks));
    tprof_out_puts(", \"type\": ", f);
    tprof_json_string(f, op_type(o->name, type, sizeof type));
    tprof_out_printf(f, ", \"slow\": %s}", is_slow(ms(s, o->total_ticks)) ? "true" : "false");
  }
  /* top_allocators as records (every site, not only the first TOP_N) */
  tprof_out_puts("],\n  \"allocation_sites\": [", f);
  for (size_t i = 0; mem && i < s->nsites; i++) {
    const site_row *r = &s->sites[i];
    tprof_out_puts(i ? ",\n    {\"location\": " : "\n    {\"location\": ", f);
    tprof_json_string(f, r->location);
    tprof_out_puts(", \"function\": ", f);
    tprof_json_string(f, r->info ? r->info->function : "");
    tprof_out_printf(f, ", \"allocations\": %llu, \"deallocations\": %llu, \"allocated_bytes\": %llu, \"allocated_mb\": ",
                     (unsigned long long)r->st.allocations, (unsigned long long)r->st.deallocations,
                     (unsigned long long)r->st.allocated_bytes);
    tprof_json_number(f, mb(r->st.allocated_bytes));
    tprof_out_printf(f, ", \"live_blocks\": %llu, \"live_bytes\": %llu}", (unsigned long long)r->st.live_blocks,
                     (unsigned long long)r->st.live_bytes);
  }
  tprof_out_putc(']', f);
  tprof_calls_export calls = {&s->tree, s->ms_per_tick * 1e6, s->ms_per_tick, tprof_origin_ticks,
                              s->timeline, s->ntimeline, s->timeline_dropped};
  tprof_write_calls(f, &calls);
  tprof_out_printf(f, ",\n  \"heap\": {\"allocated_bytes\": %llu, \"freed_bytes\": %llu, \"current_bytes\": %llu, "
             "\"peak_bytes\": %llu, \"allocation_count\": %llu, \"deallocation_count\": %llu, "
             "\"reallocation_count\": %llu, \"failed_allocations\": %llu, \"untracked_frees\": %llu, "
             "\"live_blocks\": %llu, \"traced_events\": %llu, \"dropped_traces\": %llu, \"taken_mid_update\": %s},\n",
          (unsigned long long)h->allocated_bytes, (unsigned long long)h->freed_bytes,
          (unsigned long long)h->current_bytes, (unsigned long long)h->peak_bytes,
          (unsigned long long)h->allocation_count, (unsigned long long)h->deallocation_count,
          (unsigned long long)h->reallocation_count, (unsigned long long)h->failed_allocations,
          (unsigned long long)h->untracked_frees, (unsigned long long)h->live_blocks,
          (unsigned long long)h->traced_events, (unsigned long long)h->dropped_traces,
          s->heap_mid_update ? "true" : "false");
  const tprof_resources *r = &s->res;
  tprof_out_printf(f, "  \"resource_usage\": {\"enabled\": %s, \"user_cpu_ms\": ", res ? "true" : "false");
  tprof_json_number(f, r->user_cpu_ms);
  tprof_out_puts(", \"system_cpu_ms\": ", f);
  tprof_json_number(f, r->system_cpu_ms);
  tprof_out_puts(", \"max_rss_mb\": ", f);
  tprof_json_number(f, r->max_rss_mb);
  tprof_out_printf(f, ", \"minor_page_faults\": %ld, \"major_page_faults\": %ld, \"voluntary_context_switches\": %ld, "
             "\"involuntary_context_switches\": %ld}\n}\n",
          r->minor_faults, r->major_faults, r->voluntary_switches, r->involuntary_switches);
}

static void csv_num(tprof_out *f, double v) {
  tprof_out_putc(',', f);
  tprof_json_number(f, v);
}

static void write_timings(tprof_out *f, const snapshot *s) {
  tprof_out_puts("operation,function,calls,total_ms,mean_ms,max_ms,is_slow\n", f);
  for (size_t i = 0; i < s->nops; i++) {
    const op_row *o = &s->ops[i];
    double total = ms(s, o->total_ticks);
    tprof_csv_field(f, o->name);
    tprof_out_putc(',', f);
    tprof_csv_field(f, o->function);
    tprof_out_printf(f, ",%llu", (unsigned long long)o->calls);
    csv_num(f, total);
    csv_num(f, o->calls ? total / o->calls : 0);
    csv_num(f, ms(s, o->max_call_ticks));
    tprof_out_printf(f, ",%d\n", is_slow(total));
  }
}

static void write_cpu_functions(tprof_out *f, const snapshot *s) {
  int per_thread = s->thread_funcs != NULL;
  if (per_thread) tprof_out_puts("thread,", f);
  tprof_out_puts("function,file,line,calls,primitive_calls,self_ms,inclusive_ms,self_per_call_us,inclusive_per_call_us,"
        "is_operation,timed\n", f);
  size_t n = per_thread ? s->nthread_funcs : s->nfuncs;
  for (size_t i = 0; i < n; i++) {
    const func_row *r = per_thread ? &s->thread_funcs[i] : &s->funcs[i];
    double self = ms(s, r->self_ticks), incl = ms(s, r->inclusive_ticks);
    if (per_thread) tprof_out_printf(f, "%u,", r->thread);
    tprof_csv_field(f, r->info->name);
    tprof_out_putc(',', f);
    tprof_csv_field(f, r->info->file);
    tprof_out_printf(f, ",%u,%llu,%llu", r->info->line, (unsigned long long)r->calls, (unsigned long long)r->primitive_calls);
    csv_num(f, self);
    csv_num(f, incl);
    csv_num(f, r->calls ? self * 1e3 / r->calls : 0);
    csv_num(f, r->calls ? incl * 1e3 / r->calls : 0);
    tprof_out_printf(f, ",%d,%d\n", r->info->flags & TPROF_FUNC_OPERATION ? 1 : 0,
                     r->info->flags & (TPROF_FUNC_TIMED | TPROF_FLAG_REGION) ? 1 : 0);
  }
}

static void write_memory_summary(tprof_out *f, const snapshot *s) {
  const tprof_heap_totals *h = &s->heap;
  tprof_out_printf(f, "{\n  \"schema_version\": %d,\n  \"program_id\": ", TPROF_SCHEMA_VERSION);
  tprof_json_string(f, tprof_cfg.program_id);
  tprof_out_printf(f, ",\n  \"pid\": %d,\n  \"enabled\": %s,\n", (int)getpid(),
          tprof_cfg.memory_tracking_enabled ? "true" : "false");
  tprof_out_printf(f, "  \"allocation_count\": %llu,\n  \"deallocation_count\": %llu,\n  \"reallocation_count\": %llu,\n"
             "  \"net_allocations\": %lld,\n  \"allocated_bytes\": %llu,\n  \"freed_bytes\": %llu,\n"
             "  \"current_bytes\": %llu,\n  \"peak_bytes\": %llu,\n  \"peak_memory_mb\": ",
          (unsigned long long)h->allocation_count, (unsigned long long)h->deallocation_count,
          (unsigned long long)h->reallocation_count, (long long)(h->allocation_count - h->deallocation_count),
          (unsigned long long)h->allocated_bytes, (unsigned long long)h->freed_bytes,
          (unsigned long long)h->current_bytes, (unsigned long long)h->peak_bytes);
  tprof_json_number(f, mb(h->peak_bytes));
  tprof_out_puts(",\n  \"current_memory_mb\": ", f);
  tprof_json_number(f, mb(h->current_bytes));
  tprof_out_printf(f, ",\n  \"live_blocks\": %llu,\n  \"failed_allocations\": %llu,\n  \"untracked_frees\": %llu,\n"
             "  \"sites\": %zu,\n  \"traced_events\": %llu,\n  \"dropped_traces\": %llu,\n"
             "  \"max_traced_allocations\": %ld,\n  \"leaks\": [",
          (unsigned long long)h->live_blocks, (unsigned long long)h->failed_allocations,
          (unsigned long long)h->untracked_frees, s->nsites, (unsigned long long)h->traced_events,
          (unsigned long long)h->dropped_traces, tprof_cfg.max_traced_allocations);
  /* sites are sorted by allocated bytes; leaks by live bytes */
  size_t k = 0;
  site_row **leaks = tprof_mem_alloc_temp((s->nsites ? s->nsites : 1) * sizeof *leaks);
  for (size_t i = 0; leaks && i < s->nsites; i++)
    if (s->sites[i].st.live_blocks) leaks[k++] = &s->sites[i];
  for (size_t i = 1; i < k; i++) /* insertion sort: few leak sites */
    for (size_t j = i; j && leaks[j]->st.live_bytes > leaks[j - 1]->st.live_bytes; j--) {
      site_row *t = leaks[j]; leaks[j] = leaks[j - 1]; leaks[j - 1] = t;
    }
  for (size_t i = 0; i < k; i++) {
    tprof_out_puts(i ? ",\n    {\"location\": " : "\n    {\"location\": ", f);
    tprof_json_string(f, leaks[i]->location);
    tprof_out_puts(", \"function\": ", f);
    tprof_json_string(f, leaks[i]->info->function);
    tprof_out_printf(f, ", \"live_blocks\": %llu, \"live_bytes\": %llu}", (unsigned long long)leaks[i]->st.live_blocks,
            (unsigned long long)leaks[i]->st.live_bytes);
  }
  tprof_mem_free(leaks);
  tprof_out_puts("]\n}\n", f);
}

static void write_allocators(tprof_out *f, const snapshot *s) {
  tprof_out_puts("location,function,file,line,allocations,deallocations,allocated_bytes,live_blocks,live_bytes,size_mb\n", f);
  for (size_t i = 0; i < s->nsites; i++) {
    const site_row *r = &s->sites[i];
    tprof_csv_field(f, r->location);
    tprof_out_putc(',', f);
    tprof_csv_field(f, r->info->function);
    tprof_out_putc(',', f);
    tprof_csv_field(f, r->info->file);
    tprof_out_printf(f, ",%u,%llu,%llu,%llu,%llu,%llu", r->info->line, (unsigned long long)r->st.allocations,
            (unsigned long long)r->st.deallocations, (unsigned long long)r->st.allocated_bytes,
            (unsigned long long)r->st.live_blocks, (unsigned long long)r->st.live_bytes);
    csv_num(f, mb(r->st.allocated_bytes));
    tprof_out_putc('\n', f);
  }
}

static void site_location(uint32_t id, char *out, size_t n) {
  const tprof_site_info *si = tprof_site_info_get(id);
  if (!si) snprintf(out, n, "unknown");
  else if (*si->file && si->line) snprintf(out, n, "%s:%u", si->file, si->line);
  else snprintf(out, n, "%s", si->function);
}

static void write_traces(tprof_out *f, const snapshot *s) {
  tprof_out_puts("seq,time_ms,event,size_bytes,address,location,thread\n", f);
  char loc[512];
  for (size_t i = 0; i < s->ntraces; i++) {
    const tprof_trace *t = &s->traces[i];
    tprof_out_printf(f, "%llu", (unsigned long long)t->seq);
    csv_num(f, t->ticks > tprof_origin_ticks ? ms(s, t->ticks - tprof_origin_ticks) : 0);
    tprof_out_printf(f, ",%s,%llu,0x%llx,", tprof_event_names[t->event], (unsigned long long)t->size,
            (unsigned long long)t->address);
    site_location(t->site, loc, sizeof loc);
    tprof_csv_field(f, loc);
    tprof_out_printf(f, ",%u\n", t->thread);
  }
}

static int by_self_desc(const void *a, const void *b) {
  const func_row *const *x = a, *const *y = b;
  if ((*x)->self_ticks != (*y)->self_ticks) return (*x)->self_ticks < (*y)->self_ticks ? 1 : -1;
  return (*x)->id < (*y)->id ? -1 : (*x)->id > (*y)->id;
}

/* cProfile's tottime order: where the time is spent, not which wrappers
 * (main, a dispatch loop) enclose it. */
static void write_report_by_self(tprof_out *f, const snapshot *s) {
  if (!tprof_cfg.cpu_profiling_enabled) return;
  const func_row **rows = tprof_mem_alloc_temp((s->nfuncs ? s->nfuncs : 1) * sizeof *rows);
  if (!rows) return;
  for (size_t i = 0; i < s->nfuncs; i++) rows[i] = &s->funcs[i];
  tprof_sort(rows, s->nfuncs, sizeof *rows, by_self_desc);
  tprof_out_puts("\n## Top functions by self time\n\n| function | calls | self ms | self % | inclusive ms | location |\n"
                 "|---|---:|---:|---:|---:|---|\n", f);
  for (size_t i = 0; i < s->nfuncs && i < TOP_N; i++) {
    const func_row *r = rows[i];
    tprof_out_puts("| ", f);
    tprof_md_cell(f, r->info->name);
    tprof_out_printf(f, " | %llu | %.3f | %.1f | %.3f | ", (unsigned long long)r->calls, ms(s, r->self_ticks),
                     s->total_self_s > 0 ? ms(s, r->self_ticks) / (s->total_self_s * 10) : 0.0,
                     ms(s, r->inclusive_ticks));
    char loc[512];
    snprintf(loc, sizeof loc, "%s:%u", r->info->file, r->info->line);
    tprof_md_cell(f, loc);
    tprof_out_puts(" |\n", f);
  }
  tprof_mem_free(rows);
}

static void write_report(tprof_out *f, const snapshot *s) {
  const tprof_heap_totals *h = &s->heap;
  tprof_out_puts("# tprof performance report: ", f);
  tprof_md_cell(f, tprof_cfg.program_id);
  tprof_out_printf(f, "\n\nProcess %d, exported %s (%s).\n\n## Summary\n\n| figure | value |\n|---|---|\n",
          (int)getpid(), s->timestamp, s->reason);
  tprof_out_printf(f, "| execution time | %.3f ms |\n| instrumented calls | %llu |\n| time in instrumented code | %.3f ms |\n",
          s->execution_time_ms, (unsigned long long)s->total_calls, s->total_self_s * 1e3);
  tprof_out_printf(f, "| operations | %zu |\n| heap peak | %.3f MB |\n| heap at export | %.3f MB |\n", s->nops,
          mb(h->peak_bytes), mb(h->current_bytes));
  tprof_out_printf(f, "| allocations / frees | %llu / %llu |\n| threads | %u |\n\n", (unsigned long long)h->allocation_count,
          (unsigned long long)h->deallocation_count, tprof_threads_seen());

  tprof_out_printf(f, "## Operations\n\nSlow means a total above %.3f ms.\n\n", tprof_cfg.slow_operation_threshold_ms);
  if (!s->nops) tprof_out_puts("No operations ran.\n", f);
  else tprof_out_puts("| operation | calls | total ms | mean ms | max ms | slow |\n|---|---:|---:|---:|---:|---|\n", f);
  for (size_t i = 0; i < s->nops; i++) {
    const op_row *o = &s->ops[i];
    double total = ms(s, o->total_ticks);
    tprof_out_puts("| ", f);
    tprof_md_cell(f, o->name);
    tprof_out_printf(f, " | %llu | %.3f | %.3f | %.3f | %s |\n", (unsigned long long)o->calls, total,
            o->calls ? total / o->calls : 0, ms(s, o->max_call_ticks), is_slow(total) ? "yes" : "");
  }

  tprof_out_puts("\n## Top functions by inclusive time\n\n", f);
  if (!tprof_cfg.cpu_profiling_enabled) tprof_out_puts("CPU profiling was off.\n", f);
  else tprof_out_puts("| function | calls | self ms | inclusive ms | location |\n|---|---:|---:|---:|---|\n", f);
  for (size_t i = 0; tprof_cfg.cpu_profiling_enabled && i < s->nfuncs && i < TOP_N; i++) {
    const func_row *r = &s->funcs[i];
    tprof_out_puts("| ", f);
    tprof_md_cell(f, r->info->name);
    tprof_out_printf(f, " | %llu | %.3f | %.3f | ", (unsigned long long)r->calls, ms(s, r->self_ticks),
            ms(s, r->inclusive_ticks));
    char loc[512];
    snprintf(loc, sizeof loc, "%s:%u", r->info->file, r->info->line);
    tprof_md_cell(f, loc);
    tprof_out_puts(" |\n", f);
  }

  write_report_by_self(f, s);

  tprof_out_puts("\n## Memory\n\n", f);
  if (!tprof_cfg.memory_tracking_enabled) {
    tprof_out_puts("Memory tracking was off.\n", f);
  } else {
    tprof_out_printf(f, "%llu allocations (%llu bytes), %llu frees, peak %llu bytes, %llu bytes in %llu blocks still live "
               "at export. %llu frees of memory tprof did not see allocated.\n\n",
            (unsigned long long)h->allocation_count, (unsigned long long)h->allocated_bytes,
            (unsigned long long)h->deallocation_count, (unsigned long long)h->peak_bytes,
            (unsigned long long)h->current_bytes, (unsigned long long)h->live_blocks,
            (unsigned long long)h->untracked_frees);
    if (s->nsites) tprof_out_puts("| site | allocations | bytes | live blocks | live bytes |\n|---|---:|---:|---:|---:|\n", f);
    for (size_t i = 0; i < s->nsites && i < TOP_N; i++) {
      tprof_out_puts("| ", f);
      tprof_md_cell(f, s->sites[i].location);
      tprof_out_printf(f, " | %llu | %llu | %llu | %llu |\n", (unsigned long long)s->sites[i].st.allocations,
              (unsigned long long)s->sites[i].st.allocated_bytes, (unsigned long long)s->sites[i].st.live_blocks,
              (unsigned long long)s->sites[i].st.live_bytes);
    }
  }

  tprof_out_puts("\n## Resource usage\n\n", f);
  if (!tprof_cfg.resource_monitoring_enabled) {
    tprof_out_puts("Resource monitoring was off.\n", f);
  } else {
    const tprof_resources *r = &s->res;
    tprof_out_printf(f, "| figure | value |\n|---|---|\n| user CPU | %.3f ms |\n| system CPU | %.3f ms |\n"
               "| max RSS | %.3f MB |\n| page faults (minor / major) | %ld / %ld |\n"
               "| context switches (voluntary / involuntary) | %ld / %ld |\n",
            r->user_cpu_ms, r->system_cpu_ms, r->max_rss_mb, r->minor_faults, r->major_faults,
            r->voluntary_switches, r->involuntary_switches);
  }
}

/* ---- files on disk ---- */

static int make_dirs(const char *path) {
  char buf[4096];
  snprintf(buf, sizeof buf, "%s", path);
  for (char *p = buf + 1; *p; p++) {
    if (*p != '/') continue;
    *p = '\0';
    if (mkdir(buf, 0777) != 0 && errno != EEXIST) return -1;
    *p = '/';
  }
  if (mkdir(buf, 0777) != 0 && errno != EEXIST) return -1;
  struct stat st;
  if (stat(buf, &st) != 0) return -1;
  if (!S_ISDIR(st.st_mode)) { errno = ENOTDIR; return -1; }
  return 0;
}

/* Where the sets go: output_dir made absolute when it was set (start-up,
 * or an API call that changed it), not at each export: a program that
 * chdir()s (a daemon goes to /) would otherwise scatter its sets, or write
 * where its user never looks. tprof_cfg keeps the value as given. getcwd
 * allocates nothing when given a buffer. */
static char resolved_dir[sizeof tprof_cfg.output_dir], resolved_from[sizeof tprof_cfg.output_dir];

void tprof_output_dir_resolve(void) {
  const char *dir = tprof_cfg.output_dir;
  if (resolved_from[0] && !strcmp(dir, resolved_from))
    return;
  memcpy(resolved_from, dir, sizeof resolved_from);
  memcpy(resolved_dir, dir, sizeof resolved_dir);
  if (!dir[0] || dir[0] == '/')
    return;
  char cwd[sizeof resolved_dir];
  if (!getcwd(cwd, sizeof cwd)) {
    tprof_warn("cannot read the working directory (%s); output_dir %s stays relative", strerror(errno), dir);
    return;
  }
  if (snprintf(resolved_dir, sizeof resolved_dir, "%s/%s", cwd, dir) >= (int)sizeof resolved_dir) {
    tprof_warn("output_dir %s/%s is too long; it stays relative to the working directory", cwd, dir);
    memcpy(resolved_dir, dir, sizeof resolved_dir);
  }
}

static const char *output_dir(void) { return resolved_dir[0] ? resolved_dir : tprof_cfg.output_dir; }

typedef void (*writer_fn)(tprof_out *, const snapshot *);

/* The temporary name of a file of the set: hidden, in the same directory
 * (so the rename is atomic), and ours (pid). */
static void temp_name(const char *final, char *tmp, size_t n) {
  const char *slash = strrchr(final, '/');
  size_t dirlen = slash ? (size_t)(slash - final + 1) : 0;
  if (snprintf(tmp, n, "%.*s.%s.%d.tmp", (int)dirlen, final, final + dirlen, (int)getpid()) >= (int)n)
    tmp[n - 1] = '\0'; /* the output directory's length is bounded well below this */
}

/* Writes one file under its temporary name. Created exclusively and never
 * through a symlink: something planted at that name is removed, not
 * followed. */
static int write_temp(const char *tmp, writer_fn fill, const snapshot *s) {
  int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
  if (fd < 0 && errno == EEXIST && unlink(tmp) == 0) /* a leftover of an earlier process with our pid, or a planted link */
    fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
  if (fd < 0) {
    tprof_error("cannot create %s: %s; no profile written", tmp, strerror(errno));
    return -1;
  }
  static char buffer[1 << 16]; /* one export at a time (the exporting flag) */
  tprof_out out = {fd, buffer, sizeof buffer, 0, 0};
  fill(&out, s);
  int rc = tprof_out_flush(&out);
  if (close(fd) != 0 && rc == 0) {
    out.error = errno;
    rc = -1;
  }
  if (rc != 0) {
    tprof_error("cannot write %s: %s; no profile written", tmp, strerror(out.error));
    unlink(tmp);
    return -1;
  }
  return 0;
}

static const struct {
  const char *suffix;
  writer_fn fill;
} set_files[] = {
    {"timings.csv", write_timings},           {"cpu_functions.csv", write_cpu_functions},
    {"memory_summary.json", write_memory_summary}, {"memory_allocators.csv", write_allocators},
    {"memory_traces.csv", write_traces},      {"performance_report.md", write_report},
    {"metrics.json", write_metrics}, /* last: once it is there, the whole set is */
};
#define SET_SIZE (sizeof set_files / sizeof set_files[0])

static int is_set_file_name(const char *name, size_t len) {
  for (size_t i = 0; i < SET_SIZE; i++) {
    size_t k = strlen(set_files[i].suffix);
    if (len > k && name[len - k - 1] == '_' && strncmp(name + len - k, set_files[i].suffix, k) == 0)
      return 1;
  }
  return 0;
}

/* All seven files are written under temporary names first, then renamed:
 * an error (a full disk, a size limit) leaves no file of this set behind,
 * and a reader never sees half a file. A rename replaces a symlink at the
 * final name instead of writing through it. */
static int write_set(const char *prefix, const snapshot *s) {
  static char finals[SET_SIZE][4608], temps[SET_SIZE][4700];
  size_t made = 0;
  int rc = 0;
  for (; made < SET_SIZE && rc == 0; made++) {
    snprintf(finals[made], sizeof finals[made], "%s%s", prefix, set_files[made].suffix);
    temp_name(finals[made], temps[made], sizeof temps[made]);
    if ((rc = write_temp(temps[made], set_files[made].fill, s)) != 0)
      break;
  }
  for (size_t i = 0; i < made && rc == 0; i++)
    if (rename(temps[i], finals[i]) != 0) {
      tprof_error("cannot rename %s to %s: %s; the file set is incomplete", temps[i], finals[i],
              strerror(errno));
      rc = -1;
      for (size_t j = i; j < made; j++) unlink(temps[j]);
    }
  if (rc != 0 && made < SET_SIZE)
    for (size_t i = 0; i < made; i++) unlink(temps[i]);
  return rc;
}

static void safe_id(const char *id, char *out, size_t n) {
  size_t i = 0;
  for (; id[i] && i + 1 < n && i < 200; i++) {
    char c = id[i];
    int ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '-' ||
             c == '_';
    out[i] = ok ? c : '_';
  }
  out[i] = '\0';
  if (!i || !strcmp(out, ".") || !strcmp(out, "..")) snprintf(out, n, "program");
}

/* YYYYMMDD_HHMMSS in UTC, computed here: glibc's gmtime and localtime read
 * the time-zone files with malloc, which an export must not do. */
static void utc_stamp(time_t t, char *out, size_t n) {
  long long secs = (long long)t, days = secs / 86400, rem = secs % 86400;
  if (rem < 0) { rem += 86400; days--; }
  /* civil date from days since 1970-01-01 (proleptic Gregorian calendar) */
  long long z = days + 719468, era = (z >= 0 ? z : z - 146096) / 146097;
  long long doe = z - era * 146097, yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  long long doy = doe - (365 * yoe + yoe / 4 - yoe / 100), mp = (5 * doy + 2) / 153;
  long long d = doy - (153 * mp + 2) / 5 + 1, m = mp < 10 ? mp + 3 : mp - 9, y = yoe + era * 400 + (m <= 2);
  snprintf(out, n, "%04d%02d%02d_%02d%02d%02d", (int)(y % 10000), (int)m, (int)d, (int)(rem / 3600),
           (int)(rem / 60 % 60), (int)(rem % 60));
}

/* One export at a time. Another thread's export (a snapshot, or a second
 * thread exiting) is waited for, so the final set is never lost; our own
 * (a signal handler interrupting an export) is not, it would never end. */
static int export_owner;
static int snapshots_closed;
/* calls + allocations + frees in the last file set written; UINT64_MAX before the first */
uint64_t tprof_exported_events = UINT64_MAX;
static char fixed_stamp[32]; /* with flush_interval_ms: every set of the process has one name */

static int export_begin(void) {
  int self = (int)gettid();
  for (int waited_ms = 0;; waited_ms++) {
    int expected = 0;
    if (__atomic_compare_exchange_n(&export_owner, &expected, self, 0, __ATOMIC_ACQUIRE, __ATOMIC_RELAXED))
      return 0;
    if (expected == self || waited_ms >= 30000) {
      tprof_warn("an export is already running; this one is skipped");
      return -1;
    }
    struct timespec ms = {0, 1000000};
    nanosleep(&ms, NULL);
  }
}

/* The final export is coming (flush.c): no snapshot may start after it. */
void tprof_export_close_snapshots(void) { __atomic_store_n(&snapshots_closed, 1, __ATOMIC_RELEASE); }

void tprof_export_fork_child(void) {
  fixed_stamp[0] = '\0';
  __atomic_store_n(&export_owner, 0, __ATOMIC_RELEASE); /* its owner, if any, is not in the child */
}

int tprof_export_now(tprof_export_reason reason, char *prefix_out, size_t prefix_len) {
  if (tprof_in_unknown_child()) /* before export_begin: a vfork child shares export_owner */
    return -1;
  if (export_begin() != 0)
    return -1;
  if (reason == TPROF_REASON_SNAPSHOT && __atomic_load_n(&snapshots_closed, __ATOMIC_ACQUIRE)) {
    __atomic_store_n(&export_owner, 0, __ATOMIC_RELEASE);
    return 0;
  }
  int saved_errno = errno;
  /* A file size limit (ulimit -f) must make a write fail, not kill the program. */
  struct sigaction ignore_xfsz = {.sa_handler = SIG_IGN}, old_xfsz;
  int xfsz_saved = sigaction(SIGXFSZ, &ignore_xfsz, &old_xfsz) == 0;
  uint64_t now = tprof_now();
  snapshot s = {0};
  char stamp[32], id[256], prefix[4400];
  utc_stamp(time(NULL), stamp, sizeof stamp);
  s.timestamp = stamp;
  static const char *const reasons[] = {"exit", "api", "signal", "exec", "snapshot"};
  s.reason = reasons[reason];
  s.ms_per_tick = 1.0 / tprof_ticks_per_ns() / 1e6;
  s.execution_time_ms = ms(&s, now - tprof_origin_ticks);
  all_open_frames = reason == TPROF_REASON_SNAPSHOT;
  if (tprof_cfg.flush_interval_ms > 0 && !fixed_stamp[0])
    memcpy(fixed_stamp, stamp, sizeof fixed_stamp);
  const char *name_stamp = tprof_cfg.flush_interval_ms > 0 || fixed_stamp[0] ? fixed_stamp : stamp;

  int rc = -1;
  /* The function and site tables stay put while we read them; signals wait
   * until the set is written (a handler's instrumented code would need the
   * registry, and a SIGTERM would otherwise kill a half-written set). */
  sigset_t mask;
  s.ncallsites = tprof_callsites_get(&s.callsites);
  tprof_registry_lock(&mask);
  if (gather_functions(&s, now) == 0 && gather_heap(&s) == 0 &&
      (!tprof_cfg.cpu_functions_per_thread || gather_thread_functions(&s, now) == 0)) {
    if (tprof_cfg.resource_monitoring_enabled) tprof_resources_get(&s.res);
    safe_id(tprof_cfg.program_id, id, sizeof id);
    if (tprof_copy_name()[0]) { /* one of several runtimes in the process: a set of its own (copies.c) */
      char lib[128];
      safe_id(tprof_copy_name(), lib, sizeof lib);
      size_t n = strlen(id);
      snprintf(id + n, sizeof id - n, ".%s", lib);
    }
    const char *dir = output_dir();
    snprintf(prefix, sizeof prefix, "%s/%s_%s_%d_", dir, id, name_stamp, (int)getpid());
    if (make_dirs(dir) != 0) {
      tprof_error("cannot create the output directory %s: %s; no profile written", dir,
              strerror(errno));
    } else {
      tprof_remove_stale_temps(dir, is_set_file_name);
      rc = write_set(prefix, &s);
      if (rc == 0 && reason != TPROF_REASON_SNAPSHOT)
        tprof_exported_events = s.total_calls + s.heap.allocation_count + s.heap.deallocation_count;
      if (rc == 0)
        tprof_note("wrote %s*", prefix);
      if (rc == 0 && prefix_out && prefix_len)
        snprintf(prefix_out, prefix_len, "%s", prefix);
    }
  } else {
    tprof_error("out of memory while exporting; no profile written");
  }
  tprof_registry_unlock(&mask);
  tprof_mem_free(s.funcs);
  tprof_mem_free(s.ops);
  tprof_mem_free(s.sites);
  tprof_mem_free(s.traces);
  tprof_calltree_free(&s.tree);
  tprof_mem_free(s.callsites);
  tprof_mem_free(s.timeline);
  tprof_mem_free(s.thread_funcs);
  all_open_frames = 0;
  if (xfsz_saved)
    sigaction(SIGXFSZ, &old_xfsz, NULL);
  errno = saved_errno;
  __atomic_store_n(&export_owner, 0, __ATOMIC_RELEASE);
  return rc;
}
