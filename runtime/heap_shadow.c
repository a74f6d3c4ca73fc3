/* The shadow map's memory: one 2 GiB MAP_NORESERVE mapping per 4 GiB of
 * address space the allocator uses (heap.c describes the map), its ageing
 * at an epoch wrap-around, and what it costs in resident pages. */
#include "heap_books.h"

#include <errno.h>
#include <sys/mman.h>

uint64_t *tprof_heap_regions[1u << (ADDRESS_BITS - REGION_BITS)];

__attribute__((cold)) uint64_t *tprof_heap_region_make(uint64_t **slot) {
  int saved_errno = errno; /* the program may read errno after a successful malloc */
  void *m = mmap(NULL, REGION_WORDS * sizeof(uint64_t), PROT_READ | PROT_WRITE,
                 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  uint64_t *r = m == MAP_FAILED ? REGION_FAILED : m, *expected = NULL;
  if (!__atomic_compare_exchange_n(slot, &expected, r, 0, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE)) {
    if (r != REGION_FAILED) munmap(m, REGION_WORDS * sizeof(uint64_t));
    r = expected;
  }
  errno = saved_errno;
  return r;
}

/* Every live word of the map to epoch 0, once per 65,535 resets. Only the
 * map's resident pages can hold words (mincore says which). */
void tprof_heap_shadow_age_all(void) {
  const size_t page = 4096, bytes = REGION_WORDS * sizeof(uint64_t), pages = bytes / page;
  unsigned char *resident = tprof_mem_alloc_temp(pages);
  for (size_t k = 0; k < sizeof tprof_heap_regions / sizeof tprof_heap_regions[0]; k++) {
    uint64_t *r = __atomic_load_n(&tprof_heap_regions[k], __ATOMIC_ACQUIRE);
    if (!r || r == REGION_FAILED) continue;
    int known = resident && mincore(r, bytes, resident) == 0;
    for (size_t p = 0; p < pages; p++) {
      if (known && !(resident[p] & 1)) continue;
      uint64_t *w = r + p * (page / sizeof *w);
      for (size_t i = 0; i < page / sizeof *w; i++) {
        uint64_t v = __atomic_load_n(&w[i], __ATOMIC_RELAXED);
        if (v & W_PRESENT) __atomic_store_n(&w[i], v & ~((uint64_t)EPOCH_MAX << W_EPOCH_SHIFT), __ATOMIC_RELAXED);
      }
    }
  }
  tprof_mem_free(resident);
}

/* Resident bytes of the shadow map (its mappings are 2 GiB reservations
 * of which only the touched pages cost memory), asked of the kernel in
 * 64 MiB slices so the answer needs only a small vector. */
uint64_t tprof_heap_shadow_bytes(void) {
  enum { PAGE = 4096, SLICE = 64u << 20 };
  static unsigned char resident[SLICE / PAGE]; /* under the export's exclusion */
  uint64_t pages = 0;
  for (size_t k = 0; k < sizeof tprof_heap_regions / sizeof tprof_heap_regions[0]; k++) {
    uint64_t *r = __atomic_load_n(&tprof_heap_regions[k], __ATOMIC_ACQUIRE);
    if (!r || r == REGION_FAILED) continue;
    for (size_t off = 0; off < REGION_WORDS * sizeof(uint64_t); off += SLICE)
      if (mincore((char *)r + off, SLICE, resident) == 0)
        for (size_t i = 0; i < sizeof resident; i++) pages += resident[i] & 1;
  }
  return pages * PAGE;
}
