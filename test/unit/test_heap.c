/* Heap accounting through the allocation hooks: counts, bytes, current and
 * peak, realloc as free + allocation, untracked frees, per-site totals,
 * trace cap, reset epochs. */
#include "../../runtime/heap_books.h"
#include "check.h"

#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>

static tprof_site_record site_a = {TPROF_ABI_VERSION, 10, 1, 0, "alloc_here", "unit.c"};
static tprof_site_record site_b = {TPROF_ABI_VERSION, 20, 1, 0, "free_here", "unit.c"};

static void *nothing(void *arg) { return arg; }

/* A profiling signal lands anywhere in the hooks: what it reads is whole
 * events unless the heap says it interrupted one (tprof_heap_mid_update,
 * which an export reports as taken_mid_update). */
static volatile sig_atomic_t samples, interrupted, torn;
static void on_prof(int sig) {
  (void)sig;
  int mid = tprof_heap_mid_update();
  tprof_heap_totals t;
  tprof_heap_totals_get(&t);
  samples++;
  if (mid)
    interrupted++;
  else if (t.current_bytes != t.live_blocks * 48 || t.allocated_bytes != t.allocation_count * 48)
    torn++;
}

static void check_mid_update(void) {
  struct sigaction sa = {.sa_handler = on_prof};
  sigemptyset(&sa.sa_mask);
  CHECK(sigaction(SIGPROF, &sa, NULL) == 0);
  struct itimerval every = {{0, 200}, {0, 200}}, off = {{0, 0}, {0, 0}};
  CHECK(setitimer(ITIMER_PROF, &every, NULL) == 0);
  /* The timer counts this process's CPU time, so the samples come with the
   * work done, however busy the machine; the bound on rounds (about 100x
   * what 300 samples take) only ends a run whose signals never come. */
  for (int round = 0; samples < 300 && round < 100000; round++)
    for (int i = 0; i < 1000; i++) __tprof_free(__tprof_malloc(48, &site_a), &site_b);
  setitimer(ITIMER_PROF, &off, NULL);
  signal(SIGPROF, SIG_DFL);
  /* (a sanitizer may deliver signals only between calls: none interrupted) */
  printf("note: %d samples, %d inside an event\n", (int)samples, (int)interrupted);
  CHECK_EQ_U64(torn, 0);
}

static void check_peak(tprof_heap_totals *h) {
  void *a = __tprof_malloc(100, &site_a), *b = __tprof_malloc(200, &site_a);
  __tprof_free(b, &site_b);
  void *c = __tprof_malloc(150, &site_a);
  tprof_heap_totals_get(h);
  CHECK_EQ_U64(h->current_bytes, 250);
  CHECK_EQ_U64(h->peak_bytes, 300);
  void *d = __tprof_malloc(400, &site_a);
  tprof_heap_totals_get(h);
  CHECK_EQ_U64(h->peak_bytes, 650);
  __tprof_free(a, &site_b);
  __tprof_free(c, &site_b);
  __tprof_free(d, &site_b);
  tprof_heap_totals_get(h);
  CHECK_EQ_U64(h->current_bytes, 0);
  CHECK_EQ_U64(h->peak_bytes, 650);
}

/* Started with memory tracking off (unit_heap.test's second run): no
 * trace buffer until tracking is first on, then one of the configured
 * size, kept when tracking goes off again. */
static int lazy_traces(void) {
  CHECK(tprof_heap_traces == NULL);
  tprof_set_option("max_traced_allocations", "64");
  CHECK(tprof_heap_traces == NULL);
  tprof_set_option("memory_tracking_enabled", "1");
  CHECK(tprof_heap_traces != NULL && tprof_heap_traces->cap == 64);
  tprof_set_option("memory_tracking_enabled", "0");
  CHECK(tprof_heap_traces != NULL && tprof_heap_traces->cap == 64);
  CHECK_DONE();
}

int main(int argc, char **argv) {
  if (argc > 1 && !strcmp(argv[1], "off-at-start")) return lazy_traces();
  tprof_set_option("export_profiling_data", "0");
  tprof_set_option("max_traced_allocations", "5");
  tprof_heap_totals h;

  void *blocks[100];
  for (int i = 0; i < 100; i++) blocks[i] = __tprof_malloc(100, &site_a);
  tprof_heap_totals_get(&h);
  CHECK_EQ_U64(h.allocation_count, 100);
  CHECK_EQ_U64(h.current_bytes, 10000);
  CHECK_EQ_U64(h.peak_bytes, 10000);
  CHECK_EQ_U64(h.live_blocks, 100);
  for (int i = 0; i < 100; i++) __tprof_free(blocks[i], &site_b);
  tprof_heap_totals_get(&h);
  CHECK_EQ_U64(h.deallocation_count, 100);
  CHECK_EQ_U64(h.current_bytes, 0);
  CHECK_EQ_U64(h.peak_bytes, 10000);
  CHECK_EQ_U64(h.freed_bytes, 10000);
  CHECK_EQ_U64(h.live_blocks, 0);

  /* the trace buffer keeps 5 events and counts the other 195 */
  CHECK_EQ_U64(h.traced_events, 5);
  CHECK_EQ_U64(h.dropped_traces, 195);

  /* realloc: NULL is an allocation; growing a live block is a free and an allocation */
  char *p = __tprof_realloc(NULL, 10, &site_a);
  p = __tprof_realloc(p, 1000, &site_a);
  tprof_heap_totals_get(&h);
  CHECK_EQ_U64(h.allocation_count, 102);
  CHECK_EQ_U64(h.deallocation_count, 101);
  CHECK_EQ_U64(h.reallocation_count, 1);
  CHECK_EQ_U64(h.current_bytes, 1000);
  /* realloc to 0 frees */
  p = __tprof_realloc(p, 0, &site_a);
  tprof_heap_totals_get(&h);
  CHECK_EQ_U64(h.current_bytes, 0);
  CHECK_EQ_U64(h.deallocation_count, 102);

  /* calloc counts n * size; strdup counts the copy with its terminator */
  void *c = __tprof_calloc(3, 7, &site_a);
  char *s = __tprof_strdup("hello", &site_a);
  char *sn = __tprof_strndup("hello", 2, &site_a);
  void *al = NULL;
  CHECK(__tprof_posix_memalign(&al, 64, 100, &site_a) == 0);
  tprof_heap_totals_get(&h);
  CHECK_EQ_U64(h.current_bytes, 21 + 6 + 3 + 100);
  __tprof_free(c, &site_b);
  __tprof_free(s, &site_b);
  __tprof_free(sn, &site_b);
  __tprof_free(al, &site_b);
  __tprof_free(NULL, &site_b); /* free(NULL): nothing to count */

  /* memory tprof did not allocate is freed and counted apart */
  void *foreign = malloc(32);
  __tprof_free(foreign, &site_b);
  tprof_heap_totals_get(&h);
  CHECK_EQ_U64(h.untracked_frees, 1);
  CHECK_EQ_U64(h.current_bytes, 0);

  /* per-site totals: frees count against the allocating site */
  tprof_site_stat sites[8] = {{0}};
  CHECK(tprof_site_count() <= 8);
  tprof_heap_sites_get(sites, tprof_site_count());
  CHECK_EQ_U64(sites[site_a.id].allocations, 106);
  CHECK_EQ_U64(sites[site_a.id].deallocations, 106);
  CHECK_EQ_U64(sites[site_a.id].live_blocks, 0);
  CHECK_EQ_U64(sites[site_b.id].allocations, 0);

  /* many live blocks: the table grows and stays exact */
  enum { N = 200000 };
  void **many = malloc(N * sizeof *many);
  for (int i = 0; i < N; i++) many[i] = __tprof_malloc(8, &site_a);
  for (int i = 0; i < N; i += 2) __tprof_free(many[i], &site_b);
  tprof_heap_totals_get(&h);
  CHECK_EQ_U64(h.live_blocks, N / 2);
  CHECK_EQ_U64(h.current_bytes, (N / 2) * 8);

  /* after a reset, blocks from before are recognised but not counted */
  tprof_reset();
  for (int i = 1; i < N; i += 2) __tprof_free(many[i], &site_b);
  tprof_heap_totals_get(&h);
  CHECK_EQ_U64(h.deallocation_count, 0);
  CHECK_EQ_U64(h.untracked_frees, 0);
  CHECK_EQ_U64(h.current_bytes, 0);
  free(many);

  /* the reset opens the trace log again (the hooks' common path skips it
   * only while it is full): 5 events traced, the rest dropped */
  void *few[7];
  for (int i = 0; i < 7; i++) few[i] = __tprof_malloc(16, &site_a);
  tprof_heap_totals_get(&h);
  CHECK_EQ_U64(h.traced_events, 5);
  CHECK_EQ_U64(h.dropped_traces, 2);
  /* a larger log has room again */
  tprof_set_option("max_traced_allocations", "8");
  for (int i = 0; i < 7; i++) __tprof_free(few[i], &site_b);
  tprof_heap_totals_get(&h);
  CHECK_EQ_U64(h.traced_events, 8);
  CHECK_EQ_U64(h.dropped_traces, 6);

  /* A block the table holds at an address the allocator hands out again
   * (freed where tprof could not see; the table's blocks are huge or odd,
   * this one stands for a mapping reused): the common allocation, which
   * the table's detour sends the long way, takes it out. */
  void *gone = malloc(48);
  uintptr_t gone_at = (uintptr_t)gone;
  __asm__("" : "+r"(gone_at)); /* a number from here (gcc's -Wuse-after-free) */
  free(gone);
  block_info old = {48, site_a.id, 0}, stale;
  CHECK(tprof_heap_table_put(gone_at, &old, &stale) == 0);
  CHECK(tprof_heap_detours & DETOUR_TABLE);
  void *again = __tprof_malloc(48, &site_a);
  if ((uintptr_t)again != gone_at) { /* a sanitizer's allocator: nothing to check */
    printf("note: the allocator did not reuse the address; table check skipped\n");
    CHECK(tprof_heap_table_take(gone_at, &stale));
  }
  /* the new block in the map, or in the table when the allocator's blocks
   * may be 16 bytes apart (ThreadSanitizer's) */
  CHECK_EQ_U64(tprof_heap_table_live, tprof_heap_map_usable() ? 0 : 1);
  CHECK((!(tprof_heap_detours & DETOUR_TABLE)) == tprof_heap_map_usable());
  __tprof_free(again, &site_b);
  CHECK_EQ_U64(tprof_heap_table_live, 0);
  CHECK(!(tprof_heap_detours & DETOUR_TABLE));
  tprof_heap_totals_get(&h);
  CHECK_EQ_U64(h.current_bytes, 0);
  CHECK_EQ_U64(h.untracked_frees, 0);
  tprof_reset();

  check_mid_update(); /* with one thread: the hooks' common paths */
  tprof_reset();

  /* the peak rises by what the room under it lacks: 300, then 150 more
   * after 200 are freed (room 200: no rise), then 400 (250 + 400) */
  check_peak(&h);
  /* the same once the process has had a second thread (the counters'
   * atomic path: glibc does not say "one thread" again) */
  pthread_t other;
  CHECK(pthread_create(&other, NULL, nothing, NULL) == 0);
  pthread_join(other, NULL);
  tprof_reset();
  check_peak(&h);
  tprof_reset();

  /* memory tracking off: the hooks still allocate and free, count nothing */
  tprof_set_option("memory_tracking_enabled", "0");
  void *q = __tprof_malloc(64, &site_a);
  CHECK(q != NULL);
  __tprof_free(q, &site_b);
  tprof_heap_totals_get(&h);
  CHECK_EQ_U64(h.allocation_count, 0);
  CHECK_DONE();
}
