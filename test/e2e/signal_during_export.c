// A signal that ends the process, arriving while the program exports in a
// loop (tprof_export after each batch), still leaves its set:
// - exit: the program's own SIGUSR1 handler calls exit(3): one set of
//   reason "exit" after the loop's "api" sets;
// - term: SIGTERM reaches tprof's handler: one set of reason "signal".
// An export blocks signals while it writes; the one that came meanwhile
// is delivered when they are unblocked. That happened while the exporting
// thread still owned the export, so the handler's export was taken for a
// nested one and skipped: every run lost its last set (30 of 30).
//
// The signal is sent by another thread once a few exports are done, so it
// lands inside an export nearly always (the loop is mostly exports); the
// set is expected wherever it lands. No timing: the loop is bounded and
// only ends early by the signal.
//
// The handler exports with malloc and stdio (not async-signal-safe):
// UNSUPPORTED: sanitizer-thread
// RUN: rm -rf %t.exit %t.term
// RUN: %tprof_cc -O2 -g %s %tprof_rt_static -lpthread -o %t.exe
// RUN: env TPROF_OPTIONS=output_dir=%t.exit %run_signals_default %t.exe exit 2>&1 | %FileCheck %s --check-prefix=EXIT
// RUN: cat %t.exit/*_metrics.json | grep -c '"export_reason": "exit"' | %FileCheck %s --check-prefix=ONE
// RUN: env TPROF_OPTIONS=output_dir=%t.term %run_signals_default %t.exe term 2>&1 | %FileCheck %s --check-prefix=TERM
// RUN: cat %t.term/*_metrics.json | grep -c '"export_reason": "signal"' | %FileCheck %s --check-prefix=ONE
// RUN: ls -A %t.exit %t.term | %FileCheck %s --check-prefix=NOTEMP
//
// EXIT-NOT: skipped
// EXIT: status 3
// TERM-NOT: skipped
// TERM: status 143
// ONE: {{^}}1{{$}}
// NOTEMP-NOT: {{\.tmp$}}
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <tprof/tprof.h>

#define MAX_EXPORTS 1000000

static pthread_t main_thread;
static int exports_done; /* atomic */
static int signo;
static void *volatile sink;

__attribute__((noinline)) static int work(int n) {
  int s = 0;
  for (int i = 0; i < n; i++) {
    void *p = malloc(32 + (size_t)i);
    sink = p;
    free(p);
    s += i;
  }
  return s;
}

static void on_usr1(int sig) {
  (void)sig;
  work(3);
  exit(3);
}

/* Signals blocked here (inherited from main at its creation), so the one
 * sent goes to the exporting thread. */
static void *sender(void *arg) {
  (void)arg;
  while (__atomic_load_n(&exports_done, __ATOMIC_ACQUIRE) < 5) sched_yield();
  pthread_kill(main_thread, signo);
  return NULL;
}

int main(int argc, char **argv) {
  if (argc < 2 || (strcmp(argv[1], "exit") && strcmp(argv[1], "term"))) {
    fprintf(stderr, "usage: %s exit|term\n", argv[0]);
    return 2;
  }
  signo = strcmp(argv[1], "exit") ? SIGTERM : SIGUSR1;
  if (signo == SIGUSR1) signal(SIGUSR1, on_usr1);
  main_thread = pthread_self();
  sigset_t all, old;
  sigfillset(&all);
  pthread_sigmask(SIG_BLOCK, &all, &old);
  pthread_t t;
  pthread_create(&t, NULL, sender, NULL);
  pthread_sigmask(SIG_SETMASK, &old, NULL);
  for (int k = 0; k < MAX_EXPORTS; k++) {
    work(5);
    tprof_export(NULL, 0);
    __atomic_add_fetch(&exports_done, 1, __ATOMIC_RELEASE);
  }
  printf("the signal never came\n");
  return 0;
}
