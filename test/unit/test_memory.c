/* memory.c's kept mappings: a freed large or temporary block is handed out
 * again (no fresh pages to fault in), zeroed as a fresh mapping would be,
 * only for a request it fits (not more than 4 times too big), and blocks
 * above 1 MiB are unmapped; mapped_bytes counts what is still mapped.
 * The exporter's scratch range: blocks packed one after another and freed
 * as a stack (a freed block's space comes back once every block above it
 * has gone), always zeroed; other threads, tables that outlive the export,
 * big blocks and a full range go to mappings of their own. */
#include "../../runtime/internal.h"
#include "check.h"
#include "resident.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
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

/* A sparse block (the per-thread tables indexed by function id, the
 * calling-context nodes) has no page in memory past its header until it is
 * written or mapped ahead. tprof_mem_populate_ahead, called with each slot
 * before its write, maps runs that grow with the block: counting the
 * block's pages from 0 (the one with its header), the run at page k is
 * pages [k, 2k) while they are within the longest run (here 16 KiB: 4
 * pages), then a longest run at each multiple of it; never past the block.
 * Slot 0 and the slot that starts page k map the run at page k + 1, if one
 * starts there. */
static const unsigned char *page_of(const unsigned char *base, size_t k) {
  return (const unsigned char *)(((uintptr_t)base & ~(uintptr_t)4095) + k * 4096);
}
/* Calls tprof_mem_populate_ahead for the first slot of `slot` bytes from
 * base that starts in page k. */
static void ahead_at_page(const unsigned char *base, size_t slot, size_t k, const unsigned char *end) {
  size_t i = ((size_t)(page_of(base, k) - base) + slot - 1) / slot;
  tprof_mem_populate_ahead(i, base + i * slot, slot, end, TPROF_POPULATE_RUN_SMALL);
  /* the next slot of its page maps nothing */
  tprof_mem_populate_ahead(i + 1, base + (i + 1) * slot, slot, end, TPROF_POPULATE_RUN_SMALL);
}

static void sparse_checks(void) {
  const size_t n = 200u << 10, slot = 96; /* above what the hot range takes (hot_checks) */
  unsigned char *s = tprof_mem_alloc_sparse(n);
  CHECK(s != NULL);
  CHECK(all_zero(s, 64));
  size_t untouched = 0;
  for (size_t off = 4096; off < n; off += 4096) untouched += !resident(s + off);
  CHECK(untouched == n / 4096 - 1); /* the first page holds the header */
  const unsigned char *end = s + n;
  tprof_mem_populate_ahead(0, s, slot, end, TPROF_POPULATE_RUN_SMALL); /* page 1 */
  CHECK_MAPPED_AHEAD(resident(page_of(s, 1)));
  CHECK(!resident(page_of(s, 2)));
  ahead_at_page(s, slot, 1, end); /* pages 2 and 3 */
  CHECK_MAPPED_AHEAD(resident(page_of(s, 2)) && resident(page_of(s, 3)));
  CHECK(!resident(page_of(s, 4)));
  ahead_at_page(s, slot, 2, end); /* no run starts at page 3 */
  CHECK(!resident(page_of(s, 4)));
  /* past 16 KiB the runs are 4 pages, at each fourth page... */
  ahead_at_page(s, slot, 3, end);
  CHECK_MAPPED_AHEAD(resident(page_of(s, 7)));
  CHECK(!resident(page_of(s, 8)));
  ahead_at_page(s, slot, 5, end);
  CHECK(!resident(page_of(s, 8)));
  /* ...and the last one stops at the block's end. */
  const size_t last = ((size_t)(page_of(end - 1, 0) - page_of(s, 0)) / 4096) & ~(size_t)3;
  CHECK(!resident(end - 1));
  ahead_at_page(s, slot, last - 1, end);
  CHECK_MAPPED_AHEAD(resident(page_of(s, last)) && resident(end - 1));
  /* Not freed: a kept mapping would be the next fitting block of main's checks. */
}

static void *other_thread_block(void *arg) {
  (void)arg;
  return tprof_mem_alloc_temp(1000);
}

/* Whether block p lies in the 2 MiB scratch range whose first block is
 * `first` (the range starts at its 16-byte header). A block of its own
 * mapping can be the range's neighbour: its pointer, past its own header,
 * is then exactly first + 2 MiB. */
static int in_scratch(const void *p, const unsigned char *first) {
  const unsigned char *start = first - 16, *q = p;
  return q >= start && q < start + (2u << 20);
}

static void scratch_checks(void) {
  tprof_mem_scratch_begin();
  uint64_t before = tprof_mem_mapped_bytes();
  unsigned char *a = tprof_mem_alloc_temp(1000), *b = tprof_mem_alloc_temp(3000);
  CHECK(a && b);
  CHECK(b == a + 1024); /* packed: a's 1,000 bytes and b's 16-byte header, to 16 bytes */
  CHECK(tprof_mem_mapped_bytes() == before + (64u << 10)); /* the first step of the range, mapped in */
  const unsigned char *range = a - 16;
  CHECK_MAPPED_AHEAD(resident(range + (64u << 10) - 1));
  CHECK(!resident(range + (64u << 10))); /* in memory before any write */
  memset(a, 0x5a, 1000);
  memset(b, 0xa5, 3000);
  /* The last block freed: its space is the next block's, zeroed. */
  tprof_mem_free(b);
  unsigned char *c = tprof_mem_alloc_temp(2000);
  CHECK(c == b);
  CHECK(all_zero(c, 2000));
  memset(c, 0x77, 2000);
  /* A block below the top, freed: its space stays taken until the blocks above it go... */
  unsigned char *d = tprof_mem_alloc_temp(500);
  tprof_mem_free(c);
  unsigned char *e = tprof_mem_alloc_temp(100);
  CHECK(e == d + 528); /* 500 bytes and e's header, to 16 bytes */
  tprof_mem_free(e);
  CHECK(tprof_mem_alloc_temp(100) == e);
  tprof_mem_free(e);
  /* ...then it goes with them. */
  tprof_mem_free(d);
  unsigned char *x = tprof_mem_alloc_temp(100);
  CHECK(x == c);
  tprof_mem_free(x);
  /* Every block freed: the range starts over, zeroed where it was written. */
  tprof_mem_free(a);
  unsigned char *f = tprof_mem_alloc_temp(5000);
  CHECK(f == a);
  CHECK(all_zero(f, 5000));
  /* Steps mapped in as the range fills: 200 KB more is four steps in all. */
  unsigned char *g = tprof_mem_alloc_temp(200000);
  CHECK(g == f + 5024); /* 5,000 bytes and the next header, to 16 bytes */
  CHECK(all_zero(g, 200000));
  CHECK(tprof_mem_mapped_bytes() == before + (256u << 10));
  CHECK_MAPPED_AHEAD(resident(range + (256u << 10) - 1));
  CHECK(!resident(range + (256u << 10)));
  /* Above 256 KiB a block has its own mapping; so has one that no longer fits the 2 MiB range. */
  unsigned char *big = tprof_mem_alloc_temp(300000);
  CHECK(big && !in_scratch(big, f));
  unsigned char *fill[8];
  for (int i = 0; i < 8; i++) fill[i] = tprof_mem_alloc_temp(250000);
  CHECK(in_scratch(fill[6], f));
  CHECK(fill[7] && !in_scratch(fill[7], f));
  /* Another thread's temporaries are not the exporter's. */
  pthread_t t;
  void *other = NULL;
  CHECK(pthread_create(&t, NULL, other_thread_block, NULL) == 0 && pthread_join(t, &other) == 0);
  CHECK(other && !in_scratch(other, f));
  tprof_mem_free(other);
  /* Nor is a table that outlives the export. */
  unsigned char *own = tprof_mem_alloc_own(1000);
  CHECK(own && !in_scratch(own, f));
  tprof_mem_free(own);
  for (int i = 0; i < 8; i++) tprof_mem_free(fill[i]);
  tprof_mem_free(big);
  tprof_mem_free(g);
  tprof_mem_free(f);
  tprof_mem_scratch_end();
  /* Outside the scope: a mapping of its own again. */
  unsigned char *h = tprof_mem_alloc_temp(1000);
  CHECK(h && !in_scratch(h, f));
  tprof_mem_free(h);
  /* The range is kept for the next export, and starts over. */
  tprof_mem_scratch_begin();
  unsigned char *i = tprof_mem_alloc_temp(64);
  CHECK(i == f);
  CHECK(all_zero(i, 64));
  tprof_mem_free(i);
  tprof_mem_scratch_end();
}

/* The line of /proc/self/smaps that starts with `field` in the entry of
 * the mapping that holds p, into line; 0 when there is none. */
static int smaps_line(const void *p, const char *field, char *line, size_t size) {
  FILE *f = fopen("/proc/self/smaps", "r");
  if (!f) return 0;
  int in = 0, found = 0;
  while (!found && fgets(line, (int)size, f)) {
    unsigned long lo, hi;
    char perms[5];
    if (sscanf(line, "%lx-%lx %4s", &lo, &hi, perms) == 3)
      in = (uintptr_t)p >= lo && (uintptr_t)p < hi;
    else if (in && !strncmp(line, field, strlen(field)))
      found = 1;
  }
  fclose(f);
  return found;
}

/* Whether the mapping that holds p was advised for huge pages (VmFlags
 * "hg"): whether the kernel then backs it with one is its choice. */
static int advised_huge(const void *p) {
  char line[512];
  return smaps_line(p, "VmFlags:", line, sizeof line) && strstr(line, " hg") != NULL;
}

static int huge_backed(const void *p) {
  char line[512];
  return smaps_line(p, "AnonHugePages:", line, sizeof line) && atol(line + 14) > 0;
}

/* The hot range (memory.c): one 2 MiB range at a 2 MiB boundary, advised
 * for a huge page, made by the first request that fits, handed out in
 * order and never given back; sparse blocks up to 512 KiB come from it
 * once it exists, and the exporter's scratch range takes what is left
 * above a 128 KiB reserve. Run in a process started with every hook off:
 * nothing made it before. */
static int hot_checks(void) {
  CHECK(!tprof_mem_hot_made());
  CHECK(tprof_mem_hot(600u << 10) == NULL); /* above a quarter of it: a buffer of its own */
  CHECK(!tprof_mem_hot_made());             /* and that made none */
  unsigned char *before_sparse = tprof_mem_alloc_sparse(1000);
  CHECK(before_sparse && !tprof_mem_in_hot(before_sparse)); /* no range yet: no sparse block from it */
  uint64_t before = tprof_mem_mapped_bytes();
  unsigned char *a = tprof_mem_hot(240000);
  CHECK(a && tprof_mem_hot_made() && tprof_mem_in_hot(a));
  CHECK(((uintptr_t)a & ((2u << 20) - 1)) == 0); /* the first block starts the aligned range */
  CHECK_EQ_U64(tprof_mem_mapped_bytes(), before + (2u << 20));
  CHECK(advised_huge(a));
  CHECK(all_zero(a, 240000));
  /* Sparse blocks up to 512 KiB now come from it, in order (64-byte
   * aligned), each after its header; bigger ones do not. */
  unsigned char *b = tprof_mem_alloc_sparse(320000);
  CHECK(b == a + 240000 + 16);
  CHECK(all_zero(b, 320000));
  memset(b, 0x33, 320000);
  tprof_mem_free(b); /* its space stays taken */
  unsigned char *c = tprof_mem_alloc_sparse(100);
  CHECK(c == b + 320064);
  unsigned char *s = tprof_mem_alloc_sparse(100u << 10), *big = tprof_mem_alloc_sparse(600u << 10);
  CHECK(s == c - 16 + 128 + 16);
  CHECK(big && !tprof_mem_in_hot(big));
  CHECK(tprof_mem_alloc_temp(1000) && !tprof_mem_in_hot(tprof_mem_alloc_temp(1000)));
  /* The exporter's scratch range is the rest of it but the reserve,
   * counted already. */
  uint64_t counted = tprof_mem_mapped_bytes();
  tprof_mem_scratch_begin();
  unsigned char *t = tprof_mem_alloc_temp(1000);
  CHECK(t == s + (100u << 10) + 64); /* past s (its 102,400 bytes and header, to 64 bytes), after its header */
  CHECK(tprof_mem_alloc_temp(250000) != NULL);
  CHECK_EQ_U64(tprof_mem_mapped_bytes(), counted);
  tprof_mem_scratch_end();
  /* The 128 KiB reserve: a buffer made after the first export still fits,
   * and it ends the range. */
  size_t scratch_end = (2u << 20) - (128u << 10); /* the range's offset where the reserve starts */
  unsigned char *late = tprof_mem_hot(100u << 10);
  CHECK(late == a + scratch_end);
  CHECK(tprof_mem_hot(32u << 10) == NULL); /* 28 KiB left */
  CHECK(tprof_mem_hot(28u << 10) == late + (100u << 10));
  CHECK(tprof_mem_hot(64) == NULL); /* nothing left */
  printf("the hot range is %sa huge page here\n", huge_backed(a) ? "" : "not ");
  CHECK_DONE();
}

int main(int argc, char **argv) {
  if (argc > 1 && !strcmp(argv[1], "hot")) return hot_checks();
  sparse_checks(); /* first: a sparse block taken from the kept mappings is one already in memory */
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

  scratch_checks();
  CHECK_DONE();
}
