// call_stacks and functions[] describe one moment, also while other threads
// run instrumented code during the export. Each thread's calling-context
// tree was read twice (once for the functions' figures, once for the rows),
// and the inline counters in between: with workers running, rows held more
// calls and self time than functions[] and profile_data.total_time. Now the
// counters are read first and each node once for both; a function's calls
// may still count a call a worker had just begun (counted inline, its
// entry hook not yet run): at most one per worker.
//
// Three workers call a timed function in a loop while main exports 30 sets
// (tprof_export: the workers' open frames are not counted, in rows or
// functions alike); the exit set follows once they stopped (main's own
// call of step after the exports makes sure there is one: an exit with
// nothing counted since the last export writes no set).
// The workers' figures are read while they run, on purpose: ThreadSanitizer
// would report exactly that.
// UNSUPPORTED: sanitizer-thread
//
// RUN: rm -rf %t.d
// RUN: %tprof_cc -O2 -g %s %tprof_rt_static -lpthread -o %t.exe
// RUN: env TPROF_OPTIONS=output_dir=%t.d %t.exe | %FileCheck %s
// RUN: %python %S/Inputs/stacks_match_functions.py %t.d 3 | %FileCheck %s --check-prefix=MATCH
//
// CHECK: 30 exports while 3 workers ran
// MATCH: mismatched 0 of 31
#include <pthread.h>
#include <stdio.h>

#include "tprof/tprof.h"

enum { WORKERS = 3, EXPORTS = 30 };

static volatile long sink;
static int stop;
static long progress[WORKERS];

/* A loop: timed under every timing policy of the pass. */
__attribute__((noinline)) void step(int k) {
  for (int i = 0; i < 50; i++) sink += i * k;
}

static void *worker(void *arg) {
  long *done = arg;
  while (!__atomic_load_n(&stop, __ATOMIC_ACQUIRE)) {
    step((int)*done);
    __atomic_store_n(done, *done + 1, __ATOMIC_RELEASE);
  }
  return NULL;
}

int main(void) {
  pthread_t t[WORKERS];
  for (int i = 0; i < WORKERS; i++) pthread_create(&t[i], NULL, worker, &progress[i]);
  /* every worker is calling step before the first export */
  for (int i = 0; i < WORKERS; i++)
    while (__atomic_load_n(&progress[i], __ATOMIC_ACQUIRE) < 1000) sched_yield();
  int written = 0;
  for (int e = 0; e < EXPORTS; e++) written += tprof_export(NULL, 0) == 0;
  __atomic_store_n(&stop, 1, __ATOMIC_RELEASE);
  for (int i = 0; i < WORKERS; i++) pthread_join(t[i], NULL);
  step(0); /* a call after the last export: the exit set is always written */
  printf("%d exports while %d workers ran\n", written, WORKERS);
  return 0;
}
