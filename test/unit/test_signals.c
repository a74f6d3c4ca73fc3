/* Instrumented code in a signal handler that interrupts the runtime's slow
 * paths: a 20 us timer fires while the main thread registers thousands of
 * new functions and call-graph edges, and every handler call enters a
 * function never seen before (registration, a new edge, maybe a new stats
 * chunk). Before those paths blocked signals, a handler landing inside
 * registration waited forever for the registry lock its own thread held.
 * A watchdog thread turns a hang into a failure: it watches for progress
 * (a counter the loops advance), not for a total time, so a machine busy
 * enough to make the signal storm take minutes still passes; every call
 * must be counted exactly. */
#include "../../runtime/internal.h"
#include "check.h"
#include "hooks.h"

#include <signal.h>
#include <stdlib.h>
#include <sys/time.h>
#include <unistd.h>

enum { MAIN_FUNCS = 60000, HANDLER_FUNCS = 20000 };
static tprof_func_record main_recs[MAIN_FUNCS], handler_recs[HANDLER_FUNCS];
static tprof_func_record outer = {.abi_version = TPROF_ABI_VERSION, .line = 1, .name = "outer", .file = "unit.c"};
static volatile sig_atomic_t handled;
static unsigned long progress; /* calls made (main loop and handler), read by the watchdog: atomic */

static void on_alarm(int sig) {
  (void)sig;
  if (handled < HANDLER_FUNCS) {
    tprof_func_record *r = &handler_recs[handled];
    test_enter(r);
    test_exit(r);
    handled++;
    __atomic_add_fetch(&progress, 1, __ATOMIC_RELAXED);
  }
}

/* A deadlock stops the counter for good; a loaded machine only slows it. */
enum { STALL_LIMIT_S = 60 };
static void *watchdog(void *arg) {
  (void)arg;
  unsigned long seen = __atomic_load_n(&progress, __ATOMIC_RELAXED) + 1;
  int still = 0;
  for (;;) {
    sleep(1);
    unsigned long now = __atomic_load_n(&progress, __ATOMIC_RELAXED);
    still = now == seen ? still + 1 : 0;
    seen = now;
    if (still >= STALL_LIMIT_S) {
      fprintf(stderr, "test_signals: no progress for %d s at %lu calls (a handler deadlocked in the runtime?)\n",
              STALL_LIMIT_S, now);
      _exit(1);
    }
  }
  return NULL;
}

int main(void) {
  tprof_set_option("export_profiling_data", "0");
  static char names[MAIN_FUNCS + HANDLER_FUNCS][16];
  for (int i = 0; i < MAIN_FUNCS + HANDLER_FUNCS; i++) {
    snprintf(names[i], sizeof names[i], "f%d", i);
    tprof_func_record r = {.abi_version = TPROF_ABI_VERSION, .line = (uint32_t)i, .name = names[i], .file = "unit.c"};
    if (i < MAIN_FUNCS) main_recs[i] = r;
    else handler_recs[i - MAIN_FUNCS] = r;
  }
  /* The handler's functions are registered as the pass's module constructor
   * would: a handler that interrupts the runtime is not timed (its calls are
   * counted inline), so its hooks cannot be what registers them. The main
   * loop's functions register on their first hook, the slow path the
   * handler interrupts. */
  static tprof_func_record *handler_ptrs[HANDLER_FUNCS];
  for (int i = 0; i < HANDLER_FUNCS; i++) handler_ptrs[i] = &handler_recs[i];
  static tprof_module_record module = {TPROF_ABI_VERSION, HANDLER_FUNCS, 0, 0, handler_ptrs, NULL, NULL};
  __tprof_register_module(&module);
  /* the watchdog never takes the timer's signal */
  sigset_t alarm_only, old;
  sigemptyset(&alarm_only);
  sigaddset(&alarm_only, SIGALRM);
  pthread_sigmask(SIG_BLOCK, &alarm_only, &old);
  pthread_t dog;
  pthread_create(&dog, NULL, watchdog, NULL);
  pthread_sigmask(SIG_SETMASK, &old, NULL);

  struct sigaction sa = {0};
  sa.sa_handler = on_alarm;
  sa.sa_flags = SA_RESTART;
  sigaction(SIGALRM, &sa, NULL);
  struct itimerval every = {{0, 20}, {0, 20}};
  setitimer(ITIMER_REAL, &every, NULL);
  test_enter(&outer);
  /* At least 3 rounds, and until the handler ran a few times: a loaded
   * machine may let the loop finish between two timer signals. Bounded, so
   * a timer that never fires fails the check below instead of looping. */
  int rounds = 0;
  do {
    for (int i = 0; i < MAIN_FUNCS; i++) {
      test_enter(&main_recs[i]);
      test_exit(&main_recs[i]);
      __atomic_add_fetch(&progress, 1, __ATOMIC_RELAXED);
    }
    rounds++;
  } while (rounds < 3 || (handled <= 10 && rounds < 1000));
  test_exit(&outer);
  struct itimerval off = {{0, 0}, {0, 0}};
  setitimer(ITIMER_REAL, &off, NULL);

  tprof_snapshot snap;
  tprof_get_snapshot(&snap);
  CHECK(handled > 10);
  CHECK_EQ_U64(snap.total_calls, 1 + (uint64_t)rounds * MAIN_FUNCS + (uint64_t)handled);
  CHECK_EQ_U64(tprof_current_thread()->depth, 0);
  for (int i = 0; i < handled; i++)
    CHECK(handler_recs[i].id != 0 && handler_recs[i].id != TPROF_REJECTED);
  printf("%d handler calls\n", (int)handled);

  /* Blocks nest (the registry blocks, then allocates from the arena, which
   * blocks again): an inner restore keeps signals blocked, the outermost
   * one lifts the mask it found. */
  sigset_t outer_old, inner_old, now;
  tprof_signals_block(&outer_old);
  tprof_signals_block(&inner_old);
  tprof_signals_restore(&inner_old);
  pthread_sigmask(SIG_SETMASK, NULL, &now);
  CHECK(sigismember(&now, SIGALRM) && sigismember(&now, SIGUSR1));
  CHECK(!sigismember(&now, SIGSEGV)); /* faults still reach their handlers */
  tprof_signals_restore(&outer_old);
  pthread_sigmask(SIG_SETMASK, NULL, &now);
  CHECK(!sigismember(&now, SIGALRM) && !sigismember(&now, SIGUSR1));
  CHECK_DONE();
}
