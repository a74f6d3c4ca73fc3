/* performance_report.md: the Markdown summary (docs/FILES.md). */
#include "snapshot.h"

#include <string.h>

/* A function's file:line as a cell. A plain file name (tprof_plain_len)
 * is written as it is, and so are ':' and the digits: no text to print
 * and escape first (a short name, so that the buffer below would not have
 * cut it either). */
static void md_location(tprof_out *f, const func_row *r) {
  const char *file = r->info->file;
  if (!file[r->len.file] && r->len.file < 400) {
    tprof_out_putc('`', f);
    tprof_out_write(f, file, r->len.file);
    tprof_out_putc(':', f);
    tprof_out_u64(f, r->info->line);
    tprof_out_putc('`', f);
    return;
  }
  char loc[512];
  tprof_format(loc, sizeof loc, "%s:%u", file, r->info->line);
  tprof_md_cell(f, loc);
}

/* Whether x comes before y in cProfile's tottime order (self time
 * descending, then id). */
static int before_by_self(const func_row *x, const func_row *y) {
  return x->self_ticks != y->self_ticks ? x->self_ticks > y->self_ticks : x->id < y->id;
}

/* cProfile's tottime order: where the time is spent, not which wrappers
 * (main, a dispatch loop) enclose it. Only the first TOP_N are written:
 * they are kept in order as the rows go by (most rows come after the
 * TOP_N-th and cost one comparison), not found by sorting every row. */
static void write_report_by_self(tprof_out *f, const snapshot *s) {
  if (!tprof_cfg.cpu_profiling_enabled) return;
  const func_row *rows[TOP_N];
  size_t top = 0;
  for (size_t i = 0; i < s->nfuncs; i++) {
    const func_row *r = &s->funcs[i];
    if (top == TOP_N && !before_by_self(r, rows[TOP_N - 1])) continue;
    size_t j = top < TOP_N ? top++ : TOP_N - 1;
    for (; j && before_by_self(r, rows[j - 1]); j--) rows[j] = rows[j - 1];
    rows[j] = r;
  }
  tprof_out_puts(
      "\n## Top functions by self time\n\n| function | calls | self ms | self % | inclusive ms | location |\n"
      "|---|---:|---:|---:|---:|---|\n",
      f);
  const double total_self_ms = tprof_double_of(s->total_self_ns) / 1e6;
  for (size_t i = 0; i < top; i++) {
    const func_row *r = rows[i];
    tprof_out_puts("| ", f);
    tprof_md_cell_n(f, r->info->name, r->len.name);
    tprof_out_puts(" | ", f);
    tprof_out_u64(f, r->calls);
    tprof_out_puts(" | ", f);
    tprof_out_fixed(f, ms(s, r->self_ticks), 3);
    tprof_out_puts(" | ", f);
    tprof_out_fixed(f, total_self_ms > 0 ? ms(s, r->self_ticks) * 100 / total_self_ms : 0.0, 1);
    tprof_out_puts(" | ", f);
    tprof_out_fixed(f, ms(s, r->inclusive_ticks), 3);
    tprof_out_puts(" | ", f);
    md_location(f, r);
    tprof_out_puts(" |\n", f);
  }
}

void tprof_write_report(tprof_out *f, const snapshot *s) {
  const tprof_heap_totals *h = &s->heap;
  tprof_out_puts("# tprof performance report: ", f);
  tprof_md_cell(f, tprof_cfg.program_id);
  tprof_out_printf(f, "\n\nProcess %d, exported %s (%s).\n\n## Summary\n\n| figure | value |\n|---|---|\n",
                   (int)tprof_pid, s->timestamp, s->reason);
  tprof_out_printf(
      f, "| execution time | %.3f ms |\n| instrumented calls | %llu |\n| time in instrumented code | %.3f ms |\n",
      s->execution_time_ms, (unsigned long long)s->total_calls, tprof_double_of(s->total_self_ns) / 1e6);
  tprof_out_printf(f, "| operations | %zu |\n| heap peak | %.3f MB |\n| heap at export | %.3f MB |\n", s->nops,
                   mb(h->peak_bytes), mb(h->current_bytes));
  tprof_out_printf(f, "| allocations / frees | %llu / %llu |\n| threads with timed calls | %u |\n\n",
                   (unsigned long long)h->allocation_count, (unsigned long long)h->deallocation_count,
                   tprof_threads_seen());

  tprof_out_printf(f, "## Operations\n\nSlow means a total above %.3f ms.\n\n", tprof_cfg.slow_operation_threshold_ms);
  if (!s->nops)
    tprof_out_puts("No operations ran.\n", f);
  else
    tprof_out_puts("| operation | calls | total ms | mean ms | max ms | slow |\n|---|---:|---:|---:|---:|---|\n", f);
  for (size_t i = 0; i < s->nops; i++) {
    const op_row *o = &s->ops[i];
    double total = ms(s, o->total_ticks);
    tprof_out_puts("| ", f);
    tprof_md_cell_n(f, o->name, o->name_len);
    tprof_out_puts(" | ", f);
    tprof_out_u64(f, o->calls);
    tprof_out_puts(" | ", f);
    tprof_out_fixed(f, total, 3);
    tprof_out_puts(" | ", f);
    tprof_out_fixed(f, o->calls ? total / o->calls : 0, 3);
    tprof_out_puts(" | ", f);
    tprof_out_fixed(f, ms(s, o->max_call_ticks), 3);
    tprof_out_puts_if(is_slow(total), " | yes |\n", " |  |\n", f);
  }

  tprof_out_puts("\n## Top functions by inclusive time\n\n", f);
  if (!tprof_cfg.cpu_profiling_enabled)
    tprof_out_puts("CPU profiling was off.\n", f);
  else
    tprof_out_puts("| function | calls | self ms | inclusive ms | location |\n|---|---:|---:|---:|---|\n", f);
  for (size_t i = 0; tprof_cfg.cpu_profiling_enabled && i < s->nfuncs && i < TOP_N; i++) {
    const func_row *r = &s->funcs[i];
    tprof_out_puts("| ", f);
    tprof_md_cell_n(f, r->info->name, r->len.name);
    tprof_out_puts(" | ", f);
    tprof_out_u64(f, r->calls);
    tprof_out_puts(" | ", f);
    tprof_out_fixed(f, ms(s, r->self_ticks), 3);
    tprof_out_puts(" | ", f);
    tprof_out_fixed(f, ms(s, r->inclusive_ticks), 3);
    tprof_out_puts(" | ", f);
    md_location(f, r);
    tprof_out_puts(" |\n", f);
  }

  write_report_by_self(f, s);

  tprof_out_puts("\n## Memory\n\n", f);
  if (!tprof_cfg.memory_tracking_enabled) {
    tprof_out_puts("Memory tracking was off.\n", f);
  } else {
    tprof_out_printf(f,
                     "%llu allocations (%llu bytes), %llu frees, peak %llu bytes, %llu bytes in %llu blocks still live "
                     "at export. %llu frees of memory tprof did not see allocated.\n\n",
                     (unsigned long long)h->allocation_count, (unsigned long long)h->allocated_bytes,
                     (unsigned long long)h->deallocation_count, (unsigned long long)h->peak_bytes,
                     (unsigned long long)h->current_bytes, (unsigned long long)h->live_blocks,
                     (unsigned long long)h->untracked_frees);
    if (s->nsites)
      tprof_out_puts("| site | allocations | bytes | live blocks | live bytes |\n|---|---:|---:|---:|---:|\n", f);
    for (size_t i = 0; i < s->nsites && i < TOP_N; i++) {
      tprof_out_puts("| ", f);
      tprof_md_cell(f, s->sites[i].location);
      tprof_out_printf(f, " | %llu | %llu | %llu | %llu |\n", (unsigned long long)s->sites[i].st.allocations,
                       (unsigned long long)s->sites[i].st.allocated_bytes,
                       (unsigned long long)s->sites[i].st.live_blocks, (unsigned long long)s->sites[i].st.live_bytes);
    }
  }

  tprof_out_puts("\n## Resource usage\n\n", f);
  if (!tprof_cfg.resource_monitoring_enabled) {
    tprof_out_puts("Resource monitoring was off.\n", f);
  } else {
    const tprof_resources *r = &s->res;
    tprof_out_printf(f,
                     "| figure | value |\n|---|---|\n| user CPU | %.3f ms |\n| system CPU | %.3f ms |\n"
                     "| max RSS | %.3f MB |\n| page faults (minor / major) | %ld / %ld |\n"
                     "| context switches (voluntary / involuntary) | %ld / %ld |\n",
                     r->user_cpu_ms, r->system_cpu_ms, r->max_rss_mb, r->minor_faults, r->major_faults,
                     r->voluntary_switches, r->involuntary_switches);
  }
}
