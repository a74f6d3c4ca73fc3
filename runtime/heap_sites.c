/* Heap tracking's per-site figures: their chunks (mapped on a site's first
 * event by heap.c, never moved), and how the exporter reads them without a
 * lock (the hooks' updates are inline in heap_books.h). */
#include "heap_books.h"

#include <string.h>

site_counts *tprof_heap_site_chunks[TPROF_MAX_IDS / SITE_CHUNK];
site_counts tprof_heap_unplaced;

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
  for (size_t k = 0; k < sizeof tprof_heap_site_chunks / sizeof tprof_heap_site_chunks[0]; k++) {
    site_counts *c = __atomic_load_n(&tprof_heap_site_chunks[k], __ATOMIC_ACQUIRE);
    for (uint32_t i = 0; c && i < SITE_CHUNK; i++) {
      tprof_site_stat st = tprof_heap_site_read(&c[i]);
      tprof_heap_site_add(t, &st);
    }
  }
  tprof_site_stat st = tprof_heap_site_read(&tprof_heap_unplaced);
  tprof_heap_site_add(t, &st);
}

void tprof_heap_sites_get(tprof_site_stat *out, uint32_t n) {
  for (uint32_t i = 0; i < n; i++) {
    site_counts *c = __atomic_load_n(&tprof_heap_site_chunks[i / SITE_CHUNK], __ATOMIC_ACQUIRE);
    out[i] = c ? tprof_heap_site_read(&c[i % SITE_CHUNK]) : (tprof_site_stat){0};
  }
}

void tprof_heap_sites_clear(void) {
  for (size_t k = 0; k < sizeof tprof_heap_site_chunks / sizeof tprof_heap_site_chunks[0]; k++) {
    site_counts *c = __atomic_load_n(&tprof_heap_site_chunks[k], __ATOMIC_ACQUIRE);
    if (c) memset(c, 0, SITE_CHUNK * sizeof *c);
  }
  memset(&tprof_heap_unplaced, 0, sizeof tprof_heap_unplaced);
}
