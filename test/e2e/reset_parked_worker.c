// The documented batch loop (reset, work, tprof_export) with a worker thread
// that stays parked in a condition wait inside an instrumented function
// (worker_loop) across every reset: each batch hands it one job (a call of
// task) and waits for it, so at every reset and export the worker is
// blocked. After a reset worker_loop has no call and no time (its frame is
// open on another thread), yet call_graph's edge worker_loop -> task and
// the call_stacks row of the path worker_loop > task name it: it was left
// out of functions[] (every set invalid, "names an unknown id", 10 of 10
// runs). It is listed now, with 0 calls, as the caller of what it called.
// The handshake before the first reset and the job/done waits are
// condition waits, no deadline.
//
// RUN: rm -rf %t.d && mkdir -p %t.d
// RUN: %tprof_cc -O2 -g %s %tprof_rt_static -o %t.exe
// RUN: env TPROF_OPTIONS=output_dir=%t.d/0 %t.exe %t.d/a | %FileCheck %s
// RUN: %python %tprof_src/test/unit/check_file_set.py %t.d/a1 | %FileCheck %s --check-prefix=VALID
// RUN: %python %tprof_src/test/unit/check_file_set.py %t.d/a2 | %FileCheck %s --check-prefix=VALID
// RUN: %python %tprof_src/test/unit/check_file_set.py %t.d/a3 | %FileCheck %s --check-prefix=VALID
// RUN: %tpexpect %t.d/a1 --from %s
// RUN: %tpexpect %t.d/a3 --from %s
// With a row per thread and every call on the timeline:
// RUN: env TPROF_OPTIONS=output_dir=%t.d/0:cpu_functions_per_thread=1:timeline_functions=1 %t.exe %t.d/b | %FileCheck %s
// RUN: %python %tprof_src/test/unit/check_file_set.py %t.d/b1 | %FileCheck %s --check-prefix=VALID
// RUN: %python %tprof_src/test/unit/check_file_set.py %t.d/b3 | %FileCheck %s --check-prefix=VALID
// RUN: %tpexpect %t.d/b3 --from %s
//
// CHECK: 3 batches
// VALID: file set ok
// EXPECT: f('worker_loop', 'calls') == 0
// EXPECT: f('task', 'calls') == 1
// EXPECT: e('worker_loop', 'task', 'calls') == 1
// EXPECT: e(None, 'task', 'calls') is None
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <tprof/tprof.h>

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cv = PTHREAD_COND_INITIALIZER;
static int ready, job, done, quit;
static void *volatile sink;

__attribute__((noinline)) int task(int n) {
  int s = 0;
  for (int i = 0; i < n; i++) {
    sink = malloc(64);
    free(sink);
    s += i;
  }
  return s;
}

/* Parked in pthread_cond_wait between jobs, its frame open throughout. */
__attribute__((noinline)) void *worker_loop(void *arg) {
  (void)arg;
  pthread_mutex_lock(&mu);
  ready = 1;
  pthread_cond_broadcast(&cv);
  for (;;) {
    while (!job && !quit) pthread_cond_wait(&cv, &mu);
    if (quit) break;
    job = 0;
    pthread_mutex_unlock(&mu);
    task(100);
    pthread_mutex_lock(&mu);
    done = 1;
    pthread_cond_broadcast(&cv);
  }
  pthread_mutex_unlock(&mu);
  return NULL;
}

int main(int argc, char **argv) {
  if (argc < 2) return 2;
  pthread_t t;
  if (pthread_create(&t, NULL, worker_loop, NULL) != 0) return 1;
  pthread_mutex_lock(&mu);
  while (!ready) pthread_cond_wait(&cv, &mu); /* inside worker_loop before the first reset */
  pthread_mutex_unlock(&mu);
  int rc = 0;
  for (int b = 1; b <= 3 && !rc; b++) {
    char dir[4096];
    snprintf(dir, sizeof dir, "%s%d", argv[1], b);
    tprof_reset();
    tprof_set_option("output_dir", dir);
    pthread_mutex_lock(&mu);
    job = 1;
    done = 0;
    pthread_cond_broadcast(&cv);
    while (!done) pthread_cond_wait(&cv, &mu); /* the worker is back in its wait when this returns */
    pthread_mutex_unlock(&mu);
    if (tprof_export(NULL, 0) != 0) rc = 1;
  }
  pthread_mutex_lock(&mu);
  quit = 1;
  pthread_cond_broadcast(&cv);
  pthread_mutex_unlock(&mu);
  pthread_join(t, NULL);
  if (!rc) printf("%d batches\n", 3);
  return rc;
}
