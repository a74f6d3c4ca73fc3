// Thread churn: 20,000 threads, created and joined 4 at a time, each
// calling task() once (one malloc, one free). Counts are exact, and tprof's
// own memory is bounded by the threads alive at once plus the functions, not
// by the threads that ever lived: a dead thread's figures are merged and its
// memory reused. At about 134 KB per dead thread the runtime would hold
// 2.6 GB here; the bounds below are a fraction of that and far above what
// 4 live threads need, so they hold on any machine (no time is measured).
//
// RUN: rm -rf %t.O0 %t.O2
// RUN: %tprof_cc -O0 -g %s %tprof_rt_static -o %t.O0.exe
// RUN: %tprof_cc -O2 -g %s %tprof_rt_static -o %t.O2.exe
// RUN: env TPROF_OPTIONS=output_dir=%t.O0 %t.O0.exe | %FileCheck %s
// RUN: %tpexpect %t.O0 --from %s
// RUN: env TPROF_OPTIONS=output_dir=%t.O2 %t.O2.exe | %FileCheck %s
// RUN: %tpexpect %t.O2 --from %s
//
// CHECK: 20000 tasks done
// EXPECT: f("task", "calls") == 20000
// EXPECT: f("worker", "calls") == 20000
// EXPECT: g("heap.allocation_count") == 20000 and g("heap.deallocation_count") == 20000
// EXPECT: g("heap.live_blocks") == 0
// EXPECT: g("runtime_memory_mb") < 64
// EXPECT: g("resource_usage.max_rss_mb") < 1024
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

#define THREADS 20000
#define AT_ONCE 4

static volatile long done;

/* The address escapes here (a relaxed atomic store: threads race), so that
 * clang -O1 and above keeps the malloc and free pair it would otherwise
 * remove (tprof counts the allocations the compiled program makes). */
static void *sink;

__attribute__((noinline)) void task(int i) {
  char *p = malloc(64 + (size_t)(i & 63));
  __atomic_store_n(&sink, p, __ATOMIC_RELAXED);
  p[0] = (char)i;
  __atomic_add_fetch(&done, p[0] == (char)i, __ATOMIC_RELAXED);
  free(p);
}

void *worker(void *arg) {
  task((int)(long)arg);
  return NULL;
}

int main(void) {
  for (int i = 0; i < THREADS; i += AT_ONCE) {
    pthread_t t[AT_ONCE];
    for (int k = 0; k < AT_ONCE; k++)
      if (pthread_create(&t[k], NULL, worker, (void *)(long)(i + k)) != 0) {
        perror("pthread_create");
        return 1;
      }
    for (int k = 0; k < AT_ONCE; k++) pthread_join(t[k], NULL);
  }
  printf("%ld tasks done\n", done);
  return 0;
}
