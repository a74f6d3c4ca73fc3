// A file size limit (RLIMIT_FSIZE, ulimit -f) and the program's own
// SIGXFSZ handler. A write past the limit fails with EFBIG and sends the
// writing thread SIGXFSZ, whose default action ends the process.
// 1. An export past the limit fails with a message naming the cause; the
//    program is neither killed nor shown a SIGXFSZ of tprof's writes.
// 2. Another thread's own writes past the limit, made while exports run,
//    each still reach the program's handler: the export once set SIGXFSZ
//    to ignore for the whole process while it wrote, and the signals of
//    the other thread's overruns meanwhile were lost (without its
//    handler, such a program is killed by one).
// No timing: the other thread stops when the exports are done.
//
// RUN: rm -rf %t.d && mkdir -p %t.d
// RUN: %tprof_cc -O2 -g %s %tprof_rt_static -lpthread -o %t.exe
// Both streams go to a pipe: the limit applies to the program's own
// output files too (stdout, buffered, comes out at exit, after stderr).
// RUN: env TPROF_OPTIONS=output_dir=%t.d/sets %t.exe %t.d/big 2>&1 | %FileCheck %s
// RUN: %tpq %t.d/sets sets | %FileCheck %s --check-prefix=SETS
// RUN: ls -A %t.d/sets | %FileCheck %s --check-prefix=NOTEMP
//
// CHECK: tprof: cannot write {{.*}}: File too large; no profile written
// CHECK-NOT: tprof:
// CHECK: small limit: export rc -1, handler runs 0
// CHECK: other thread: overruns above 0: 1, each handled: 1
// SETS: {{^}}41{{$}}
// NOTEMP-NOT: {{\.tmp$}}
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <tprof/tprof.h>
#include <unistd.h>

#define EXPORTS 40
#define LIMIT (1 << 20)

static int handled; /* atomic: the handler runs in the thread that overran */
static int stop;
static int fd;

static void on_xfsz(int sig) {
  (void)sig;
  __atomic_fetch_add(&handled, 1, __ATOMIC_RELAXED);
}

__attribute__((noinline)) int work(int x) { return x * 3 + 1; }

static void *overrun(void *arg) {
  long *overruns = arg;
  for (long i = 0; i < 10000000 && !__atomic_load_n(&stop, __ATOMIC_RELAXED); i++)
    if (pwrite(fd, "x", 1, LIMIT) < 0) ++*overruns; /* EFBIG: the byte at LIMIT is past it */
  return NULL;
}

static void set_limit(rlim_t bytes) {
  struct rlimit r;
  getrlimit(RLIMIT_FSIZE, &r);
  r.rlim_cur = bytes;
  if (setrlimit(RLIMIT_FSIZE, &r) != 0) perror("setrlimit");
}

int main(int argc, char **argv) {
  if (argc < 2) return 2;
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_xfsz;
  sigaction(SIGXFSZ, &sa, NULL);
  for (int i = 0; i < 1000; i++) work(i);

  set_limit(64); /* every file of a set is larger */
  int rc = tprof_export(NULL, 0);
  printf("small limit: export rc %d, handler runs %d\n", rc, __atomic_load_n(&handled, __ATOMIC_RELAXED));

  set_limit(LIMIT);
  fd = open(argv[1], O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (fd < 0) return 3;
  long overruns = 0;
  pthread_t t;
  pthread_create(&t, NULL, overrun, &overruns);
  for (int i = 0; i < EXPORTS; i++) {
    work(i);
    tprof_export(NULL, 0);
  }
  __atomic_store_n(&stop, 1, __ATOMIC_RELAXED);
  pthread_join(t, NULL);
  work(0); /* counted after the last export: the exit writes a set too */
  int h = __atomic_load_n(&handled, __ATOMIC_RELAXED);
  printf("other thread: overruns above 0: %d, each handled: %d\n", overruns > 0, h == overruns);
  if (h != overruns) fprintf(stderr, "overruns %ld, handled %d\n", overruns, h);
  return 0;
}
