// With flush_interval_ms set, a process still ends when its last program
// thread ends: main calls pthread_exit and its worker returns, or a fork
// child's only thread (forked from a worker) returns from its start
// routine. glibc ends the process at its last thread's end; tprof's
// snapshot thread is a thread too, and kept such a process alive forever
// (it blocks every signal, so not even SIGTERM ended it). It now ends
// itself when it is alone, within 50 ms, whatever the interval, and the
// exit export writes the set (exit status 0, as glibc gives).
//
// The snapshot thread reads counters while the program runs, on purpose:
// ThreadSanitizer would report exactly that (as in flush_snapshot.c).
// UNSUPPORTED: sanitizer-thread
//
// RUN: rm -rf %t.main1 %t.main_long %t.fork
// RUN: %tprof_cc -O2 -g %s %tprof_rt_static -lpthread -o %t.exe
// RUN: env TPROF_OPTIONS=output_dir=%t.main1:flush_interval_ms=1 %run_signals_default %t.exe | %FileCheck %s --check-prefix=MAIN
// RUN: %tpq %t.main1 sets | %FileCheck %s --check-prefix=ONE
// RUN: %tpexpect %t.main1 "f('work', 'calls') == 1000" "g('export_reason') == 'exit'"
// RUN: %python %tprof_src/test/unit/check_file_set.py %t.main1
// An interval far longer than the test: the end does not wait for it.
// RUN: env TPROF_OPTIONS=output_dir=%t.main_long:flush_interval_ms=3600000 %run_signals_default %t.exe | %FileCheck %s --check-prefix=MAIN
// RUN: %tpexpect %t.main_long "f('work', 'calls') == 1000" "g('export_reason') == 'exit'"
// RUN: env TPROF_OPTIONS=output_dir=%t.fork:flush_interval_ms=3600000 %run_signals_default %t.exe fork | %FileCheck %s --check-prefix=FORK
// RUN: %tpq %t.fork sets | %FileCheck %s --check-prefix=TWO
// The child's set has its 7 calls of work, the parent's none.
// RUN: %python -c "import json,glob; ms=[json.load(open(p)) for p in glob.glob('%t.fork/*_metrics.json')]; print(sorted(sum(f['calls'] for f in m['functions'] if f['name']=='work') for m in ms), sorted(m['export_reason'] for m in ms))" | %FileCheck %s --check-prefix=FORKSETS
// RUN: ls -A %t.main1 %t.main_long %t.fork | %FileCheck %s --check-prefix=NOTEMP
//
// MAIN: main leaves
// MAIN-NEXT: worker done
// FORK: main leaves
// FORK-NEXT: child exited 0
// ONE: {{^}}1{{$}}
// TWO: {{^}}2{{$}}
// FORKSETS: [0, 7] ['exit', 'exit']
// NOTEMP-NOT: {{\.tmp$}}
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static volatile long sink;

__attribute__((noinline)) void work(int i) {
  for (int k = 0; k < 100; k++) sink += i * k;
}

static pthread_mutex_t order = PTHREAD_MUTEX_INITIALIZER;

static void *worker(void *arg) {
  (void)arg;
  pthread_mutex_lock(&order); /* main has printed and is leaving */
  pthread_mutex_unlock(&order);
  for (int i = 0; i < 1000; i++) work(i);
  printf("worker done\n");
  fflush(stdout);
  return NULL;
}

static void *forking_worker(void *arg) {
  (void)arg;
  pthread_mutex_lock(&order);
  pthread_mutex_unlock(&order);
  pid_t pid = fork();
  if (pid == 0) {
    for (int i = 0; i < 7; i++) work(i);
    return NULL; /* the child's only program thread ends: so does the child */
  }
  int status = -1;
  waitpid(pid, &status, 0);
  printf("child exited %d\n", WIFEXITED(status) ? WEXITSTATUS(status) : -1);
  fflush(stdout);
  return NULL;
}

int main(int argc, char **argv) {
  int fork_mode = argc > 1 && !strcmp(argv[1], "fork");
  pthread_t t;
  pthread_mutex_lock(&order);
  pthread_create(&t, NULL, fork_mode ? forking_worker : worker, NULL);
  printf("main leaves\n");
  fflush(stdout);
  pthread_mutex_unlock(&order);
  pthread_exit(NULL);
}
