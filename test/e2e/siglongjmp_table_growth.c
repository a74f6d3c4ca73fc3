// An interpreter's timeout: a SIGALRM every 200 us leaves a deep walk by
// siglongjmp from its handler, while the walks keep making new call paths,
// so the handler often lands while the runtime is rebuilding a thread's
// path index (context_tables.c). The rebuild must resume where it was
// abandoned: when it started over with a new mapping at each call, every
// jump leaked the half-built index (~128 KB) and the next rebuild, longer
// than the timer's interval, was interrupted again (a livelock: 63 of the
// 20,000 walks completed before the 2,000th jump, runtime memory 230 MB).
// Here most walks complete (more than were interrupted) and the runtime's
// memory stays what the tree needs (13 MB; at most 64 MB is asked).
// It stops at 2,000 jumps whatever happens: no deadline.
// ThreadSanitizer delivers signals at its own points and slows each walk
// past the timer's interval: there nearly every walk is interrupted (3 of
// 2,000 completed with the fix), so the test says nothing under it.
// UNSUPPORTED: sanitizer-thread
//
// RUN: rm -rf %t.d
// RUN: %tprof_cc -O2 -g %s %tprof_rt_static -o %t.exe
// RUN: env TPROF_OPTIONS=output_dir=%t.d %t.exe | %FileCheck %s
// RUN: %tpq %t.d get runtime_memory_mb | %python -c "import sys; mb = float(sys.stdin.read()); print('runtime memory below 64 MB:', mb < 64, mb)" | %FileCheck %s --check-prefix=MEM
// RUN: %tpq %t.d func left calls | %FileCheck %s --check-prefix=COUNTED
//
// CHECK: more walks completed than interrupted: 1
// MEM: runtime memory below 64 MB: True
// COUNTED: {{[1-9][0-9]+}}
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/time.h>

#define ROTR1(x) ((x) >> 1 | (x) << 63)

static sigjmp_buf jb;
static volatile sig_atomic_t armed;

unsigned long step(int d, unsigned long x);
__attribute__((noinline)) unsigned long left(int d, unsigned long x) { return step(d, x) * 3 + 1; }
__attribute__((noinline)) unsigned long right(int d, unsigned long x) { return step(d, x) * 5 + 2; }
/* The path down follows the bits of x: nearly every walk is a new path. */
__attribute__((noinline)) unsigned long step(int d, unsigned long x) {
  if (d == 0) return x;
  unsigned long y = ROTR1(x);
  return (x & 1 ? right(d - 1, y) : left(d - 1, y)) ^ (unsigned long)d;
}

static void on_alarm(int sig) {
  (void)sig;
  if (armed) {
    armed = 0;
    siglongjmp(jb, 1);
  }
}

int main(void) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_alarm;
  sigaction(SIGALRM, &sa, 0);
  struct itimerval every = {{0, 200}, {0, 200}}, stop = {{0, 0}, {0, 0}};
  setitimer(ITIMER_REAL, &every, 0);
  unsigned long acc = 0;
  volatile long done = 0, jumps = 0;
  for (volatile long w = 0; w < 20000 && jumps < 2000; w++) {
    if (sigsetjmp(jb, 1) == 0) {
      armed = 1;
      acc += step(60, (unsigned long)(w + 1) * 0x9e3779b97f4a7c15ul);
      armed = 0;
      done++;
    } else {
      jumps++;
    }
  }
  setitimer(ITIMER_REAL, &stop, 0);
  printf("walks completed %ld, interrupted %ld (%lu)\n", (long)done, (long)jumps, acc & 1);
  printf("more walks completed than interrupted: %d\n", done > jumps);
  return 0;
}
