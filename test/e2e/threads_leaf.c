// 8 threads call a tiny leaf 1,000,000 times each: 8,000,000 calls exactly.
// While threads run, __libc_single_threaded is 0 and the inline counter
// takes its atomic add; main's calls before the first thread take the
// plain one. In the default mode the leaf is counted, not timed; with
// TPROF_TIMING=all at compile time it is timed too, and the counts are the
// same.
//
// RUN: rm -rf %t.O0 %t.O2 %t.all
// RUN: %tprof_cc -O0 %s %tprof_rt_static -o %t.O0.exe
// RUN: env TPROF_OPTIONS=output_dir=%t.O0 %t.O0.exe | %FileCheck %s --check-prefix=OUT
// RUN: %tpq %t.O0 func leaf calls | %FileCheck %s --check-prefix=CALLS
// RUN: %tpq %t.O0 func worker calls | %FileCheck %s --check-prefix=WORKERS
// RUN: %tprof_cc -O2 %s %tprof_rt_static -o %t.O2.exe
// RUN: env TPROF_OPTIONS=output_dir=%t.O2 %t.O2.exe | %FileCheck %s --check-prefix=OUT
// RUN: %tpq %t.O2 func leaf calls | %FileCheck %s --check-prefix=CALLS
// RUN: %tpq %t.O2 func leaf timed | %FileCheck %s --check-prefix=UNTIMED
// RUN: %tpq %t.O2 func worker calls | %FileCheck %s --check-prefix=WORKERS
// RUN: env TPROF_TIMING=all %tprof_cc -O2 %s %tprof_rt_static -o %t.all.exe
// RUN: env TPROF_OPTIONS=output_dir=%t.all %t.all.exe | %FileCheck %s --check-prefix=OUT
// RUN: %tpq %t.all func leaf calls | %FileCheck %s --check-prefix=CALLS
// RUN: %tpq %t.all func leaf timed | %FileCheck %s --check-prefix=TIMED
// RUN: %tpq %t.all func worker calls | %FileCheck %s --check-prefix=WORKERS
//
// OUT: sum = 8000010
// 8 x 1,000,000 in the threads and 10 in main before them
// CALLS: {{^}}8000010{{$}}
// WORKERS: {{^}}8{{$}}
// UNTIMED: {{^}}false{{$}}
// TIMED: {{^}}true{{$}}
#include <pthread.h>
#include <stdio.h>

#define THREADS 8
#define CALLS 1000000

// At -O2 the leaf is inlined into worker and main: its counter goes with it.
// unsigned: UBSan checks no overflow there, so the leaf has no handler
// call and stays a tiny leaf in sanitized builds too.
static unsigned leaf(unsigned x) { return x + 1; }

// All threads start their loops together, so that their increments do
// overlap (a lost update would show).
static pthread_barrier_t start;

static void *worker(void *arg) {
  unsigned s = 0;
  pthread_barrier_wait(&start);
  for (int i = 0; i < CALLS; i++)
    s = leaf(s);
  *(unsigned *)arg = s;
  return 0;
}

int main(void) {
  pthread_t t[THREADS];
  unsigned result[THREADS];
  long sum = 0;
  unsigned s = 0;
  for (int i = 0; i < 10; i++)
    s = leaf(s);
  sum += s;
  pthread_barrier_init(&start, 0, THREADS);
  for (int i = 0; i < THREADS; i++)
    pthread_create(&t[i], 0, worker, &result[i]);
  for (int i = 0; i < THREADS; i++) {
    pthread_join(t[i], 0);
    sum += result[i];
  }
  printf("sum = %ld\n", sum);
  return 0;
}
