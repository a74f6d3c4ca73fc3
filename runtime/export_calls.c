/* The members of metrics.json about calls: call_graph, the call stacks
 * (a tree per thread, rows referring to their parent) with what their cap
 * folded, and the timeline. The large ones are integers (nanoseconds,
 * function ids) written by hand: printf's "%.9g" cost ~2,000 instructions a
 * number, most of a small program's export. */
#include "calltree.h"
#include "number_format.h"

#include <string.h>

/* Rows are written straight into the output buffer (tprof_out_room): a
 * call of the writer per field or number cost more than the digits. The
 * most a call-stack row and a timeline row can take: */
enum { STACK_ROW_MAX = 160 + 9 * 20, TIMELINE_ROW_MAX = 16 + 4 * 20 };

static uint64_t ns_of(const tprof_calls_export *x, uint64_t ticks) {
  double v = tprof_double_of(ticks) * x->ns_per_tick + 0.5;
  if (v < 9.2e18) return (uint64_t)(int64_t)v; /* one instruction, the same value (see snapshot.h's ms) */
  return v >= 1.8e19 ? UINT64_MAX : (uint64_t)v;
}

/* ns / 10^6 as a number, the same text as tprof_format_double writes. */
static void json_ns_as_ms(tprof_out *f, uint64_t ns) {
  char *p = tprof_out_room(f, TPROF_NUMBER_MAX);
  if (p) tprof_out_commit(f, p + tprof_format_ns_as_ms(ns, p));
}

static int by_inclusive_desc(const void *a, const void *b) {
  const tprof_call_edge *x = a, *y = b;
  if (x->inclusive_ticks != y->inclusive_ticks) return x->inclusive_ticks < y->inclusive_ticks ? 1 : -1;
  if (x->caller != y->caller) return x->caller < y->caller ? -1 : 1;
  return x->callee < y->callee ? -1 : x->callee > y->callee;
}

static tprof_sort_key inclusive_desc_key(const void *a) {
  const tprof_call_edge *x = a;
  return (tprof_sort_key){~x->inclusive_ticks, (uint64_t)x->caller << 32 | x->callee};
}

static void write_call_graph(tprof_out *f, const tprof_calls_export *x) {
  const tprof_calltree *t = x->tree;
  tprof_sort_keyed(t->edges, t->nedges, sizeof *t->edges, inclusive_desc_key, by_inclusive_desc);
  tprof_out_puts(",\n  \"call_graph\": [", f);
  size_t written = 0;
  for (size_t i = 0; i < t->nedges; i++) {
    const tprof_call_edge *e = &t->edges[i];
    if (!tprof_call_edge_written(e)) continue; /* before a reset */
    tprof_out_puts_if(written++, ",\n    {\"caller\": ", "\n    {\"caller\": ", f);
    tprof_out_u64(f, e->caller);
    tprof_out_puts(", \"callee\": ", f);
    tprof_out_u64(f, e->callee);
    tprof_out_puts(", \"calls\": ", f);
    tprof_out_u64(f, e->calls);
    tprof_out_puts(", \"self_ms\": ", f);
    json_ns_as_ms(f, ns_of(x, e->self_ticks)); /* to the ns, as snapshot.h's ms() */
    tprof_out_puts(", \"inclusive_ms\": ", f);
    json_ns_as_ms(f, ns_of(x, e->inclusive_ticks));
    tprof_out_putc('}', f);
  }
  tprof_out_putc(']', f);
}

static void write_call_stacks(tprof_out *f, const tprof_calls_export *x) {
  const tprof_calltree *t = x->tree;
  tprof_out_puts(",\n  \"call_stacks_limits\": {\"max_rows\": ", f);
  tprof_out_u64(f, TPROF_STACK_ROWS_MAX);
  tprof_out_puts(", \"max_depth\": ", f);
  tprof_out_u64(f, TPROF_STACK_MAX_DEPTH);
  tprof_out_puts(", \"nodes\": ", f);
  tprof_out_u64(f, t->nodes);
  tprof_out_puts(", \"rows\": ", f);
  tprof_out_u64(f, t->nrows);
  tprof_out_puts("},\n  \"call_stacks_folded\": [", f);
  size_t written = 0;
  for (uint32_t id = 1; id < t->nfuncs; id++) {
    if (!t->folded_calls[id] && !t->folded_self_ticks[id]) continue;
    tprof_out_puts_if(written++, ",\n    {\"function\": ", "\n    {\"function\": ", f);
    tprof_out_u64(f, id);
    tprof_out_puts(", \"calls\": ", f);
    tprof_out_u64(f, t->folded_calls[id]);
    tprof_out_puts(", \"self_ns\": ", f);
    tprof_out_u64(f, ns_of(x, t->folded_self_ticks[id]));
    tprof_out_putc('}', f);
  }
  tprof_out_puts("],\n  \"call_stacks\": [", f);
  for (size_t i = 0; i < t->nrows; i++) {
    const tprof_stack_row *s = &t->rows[i];
    char *p = tprof_out_room(f, STACK_ROW_MAX);
    if (!p) return; /* the file failed: the export reports it */
    p = i ? TPROF_PUT_LITERAL(p, ",\n    {\"id\": ") : TPROF_PUT_LITERAL(p, "\n    {\"id\": ");
    p += tprof_format_u64(i + 1, p);
    p = TPROF_PUT_LITERAL(p, ", \"parent\": ");
    p += tprof_format_u64(s->parent, p);
    p = TPROF_PUT_LITERAL(p, ", \"function\": ");
    p += tprof_format_u64(s->func, p);
    p = TPROF_PUT_LITERAL(p, ", \"thread\": ");
    p += tprof_format_u64(s->thread, p);
    p = TPROF_PUT_LITERAL(p, ", \"calls\": ");
    p += tprof_format_u64(s->calls, p);
    p = TPROF_PUT_LITERAL(p, ", \"self_ns\": ");
    p += tprof_format_u64(ns_of(x, s->self_ticks), p);
    p = TPROF_PUT_LITERAL(p, ", \"inclusive_ns\": ");
    p += tprof_format_u64(ns_of(x, s->inclusive_ticks), p);
    p = TPROF_PUT_LITERAL(p, ", \"alloc_count\": ");
    p += tprof_format_u64(s->alloc_count, p);
    p = TPROF_PUT_LITERAL(p, ", \"alloc_bytes\": ");
    p += tprof_format_u64(s->alloc_bytes, p);
    *p++ = '}';
    tprof_out_commit(f, p);
  }
  tprof_out_putc(']', f);
}

/* A function id's digits, made at its first event: the timeline repeats a
 * few hundred ids over up to timeline_max_events rows. len 0: not yet. */
typedef struct id_digits {
  char text[7];
  uint8_t len;
} id_digits;

static void write_timeline(tprof_out *f, const tprof_calls_export *x) {
  tprof_timeline_sort(x->timeline_events, x->timeline, x->ntimeline);
  tprof_out_puts(",\n  \"timeline\": {\"max_events\": ", f);
  tprof_out_u64(f, tprof_cfg.timeline_max_events > 0 ? (uint64_t)tprof_cfg.timeline_max_events : 0);
  tprof_out_puts(", \"dropped_events\": ", f);
  tprof_out_u64(f, x->timeline_dropped);
  tprof_out_puts(", \"columns\": [\"function\", \"thread\", \"start_ns\", \"dur_ns\"], \"events\": [", f);
  uint32_t nids = x->ntimeline ? x->tree->nfuncs : 0; /* ids of functions registered since: written directly */
  id_digits *ids = nids ? tprof_mem_alloc_temp(nids * sizeof *ids) : NULL;
  for (size_t i = 0; i < x->ntimeline; i++) {
    const tprof_timeline_event *e = &x->timeline_events[x->timeline[i]];
    char *p = tprof_out_room(f, TIMELINE_ROW_MAX);
    if (!p) break;
    p = i ? TPROF_PUT_LITERAL(p, ",\n    [") : TPROF_PUT_LITERAL(p, "\n    [");
    id_digits *d = ids && e->id < nids && e->id < 10000000 ? &ids[e->id] : NULL;
    if (d) {
      if (!d->len) d->len = (uint8_t)tprof_format_u64(e->id, d->text);
      memcpy(p, d->text, sizeof d->text); /* whole: the row's room holds it, the next field overwrites the rest */
      p += d->len;
    } else {
      p += tprof_format_u64(e->id, p);
    }
    *p++ = ',';
    p += tprof_format_u64(e->thread, p);
    *p++ = ',';
    p += tprof_format_u64(ns_of(x, e->start > x->origin_ticks ? e->start - x->origin_ticks : 0), p);
    *p++ = ',';
    p += tprof_format_u64(ns_of(x, e->end > e->start ? e->end - e->start : 0), p);
    *p++ = ']';
    tprof_out_commit(f, p);
  }
  tprof_mem_free(ids);
  tprof_out_puts("]}", f);
}

void tprof_write_calls(tprof_out *f, const tprof_calls_export *x) {
  write_call_graph(f, x);
  write_call_stacks(f, x);
  write_timeline(f, x);
}
