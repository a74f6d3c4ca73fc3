// An interpreter's error recovery: run() sets a jump buffer per iteration,
// step() calls fail(), which longjmps back into run(); run() never returns
// between the jumps. The frames of step and fail that each jump skipped are
// closed where control lands (in run), so every call is a primitive call,
// the call graph is the program's own, and step and fail, which do nothing,
// take next to no time while report() sleeps.
//
// RUN: rm -rf %t.O0 %t.O2
// RUN: %tprof_cc -O0 -g %s %tprof_rt_static -o %t.O0.exe
// RUN: %tprof_cc -O2 -g %s %tprof_rt_static -o %t.O2.exe
// RUN: env TPROF_OPTIONS=output_dir=%t.O0 %t.O0.exe | %FileCheck %s
// RUN: env TPROF_OPTIONS=output_dir=%t.O2 %t.O2.exe | %FileCheck %s
// RUN: %tpexpect %t.O0 --from %s
// RUN: %tpexpect %t.O2 --from %s
//
// CHECK: recovered 1000 times
// EXPECT: f("step", "calls") == 1000 and f("step", "primitive_calls") == 1000
// EXPECT: f("fail", "calls") == 1000 and f("fail", "primitive_calls") == 1000
// EXPECT: f("report", "calls") == 1000 and f("report", "primitive_calls") == 1000
// EXPECT: e("run", "step", "calls") == 1000
// EXPECT: e("step", "fail", "calls") == 1000
// EXPECT: e("run", "report", "calls") == 1000
// EXPECT: e("fail", "step", "calls") is None and e("fail", "report", "calls") is None
// step and fail do nothing; report sleeps 1000 x 0.5 ms. A tenth of that
// leaves room for any scheduling delay on a busy machine.
// EXPECT: f("step", "inclusive_ms") < f("report", "inclusive_ms") / 10
// EXPECT: f("fail", "inclusive_ms") < f("report", "inclusive_ms") / 10
// EXPECT: f("run", "inclusive_ms") >= f("report", "inclusive_ms")
#include <setjmp.h>
#include <stdio.h>
#include <time.h>

static jmp_buf env;
static volatile int sink;

__attribute__((noinline)) void fail(int i) {
  sink = i;
  longjmp(env, 1);
}

__attribute__((noinline)) void step(int i) {
  sink = i;
  fail(i);
  sink = -1; /* never reached */
}

__attribute__((noinline)) void report(int i) {
  (void)i;
  struct timespec ts = {0, 500 * 1000L}; /* 0.5 ms: 1000 calls >= 0.5 s */
  nanosleep(&ts, 0);
}

__attribute__((noinline)) int run(int n) {
  volatile int recovered = 0;
  for (volatile int i = 0; i < n; i++) {
    if (setjmp(env) == 0)
      step(i);
    else {
      report(i);
      recovered++;
    }
  }
  return recovered;
}

int main(void) {
  printf("recovered %d times\n", run(1000));
  return 0;
}
