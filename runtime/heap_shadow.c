/* The shadow map's memory: one 1 GiB MAP_NORESERVE mapping per 4 GiB of
 * address space the allocator uses (heap.c describes the map), its ageing
 * at an epoch wrap-around, and what it costs in resident pages. */
#include "heap_books.h"

#include <errno.h>
#include <stdlib.h>
#include <sys/mman.h>

/* glibc exports its allocator under both names (one address): a program
 * that links or preloads another allocator has a malloc of its own. Weak:
 * a libc without the name gets the table. */
extern void *__libc_malloc(size_t) __attribute__((weak));
/* Defined in a program built with AddressSanitizer, whose malloc puts its
 * 16-byte chunk header before every block: blocks 32 bytes apart at least
 * too. (ThreadSanitizer's allocator places 16-byte blocks side by side.) */
extern void __asan_init(void) __attribute__((weak));

/* Whether the blocks the hooks get from libc's names start at least 32
 * bytes apart, as one word per 32-byte granule needs (heap_books.h).
 * Read through an asm barrier: the compiler may not assume the two names
 * are different functions. */
static int blocks_32_apart(void) {
  void *ours = (void *)malloc, *libc = (void *)__libc_malloc, *asan = (void *)__asan_init;
  __asm__("" : "+r"(ours), "+r"(libc), "+r"(asan));
  return asan || (libc && ours == libc);
}

/* blocks_32_apart(), asked once (a race asks twice, for the same answer),
 * at the first region's making, before any block is in the map. */
int tprof_heap_map_usable(void) {
  static int usable = -1;
  int u = __atomic_load_n(&usable, __ATOMIC_RELAXED);
  if (u < 0) __atomic_store_n(&usable, u = blocks_32_apart(), __ATOMIC_RELAXED);
  return u;
}

uint64_t *tprof_heap_regions[1u << (ADDRESS_BITS - REGION_BITS)];
uintptr_t tprof_heap_region_bias[(1u << (ADDRESS_BITS - REGION_BITS)) + 1];

/* The regions mapped, in the order they were: the exporter reads these
 * instead of the 256 KiB table (a page fault per 4 KiB of it read). */
enum { MAX_LISTED = 64 };
static uintptr_t region_list[MAX_LISTED];
static uint32_t regions_made;

__attribute__((cold)) uint64_t *tprof_heap_region_make(uint64_t **slot) {
  int saved_errno = errno; /* the program may read errno after a successful malloc */
  /* Another allocator: the region fails, as a failed mapping does, and its
   * blocks go to the table (exact, without the map's speed). */
  void *m = tprof_heap_map_usable() ? mmap(NULL, REGION_WORDS * sizeof(uint64_t), PROT_READ | PROT_WRITE,
                                           MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0)
                                    : MAP_FAILED;
  uint64_t *r = m == MAP_FAILED ? REGION_FAILED : m, *expected = NULL;
  /* NULL's word: present, of epoch 0 (no measurement's), so that the
   * common paths, which do not test for NULL, turn it away (heap_books.h,
   * common_shadow_word). No block is ever placed at address 0. */
  if (r != REGION_FAILED && slot == &tprof_heap_regions[0]) r[0] = W_PRESENT;
  if (!__atomic_compare_exchange_n(slot, &expected, r, 0, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE)) {
    if (r != REGION_FAILED) munmap(m, REGION_WORDS * sizeof(uint64_t));
    r = expected;
  } else if (r != REGION_FAILED) {
    size_t k = (size_t)(slot - tprof_heap_regions);
    __atomic_store_n(&tprof_heap_region_bias[k], (uintptr_t)r - ((uintptr_t)k << (REGION_BITS - GRANULE_BITS + 3)),
                     __ATOMIC_RELEASE);
    uint32_t i = __atomic_fetch_add(&regions_made, 1, __ATOMIC_ACQ_REL);
    if (i < MAX_LISTED) __atomic_store_n(&region_list[i], (uintptr_t)r, __ATOMIC_RELEASE);
  }
  errno = saved_errno;
  return r;
}

/* Every live word of the map to epoch 0, once per 32,767 resets. Only the
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

/* Resident bytes of the shadow map. Its mappings are 1 GiB reservations
 * of which only the pages under tracked blocks were touched, and asking
 * the kernel about all of it took ~0.6 ms an export (a page-table walk per
 * 4 KiB). So only the words of the process's anonymous mappings are asked
 * about (malloc's memory is among them), the map's own excepted; pages are
 * counted once, in address order. Without /proc: all of it. */
enum { PAGE = 4096, SLICE = 64u << 20 };
static unsigned char resident[SLICE / PAGE]; /* under the export's exclusion */

/* Resident pages of [from, to), page-aligned, asked in 64 MiB slices. */
static uint64_t resident_pages(uintptr_t from, uintptr_t to) {
  uint64_t pages = 0;
  for (uintptr_t at = from; at < to; at += SLICE) {
    size_t len = to - at < SLICE ? to - at : SLICE, n = len / PAGE, i = 0;
    if (mincore((void *)at, len, resident) != 0) continue;
    for (; i + 8 <= n; i += 8) { /* bit 0 of each byte: 8 pages per word */
      uint64_t w;
      memcpy(&w, resident + i, sizeof w);
      pages += ((w & 0x0101010101010101ull) * 0x0101010101010101ull) >> 56; /* their sum, in the top byte */
    }
    for (; i < n; i++) pages += resident[i] & 1;
  }
  return pages;
}

typedef struct shadow_count {
  uint64_t pages;
  uintptr_t counted_to; /* the pages below this are counted (mappings come in address order) */
  size_t nregions;
  uintptr_t regions[MAX_LISTED];
} shadow_count;

/* Counts the words of [lo, hi), a range outside the map's own mappings. */
static void count_range(shadow_count *c, uintptr_t lo, uintptr_t hi) {
  if (hi > (uintptr_t)1 << ADDRESS_BITS) hi = (uintptr_t)1 << ADDRESS_BITS;
  for (uintptr_t a = lo; a < hi;) { /* one 4 GiB window (one region) at a time */
    size_t k = a >> REGION_BITS;
    uintptr_t window_end = (uintptr_t)(k + 1) << REGION_BITS, end = hi < window_end ? hi : window_end;
    uint64_t *r = __atomic_load_n(&tprof_heap_regions[k], __ATOMIC_ACQUIRE);
    if (r && r != REGION_FAILED) {
      uintptr_t from = (uintptr_t)(r + word_index(a)) & ~(uintptr_t)(PAGE - 1);
      uintptr_t to = ((uintptr_t)(r + word_index(end - 1)) + PAGE) & ~(uintptr_t)(PAGE - 1);
      /* Two mappings can share a shadow page only in one region, one after
       * the other: the page is counted once. */
      if (from < c->counted_to && c->counted_to <= to) from = c->counted_to;
      if (from < to) {
        c->pages += resident_pages(from, to);
        c->counted_to = to;
      }
    }
    a = end;
  }
}

/* A mapping but the parts that are the map's own regions (the kernel may
 * have merged a region with an arena next to it into one mapping). */
static void count_mapping(uintptr_t lo, uintptr_t hi, void *ctx) {
  shadow_count *c = ctx;
  for (size_t i = 0; i < c->nregions; i++) {
    uintptr_t r = c->regions[i], r_end = r + REGION_WORDS * sizeof(uint64_t);
    if (r_end <= lo || hi <= r) continue;
    if (lo < r) count_mapping(lo, r, ctx);
    if (r_end < hi) count_mapping(r_end, hi, ctx);
    return;
  }
  if (lo < (uintptr_t)1 << ADDRESS_BITS) count_range(c, lo, hi);
}

uint64_t tprof_heap_shadow_bytes_scan_all(void) {
  uint64_t pages = 0;
  for (size_t k = 0; k < sizeof tprof_heap_regions / sizeof tprof_heap_regions[0]; k++) {
    uint64_t *r = __atomic_load_n(&tprof_heap_regions[k], __ATOMIC_ACQUIRE);
    if (r && r != REGION_FAILED) pages += resident_pages((uintptr_t)r, (uintptr_t)(r + REGION_WORDS));
  }
  return pages * PAGE;
}

uint64_t tprof_heap_shadow_bytes(void) {
  shadow_count c = {.pages = 0};
  uint32_t n = __atomic_load_n(&regions_made, __ATOMIC_ACQUIRE);
  /* No region yet (memory tracking off, or nothing allocated): 0, without
   * reading /proc/self/maps (~45,000 instructions, and the kernel's time to
   * write it). A region being made right now races with the export anyway. */
  if (n == 0) return 0;
  if (n > MAX_LISTED) return tprof_heap_shadow_bytes_scan_all(); /* a heap spread over 256 GiB */
  for (uint32_t i = 0; i < n; i++) {
    c.regions[i] = __atomic_load_n(&region_list[i], __ATOMIC_ACQUIRE);
    if (!c.regions[i]) return tprof_heap_shadow_bytes_scan_all(); /* being listed by another thread now */
  }
  c.nregions = n;
  return tprof_each_anonymous_mapping(count_mapping, &c) == 0 ? c.pages * PAGE : tprof_heap_shadow_bytes_scan_all();
}
