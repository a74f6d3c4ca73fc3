// tprof_get_snapshot (and the check at exit of whether anything happened
// since the last export) sums every function's calls while other threads
// register new functions, which grows and moves the registry's tables. The
// sum must be read under the registry's lock: under -fsanitize=thread an
// unlocked read is reported as a data race (the failure CI met at exit, in
// alarm_exit_while_allocating.c), and in any build a table moved under the
// reader can be read after it was freed.
//
// Two threads make 2,000 regions each (each a new function in the registry)
// while main takes snapshots; the total never goes down, and at the end all
// 4,000 regions are in the file set.
//
// RUN: rm -rf %t && %tprof_cc -O1 -g %s %tprof_rt_static -o %t.exe
// RUN: env TPROF_OPTIONS=output_dir=%t %t.exe | %FileCheck %s
// RUN: grep -c '^grown_' %t/*timings.csv | %FileCheck %s --check-prefix=OPS
//
// CHECK: snapshots {{[1-9][0-9]*}} went_down 0 final_calls_at_least_4000 1
// OPS: {{^}}4000{{$}}
#include <pthread.h>
#include <stdio.h>
#include <tprof/tprof.h>

#define PER_THREAD 2000

static int done;

static void *grow(void *arg) {
  int base = *(int *)arg;
  char name[32];
  for (int i = 0; i < PER_THREAD; i++) {
    snprintf(name, sizeof name, "grown_%d", base + i);
    tprof_region_begin(name);
    tprof_region_end();
  }
  __atomic_add_fetch(&done, 1, __ATOMIC_RELEASE);
  return NULL;
}

int main(void) {
  pthread_t t[2];
  int base[2] = {0, PER_THREAD};
  for (int i = 0; i < 2; i++)
    pthread_create(&t[i], NULL, grow, &base[i]);
  unsigned long snapshots = 0, went_down = 0, last = 0;
  /* at least one snapshot after both threads ended, however they ran */
  for (int finished = 0; !finished;) {
    finished = __atomic_load_n(&done, __ATOMIC_ACQUIRE) == 2;
    tprof_snapshot s;
    if (tprof_get_snapshot(&s) != 0)
      return 1;
    if (s.total_calls < last)
      went_down++;
    last = s.total_calls;
    snapshots++;
  }
  for (int i = 0; i < 2; i++)
    pthread_join(t[i], NULL);
  printf("snapshots %lu went_down %lu final_calls_at_least_4000 %d\n", snapshots, went_down, last >= 2 * PER_THREAD);
  return 0;
}
