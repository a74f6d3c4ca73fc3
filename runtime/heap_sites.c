/* Heap tracking's per-site figures: one array by site id (heap_books.h),
 * and how the exporter reads them without a lock (the hooks' updates are
 * inline in heap_books.h). */
#include "heap_books.h"

#include <string.h>

site_counts tprof_heap_sites[TPROF_MAX_IDS];

/* The ids that may have figures: every registered site, and 0 (where the
 * events of a site the registry rejected are counted). Only these pages of
 * the array are read or cleared: the rest were never touched. */
static uint32_t sites_in_use(void) {
  uint32_t n = tprof_site_count();
  return n < 1 ? 1 : n > TPROF_MAX_IDS ? TPROF_MAX_IDS : n;
}

/* The frees are read before the allocations: every block's allocation was
 * counted before its free, so what is read is a set of whole blocks (those
 * allocated by the second reading and not freed by the first), even while
 * threads run. */
tprof_site_stat tprof_heap_site_read(site_counts *c) {
  pair freed = pair_read(&c->freed);
  __atomic_thread_fence(__ATOMIC_ACQUIRE);
  pair allocated = pair_read(&c->allocated);
  return (tprof_site_stat){allocated.count, freed.count, allocated.bytes,
                           allocated.count > freed.count ? allocated.count - freed.count : 0,
                           allocated.bytes > freed.bytes ? allocated.bytes - freed.bytes : 0};
}

void tprof_heap_site_add(tprof_heap_totals *t, const tprof_site_stat *st) {
  t->allocation_count += st->allocations;
  t->deallocation_count += st->deallocations;
  t->allocated_bytes += st->allocated_bytes;
  t->freed_bytes += st->allocated_bytes - st->live_bytes;
}

void tprof_heap_sites_sum(tprof_heap_totals *t) {
  for (uint32_t i = 0, n = sites_in_use(); i < n; i++) {
    tprof_site_stat st = tprof_heap_site_read(&tprof_heap_sites[i]);
    tprof_heap_site_add(t, &st);
  }
}

void tprof_heap_sites_get(tprof_site_stat *out, uint32_t n) {
  for (uint32_t i = 0; i < n && i < TPROF_MAX_IDS; i++) out[i] = tprof_heap_site_read(&tprof_heap_sites[i]);
}

void tprof_heap_sites_clear(void) { memset(tprof_heap_sites, 0, sites_in_use() * sizeof tprof_heap_sites[0]); }
