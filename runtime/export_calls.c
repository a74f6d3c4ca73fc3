/* The members of metrics.json about calls: call_graph, the call stacks
 * (a tree per thread, rows referring to their parent) with what their cap
 * folded, and the timeline. The large ones are integers (nanoseconds,
 * function ids) written by hand: printf's "%.9g" cost ~2,000 instructions a
 * number, most of a small program's export. */
#include "calltree.h"

static void put_u64(tprof_out *f, uint64_t v) {
  char b[24];
  size_t i = sizeof b;
  do {
    b[--i] = (char)('0' + v % 10);
    v /= 10;
  } while (v);
  tprof_out_write(f, b + i, sizeof b - i);
}

static uint64_t ns_of(const tprof_calls_export *x, uint64_t ticks) {
  double v = (double)ticks * x->ns_per_tick + 0.5;
  return v >= 1.8e19 ? UINT64_MAX : (uint64_t)v;
}

static int by_inclusive_desc(const void *a, const void *b) {
  const tprof_call_edge *x = a, *y = b;
  if (x->inclusive_ticks != y->inclusive_ticks) return x->inclusive_ticks < y->inclusive_ticks ? 1 : -1;
  if (x->caller != y->caller) return x->caller < y->caller ? -1 : 1;
  return x->callee < y->callee ? -1 : x->callee > y->callee;
}

static void write_call_graph(tprof_out *f, const tprof_calls_export *x) {
  const tprof_calltree *t = x->tree;
  tprof_sort(t->edges, t->nedges, sizeof *t->edges, by_inclusive_desc);
  tprof_out_puts(",\n  \"call_graph\": [", f);
  size_t written = 0;
  for (size_t i = 0; i < t->nedges; i++) {
    const tprof_call_edge *e = &t->edges[i];
    if (!e->calls && !e->inclusive_ticks && !e->self_ticks) continue; /* before a reset */
    tprof_out_puts(written++ ? ",\n    {\"caller\": " : "\n    {\"caller\": ", f);
    put_u64(f, e->caller);
    tprof_out_puts(", \"callee\": ", f);
    put_u64(f, e->callee);
    tprof_out_puts(", \"calls\": ", f);
    put_u64(f, e->calls);
    tprof_out_puts(", \"self_ms\": ", f);
    tprof_json_number(f, (double)e->self_ticks * x->ms_per_tick);
    tprof_out_puts(", \"inclusive_ms\": ", f);
    tprof_json_number(f, (double)e->inclusive_ticks * x->ms_per_tick);
    tprof_out_putc('}', f);
  }
  tprof_out_putc(']', f);
}

static void write_call_stacks(tprof_out *f, const tprof_calls_export *x) {
  const tprof_calltree *t = x->tree;
  tprof_out_puts(",\n  \"call_stacks_limits\": {\"max_rows\": ", f);
  put_u64(f, TPROF_STACK_ROWS_MAX);
  tprof_out_puts(", \"max_depth\": ", f);
  put_u64(f, TPROF_STACK_MAX_DEPTH);
  tprof_out_puts(", \"nodes\": ", f);
  put_u64(f, t->nodes);
  tprof_out_puts(", \"rows\": ", f);
  put_u64(f, t->nrows);
  tprof_out_puts("},\n  \"call_stacks_folded\": [", f);
  size_t written = 0;
  for (uint32_t id = 1; id < t->nfuncs; id++) {
    if (!t->folded_calls[id] && !t->folded_self_ticks[id]) continue;
    tprof_out_puts(written++ ? ",\n    {\"function\": " : "\n    {\"function\": ", f);
    put_u64(f, id);
    tprof_out_puts(", \"calls\": ", f);
    put_u64(f, t->folded_calls[id]);
    tprof_out_puts(", \"self_ns\": ", f);
    put_u64(f, ns_of(x, t->folded_self_ticks[id]));
    tprof_out_putc('}', f);
  }
  tprof_out_puts("],\n  \"call_stacks\": [", f);
  for (size_t i = 0; i < t->nrows; i++) {
    const tprof_stack_row *r = &t->rows[i];
    tprof_out_puts(i ? ",\n    {\"id\": " : "\n    {\"id\": ", f);
    put_u64(f, i + 1);
    tprof_out_puts(", \"parent\": ", f);
    put_u64(f, r->parent);
    tprof_out_puts(", \"function\": ", f);
    put_u64(f, r->func);
    tprof_out_puts(", \"thread\": ", f);
    put_u64(f, r->thread);
    tprof_out_puts(", \"calls\": ", f);
    put_u64(f, r->calls);
    tprof_out_puts(", \"self_ns\": ", f);
    put_u64(f, ns_of(x, r->self_ticks));
    tprof_out_puts(", \"inclusive_ns\": ", f);
    put_u64(f, ns_of(x, r->inclusive_ticks));
    tprof_out_puts(", \"alloc_count\": ", f);
    put_u64(f, r->alloc_count);
    tprof_out_puts(", \"alloc_bytes\": ", f);
    put_u64(f, r->alloc_bytes);
    tprof_out_putc('}', f);
  }
  tprof_out_putc(']', f);
}

static int events_by_start(const void *a, const void *b) {
  const tprof_timeline_event *x = a, *y = b;
  if (x->start != y->start) return x->start < y->start ? -1 : 1;
  return x->end < y->end ? 1 : x->end > y->end ? -1 : 0; /* the enclosing call first */
}

static void write_timeline(tprof_out *f, const tprof_calls_export *x) {
  tprof_sort(x->timeline, x->ntimeline, sizeof *x->timeline, events_by_start);
  tprof_out_puts(",\n  \"timeline\": {\"max_events\": ", f);
  put_u64(f, tprof_cfg.timeline_max_events > 0 ? (uint64_t)tprof_cfg.timeline_max_events : 0);
  tprof_out_puts(", \"dropped_events\": ", f);
  put_u64(f, x->timeline_dropped);
  tprof_out_puts(", \"columns\": [\"function\", \"thread\", \"start_ns\", \"dur_ns\"], \"events\": [", f);
  for (size_t i = 0; i < x->ntimeline; i++) {
    const tprof_timeline_event *e = &x->timeline[i];
    tprof_out_puts(i ? ",\n    [" : "\n    [", f);
    put_u64(f, e->id);
    tprof_out_putc(',', f);
    put_u64(f, e->thread);
    tprof_out_putc(',', f);
    put_u64(f, ns_of(x, e->start > x->origin_ticks ? e->start - x->origin_ticks : 0));
    tprof_out_putc(',', f);
    put_u64(f, ns_of(x, e->end > e->start ? e->end - e->start : 0));
    tprof_out_putc(']', f);
  }
  tprof_out_puts("]}", f);
}

void tprof_write_calls(tprof_out *f, const tprof_calls_export *x) {
  write_call_graph(f, x);
  write_call_stacks(f, x);
  write_timeline(f, x);
}
