/* metrics.json and memory_summary.json (docs/FILES.md describes both). */
#include "snapshot.h"
#include "text_escape.h"

#include <string.h>

static void json_key(tprof_out *f, const char *key, size_t n) {
  tprof_json_string_n(f, key, n);
  tprof_out_puts(": ", f);
}

/* Every option of options.def by its key, in its order. */
static void write_config(tprof_out *f) {
  for (size_t i = 0, n = tprof_option_count(); i < n; i++) {
    int kind;
    const void *v;
    const char *key = tprof_option_get(&tprof_cfg, i, &kind, &v);
    tprof_out_puts_if(i, ", \"", "{\"", f);
    tprof_out_puts(key, f);
    tprof_out_puts("\": ", f);
    switch (kind) {
    case TPROF_OPTION_BOOL:
      tprof_out_puts_if(*(const int *)v, "true", "false", f);
      break;
    case TPROF_OPTION_INT:
      tprof_out_printf(f, "%d", *(const int *)v);
      break;
    case TPROF_OPTION_LONG:
      tprof_out_printf(f, "%ld", *(const long *)v);
      break;
    case TPROF_OPTION_DOUBLE:
      tprof_json_number(f, *(const double *)v);
      break;
    case TPROF_OPTION_STRING:
      tprof_json_string(f, (const char *)v);
      break;
    case TPROF_OPTION_CPU_TIMING:
      tprof_out_puts_if(*(const int *)v == TPROF_CPU_TIMING_OPERATIONS, "\"operations\"", "\"all\"", f);
      break;
    }
  }
  tprof_out_putc('}', f);
}

static int op_refs_by_name(const void *a, const void *b) {
  const op_row *const *x = a, *const *y = b;
  return strcmp((*x)->name, (*y)->name);
}

/* A name's first 16 bytes as two big-endian words (zeros after its end):
 * names in this order are in strcmp's, and those of equal keys are equal
 * in their first 16 bytes. */
static tprof_sort_key name_prefix_key(const void *a) {
  const char *name = (*(const op_row *const *)a)->name;
  uint64_t w[2] = {0, 0};
  for (unsigned i = 0; i < 16 && name[i]; i++) w[i / 8] |= (uint64_t)(unsigned char)name[i] << (56 - 8 * (i % 8));
  return (tprof_sort_key){w[0], w[1]};
}

/* The guide's map from operation name to total ms: operations of one name
 * (static functions in several files) add up under it. In name order: a
 * sort by the names' first 16 bytes, then each run of names sharing them
 * (longer names of a common prefix: rotate_instance_1, _2...) sorted by
 * strcmp; not a strcmp call per comparison of the whole sort. */
static void write_operation_timings(tprof_out *f, const snapshot *s) {
  const op_row **byname = tprof_mem_alloc_temp((s->nops ? s->nops : 1) * sizeof *byname);
  if (!byname) return;
  for (size_t i = 0; i < s->nops; i++) byname[i] = &s->ops[i];
  tprof_sort_keyed(byname, s->nops, sizeof *byname, name_prefix_key, op_refs_by_name);
  for (size_t i = 0, j; i < s->nops; i = j) {
    for (j = i + 1; j < s->nops && !strncmp(byname[i]->name, byname[j]->name, 16); j++) {
    }
    tprof_sort(byname + i, j - i, sizeof *byname, op_refs_by_name);
  }
  for (size_t i = 0, k = 0; i < s->nops;) {
    uint64_t total = 0;
    size_t j = i;
    for (; j < s->nops && !strcmp(byname[j]->name, byname[i]->name); j++) total += byname[j]->total_ticks;
    tprof_out_puts_if(k++, ", ", "", f);
    json_key(f, byname[i]->name, byname[i]->name_len);
    json_ms(f, s, total);
    i = j;
  }
  tprof_mem_free(byname);
}

/* The operation type of an operation instance: its name without a trailing
 * "_<digits>" (rotate_1 -> rotate), as the grid-DSL transpiler numbers
 * instances and as the tprof command groups them. Returns its length. */
static size_t op_type(const char *name, char *buf, size_t n) {
  size_t len = strlen(name), k = len;
  while (k > 0 && name[k - 1] >= '0' && name[k - 1] <= '9') k--;
  if (k < len && k > 1 && name[k - 1] == '_') len = k - 1;
  if (len >= n) len = n - 1;
  memcpy(buf, name, len);
  buf[len] = 0;
  return len;
}

void tprof_write_metrics(tprof_out *f, const snapshot *s) {
  char type[256];
  const tprof_heap_totals *h = &s->heap;
  int mem = tprof_cfg.memory_tracking_enabled, res = tprof_cfg.resource_monitoring_enabled;
  tprof_out_printf(f, "{\n  \"schema_version\": %d,\n  \"generator\": \"tprof %s\",\n  \"program_id\": ",
                   TPROF_SCHEMA_VERSION, TPROF_VERSION_STRING);
  tprof_json_string(f, tprof_cfg.program_id);
  /* timestamp is the file names' form, YYYYMMDD_HHMMSS (UTC) */
  const char *t = s->timestamp;
  tprof_out_printf(
      f,
      ",\n  \"pid\": %d,\n  \"timestamp\": \"%s\",\n  \"timestamp_iso8601\": \"%.4s-%.2s-%.2sT%.2s:%.2s:%.2sZ\","
      "\n  \"export_reason\": \"%s\",\n",
      (int)tprof_pid, t, t, t + 4, t + 6, t + 9, t + 11, t + 13, s->reason);
  tprof_out_puts("  \"execution_time_ms\": ", f);
  tprof_json_number(f, s->execution_time_ms);
  tprof_out_puts(",\n  \"memory_used_mb\": ", f);
  json_mb(f, mem ? h->current_bytes : 0);

  tprof_out_puts(",\n  \"operation_timings\": {", f);
  write_operation_timings(f, s);
  tprof_out_puts("},\n  \"slow_operations\": [", f);
  for (size_t i = 0, k = 0; i < s->nops; i++)
    if (is_slow(ms(s, s->ops[i].total_ticks))) {
      tprof_out_puts_if(k++, ", [", "[", f);
      tprof_json_string_n(f, s->ops[i].name, s->ops[i].name_len);
      tprof_out_puts(", ", f);
      json_ms(f, s, s->ops[i].total_ticks);
      tprof_out_putc(']', f);
    }

  tprof_out_printf(f, "],\n  \"profile_data\": {\"enabled\": %s, \"total_calls\": %llu, \"total_time\": ",
                   tprof_cfg.cpu_profiling_enabled ? "true" : "false", (unsigned long long)s->total_calls);
  json_ns_as_s(f, s->total_self_ns);
  tprof_out_puts(", \"top_functions\": [", f);
  for (size_t i = 0; i < s->nfuncs && i < TOP_N; i++) {
    tprof_out_puts_if(i, ", [", "[", f);
    tprof_json_string_n(f, s->funcs[i].info->name, s->funcs[i].len.name);
    tprof_out_puts(", ", f);
    tprof_out_u64(f, s->funcs[i].calls);
    tprof_out_puts(", ", f);
    json_ns_as_s(f, ns_rounded(s, s->funcs[i].self_ticks));
    tprof_out_puts(", ", f);
    json_ns_as_s(f, ns_rounded(s, s->funcs[i].inclusive_ticks));
    tprof_out_putc(']', f);
  }

  tprof_out_printf(f,
                   "]},\n  \"memory_allocation_data\": {\"enabled\": %s, \"peak_memory_mb\": ", mem ? "true" : "false");
  json_mb(f, h->peak_bytes);
  tprof_out_puts(", \"current_memory_mb\": ", f);
  json_mb(f, h->current_bytes);
  tprof_out_printf(
      f, ", \"allocation_count\": %llu, \"deallocation_count\": %llu, \"net_allocations\": %lld, \"top_allocators\": [",
      (unsigned long long)h->allocation_count, (unsigned long long)h->deallocation_count,
      (long long)(h->allocation_count - h->deallocation_count));
  for (size_t i = 0; i < s->nsites && i < TOP_N; i++) {
    tprof_out_puts_if(i, ", [", "[", f);
    tprof_json_string(f, s->sites[i].location);
    tprof_out_puts(", ", f);
    json_mb(f, s->sites[i].st.allocated_bytes);
    tprof_out_putc(']', f);
  }
  tprof_out_puts("]},\n", f);

  tprof_out_puts("  \"config\": ", f);
  write_config(f);
  tprof_out_printf(
      f, ",\n  \"clock\": {\"source\": \"%s\", \"ticks_per_ns\": ", tprof_clock_uses_tsc ? "tsc" : "clock_gettime");
  /* to 12 digits, as derived values are: the calibration is good to ~4, and
   * its 17 digits took the shortest-double search through printf and strtod
   * (the only value of an export that did: their first calls ~70 us) */
  json_derived(f, 1.0 / (s->ms_per_tick * 1e6));
  tprof_out_puts("},\n  \"runtime_memory_mb\": ", f);
  json_mb(f, tprof_mem_mapped_bytes() + tprof_heap_shadow_bytes());
  tprof_out_printf(f, ",\n  \"threads_seen\": %u,\n  \"functions\": [", tprof_threads_seen());
  for (size_t i = 0; i < s->nfuncs; i++) {
    const func_row *r = &s->funcs[i];
    tprof_out_puts_if(i, ",\n    {\"id\": ", "\n    {\"id\": ", f);
    tprof_out_u64(f, r->id);
    tprof_out_puts(", \"name\": ", f);
    tprof_json_string_n(f, r->info->name, r->len.name);
    if (r->info->flags & TPROF_FUNC_OPERATION && r->info->op_name) {
      tprof_out_puts(", \"operation\": ", f);
      tprof_json_string_n(f, r->info->op_name, r->len.op_name);
    }
    if (r->info->is_region)
      tprof_out_puts(", \"kind\": \"region\"", f);
    else
      tprof_out_puts_if(r->info->flags & TPROF_FUNC_OPERATION, ", \"kind\": \"operation\"", ", \"kind\": \"function\"",
                        f);
    tprof_out_puts(", \"file\": ", f);
    tprof_json_string_n(f, r->info->file, r->len.file);
    tprof_out_puts(", \"line\": ", f);
    tprof_out_u64(f, r->info->line);
    tprof_out_puts(", \"calls\": ", f);
    tprof_out_u64(f, r->calls);
    tprof_out_puts(", \"primitive_calls\": ", f);
    tprof_out_u64(f, r->primitive_calls);
    tprof_out_puts(", \"self_ms\": ", f);
    json_ms(f, s, r->self_ticks);
    tprof_out_puts(", \"inclusive_ms\": ", f);
    json_ms(f, s, r->inclusive_ticks);
    tprof_out_puts_if(func_is_operation(r->info), ", \"is_operation\": true", ", \"is_operation\": false", f);
    tprof_out_puts_if(func_is_timed(r->info), ", \"timed\": true}", ", \"timed\": false}", f);
  }
  tprof_out_puts("],\n  \"operations\": [", f);
  for (size_t i = 0; i < s->nops; i++) {
    const op_row *o = &s->ops[i];
    tprof_out_puts_if(i, ",\n    {\"name\": ", "\n    {\"name\": ", f);
    tprof_json_string_n(f, o->name, o->name_len);
    tprof_out_puts(", \"function\": ", f);
    tprof_json_string_n(f, o->function, o->function_len);
    tprof_out_puts(", \"function_id\": ", f);
    tprof_out_u64(f, o->id);
    tprof_out_puts(", \"calls\": ", f);
    tprof_out_u64(f, o->calls);
    tprof_out_puts(", \"total_ms\": ", f);
    json_ms(f, s, o->total_ticks);
    tprof_out_puts(", \"mean_ms\": ", f);
    json_per_call(f, ms(s, o->total_ticks), o->calls);
    tprof_out_puts(", \"max_ms\": ", f);
    json_ms(f, s, o->max_call_ticks);
    tprof_out_puts(", \"type\": ", f);
    size_t type_len = op_type(o->name, type, sizeof type); /* a prefix of a plain name is plain */
    tprof_json_string_n(f, type, o->name[o->name_len] ? tprof_plain_len(type) : type_len);
    tprof_out_puts_if(is_slow(ms(s, o->total_ticks)), ", \"slow\": true}", ", \"slow\": false}", f);
  }
  /* top_allocators as records (every site, not only the first TOP_N) */
  tprof_out_puts("],\n  \"allocation_sites\": [", f);
  for (size_t i = 0; mem && i < s->nsites; i++) {
    const site_row *r = &s->sites[i];
    tprof_out_puts_if(i, ",\n    {\"location\": ", "\n    {\"location\": ", f);
    tprof_json_string(f, r->location);
    tprof_out_puts(", \"function\": ", f);
    tprof_json_string(f, r->info ? r->info->function : "");
    tprof_out_printf(f,
                     ", \"allocations\": %llu, \"deallocations\": %llu, \"allocated_bytes\": %llu, \"allocated_mb\": ",
                     (unsigned long long)r->st.allocations, (unsigned long long)r->st.deallocations,
                     (unsigned long long)r->st.allocated_bytes);
    json_mb(f, r->st.allocated_bytes);
    tprof_out_printf(f, ", \"live_blocks\": %llu, \"live_bytes\": %llu}", (unsigned long long)r->st.live_blocks,
                     (unsigned long long)r->st.live_bytes);
  }
  tprof_out_putc(']', f);
  tprof_calls_export calls = {&s->tree,    s->ms_per_tick * 1e6, tprof_origin_ticks, s->timeline_events,
                              s->timeline, s->ntimeline,         s->timeline_dropped};
  tprof_write_calls(f, &calls);
  tprof_out_printf(
      f,
      ",\n  \"heap\": {\"allocated_bytes\": %llu, \"freed_bytes\": %llu, \"current_bytes\": %llu, "
      "\"peak_bytes\": %llu, \"allocation_count\": %llu, \"deallocation_count\": %llu, "
      "\"reallocation_count\": %llu, \"failed_allocations\": %llu, \"untracked_frees\": %llu, "
      "\"live_blocks\": %llu, \"traced_events\": %llu, \"dropped_traces\": %llu, \"taken_mid_update\": %s},\n",
      (unsigned long long)h->allocated_bytes, (unsigned long long)h->freed_bytes, (unsigned long long)h->current_bytes,
      (unsigned long long)h->peak_bytes, (unsigned long long)h->allocation_count,
      (unsigned long long)h->deallocation_count, (unsigned long long)h->reallocation_count,
      (unsigned long long)h->failed_allocations, (unsigned long long)h->untracked_frees,
      (unsigned long long)h->live_blocks, (unsigned long long)h->traced_events, (unsigned long long)h->dropped_traces,
      s->heap_mid_update ? "true" : "false");
  const tprof_resources *r = &s->res;
  tprof_out_printf(f, "  \"resource_usage\": {\"enabled\": %s, \"user_cpu_ms\": ", res ? "true" : "false");
  tprof_json_number(f, r->user_cpu_ms);
  tprof_out_puts(", \"system_cpu_ms\": ", f);
  tprof_json_number(f, r->system_cpu_ms);
  tprof_out_puts(", \"max_rss_mb\": ", f);
  tprof_json_number(f, r->max_rss_mb);
  tprof_out_printf(f,
                   ", \"minor_page_faults\": %ld, \"major_page_faults\": %ld, \"voluntary_context_switches\": %ld, "
                   "\"involuntary_context_switches\": %ld}\n}\n",
                   r->minor_faults, r->major_faults, r->voluntary_switches, r->involuntary_switches);
}

void tprof_write_memory_summary(tprof_out *f, const snapshot *s) {
  const tprof_heap_totals *h = &s->heap;
  tprof_out_printf(f, "{\n  \"schema_version\": %d,\n  \"program_id\": ", TPROF_SCHEMA_VERSION);
  tprof_json_string(f, tprof_cfg.program_id);
  tprof_out_printf(f, ",\n  \"pid\": %d,\n  \"enabled\": %s,\n", (int)tprof_pid,
                   tprof_cfg.memory_tracking_enabled ? "true" : "false");
  tprof_out_printf(f,
                   "  \"allocation_count\": %llu,\n  \"deallocation_count\": %llu,\n  \"reallocation_count\": %llu,\n"
                   "  \"net_allocations\": %lld,\n  \"allocated_bytes\": %llu,\n  \"freed_bytes\": %llu,\n"
                   "  \"current_bytes\": %llu,\n  \"peak_bytes\": %llu,\n  \"peak_memory_mb\": ",
                   (unsigned long long)h->allocation_count, (unsigned long long)h->deallocation_count,
                   (unsigned long long)h->reallocation_count, (long long)(h->allocation_count - h->deallocation_count),
                   (unsigned long long)h->allocated_bytes, (unsigned long long)h->freed_bytes,
                   (unsigned long long)h->current_bytes, (unsigned long long)h->peak_bytes);
  json_mb(f, h->peak_bytes);
  tprof_out_puts(",\n  \"current_memory_mb\": ", f);
  json_mb(f, h->current_bytes);
  tprof_out_printf(f,
                   ",\n  \"live_blocks\": %llu,\n  \"failed_allocations\": %llu,\n  \"untracked_frees\": %llu,\n"
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
      site_row *t = leaks[j];
      leaks[j] = leaks[j - 1];
      leaks[j - 1] = t;
    }
  for (size_t i = 0; i < k; i++) {
    tprof_out_puts_if(i, ",\n    {\"location\": ", "\n    {\"location\": ", f);
    tprof_json_string(f, leaks[i]->location);
    tprof_out_puts(", \"function\": ", f);
    tprof_json_string(f, leaks[i]->info->function);
    tprof_out_printf(f, ", \"live_blocks\": %llu, \"live_bytes\": %llu}", (unsigned long long)leaks[i]->st.live_blocks,
                     (unsigned long long)leaks[i]->st.live_bytes);
  }
  tprof_mem_free(leaks);
  tprof_out_puts("]\n}\n", f);
}
