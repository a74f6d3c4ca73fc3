/* The CSV files of the set: timings.csv, cpu_functions.csv,
 * memory_allocators.csv, memory_traces.csv (docs/FILES.md). */
#include "snapshot.h"

#include <string.h>

/* A comma and ms(s, ticks) as tprof_json_number writes it, faster (see json_ms). */
static void csv_ms(tprof_out *f, const snapshot *s, uint64_t ticks) {
  tprof_out_putc(',', f);
  json_ms(f, s, ticks);
}

/* A comma and per_call(total, calls) as tprof_json_number writes it (json_per_call). */
static void csv_per_call(tprof_out *f, double total, uint64_t calls) {
  tprof_out_putc(',', f);
  json_per_call(f, total, calls);
}

void tprof_write_timings(tprof_out *f, const snapshot *s) {
  tprof_out_puts("operation,function,calls,total_ms,mean_ms,max_ms,is_slow\n", f);
  for (size_t i = 0; i < s->nops; i++) {
    const op_row *o = &s->ops[i];
    double total = ms(s, o->total_ticks);
    tprof_csv_field_n(f, o->name, o->name_len);
    tprof_out_putc(',', f);
    tprof_csv_field_n(f, o->function, o->function_len);
    tprof_out_putc(',', f);
    tprof_out_u64(f, o->calls);
    csv_ms(f, s, o->total_ticks);
    csv_per_call(f, total, o->calls);
    csv_ms(f, s, o->max_call_ticks);
    tprof_out_puts_if(is_slow(total), ",1\n", ",0\n", f);
  }
}

void tprof_write_cpu_functions(tprof_out *f, const snapshot *s) {
  int per_thread = s->thread_funcs != NULL;
  if (per_thread) tprof_out_puts("thread,", f);
  tprof_out_puts("function,file,line,calls,primitive_calls,self_ms,inclusive_ms,self_per_call_us,inclusive_per_call_us,"
                 "is_operation,timed\n",
                 f);
  size_t n = per_thread ? s->nthread_funcs : s->nfuncs;
  for (size_t i = 0; i < n; i++) {
    const func_row *r = per_thread ? &s->thread_funcs[i] : &s->funcs[i];
    double self = ms(s, r->self_ticks), incl = ms(s, r->inclusive_ticks);
    if (per_thread) {
      tprof_out_u64(f, r->thread);
      tprof_out_putc(',', f);
    }
    tprof_csv_field_n(f, r->info->name, r->len.name);
    tprof_out_putc(',', f);
    tprof_csv_field_n(f, r->info->file, r->len.file);
    tprof_out_putc(',', f);
    tprof_out_u64(f, r->info->line);
    tprof_out_putc(',', f);
    tprof_out_u64(f, r->calls);
    tprof_out_putc(',', f);
    tprof_out_u64(f, r->primitive_calls);
    csv_ms(f, s, r->self_ticks);
    csv_ms(f, s, r->inclusive_ticks);
    csv_per_call(f, self * 1e3, r->calls);
    csv_per_call(f, incl * 1e3, r->calls);
    tprof_out_puts_if(func_is_operation(r->info), ",1", ",0", f);
    tprof_out_puts_if(func_is_timed(r->info), ",1\n", ",0\n", f);
  }
}

void tprof_write_allocators(tprof_out *f, const snapshot *s) {
  tprof_out_puts(
      "location,function,file,line,allocations,deallocations,allocated_bytes,live_blocks,live_bytes,size_mb\n", f);
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
    tprof_out_putc(',', f);
    json_mb(f, r->st.allocated_bytes);
    tprof_out_putc('\n', f);
  }
}

static void site_location(uint32_t id, char *out, size_t n) {
  const tprof_site_info *si = tprof_site_info_get(id);
  if (!si)
    tprof_format(out, n, "unknown");
  else if (*si->file && si->line)
    tprof_format(out, n, "%s:%u", si->file, si->line);
  else
    tprof_format(out, n, "%s", si->function);
}

/* The location field of a site, rendered (and CSV-escaped) once per site:
 * the trace file repeats a few sites up to a million times, and printing
 * and escaping one cost ~2,000 instructions. Direct-mapped by site id; the
 * texts in a pool filled as sites are met. A temporary of the export: its
 * scratch range's pages are already in memory (a fresh page's first write
 * costs more than the rows of a small program). */
enum { LOC_CACHE = 256, LOC_TEXT = 1100, LOC_POOL = 64 << 10 };
typedef struct loc_entry {
  uint32_t site; /* 0: empty (site ids start at 1; 0 is "unknown", rendered uncached) */
  uint32_t len;
  const char *text;
} loc_entry;
typedef struct loc_cache {
  loc_entry entry[LOC_CACHE];
  char *pool; /* LOC_POOL bytes; the next text at pool + used */
  size_t used;
} loc_cache;

/* The site's location field, escaped, from the cache (filled on first
 * use); NULL when the pool is full (then it is written uncached). */
static const loc_entry *cached_location(loc_cache *cache, uint32_t site) {
  loc_entry *e = &cache->entry[site % LOC_CACHE];
  if (e->site == site) return e;
  if (LOC_POOL - cache->used < LOC_TEXT) return NULL;
  char loc[512];
  site_location(site, loc, sizeof loc);
  char *text = cache->pool + cache->used;
  tprof_out mem = {.fd = -1, .buf = text, .cap = LOC_TEXT};
  tprof_csv_field(&mem, loc); /* cannot overflow: 512 bytes escape to < 1100 */
  if (mem.error) return NULL;
  cache->used += mem.len;
  *e = (loc_entry){site, (uint32_t)mem.len, text};
  return e;
}

static void write_location(tprof_out *f, uint32_t site) {
  char loc[512];
  site_location(site, loc, sizeof loc);
  tprof_csv_field(f, loc);
}

/* A row's fields but its location, and their commas; the end. */
static char *trace_fields(char *p, const snapshot *s, uint64_t seq, const tprof_trace *t, uint64_t kind_size,
                          const uint8_t *name_len) {
  unsigned ev = tprof_trace_event(kind_size);
  p += tprof_format_u64(seq, p);
  *p++ = ',';
  if (t->ticks > tprof_origin_ticks)
    p += ms_text(s, t->ticks - tprof_origin_ticks, p);
  else
    p = TPROF_PUT_LITERAL(p, "0.0");
  *p++ = ',';
  memcpy(p, tprof_event_names[ev], name_len[ev]);
  p += name_len[ev];
  *p++ = ',';
  p += tprof_format_u64(tprof_trace_size(kind_size), p);
  *p++ = ',';
  p += tprof_format_hex(t->address, p);
  *p++ = ',';
  return p;
}

/* The bytes trace_fields may write, and a thread number with its comma and newline. */
enum { TRACE_FIELDS_MAX = 20 + 1 + TPROF_NUMBER_MAX + 1 + 16 + 1 + 20 + 1 + 18 + 1, TRACE_TAIL_MAX = 1 + 10 + 1 };

/* A row at a time into the output buffer: with a call per field the file
 * cost ~850 instructions a row (10,000 rows by default). */
void tprof_write_traces(tprof_out *f, const snapshot *s) {
  tprof_out_puts("seq,time_ms,event,size_bytes,address,location,thread\n", f);
  uint8_t name_len[TPROF_EVENT_KINDS];
  for (size_t i = 0; i < sizeof name_len; i++) name_len[i] = (uint8_t)strlen(tprof_event_names[i]);
  size_t left = s->traces.ncomplete;
  loc_cache *cache = left ? tprof_mem_alloc_temp(sizeof *cache + LOC_POOL) : NULL; /* zeroed: empty */
  if (cache) cache->pool = (char *)(cache + 1);
  for (size_t i = 0; i < s->traces.nslots && left; i++) {
    const tprof_trace *t = &s->traces.slots[i];
    uint64_t kind_size = tprof_trace_written(t);
    if (!kind_size) continue; /* not written yet, or cleared by a reset */
    left--;
    const loc_entry *loc = cache && t->site ? cached_location(cache, t->site) : NULL;
    char *p = tprof_out_room(f, TRACE_FIELDS_MAX + (loc ? loc->len : 0) + TRACE_TAIL_MAX);
    if (!p) break; /* the file failed: the export reports it */
    p = trace_fields(p, s, i + 1, t, kind_size, name_len);
    if (loc) {
      memcpy(p, loc->text, loc->len);
      p += loc->len;
    } else { /* "unknown", or no memory for the cache */
      tprof_out_commit(f, p);
      write_location(f, t->site);
      if (!(p = tprof_out_room(f, TRACE_TAIL_MAX))) break;
    }
    *p++ = ',';
    p += tprof_format_u64(t->thread, p);
    *p++ = '\n';
    tprof_out_commit(f, p);
  }
  tprof_mem_free(cache);
}
