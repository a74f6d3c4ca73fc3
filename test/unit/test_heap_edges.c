/* Heap accounting where it is easy to get wrong: an address handed out
 * again after a free tprof did not see, reallocs that fail, reallocarray
 * overflow, and many threads allocating, reallocating and freeing at once
 * (totals must stay exact; traces carry the thread numbers even with cpu
 * profiling off). */
#include "../../runtime/heap_books.h"
#include "../../runtime/snapshot.h"
#include "check.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <sys/resource.h>
#include <unistd.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Under the sanitizers a huge request must return NULL, as libc's does;
 * the blocks the threads keep are leaked on purpose. */
const char *__asan_default_options(void) { return "allocator_may_return_null=1:detect_leaks=0"; }
const char *__tsan_default_options(void) { return "allocator_may_return_null=1"; }

static tprof_site_record site = {TPROF_ABI_VERSION, 1, 1, 0, "edges", "unit.c"};
static tprof_site_record thread_site = {TPROF_ABI_VERSION, 2, 1, 0, "worker", "unit.c"};

enum { THREADS = 8, ROUNDS = 20000, KEEP = 10 };

/* Every worker stays until all have allocated: the state of a thread that
 * ended is reused by the next new thread (with its number), so only threads
 * alive together are sure to have numbers of their own. */
static pthread_barrier_t all_allocated;

static char *kept[THREADS][KEEP];

static void *worker(void *arg) {
  char **keep = arg;
  for (int i = 0; i < ROUNDS; i++) {
    char *p = __tprof_malloc(16 + i % 64, &thread_site);
    p = __tprof_realloc(p, 128 + i % 32, &thread_site);
    if (i < KEEP) { /* left live on purpose */
      keep[i] = p;
      continue;
    }
    __tprof_free(p, &thread_site);
  }
  pthread_barrier_wait(&all_allocated);
  return NULL;
}

/* A malloc or calloc that fails is counted as failed, never as a block at
 * address 0: with the shadow map's first region (addresses below 4 GiB)
 * mapped, as in a program whose heap is there, address 0 has a word too,
 * and the common path must not take it for a free one. Huge requests fail
 * before that path; a small one fails here under an address-space limit
 * (not under the sanitizers, whose allocators reserve terabytes). The trace
 * log is off, as once it is full. */
static void check_failed_allocations(void) {
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
  return;
#else
  tprof_heap_totals h;
  struct rlimit old;
  long pages = 0, page = sysconf(_SC_PAGESIZE);
  FILE *statm = fopen("/proc/self/statm", "r");
  if (!statm || fscanf(statm, "%ld", &pages) != 1 || getrlimit(RLIMIT_AS, &old) != 0) {
    CHECK(!"cannot read the address space's size or limit");
    if (statm) fclose(statm);
    return;
  }
  fclose(statm);
  /* (an allocator whose blocks may be 16 bytes apart gets no region) */
  CHECK((tprof_heap_region_make(&tprof_heap_regions[0]) != REGION_FAILED) == tprof_heap_map_usable());
  tprof_set_option("max_traced_allocations", "0");
  tprof_reset();
  struct rlimit tight = {(rlim_t)pages * (rlim_t)page + (16u << 20), old.rlim_max};
  CHECK(setrlimit(RLIMIT_AS, &tight) == 0);
  void *m = __tprof_malloc(64u << 20, &site), *c = __tprof_calloc(8u << 20, 8, &site);
  CHECK(setrlimit(RLIMIT_AS, &old) == 0);
  CHECK(m == NULL);
  CHECK(c == NULL);
  tprof_heap_totals_get(&h);
  CHECK_EQ_U64(h.failed_allocations, 2);
  CHECK_EQ_U64(h.allocation_count, 0);
  CHECK_EQ_U64(h.live_blocks, 0);
  CHECK_EQ_U64(h.current_bytes, 0);
  tprof_set_option("max_traced_allocations", "10000");
  tprof_reset();
#endif
}

/* The trace file reads the log in place: a slot reserved but not written
 * yet (kind_size 0, as when another thread is between the two) is skipped, and
 * the file has as many rows as traced_events says. */
static void check_trace_file_in_place(void) {
  tprof_reset();
  for (int i = 0; i < 5; i++) __tprof_free(__tprof_malloc(32, &site), &site);
  tprof_trace_view v = tprof_heap_traces_view();
  CHECK_EQ_U64(v.nslots, 10);
  CHECK_EQ_U64(v.ncomplete, 10);
  tprof_trace *slot = &tprof_heap_traces->slot[3];
  uint64_t kind_size = slot->kind_size;
  __atomic_store_n(&slot->kind_size, 0, __ATOMIC_RELEASE);
  v = tprof_heap_traces_view();
  CHECK_EQ_U64(v.ncomplete, 9);
  snapshot s = {.traces = v, .ms_per_tick = 1e-6};
  static char buf[16384];
  tprof_out o = {-1, buf, sizeof buf - 1, 0, 0};
  tprof_write_traces(&o, &s);
  buf[o.len] = '\0';
  int lines = 0;
  for (const char *c = buf; *c; c++) lines += *c == '\n';
  CHECK_EQ_U64(lines, 1 + 9); /* the header and the written slots */
  /* rows 1-3 and 5-10, in order: the unwritten slot is not a row of its own */
  const char *row = strchr(buf, '\n');
  for (int want = 1; want <= 10; want++) {
    if (want == 4) continue;
    CHECK(row && strtol(row + 1, NULL, 10) == want);
    row = row ? strchr(row + 1, '\n') : NULL;
  }
  __atomic_store_n(&slot->kind_size, kind_size, __ATOMIC_RELEASE);
}

int main(void) {
  tprof_set_option("export_profiling_data", "0");
  tprof_set_option("verbosity", "0");
  tprof_heap_totals h;

  /* A block freed behind tprof's back (plain free): when the allocator
   * hands the address out again, the stale entry is counted as freed and
   * replaced, so sizes never mix. glibc's tcache gives the same address
   * back at once; sanitizer allocators may not (then nothing to check). */
  void *p = __tprof_malloc(48, &site);
  free(p);
  void *q = __tprof_malloc(48, &site);
  tprof_heap_totals_get(&h);
  if (q == p) {
    CHECK_EQ_U64(h.allocation_count, 2);
    CHECK_EQ_U64(h.deallocation_count, 1);
    CHECK_EQ_U64(h.current_bytes, 48);
    CHECK_EQ_U64(h.live_blocks, 1);
    __tprof_free(q, &site);
    tprof_heap_totals_get(&h);
    CHECK_EQ_U64(h.current_bytes, 0);
    CHECK_EQ_U64(h.live_blocks, 0);
  } else {
    /* the unseen free stays unknown until the address comes back */
    printf("note: the allocator did not reuse the address; stale-entry check skipped\n");
    CHECK_EQ_U64(h.current_bytes, 96);
    __tprof_free(q, &site);
  }
  tprof_heap_totals_get(&h);
  CHECK_EQ_U64(h.untracked_frees, 0);
  tprof_reset();

  check_failed_allocations();

  /* A realloc that fails leaves the old block live and counted. */
  char *b = __tprof_malloc(100, &site);
  CHECK(__tprof_realloc(b, SIZE_MAX / 2, &site) == NULL);
  tprof_heap_totals_get(&h);
  CHECK_EQ_U64(h.failed_allocations, 1);
  CHECK_EQ_U64(h.current_bytes, 100);
  CHECK_EQ_U64(h.live_blocks, 1);
  CHECK_EQ_U64(h.reallocation_count, 0);
  /* reallocarray whose size overflows: ENOMEM, old block untouched */
  errno = 0;
  CHECK(__tprof_reallocarray(b, SIZE_MAX, 2, &site) == NULL);
  CHECK(errno == ENOMEM);
  tprof_heap_totals_get(&h);
  CHECK_EQ_U64(h.failed_allocations, 2);
  CHECK_EQ_U64(h.current_bytes, 100);
  /* reallocarray that works: one free of 100 and one allocation of 30 */
  b = __tprof_reallocarray(b, 3, 10, &site);
  CHECK(b != NULL);
  tprof_heap_totals_get(&h);
  CHECK_EQ_U64(h.current_bytes, 30);
  CHECK_EQ_U64(h.reallocation_count, 1);
  CHECK_EQ_U64(h.deallocation_count, 1);
  /* a realloc of memory tprof never saw: untracked free + allocation */
  char *foreign = malloc(10);
  foreign = __tprof_realloc(foreign, 20, &site);
  tprof_heap_totals_get(&h);
  CHECK_EQ_U64(h.untracked_frees, 1);
  CHECK_EQ_U64(h.current_bytes, 50);
  __tprof_free(foreign, &site);
  __tprof_free(b, &site);
  tprof_reset();

  /* Threads, with cpu profiling off (threads are numbered by the heap hooks). */
  tprof_set_option("cpu_profiling_enabled", "0");
  tprof_set_option("max_traced_allocations", "1000000");
  pthread_t tids[THREADS];
  pthread_barrier_init(&all_allocated, NULL, THREADS);
  for (int i = 0; i < THREADS; i++) CHECK(pthread_create(&tids[i], NULL, worker, kept[i]) == 0);
  for (int i = 0; i < THREADS; i++) pthread_join(tids[i], NULL);
  tprof_heap_totals_get(&h);
  const uint64_t allocs = (uint64_t)THREADS * ROUNDS * 2, frees = (uint64_t)THREADS * (ROUNDS * 2 - KEEP);
  CHECK_EQ_U64(h.allocation_count, allocs);
  CHECK_EQ_U64(h.deallocation_count, frees);
  CHECK_EQ_U64(h.reallocation_count, (uint64_t)THREADS * ROUNDS);
  CHECK_EQ_U64(h.live_blocks, (uint64_t)THREADS * KEEP);
  uint64_t live = 0;
  for (int i = 0; i < KEEP; i++) live += 128 + i % 32;
  CHECK_EQ_U64(h.current_bytes, THREADS * live);
  CHECK_EQ_U64(h.allocated_bytes - h.freed_bytes, h.current_bytes);
  CHECK_EQ_U64(h.untracked_frees, 0);
  CHECK(h.peak_bytes >= h.current_bytes);
  tprof_trace_view v = tprof_heap_traces_view();
  const tprof_trace *tr = v.slots;
  size_t n = v.nslots;
  CHECK_EQ_U64(v.ncomplete, allocs + frees);
  CHECK_EQ_U64(n, allocs + frees); /* the threads have ended: every slot complete */
  int seen[64] = {0}, distinct = 0, zero = 0;
  for (size_t i = 0; i < n; i++) {
    if (tr[i].thread == 0 || tr[i].thread >= 64) { zero++; continue; }
    if (!seen[tr[i].thread]++) distinct++;
  }
  CHECK_EQ_U64(zero, 0);
  CHECK_EQ_U64(distinct, THREADS);
  /* Each slot's event and size, packed in one word (tprof_trace): the
   * workers' mallocs of 16-79 bytes; their reallocs to 128-159, each
   * traced twice (the block that leaves, the block that comes); the
   * frees. */
  uint64_t by_kind[TPROF_EVENT_KINDS] = {0}, bad_size = 0;
  for (size_t i = 0; i < n; i++) {
    uint64_t ks = tprof_trace_written(&tr[i]);
    unsigned ev = tprof_trace_event(ks);
    uint64_t size = tprof_trace_size(ks);
    if (ev >= TPROF_EVENT_KINDS) { CHECK(!"a traced event of a known kind"); break; }
    by_kind[ev]++;
    if (ev == EV_MALLOC && (size < 16 || size >= 80)) bad_size++;
    if (ev == EV_REALLOC && (size < 16 || size >= 160 || (size >= 80 && size < 128))) bad_size++;
  }
  CHECK_EQ_U64(by_kind[EV_MALLOC], (uint64_t)THREADS * ROUNDS);
  CHECK_EQ_U64(by_kind[EV_REALLOC], (uint64_t)THREADS * ROUNDS * 2);
  CHECK_EQ_U64(by_kind[EV_FREE], frees - (uint64_t)THREADS * ROUNDS);
  CHECK_EQ_U64(bad_size, 0);

  /* The shadow map's resident size, asked of the kernel only for the words
   * of the process's anonymous mappings, counts at least the shadow pages
   * of the live blocks (one per 16 KiB of addresses that blocks start in, at a
   * word per 32 bytes:
   * with glibc, the main heap's and each thread's arena's, arenas whose
   * mappings the kernel may merge with the map's own), and never more than
   * a scan of the whole map (which also counts pages under memory unmapped
   * since). */
  void *main_heap_block = __tprof_malloc(64, &site);
  /* a map page holds 4096 / 8 words, each for 2^GRANULE_BITS bytes */
  enum { WORDS_PAGE_BITS = 12 - 3 + GRANULE_BITS };
  uintptr_t pages[THREADS * KEEP + 1];
  size_t npages = 0;
  for (int i = 0; i <= THREADS * KEEP; i++) {
    uintptr_t page = (i < THREADS * KEEP ? (uintptr_t)kept[i / KEEP][i % KEEP] : (uintptr_t)main_heap_block) >> WORDS_PAGE_BITS;
    size_t j = 0;
    while (j < npages && pages[j] != page) j++;
    if (j == npages) pages[npages++] = page;
  }
  uint64_t shadow = tprof_heap_shadow_bytes(), whole = tprof_heap_shadow_bytes_scan_all();
  if (!tprof_heap_map_usable()) /* ThreadSanitizer's allocator: the table holds every block */
    npages = 0;
  if (shadow < npages * 4096 || shadow > whole)
    fprintf(stderr, "shadow map: %llu resident bytes under mappings, %llu in all, live blocks on %zu pages\n",
            (unsigned long long)shadow, (unsigned long long)whole, npages);
  CHECK(shadow >= npages * 4096);
  CHECK(shadow <= whole);
  __tprof_free(main_heap_block, &site);

  check_trace_file_in_place();
  CHECK_DONE();
}
