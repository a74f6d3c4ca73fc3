// Thread exits: C11 threads leave by thrd_exit() from two frames deep, a
// tss_create() destructor (instrumented code too) frees each thread's
// block, and main() ends with pthread_exit() while a last thread still runs.
// tprof's per-thread clean-up runs after the program's TLS destructors (the
// destructors' calls are timed, their frees counted: no block is left
// "live"), and frames left open by thrd_exit/pthread_exit are closed with
// their time at the thread's exit, not dropped.
//
// ThreadSanitizer (LLVM 14) does not intercept thrd_create: a C11 thread
// crashes in __tsan_func_entry, with or without tprof.
// UNSUPPORTED: sanitizer-thread
// RUN: rm -rf %t.O0 %t.O2
// RUN: %tprof_cc -O0 -g %s %tprof_rt_static -o %t.O0.exe
// RUN: %tprof_cc -O2 -g %s %tprof_rt_static -o %t.O2.exe
// RUN: env TPROF_OPTIONS=output_dir=%t.O0 %t.O0.exe | %FileCheck %s
// RUN: %tpexpect %t.O0 --from %s
// RUN: env TPROF_OPTIONS=output_dir=%t.O2 %t.O2.exe | %FileCheck %s
// RUN: %tpexpect %t.O2 --from %s
//
// CHECK: joined 3 3
// CHECK: last thread done
// 3 blocks: one per C11 thread and main's; each freed by release_block.
// EXPECT: g("heap.allocation_count") == 3 and g("heap.deallocation_count") == 3
// EXPECT: g("heap.live_blocks") == 0 and g("heap.untracked_frees") == 0
// EXPECT: f("release_block", "calls") == 3 and f("release_block", "primitive_calls") == 3
// EXPECT: f("release_block", "inclusive_ms") > 0
// Each C11 thread sleeps 20 ms in hold() before thrd_exit() from leave().
// EXPECT: f("body", "calls") == 2 and f("body", "inclusive_ms") >= 40
// EXPECT: f("hold", "calls") == 2 and f("hold", "inclusive_ms") >= 40
// EXPECT: f("leave", "calls") == 2
// main sleeps 30 ms in linger() before pthread_exit().
// EXPECT: f("main", "calls") == 1 and f("main", "inclusive_ms") >= 30
// EXPECT: f("main", "inclusive_ms") >= f("linger", "inclusive_ms") >= 30
// EXPECT: f("last", "calls") == 1
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <threads.h>
#include <time.h>

static tss_t block_key;

static void sleep_ms(long ms) {
  struct timespec ts = {0, ms * 1000000L};
  nanosleep(&ts, 0);
}

/* A loop and a call: timed under every timing policy of the pass. */
void release_block(void *p) {
  for (int i = 0; i < 100; i++) ((volatile char *)p)[i] = 0;
  free(p);
}

__attribute__((noinline)) void leave(int code) { thrd_exit(code); }

__attribute__((noinline)) void hold(void) {
  sleep_ms(20);
  leave(3);
}

int body(void *arg) {
  (void)arg;
  tss_set(block_key, malloc(100));
  hold();
  return 0; /* not reached */
}

__attribute__((noinline)) void linger(void) { sleep_ms(30); }

void *last(void *arg) {
  (void)arg;
  sleep_ms(50); /* outlives main's pthread_exit */
  printf("last thread done\n");
  fflush(stdout);
  return NULL;
}

int main(void) {
  tss_create(&block_key, release_block);
  tss_set(block_key, malloc(100));
  thrd_t t[2];
  int codes[2];
  for (int i = 0; i < 2; i++) thrd_create(&t[i], body, NULL);
  for (int i = 0; i < 2; i++) thrd_join(t[i], &codes[i]);
  printf("joined %d %d\n", codes[0], codes[1]);
  fflush(stdout);
  pthread_t p;
  pthread_create(&p, NULL, last, NULL);
  pthread_detach(p);
  linger();
  pthread_exit(NULL);
}
