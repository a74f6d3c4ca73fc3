// A signal's export in the middle of a loop whose counter could live in a
// register. At -O2 the loop below calls nothing once its tiny leaf is
// inlined, so the pass would keep the leaf's count in a register and add it
// when the loop ends; but the loop writes its progress to a volatile
// object, which a handler may read, so its counter stays in memory: the
// export that the handler makes sees every call up to the moment it read
// the progress (the signal may land between a call's count and the
// progress store: one more, never fewer). A second thread sends the signal
// once the loop is well on its way, so the loop is interrupted wherever it
// happens to be.
//
// The handler exports with malloc and stdio (not async-signal-safe; the
// interrupted loop holds no lock): ThreadSanitizer says so.
// UNSUPPORTED: sanitizer-thread
//
// RUN: rm -rf %t.O0 %t.O2 %t.O3
// RUN: %tprof_cc -O0 %s %tprof_rt_static -lpthread -o %t.O0.exe
// RUN: env TPROF_OPTIONS=output_dir=%t.O0 %t.O0.exe > %t.O0.out
// RUN: %tpexpect %t.O0 --vars %t.O0.out --from %s
// RUN: %tprof_cc -O2 %s %tprof_rt_static -lpthread -o %t.O2.exe
// RUN: env TPROF_OPTIONS=output_dir=%t.O2 %t.O2.exe > %t.O2.out
// RUN: %tpexpect %t.O2 --vars %t.O2.out --from %s
// RUN: %tprof_cc -O3 %s %tprof_rt_static -lpthread -o %t.O3.exe
// RUN: env TPROF_OPTIONS=output_dir=%t.O3 %t.O3.exe > %t.O3.out
// RUN: %tpexpect %t.O3 --vars %t.O3.out --from %s
//
// EXPECT: sets() == 1
// EXPECT: seen >= 200000
// EXPECT: f("leaf", "calls") in (seen, seen + 1)
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <tprof/tprof.h>
#include <unistd.h>

static volatile sig_atomic_t progress;
static pthread_t looper;

static unsigned leaf(unsigned x) { return x * 3 + 1; }

static void put_number(const char *name, long n) {
  char buf[64], digits[24];
  int len = 0, d = 0;
  for (const char *p = name; *p; p++)
    buf[len++] = *p;
  buf[len++] = '=';
  do
    digits[d++] = (char)('0' + n % 10);
  while ((n /= 10) > 0);
  while (d > 0)
    buf[len++] = digits[--d];
  buf[len++] = '\n';
  (void)!write(1, buf, (size_t)len);
}

static void on_usr1(int sig) {
  (void)sig;
  long seen = progress;
  tprof_export(NULL, 0);
  put_number("seen", seen);
  _exit(0);
}

// Waits (for progress, not for a time) until the loop has made many calls.
static void *sender(void *arg) {
  (void)arg;
  while (progress < 200000)
    sched_yield();
  pthread_kill(looper, SIGUSR1);
  return NULL;
}

int main(void) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_usr1;
  sigaction(SIGUSR1, &sa, NULL);
  looper = pthread_self();
  pthread_t t;
  if (pthread_create(&t, NULL, sender, NULL) != 0)
    return 2;
  unsigned s = 1;
  for (;;) {
    s = leaf(s);
    progress = progress + 1;
  }
}
