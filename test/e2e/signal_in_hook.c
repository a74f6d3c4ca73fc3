// An instrumented signal handler that interrupts the hooks: a SIGALRM every
// 50 us (on an alternate signal stack) runs on_alarm(), which calls tick(),
// while the main loop calls work(i) -> inner(i) 200,000 times. Whatever
// instruction of enter/exit the signal lands on, the interrupted frame stays
// intact: work has 200,000 primitive calls, its inclusive time is at least
// its self time, and the handler's calls are not charged to work (no edge
// on_alarm -> work, none work -> work). In "jump" mode every 64th signal
// that lands inside work leaves the handler by siglongjmp to the main loop
// (skipping inner, work and on_alarm frames), with the same figures.
//
// ThreadSanitizer delivers asynchronous signals only at its own interception
// points, never inside instrumented code: the situation cannot arise there.
// UNSUPPORTED: sanitizer-thread
// RUN: rm -rf %t.O0 %t.O2 %t.O2j
// RUN: %tprof_cc -O0 -g %s %tprof_rt_static -o %t.O0.exe
// RUN: %tprof_cc -O2 -g %s %tprof_rt_static -o %t.O2.exe
// RUN: env TPROF_OPTIONS=output_dir=%t.O0 %t.O0.exe return > %t.O0.out
// RUN: %tpexpect %t.O0 --vars %t.O0.out --from %s
// RUN: %tpexpect %t.O0 --vars %t.O0.out --from %s --prefix EXPECT-RETURN
// RUN: env TPROF_OPTIONS=output_dir=%t.O2 %t.O2.exe return > %t.O2.out
// RUN: %tpexpect %t.O2 --vars %t.O2.out --from %s
// RUN: %tpexpect %t.O2 --vars %t.O2.out --from %s --prefix EXPECT-RETURN
// RUN: env TPROF_OPTIONS=output_dir=%t.O2j %t.O2.exe jump > %t.O2j.out
// RUN: %tpexpect %t.O2j --vars %t.O2j.out --from %s
// RUN: %tpexpect %t.O2j --vars %t.O2j.out --from %s --prefix EXPECT-JUMP
//
// EXPECT: f("work", "calls") == 200000 == work_calls
// EXPECT: f("work", "primitive_calls") == 200000
// EXPECT: f("work", "inclusive_ms") >= f("work", "self_ms")
// EXPECT: f("tick", "calls") == tick_calls and f("on_alarm", "calls") == tick_calls
// EXPECT: ticks_in_work > 0
// EXPECT: e("on_alarm", "work", "calls") is None
// EXPECT: e("work", "work", "calls") is None
// EXPECT: e("main", "work", "calls") == 200000
// EXPECT: e("on_alarm", "tick", "calls") == tick_calls
// EXPECT-RETURN: f("inner", "calls") == 200000 == inner_calls
// EXPECT-RETURN: e("work", "inner", "calls") == 200000
// EXPECT-JUMP: jumps > 0
// EXPECT-JUMP: f("inner", "calls") >= inner_calls
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>

#define N 200000

static volatile sig_atomic_t in_work, jump_mode;
static volatile long work_calls, inner_calls, tick_calls, ticks_in_work, jumps;
static volatile unsigned long sink;
static sigjmp_buf back;

__attribute__((noinline)) void tick(void) { tick_calls++; }

__attribute__((noinline)) void on_alarm(int sig) {
  (void)sig;
  tick();
  if (in_work) {
    ticks_in_work++;
    if (jump_mode && ticks_in_work % 64 == 0) {
      in_work = 0;
      jumps++;
      siglongjmp(back, 1);
    }
  }
}

__attribute__((noinline)) unsigned long inner(int i) {
  inner_calls++;
  unsigned long h = (unsigned long)i;
  for (int k = 0; k < 20; k++) h = h * 6364136223846793005ul + 1442695040888963407ul;
  return h;
}

__attribute__((noinline)) void work(int i) {
  work_calls++;
  in_work = 1; /* after the count: a jump never lands before work was entered */
  sink += inner(i);
  in_work = 0;
}

int main(int argc, char **argv) {
  jump_mode = argc > 1 && !strcmp(argv[1], "jump");
  stack_t ss = {.ss_sp = malloc(1 << 16), .ss_size = 1 << 16};
  sigaltstack(&ss, NULL);
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_alarm;
  sa.sa_flags = SA_ONSTACK | SA_RESTART;
  sigaction(SIGALRM, &sa, NULL);
  struct itimerval it = {{0, 50}, {0, 50}};
  setitimer(ITIMER_REAL, &it, NULL);
  for (volatile int i = 0; i < N; i++) {
    if (sigsetjmp(back, 1) == 0)
      work(i);
  }
  struct itimerval off = {{0, 0}, {0, 0}};
  setitimer(ITIMER_REAL, &off, NULL);
  printf("work_calls=%ld\ninner_calls=%ld\ntick_calls=%ld\nticks_in_work=%ld\njumps=%ld\n", work_calls,
         inner_calls, tick_calls, ticks_in_work, jumps);
  return 0;
}
