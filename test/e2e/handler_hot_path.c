// Instrumented code running inside a signal handler, interrupting
// instrumented code at any instruction of the hooks (a 50 us timer during
// a call-heavy loop): every call is still counted exactly and the books stay
// consistent (the handler's frames never overwrite a frame in use).
//
// RUN: rm -rf %t.d
// RUN: %tprof_cc -O2 -g %s %tprof_rt_static -o %t.exe
// RUN: env TPROF_OPTIONS=output_dir=%t.d %t.exe > %t.out
// RUN: %FileCheck %s --check-prefix=OUT < %t.out
// RUN: %tpq %t.d func fib calls | %FileCheck %s --check-prefix=FIB
// RUN: %python -c "import json,glob,re; m=json.load(open(glob.glob('%t.d/*_metrics.json')[0])); f={x['name']:x for x in m['functions']}; n=int(re.search(r'ticks=(\d+)', open('%t.out').read()).group(1)); print('ticks counted exactly:', f['on_tick']['calls'] == n and f['tick_work']['calls'] == n, n > 10); print('main open frames closed:', f['main']['inclusive_ms'] >= f['fib']['inclusive_ms'])" | %FileCheck %s --check-prefix=TICKS
//
// OUT: fib(24) x 40 = 1854720
// 40 x 150049 calls of fib
// FIB: {{^}}6001960{{$}}
// TICKS: ticks counted exactly: True True
// TICKS: main open frames closed: True
#include <signal.h>
#include <stdio.h>
#include <sys/time.h>

static volatile sig_atomic_t ticks;

int tick_work(int x) { return x * 2; }

void on_tick(int sig) {
  (void)sig;
  ticks += tick_work(1) / 2;
}

int fib(int n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }

int main(void) {
  signal(SIGALRM, on_tick);
  struct itimerval every = {{0, 50}, {0, 50}};
  setitimer(ITIMER_REAL, &every, NULL);
  long sum = 0;
  for (int i = 0; i < 40; i++) sum += fib(24);
  struct itimerval off = {{0, 0}, {0, 0}};
  setitimer(ITIMER_REAL, &off, NULL);
  printf("fib(24) x 40 = %ld\nticks=%d\n", sum, (int)ticks);
  return 0;
}
