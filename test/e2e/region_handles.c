// Regions by handle: tprof_region_get looks the name up once, enter and
// leave time the region as tprof_region_begin/end do (an operation in
// every output), from several threads with one handle. The same name gives
// the same handle, and mixes with the by-name form. Misuse (a NULL or empty
// name, a leave of a region that is not open) gets one warning and changes
// nothing.
//
// RUN: rm -rf %t && %tprof_cc -O1 %s %tprof_rt_static -o %t.exe
// RUN: env TPROF_OPTIONS=output_dir=%t %t.exe 2> %t.err | %FileCheck %s --check-prefix=OUT
// RUN: %FileCheck %s --check-prefix=ERR < %t.err
// RUN: %tpq %t func step calls | %FileCheck %s --check-prefix=STEP
// RUN: %tpq %t func outer calls | %FileCheck %s --check-prefix=OUTER
// RUN: %tpq %t get operation_timings.step | %FileCheck %s --check-prefix=TIMED
//
// OUT: same handle 1, null handle 1
// ERR-DAG: tprof: warning: tprof_region_get: the region needs a non-empty name
// ERR-DAG: tprof: warning: tprof_region_leave("outer") without a matching tprof_region_enter on this thread; ignored
// 4 threads x 250 plus 10 by name
// STEP: {{^}}1010{{$}}
// OUTER: {{^}}1{{$}}
// TIMED: {{^[0-9.e+-]+$}}
#include <pthread.h>
#include <stdio.h>
#include <tprof/tprof.h>

static tprof_region *step;

static void *worker(void *arg) {
  volatile int sink = 0;
  for (int i = 0; i < 250; i++) {
    tprof_region_enter(step);
    for (int j = 0; j < 100; j++)
      sink += j;
    tprof_region_leave(step);
  }
  return arg;
}

int main(void) {
  step = tprof_region_get("step");
  tprof_region *outer = tprof_region_get("outer");
  printf("same handle %d, null handle %d\n", tprof_region_get("step") == step, tprof_region_get("") == NULL);
  tprof_region_leave(outer); /* not open: warned, ignored */
  tprof_region_enter(NULL);  /* ignored */
  tprof_region_leave(NULL);
  tprof_region_enter(outer);
  pthread_t t[4];
  for (int i = 0; i < 4; i++)
    pthread_create(&t[i], NULL, worker, NULL);
  for (int i = 0; i < 4; i++)
    pthread_join(t[i], NULL);
  for (int i = 0; i < 10; i++) {
    tprof_region_begin("step");
    tprof_region_end();
  }
  tprof_region_leave(outer);
  return 0;
}
