// pthread_cancel of a thread inside tprof_export: the export holds the
// registry's lock and the export's ownership across open, write and close,
// which are cancellation points. Cancelled there, the thread died owning
// both and the program hung at exit (8 of 8 runs). Cancellation now waits
// until the export is done: the program ends, the exit set counts the work
// after the cancel, and no temporary file is left. tprof_export is still a
// cancellation point (the exporter's loop calls nothing else that is): the
// cancel acts when the export is done.
//
// RUN: rm -rf %t.d
// RUN: %tprof_cc -O2 -g %s %tprof_rt_static -o %t.exe
// RUN: env TPROF_OPTIONS=output_dir=%t.d %t.exe | %FileCheck %s
// RUN: %python %S/Inputs/cancel_in_export.py %t.d | %FileCheck %s --check-prefix=SET
//
// CHECK: joined the exporter, cancelled: yes
// SET: exit set: after 1000 calls
// SET-NEXT: temporary files: 0
#include <pthread.h>
#include <stdio.h>
#include <tprof/tprof.h>
#include <unistd.h>

__attribute__((noinline)) int leaf(int x) {
  volatile int s = 0;
  for (int i = 0; i < x; i++) s += i;
  return s;
}
__attribute__((noinline)) int after(int x) {
  volatile int s = 0;
  for (int i = 0; i < x; i++) s += i;
  return s;
}

static int exports;

static void *exporter(void *arg) {
  (void)arg;
  for (int i = 0; i < 2000; i++) { /* bounded: a cancel that never acts must not fill the disk */
    leaf(10);
    tprof_export(NULL, 0);
    __atomic_add_fetch(&exports, 1, __ATOMIC_SEQ_CST);
  }
  return NULL;
}

int main(void) {
  pthread_t t;
  pthread_create(&t, 0, exporter, 0);
  while (__atomic_load_n(&exports, __ATOMIC_SEQ_CST) < 3) usleep(100); /* progress: three sets written */
  pthread_cancel(t);
  void *ret = NULL;
  pthread_join(t, &ret);
  for (int i = 0; i < 1000; i++) after(3);
  printf("joined the exporter, cancelled: %s\n", ret == PTHREAD_CANCELED ? "yes" : "no");
  return 0;
}
