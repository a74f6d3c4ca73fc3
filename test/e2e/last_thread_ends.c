// With flush_interval_ms set, a process still ends when its last program
// thread ends: main calls pthread_exit and its worker returns, or a fork
// child's only thread (forked from a worker) returns from its start
// routine. glibc ends the process at its last thread's end; tprof's
// snapshot thread is a thread too, and kept such a process alive forever
// (it blocks every signal, so not even SIGTERM ended it). It now ends
// itself when it is alone, within 50 ms, whatever the interval, and the
// exit export writes the set (exit status 0, as glibc gives).
//
// The fork mode ("fork" argument) is run by last_thread_ends_fork.test.
//
// The snapshot thread reads counters while the program runs, on purpose:
// ThreadSanitizer would report exactly that (as in flush_snapshot.c).
// UNSUPPORTED: sanitizer-thread
//
// RUN: rm -rf %t.main1 %t.main_long
// RUN: %tprof_cc -O2 -g %s %tprof_rt_static -lpthread -o %t.exe
// RUN: env TPROF_OPTIONS=output_dir=%t.main1:flush_interval_ms=1 %run_signals_default %t.exe | %FileCheck %s --check-prefix=MAIN
// RUN: %tpq %t.main1 sets | %FileCheck %s --check-prefix=ONE
// RUN: %tpexpect %t.main1 "f('work', 'calls') == 1000" "g('export_reason') == 'exit'"
// RUN: %python %tprof_src/test/unit/check_file_set.py %t.main1
// An interval far longer than the test: the end does not wait for it.
// RUN: env TPROF_OPTIONS=output_dir=%t.main_long:flush_interval_ms=3600000 %run_signals_default %t.exe | %FileCheck %s --check-prefix=MAIN
// RUN: %tpexpect %t.main_long "f('work', 'calls') == 1000" "g('export_reason') == 'exit'"
// RUN: ls -A %t.main1 %t.main_long | %FileCheck %s --check-prefix=NOTEMP
//
// MAIN: main leaves
// MAIN-NEXT: worker done
// ONE: {{^}}1{{$}}
// NOTEMP-NOT: {{\.tmp$}}
#include <fcntl.h>
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

/* The process's stat line shows the group leader (main): 'Z' once it ended.
 * The fork waits for that: a fork while main's thread was still being torn
 * down copied a heap lock main held (AddressSanitizer, LLVM 14: the child
 * hung in LeakSanitizer's check at exit, 10 runs of 100). */
static int main_ended(void) {
  char buf[512];
  int fd = open("/proc/self/stat", O_RDONLY | O_CLOEXEC);
  if (fd < 0) return 1; /* cannot tell: fork now, as before */
  ssize_t got = read(fd, buf, sizeof buf - 1);
  close(fd);
  buf[got > 0 ? got : 0] = '\0';
  const char *close_paren = strrchr(buf, ')');
  return !close_paren || close_paren[1] != ' ' || close_paren[2] == 'Z';
}

static void *forking_worker(void *arg) {
  (void)arg;
  pthread_mutex_lock(&order);
  pthread_mutex_unlock(&order);
  while (!main_ended()) usleep(1000);
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
