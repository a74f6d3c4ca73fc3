/* The books of live blocks under churn: random interleavings of
 * allocations and frees (small blocks side by side, large ones the
 * allocator maps far away) must find every block again when it is freed.
 * A lost or mixed-up entry shows up as an untracked free and wrong byte
 * counts. Then the same across threads that free each other's blocks
 * (aligned ones and reallocs among them), blocks too big for the shadow
 * map (they go to the table), and the reset epoch wrapping around. */
#include "../../runtime/internal.h"
#include "check.h"

#include <malloc.h>
#include <pthread.h>
#include <stdlib.h>

/* the huge blocks are never touched: no memory behind them is needed, but
 * the sanitizers' allocators must be allowed to say no */
const char *__asan_default_options(void) { return "allocator_may_return_null=1:detect_leaks=0"; }
const char *__tsan_default_options(void) { return "allocator_may_return_null=1"; }

static tprof_site_record site_a = {TPROF_ABI_VERSION, 31, 1, 0, "churn_a", "unit.c"};
static tprof_site_record site_b = {TPROF_ABI_VERSION, 32, 1, 0, "churn_b", "unit.c"};

/* Threads hand blocks to each other through shared slots: whoever finds a
 * slot full frees (or reallocs, then frees) the block someone else put
 * there, and puts a new one of its own. */
enum { THREADS = 4, STEPS = 100000, SHARED = 4096 };
static void *shared[SHARED];
static uint64_t thread_allocs[THREADS];

static void *cross_churn(void *arg) {
  long me = (long)arg;
  uint64_t r = 0x9e3779b97f4a7c15ull * (uint64_t)(me + 1), allocs = 0;
  for (int step = 0; step < STEPS; step++) {
    r ^= r << 13, r ^= r >> 7, r ^= r << 17;
    size_t k = r % SHARED, size = 1 + (r >> 20) % 300;
    void *mine;
    switch ((r >> 40) % 4) {
    case 0: mine = __tprof_aligned_alloc(64, 64 * (1 + size % 4), &site_b); break;
    case 1: mine = __tprof_memalign(32, size, &site_b); break;
    default: mine = __tprof_malloc(size, &site_a); break;
    }
    allocs++;
    void *theirs = __atomic_exchange_n(&shared[k], mine, __ATOMIC_ACQ_REL);
    if (!theirs) continue;
    if ((r >> 50) % 8 == 0) {
      theirs = __tprof_realloc(theirs, size + 100, &site_a); /* a free and an allocation */
      allocs++;
    }
    __tprof_free(theirs, &site_a);
  }
  thread_allocs[me] = allocs;
  return NULL;
}

static tprof_site_record site = {TPROF_ABI_VERSION, 30, 1, 0, "churn", "unit.c"};

#define SLOTS 60000

static uint64_t rng = 88172645463325252ull;
static uint64_t next_random(void) {
  rng ^= rng << 13;
  rng ^= rng >> 7;
  rng ^= rng << 17;
  return rng;
}

int main(void) {
  tprof_set_option("export_profiling_data", "0");
  static void *live[SLOTS];
  static uint64_t sizes[SLOTS];
  uint64_t expect_bytes = 0, expect_live = 0, allocations = 0;
  for (int step = 0; step < 1000000; step++) {
    size_t k = next_random() % SLOTS;
    if (live[k]) {
      __tprof_free(live[k], &site);
      expect_bytes -= sizes[k];
      expect_live--;
      live[k] = NULL;
    } else {
      uint64_t r = next_random();
      sizes[k] = r % 100 == 0 ? 200000 + r % 4096 : 1 + r % 200; /* 1% large: mapped elsewhere */
      live[k] = __tprof_malloc(sizes[k], &site);
      expect_bytes += sizes[k];
      expect_live++;
      allocations++;
    }
  }
  tprof_heap_totals h;
  tprof_heap_totals_get(&h);
  CHECK_EQ_U64(h.untracked_frees, 0);
  CHECK_EQ_U64(h.current_bytes, expect_bytes);
  CHECK_EQ_U64(h.live_blocks, expect_live);
  CHECK_EQ_U64(h.allocation_count, allocations);
  for (size_t k = 0; k < SLOTS; k++)
    if (live[k]) __tprof_free(live[k], &site);
  tprof_heap_totals_get(&h);
  CHECK_EQ_U64(h.untracked_frees, 0);
  CHECK_EQ_U64(h.current_bytes, 0);
  CHECK_EQ_U64(h.live_blocks, 0);
  tprof_reset();

  /* across threads */
  pthread_t tids[THREADS];
  for (long i = 0; i < THREADS; i++) CHECK(pthread_create(&tids[i], NULL, cross_churn, (void *)i) == 0);
  for (int i = 0; i < THREADS; i++) pthread_join(tids[i], NULL);
  uint64_t total_allocs = 0, left = 0;
  for (int i = 0; i < THREADS; i++) total_allocs += thread_allocs[i];
  for (size_t k = 0; k < SHARED; k++)
    if (shared[k]) left++;
  tprof_heap_totals_get(&h);
  CHECK_EQ_U64(h.untracked_frees, 0);
  CHECK_EQ_U64(h.allocation_count, total_allocs);
  CHECK_EQ_U64(h.live_blocks, left);
  CHECK_EQ_U64(h.allocated_bytes - h.freed_bytes, h.current_bytes);
  CHECK(h.peak_bytes >= h.current_bytes);
  for (size_t k = 0; k < SHARED; k++) __tprof_free(shared[k], &site_a);
  tprof_heap_totals_get(&h);
  CHECK_EQ_U64(h.untracked_frees, 0);
  CHECK_EQ_U64(h.live_blocks, 0);
  CHECK_EQ_U64(h.current_bytes, 0);
  tprof_reset();

  /* blocks of 128 MiB and more are kept in the table, not the map */
  void *huge[3];
  size_t huge_size = ((size_t)129 << 20) + 16;
  int got = 0;
  for (int i = 0; i < 3; i++) got += (huge[i] = __tprof_malloc(huge_size + i, &site_a)) != NULL;
  tprof_heap_totals_get(&h);
  CHECK_EQ_U64(h.current_bytes, got * huge_size + (got > 1) + (got > 2) * 2);
  CHECK_EQ_U64(h.live_blocks, got);
  for (int i = 0; i < 3; i++) __tprof_free(huge[i], &site_a);
  tprof_heap_totals_get(&h);
  CHECK_EQ_U64(h.current_bytes, 0);
  CHECK_EQ_U64(h.live_blocks, 0);
  CHECK_EQ_U64(h.untracked_frees, 0);

  /* A block from before 65,535 resets is still not of this measurement
   * when the epoch counter wraps around: its free counts nowhere. */
  void *ancient = __tprof_malloc(40, &site_a);
  for (int i = 0; i < 65535; i++) tprof_reset();
  void *fresh = __tprof_malloc(24, &site_a);
  __tprof_free(ancient, &site_a);
  tprof_heap_totals_get(&h);
  CHECK_EQ_U64(h.deallocation_count, 0);
  CHECK_EQ_U64(h.untracked_frees, 0);
  CHECK_EQ_U64(h.current_bytes, 24);
  __tprof_free(fresh, &site_a);
  tprof_heap_totals_get(&h);
  CHECK_EQ_U64(h.deallocation_count, 1);
  CHECK_EQ_U64(h.current_bytes, 0);
  CHECK_DONE();
}
