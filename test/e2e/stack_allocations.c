// Each call path's allocations (call_stacks' alloc_count and alloc_bytes)
// are counted on the call that made them: the timed function on top of the
// stack, or, for a tiny leaf (counted, not timed), the timed caller it was
// inlined into or called from. Threads keep their own paths.
//
// RUN: rm -rf %t.d
// RUN: %tprof_cc -O2 -g %s %tprof_rt_static -o %t.exe
// RUN: env TPROF_OPTIONS=output_dir=%t.d %t.exe
// RUN: %calls_reader %t.d allocs | %FileCheck %s
//
// make_pair: 2 blocks (16 + 32 bytes) a call; build: a loop (timed) that
// calls make_pair 3 times and allocates 100 bytes itself; leaf_alloc: a
// tiny leaf's 8 bytes, counted on its caller. main: build once, make_pair
// once, leaf_alloc twice; a thread: worker (timed: it calls) calls build once.
// CHECK: main allocs=2 bytes=16
// CHECK-NEXT: main;build allocs=1 bytes=100
// CHECK-NEXT: main;build;make_pair allocs=6 bytes=144
// CHECK-NEXT: main;make_pair allocs=2 bytes=48
// CHECK-NEXT: worker;build allocs=1 bytes=100
// CHECK-NEXT: worker;build;make_pair allocs=6 bytes=144
// CHECK-NOT: allocs=
#include <pthread.h>
#include <stdlib.h>

void *volatile sink;

__attribute__((noinline)) void make_pair(void) {
  for (int i = 1; i <= 2; i++) sink = malloc(16 * (size_t)i);
}

__attribute__((noinline)) void build(int n) {
  sink = malloc(100);
  for (int i = 0; i < n; i++) make_pair();
}

static void leaf_alloc(void) { sink = malloc(8); }

static void *worker(void *arg) {
  (void)arg;
  build(3);
  return NULL;
}

int main(void) {
  build(3);
  make_pair();
  leaf_alloc();
  leaf_alloc();
  pthread_t t;
  if (pthread_create(&t, NULL, worker, NULL) != 0) return 1;
  pthread_join(t, NULL);
  return 0;
}
