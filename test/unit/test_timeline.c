/* timeline.c: the bounded timeline. The first timeline_max_events completed
 * calls are kept, in slot order, from any number of threads; calls past the
 * cap are counted as dropped; raising the cap keeps what was recorded;
 * reset empties it; a cap of 0 records nothing and counts nothing. */
#include "../../runtime/internal.h"
#include "check.h"

#include <pthread.h>
#include <stdint.h>

#define THREADS 4
#define PER_THREAD 5000

static void *recorder(void *arg) {
  uint32_t thread = (uint32_t)(uintptr_t)arg;
  for (uint32_t i = 0; i < PER_THREAD; i++) tprof_timeline_record(i, thread, 100 + i, 200 + i);
  return NULL;
}

int main(void) {
  tprof_set_option("export_profiling_data", "0");
  tprof_set_option("verbosity", "0");
  tprof_timeline_event *ev;
  uint64_t dropped;

  tprof_set_option("timeline_max_events", "3");
  tprof_timeline_reset();
  for (uint32_t i = 1; i <= 5; i++) tprof_timeline_record(i, 1, 10 * i, 10 * i + 5);
  size_t n = tprof_timeline_snapshot(&ev, &dropped);
  CHECK_EQ_U64(n, 3);
  CHECK_EQ_U64(dropped, 2);
  for (size_t i = 0; i < n; i++) {
    CHECK_EQ_U64(ev[i].id, i + 1);
    CHECK_EQ_U64(ev[i].start, 10 * (i + 1));
    CHECK_EQ_U64(ev[i].end, 10 * (i + 1) + 5);
  }
  tprof_mem_free(ev);

  /* A larger cap keeps the three events already recorded. */
  tprof_set_option("timeline_max_events", "100");
  n = tprof_timeline_snapshot(&ev, &dropped);
  CHECK_EQ_U64(n, 3);
  CHECK_EQ_U64(ev[2].id, 3);
  tprof_mem_free(ev);

  /* Threads: every slot is claimed once, nothing is lost or doubled. */
  tprof_set_option("timeline_max_events", "100000");
  tprof_timeline_reset();
  pthread_t t[THREADS];
  for (uintptr_t i = 0; i < THREADS; i++) CHECK(pthread_create(&t[i], NULL, recorder, (void *)(i + 1)) == 0);
  for (int i = 0; i < THREADS; i++) pthread_join(t[i], NULL);
  n = tprof_timeline_snapshot(&ev, &dropped);
  CHECK_EQ_U64(n, THREADS * PER_THREAD);
  CHECK_EQ_U64(dropped, 0);
  uint64_t per_thread[THREADS + 1] = {0}, id_sum = 0;
  for (size_t i = 0; i < n; i++) {
    CHECK(ev[i].thread >= 1 && ev[i].thread <= THREADS);
    if (ev[i].thread >= 1 && ev[i].thread <= THREADS) per_thread[ev[i].thread]++;
    CHECK_EQ_U64(ev[i].end - ev[i].start, 100);
    id_sum += ev[i].id;
  }
  for (int i = 1; i <= THREADS; i++) CHECK_EQ_U64(per_thread[i], PER_THREAD);
  CHECK_EQ_U64(id_sum, (uint64_t)THREADS * PER_THREAD * (PER_THREAD - 1) / 2);
  tprof_mem_free(ev);

  /* Off: nothing recorded, nothing counted as dropped. */
  tprof_set_option("timeline_max_events", "0");
  tprof_timeline_reset();
  tprof_timeline_record(1, 1, 1, 2);
  n = tprof_timeline_snapshot(&ev, &dropped);
  CHECK_EQ_U64(n, 0);
  CHECK_EQ_U64(dropped, 0);
  CHECK_DONE();
}
