/* The live-block table under churn: random interleavings of allocations and
 * frees (small blocks side by side, large ones the allocator maps far
 * away) must find every block again when it is freed. A lost entry (a
 * broken probe chain after a deletion) would show up as an untracked free
 * and wrong byte counts. */
#include "../../runtime/internal.h"
#include "check.h"

#include <stdlib.h>

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
  CHECK_DONE();
}
