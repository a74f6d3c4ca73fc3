// exit() from five threads at once (four workers and main, released by a
// barrier) leaves one complete set. glibc before 2.41 runs exit() on all
// of them concurrently: the first to find no exit handler left called
// _exit while another was writing the set in tprof's exit step, and the set
// was lost (15 to 30 of 30 runs, a temporary file left in some). Now the
// first exit() goes on and the others wait for the process to end, as in
// glibc 2.41. Each thread's work before the barrier is in the set.
// `return`: main returns (the C library's exit() follows) instead of
// calling exit().
//
// RUN: rm -rf %t.static %t.shared
// RUN: %tprof_cc -O2 -g %s %tprof_rt_static -lpthread -o %t.static.exe
// RUN: %tprof_cc -O2 -g %s %tprof_rt_shared -lpthread -o %t.shared.exe
// RUN: env TPROF_OPTIONS=output_dir=%t.static %run_signals_default %t.static.exe | %FileCheck %s
// RUN: %tpq %t.static sets | %FileCheck %s --check-prefix=ONE
// RUN: %tpexpect %t.static "f('work', 'calls') == 5" "g('export_reason') == 'exit'"
// RUN: %python %tprof_src/test/unit/check_file_set.py %t.static
// RUN: env TPROF_OPTIONS=output_dir=%t.shared %run_signals_default %t.shared.exe | %FileCheck %s
// RUN: %tpq %t.shared sets | %FileCheck %s --check-prefix=ONE
// RUN: %tpexpect %t.shared "f('work', 'calls') == 5" "g('export_reason') == 'exit'"
// RUN: %python %tprof_src/test/unit/check_file_set.py %t.shared
// RUN: rm -rf %t.return
// RUN: env TPROF_OPTIONS=output_dir=%t.return %run_signals_default %t.static.exe return | %FileCheck %s
// RUN: %tpq %t.return sets | %FileCheck %s --check-prefix=ONE
// RUN: %tpexpect %t.return "f('work', 'calls') == 5" "g('export_reason') == 'exit'"
// RUN: %python %tprof_src/test/unit/check_file_set.py %t.return
// RUN: ls -A %t.static %t.shared %t.return | %FileCheck %s --check-prefix=NOTEMP
//
// CHECK: status {{[1-5]$}}
// ONE: {{^}}1{{$}}
// NOTEMP-NOT: {{\.tmp$}}
#include <pthread.h>
#include <stdlib.h>

#define WORKERS 4

static pthread_barrier_t all_ready;
static void *sink;

__attribute__((noinline)) static int work(int n) {
  int s = 0;
  for (int i = 0; i < n; i++) {
    void *p = malloc(32 + (size_t)(i % 100));
    __atomic_store_n(&sink, p, __ATOMIC_RELAXED); /* five threads: no data race */
    free(p);
    s += i;
  }
  return s;
}

static void *worker(void *arg) {
  work(1000);
  pthread_barrier_wait(&all_ready);
  exit((int)(long)arg);
}

int main(int argc, char **argv) {
  (void)argv;
  pthread_barrier_init(&all_ready, NULL, WORKERS + 1);
  pthread_t t[WORKERS];
  for (long i = 0; i < WORKERS; i++) pthread_create(&t[i], NULL, worker, (void *)(i + 1));
  work(1000);
  pthread_barrier_wait(&all_ready);
  if (argc > 1) return 5;
  exit(5);
}
