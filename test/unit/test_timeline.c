/* timeline.c: the bounded timeline. The first timeline_max_events completed
 * calls are kept, in slot order, from any number of threads; calls past the
 * cap are counted as dropped; raising the cap keeps what was recorded;
 * reset empties it; a cap of 0 records nothing and counts nothing; the
 * buffer's pages are mapped in a step at a time as events reach them. The
 * export's sort: by start, the enclosing call first, equal events in their
 * order, on the order calls end in (nested calls, deep recursion) and on
 * any order. */
#include "../../runtime/internal.h"
#include "check.h"
#include "resident.h"

#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define THREADS 4
#define PER_THREAD 5000

/* Records events from the `recorded`-th one after a reset through the
 * first that starts in page p of the buffer; returns how many are recorded. */
static size_t record_through_page(size_t recorded, size_t p) {
  const size_t size = sizeof(tprof_timeline_event), first = (p * 4096 + size - 1) / size;
  for (; recorded <= first; recorded++) tprof_timeline_record(1, 1, 10, 20);
  return recorded;
}

static void *recorder(void *arg) {
  uint32_t thread = (uint32_t)(uintptr_t)arg;
  for (uint32_t i = 0; i < PER_THREAD; i++) tprof_timeline_record(i, thread, 100 + i, 200 + i);
  return NULL;
}

/* ---- the export's sort, against a reference: a stable sort by index ---- */
static uint64_t next(void) { return check_random(); }

enum { MAX_EVENTS = 20000 };
static tprof_timeline_event input[MAX_EVENTS];
static uint32_t got[MAX_EVENTS];
static size_t order[MAX_EVENTS], nevents;
static uint64_t now;

static int reference_before(const void *a, const void *b) {
  const tprof_timeline_event *x = &input[*(const size_t *)a], *y = &input[*(const size_t *)b];
  if (x->start != y->start) return x->start < y->start ? -1 : 1;
  if (x->end != y->end) return x->end > y->end ? -1 : 1;
  return *(const size_t *)a < *(const size_t *)b ? -1 : *(const size_t *)a > *(const size_t *)b;
}

/* A call and the calls it makes, recorded as calls end; a call may start at
 * the tick its caller started (equal starts), and some calls are equal. */
static void call(int depth, int max_depth, int fanout) {
  uint64_t start = next() % 4 ? ++now : now;
  int children = depth < max_depth ? (int)(next() % (uint64_t)(fanout + 1)) : 0;
  for (int i = 0; i < children && nevents < MAX_EVENTS - 1; i++) call(depth + 1, max_depth, fanout);
  uint64_t end = next() % 8 ? ++now : now;
  input[nevents] = (tprof_timeline_event){(uint32_t)nevents, (uint32_t)(next() % 3), start, end};
  nevents++;
}

static void check_sort(const char *what) {
  for (size_t i = 0; i < nevents; i++) order[i] = i;
  qsort(order, nevents, sizeof *order, reference_before);
  for (size_t i = 0; i < nevents; i++) got[i] = (uint32_t)i;
  tprof_timeline_sort(input, got, nevents);
  for (size_t i = 0; i < nevents; i++)
    if (got[i] != order[i]) {
      fprintf(stderr, "%s: event %zu of %zu is id %u, expected id %u\n", what, i, nevents, input[got[i]].id,
              input[order[i]].id);
      CHECK(0);
      return;
    }
}

/* Started with every hook off (unit_timeline.test's second run): no
 * buffer is reserved until a hook may record, then the configured one. */
static int lazy_reservation(void) {
  CHECK(tprof_timeline_buf == NULL);
  CHECK_EQ_U64(tprof_timeline_cap, 0);
  tprof_timeline_record(1, 1, 10, 20); /* recorded nowhere, counted nowhere */
  CHECK_EQ_U64(tprof_timeline_next, 0);
  tprof_set_option("timeline_max_events", "50"); /* still off */
  CHECK(tprof_timeline_buf == NULL);
  CHECK(!tprof_mem_hot_made()); /* nor the hot range: a process with the profile off has none */
  tprof_set_option("operation_timing_enabled", "1");
  CHECK(tprof_timeline_buf != NULL);
  CHECK(tprof_mem_in_hot(tprof_timeline_buf));
  CHECK_EQ_U64(tprof_timeline_cap, 50);
  tprof_timeline_record(1, 1, 10, 20);
  const tprof_timeline_event *events;
  uint32_t *idx;
  uint64_t dropped;
  CHECK_EQ_U64(tprof_timeline_snapshot(&events, &idx, &dropped), 1);
  tprof_mem_free(idx);
  /* Off again: the buffer and what it holds stay. */
  tprof_set_option("operation_timing_enabled", "0");
  CHECK_EQ_U64(tprof_timeline_snapshot(&events, &idx, &dropped), 1);
  tprof_mem_free(idx);
  CHECK_DONE();
}

int main(int argc, char **argv) {
  if (argc > 1 && !strcmp(argv[1], "off-at-start")) return lazy_reservation();
  tprof_set_option("export_profiling_data", "0");
  tprof_set_option("verbosity", "0");
  const tprof_timeline_event *events;
  uint32_t *idx;
  uint64_t dropped;

  /* The default 10,000 events, reserved at start, are in the hot range
   * (memory.c's tprof_mem_hot). */
  CHECK(tprof_mem_in_hot(tprof_timeline_buf));
  tprof_set_option("timeline_max_events", "3");
  tprof_timeline_reset();
  for (uint32_t i = 1; i <= 5; i++) tprof_timeline_record(i, 1, 10 * i, 10 * i + 5);
  size_t n = tprof_timeline_snapshot(&events, &idx, &dropped);
  CHECK_EQ_U64(n, 3);
  CHECK_EQ_U64(dropped, 2);
  for (size_t i = 0; i < n; i++) {
    CHECK_EQ_U64(idx[i], i);
    CHECK_EQ_U64(events[idx[i]].id, i + 1);
    CHECK_EQ_U64(events[idx[i]].start, 10 * (i + 1));
    CHECK_EQ_U64(events[idx[i]].end, 10 * (i + 1) + 5);
  }
  tprof_mem_free(idx);

  /* A slot being written (end still 0) is left out. */
  tprof_timeline_event *slot1 = (tprof_timeline_event *)&events[1];
  uint64_t end1 = slot1->end;
  slot1->end = 0;
  n = tprof_timeline_snapshot(&events, &idx, &dropped);
  CHECK_EQ_U64(n, 2);
  CHECK(n == 2 && idx[0] == 0 && idx[1] == 2);
  tprof_mem_free(idx);
  slot1->end = end1;

  /* A larger cap keeps the three events already recorded. */
  tprof_set_option("timeline_max_events", "100");
  n = tprof_timeline_snapshot(&events, &idx, &dropped);
  CHECK_EQ_U64(n, 3);
  CHECK_EQ_U64(events[idx[2]].id, 3);
  tprof_mem_free(idx);

  /* The buffer's pages are mapped in runs that grow with it: pages [k, 2k)
   * for k = 1, 2, 4, 8, then 16 pages at each multiple of 16, each run by
   * the event that starts the page before it (its own store mapped page
   * 0). A fresh buffer (a larger cap): the three events kept are copied to
   * its first page. 25,000 events are more than the hot range takes (a
   * buffer there is in memory whole when the kernel gave it a huge page). */
  tprof_set_option("timeline_max_events", "25000");
  tprof_timeline_reset();
  const unsigned char *buf = (const unsigned char *)tprof_timeline_buf;
  CHECK(!tprof_mem_in_hot(buf));
  const size_t page = 4096;
  CHECK(!resident(buf + page));
  size_t recorded = record_through_page(0, 0); /* the first event: pages [1, 2) */
  CHECK_MAPPED_AHEAD(resident(buf + page));
  CHECK(!resident(buf + 2 * page)); /* a short timeline: no more than twice its pages */
  recorded = record_through_page(recorded, 1);
  CHECK_MAPPED_AHEAD(resident(buf + 2 * page) && resident(buf + 3 * page));
  CHECK(!resident(buf + 4 * page));
  recorded = record_through_page(recorded, 2); /* no run starts at page 3 */
  CHECK(!resident(buf + 4 * page));
  recorded = record_through_page(recorded, 3);
  CHECK_MAPPED_AHEAD(resident(buf + 7 * page));
  CHECK(!resident(buf + 8 * page));
  recorded = record_through_page(recorded, 15); /* through the run of 8, then the first of 16 */
  CHECK_MAPPED_AHEAD(resident(buf + 15 * page) && resident(buf + 31 * page));
  CHECK(!resident(buf + 32 * page));
  recorded = record_through_page(recorded, 30);
  CHECK(!resident(buf + 32 * page));
  recorded = record_through_page(recorded, 31);
  CHECK_MAPPED_AHEAD(resident(buf + 47 * page));
  CHECK(!resident(buf + 48 * page));
  n = tprof_timeline_snapshot(&events, &idx, &dropped);
  CHECK_EQ_U64(n, recorded);
  tprof_mem_free(idx);

  /* Threads: every slot is claimed once, nothing is lost or doubled. */
  tprof_set_option("timeline_max_events", "100000");
  tprof_timeline_reset();
  pthread_t t[THREADS];
  for (uintptr_t i = 0; i < THREADS; i++) CHECK(pthread_create(&t[i], NULL, recorder, (void *)(i + 1)) == 0);
  for (int i = 0; i < THREADS; i++) pthread_join(t[i], NULL);
  n = tprof_timeline_snapshot(&events, &idx, &dropped);
  CHECK_EQ_U64(n, THREADS * PER_THREAD);
  CHECK_EQ_U64(dropped, 0);
  uint64_t per_thread[THREADS + 1] = {0}, id_sum = 0;
  for (size_t i = 0; i < n; i++) {
    const tprof_timeline_event *e = &events[idx[i]];
    CHECK(e->thread >= 1 && e->thread <= THREADS);
    if (e->thread >= 1 && e->thread <= THREADS) per_thread[e->thread]++;
    CHECK_EQ_U64(e->end - e->start, 100);
    id_sum += e->id;
  }
  for (int i = 1; i <= THREADS; i++) CHECK_EQ_U64(per_thread[i], PER_THREAD);
  CHECK_EQ_U64(id_sum, (uint64_t)THREADS * PER_THREAD * (PER_THREAD - 1) / 2);
  tprof_mem_free(idx);

  /* The export's sort. Shallow nesting (operations calling helpers) and
   * deeper trees: events move back over the calls they made. */
  for (int round = 0; round < 20; round++) {
    nevents = 0;
    now = 0;
    while (nevents < 5000) call(0, 1 + round % 6, 1 + round % 4);
    check_sort("nested calls");
  }
  /* a recursion 3,000 deep: the last event goes first, and so on (past the
   * budget of moves: the merge sort) */
  nevents = 0;
  now = 0;
  for (int i = 0; i < 3000; i++) input[nevents++] = (tprof_timeline_event){(uint32_t)i, 1, 3000 - (uint64_t)i, 3001 + (uint64_t)i};
  check_sort("deep recursion");
  /* any order, with equal events */
  nevents = MAX_EVENTS;
  for (size_t i = 0; i < nevents; i++) {
    uint64_t start = next() % 500;
    input[i] = (tprof_timeline_event){(uint32_t)i, 1, start, start + next() % 4};
  }
  check_sort("random");
  nevents = 1;
  check_sort("one event");
  nevents = 0;
  check_sort("none");

  /* Off: nothing recorded, nothing counted as dropped. */
  tprof_set_option("timeline_max_events", "0");
  tprof_timeline_reset();
  tprof_timeline_record(1, 1, 1, 2);
  n = tprof_timeline_snapshot(&events, &idx, &dropped);
  CHECK_EQ_U64(n, 0);
  CHECK_EQ_U64(dropped, 0);
  CHECK_DONE();
}
