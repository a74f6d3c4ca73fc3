/* memory.c's kept mappings: a freed large or temporary block is handed out
 * again (no fresh pages to fault in), zeroed as a fresh mapping would be,
 * only for a request it fits (not more than 4 times too big), and blocks
 * above 1 MiB are unmapped; mapped_bytes counts what is still mapped. */
#include "../../runtime/internal.h"
#include "check.h"

#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

static int all_zero(const unsigned char *p, size_t n) {
  for (size_t i = 0; i < n; i++)
    if (p[i]) return 0;
  return 1;
}

/* Whether the page holding p is mapped (mincore fails with ENOMEM if not). */
static int mapped(const void *p) {
  unsigned char v;
  long page = sysconf(_SC_PAGESIZE);
  return mincore((void *)((uintptr_t)p & ~(uintptr_t)(page - 1)), 1, &v) == 0;
}

int main(void) {
  uint64_t base = tprof_mem_mapped_bytes();

  /* A temporary block, dirtied and freed, comes back for a request of about its size, zeroed. */
  unsigned char *a = tprof_mem_alloc_temp(100000);
  CHECK(a != NULL);
  memset(a, 0xab, 100000);
  tprof_mem_free(a);
  CHECK(tprof_mem_mapped_bytes() > base); /* kept, so still counted */
  unsigned char *b = tprof_mem_alloc_temp(90000);
  CHECK(b == a);
  CHECK(all_zero(b, 90000));
  memset(b, 0xcd, 90000);

  /* Too small for a request of 4 times its size or more... */
  unsigned char *small = tprof_mem_alloc_temp(5000);
  memset(small, 0x11, 5000);
  tprof_mem_free(small);
  unsigned char *big = tprof_mem_alloc_temp(200000);
  CHECK(big != small);
  CHECK(all_zero(big, 200000));
  /* ...and too big for a request of a quarter of its size. */
  tprof_mem_free(big);
  unsigned char *tiny = tprof_mem_alloc_temp(100);
  CHECK(tiny != big);
  CHECK(tiny == small); /* the 8 KiB block fits 100 bytes (+ header) within 4 times */
  CHECK(all_zero(tiny, 100));
  tprof_mem_free(tiny);
  tprof_mem_free(b);

  /* A block above 1 MiB is unmapped at once, and its bytes no longer counted. */
  uint64_t before = tprof_mem_mapped_bytes();
  unsigned char *huge = tprof_mem_alloc_temp(3u << 20);
  CHECK(huge != NULL);
  huge[0] = 1;
  CHECK_EQ_U64(tprof_mem_mapped_bytes(), before + (3u << 20) + 4096);
  tprof_mem_free(huge);
  CHECK_EQ_U64(tprof_mem_mapped_bytes(), before);
  CHECK(!mapped(huge));

  /* More freed blocks than slots: the extra ones are unmapped. */
  enum { MANY = 40 };
  unsigned char *blocks[MANY];
  for (int i = 0; i < MANY; i++) blocks[i] = tprof_mem_alloc_temp(20000);
  uint64_t all = tprof_mem_mapped_bytes();
  for (int i = 0; i < MANY; i++) tprof_mem_free(blocks[i]);
  uint64_t left = tprof_mem_mapped_bytes();
  CHECK(left < all);
  int still = 0;
  for (int i = 0; i < MANY; i++) still += mapped(blocks[i]);
  CHECK(still > 0 && still < MANY);
  CHECK_EQ_U64(all - left, (uint64_t)(MANY - still) * 20480); /* 20,000 bytes + the header, in pages */
  CHECK_DONE();
}
