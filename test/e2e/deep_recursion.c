// A 100,000-deep recursion: every level is a new call path, and each first
// visit of a path (and each registration, chunk and thread set-up) is a slow
// path of the runtime. Those must be safe against the thread's own signal
// handlers without a system call each: strace counts rt_sigprocmask calls
// below a small bound that does not depend on the depth. The figures are
// exact.
//
// REQUIRES: strace
// ThreadSanitizer's own call stack stops at 65,536 frames (any program this
// deep crashes under it, as scale.test notes).
// UNSUPPORTED: sanitizer-thread
// RUN: rm -rf %t.O0 %t.O2 %t.st
// RUN: %tprof_cc -O0 -g %s %tprof_rt_static -o %t.O0.exe
// RUN: %tprof_cc -O2 -g %s %tprof_rt_static -o %t.O2.exe
// RUN: env TPROF_OPTIONS=output_dir=%t.O0 %t.O0.exe | %FileCheck %s
// RUN: %tpexpect %t.O0 --from %s
// RUN: env TPROF_OPTIONS=output_dir=%t.O2 strace -f -c -o %t.O2.strace %t.O2.exe | %FileCheck %s
// RUN: %tpexpect %t.O2 --from %s
// RUN: %python -c "import sys; n=[int(l.split()[3]) for l in open(sys.argv[1]) if l.split()[-1:]==['rt_sigprocmask']]; c=n[0] if n else 0; print('rt_sigprocmask calls:', c, 'below 200:', c < 200)" %t.O2.strace | %FileCheck %s --check-prefix=STRACE
//
// CHECK: depth 100000 sum 5000050000
// STRACE: below 200: True
// EXPECT: f("descend", "calls") == 100000
// EXPECT: f("descend", "primitive_calls") == 1
// EXPECT: f("run", "calls") == 1
// EXPECT: e("descend", "descend", "calls") == 99999
// EXPECT: e("run", "descend", "calls") == 1
// EXPECT: f("descend", "inclusive_ms") <= f("run", "inclusive_ms")
#include <pthread.h>
#include <stdio.h>

#define DEPTH 100000

__attribute__((noinline)) unsigned long long descend(unsigned long long n) {
  if (n == 1) return 1;
  unsigned long long r = n + descend(n - 1);
  __asm__ volatile("" ::: "memory"); /* keeps the recursion a recursion at -O2 */
  return r;
}

static unsigned long long result;

void *run(void *arg) {
  (void)arg;
  result = descend(DEPTH);
  return NULL;
}

int main(void) {
  /* 100,000 frames need more than the default 8 MiB stack at -O0 */
  pthread_attr_t attr;
  pthread_attr_init(&attr);
  pthread_attr_setstacksize(&attr, 256u << 20);
  pthread_t t;
  if (pthread_create(&t, &attr, run, NULL) != 0) return 1;
  pthread_join(t, NULL);
  printf("depth %d sum %llu\n", DEPTH, result);
  return 0;
}
