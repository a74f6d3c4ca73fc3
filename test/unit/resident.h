/* Page residency for the unit tests of memory mapped ahead (memory.c's
 * tprof_mem_populate and its callers). */
#ifndef TPROF_TEST_RESIDENT_H
#define TPROF_TEST_RESIDENT_H

#include <stdint.h>
#include <stdio.h>
#include <sys/mman.h>
#include <unistd.h>

#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE 23
#endif

/* Whether the page holding p is in memory (mincore's bit 0). */
static inline int resident(const void *p) {
  unsigned char v = 0;
  long page = sysconf(_SC_PAGESIZE);
  return mincore((void *)((uintptr_t)p & ~(uintptr_t)(page - 1)), 1, &v) == 0 && (v & 1);
}

/* Whether this kernel maps pages in ahead (MADV_POPULATE_WRITE, Linux 5.14):
 * before that, tprof_mem_populate does nothing and the pages fault in at
 * their first write, so the checks that a step is in memory before any
 * write do not apply (the rest still do). */
static inline int can_populate(void) {
  static int known, can;
  if (!known) {
    long page = sysconf(_SC_PAGESIZE);
    void *p = mmap(NULL, (size_t)page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    can = p != MAP_FAILED && madvise(p, (size_t)page, MADV_POPULATE_WRITE) == 0;
    if (p != MAP_FAILED) munmap(p, (size_t)page);
    if (!can) printf("MADV_POPULATE_WRITE not supported here: the mapped-ahead checks are skipped\n");
    known = 1;
  }
  return can;
}
#define CHECK_MAPPED_AHEAD(cond)     \
  do {                               \
    if (can_populate()) CHECK(cond); \
  } while (0)

#endif
