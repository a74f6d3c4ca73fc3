// tprof's snapshot thread never uses the program's heap: not for its look
// at whether a program thread is left (every 50 ms once main has ended; it
// read /proc/self/task with opendir, whose buffer is malloc'd), not for the
// snapshots it writes, not for the exit export it runs when it is the last
// thread. A heap call there can take the allocator's lock at the moment a
// program thread forks, and an allocator that does not reset its locks in
// the child (AddressSanitizer's before LLVM 18, many custom ones) leaves
// the child hung. The program's malloc family is replaced by a library
// that counts the calls made on the snapshot thread (glibc's internal ones
// included). Main ends first and a worker runs ~300 ms, so the thread looks
// ~6 times; with flush_interval_ms=1 it also writes snapshots meanwhile.
// The unfixed runtime: "heap calls on tprof-snapshot*: 14" (opendir's
// malloc and closedir's free at each look).
//
// The replacement malloc is not a sanitizer's.
// UNSUPPORTED: sanitizer-address, sanitizer-thread
//
// RUN: rm -rf %t.long %t.short
// RUN: %host_cc -O2 -c %S/Inputs/heap_calls_by_thread.c -o %t.heap.o
// RUN: %tprof_cc -O2 -g %s %t.heap.o %tprof_rt_static -lpthread -o %t.exe
// RUN: env TPROF_OPTIONS=output_dir=%t.long:flush_interval_ms=3600000 %t.exe | %FileCheck %s
// RUN: %tpexpect %t.long "f('work', 'calls') == 30" "g('export_reason') == 'exit'"
// RUN: env TPROF_OPTIONS=output_dir=%t.short:flush_interval_ms=1 %t.exe | %FileCheck %s
// RUN: %tpexpect %t.short "f('work', 'calls') == 30" "g('export_reason') == 'exit'"
//
// CHECK: worker done
// CHECK-NEXT: heap calls on tprof-snapshot*: 0
#include <pthread.h>
#include <stdio.h>
#include <unistd.h>

static volatile long sink;

__attribute__((noinline)) void work(int i) {
  for (int k = 0; k < 1000; k++) sink += i * k;
}

static void *worker(void *arg) {
  (void)arg;
  for (int i = 0; i < 30; i++) {
    work(i);
    usleep(10000);
  }
  printf("worker done\n");
  fflush(stdout);
  return NULL;
}

int main(void) {
  pthread_t t;
  pthread_create(&t, NULL, worker, NULL);
  pthread_exit(NULL);
}
