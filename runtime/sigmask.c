/* Blocking asynchronous signals around the few locks taken outside the
 * hooks (the registry, the export, the arena of the runtime's own memory):
 * a handler's instrumented code or export then runs after the lock is
 * released instead of waiting for ever for a lock its own thread holds.
 * Part of the base layer: the allocator uses it, so it must not live with
 * the handlers (signals.c), which call the exporter.
 *
 * Blocks nest: the registry blocks signals and then allocates names from
 * the arena, which blocks them again. Only the outermost pair makes the
 * two sigprocmask calls (a module of 900 functions made 3,600 of them at
 * start-up, ~1 ms). The depth counts up only after the mask is in place
 * and down before it is lifted, so a handler that runs in between sees
 * depth 0 and blocks for itself. */
#include "internal.h"

#include <signal.h>

static __thread unsigned block_depth __attribute__((tls_model("initial-exec")));

void tprof_signals_block(sigset_t *old) {
  if (block_depth) { /* signals are blocked already: nothing can interrupt us */
    block_depth++;
    return;
  }
  sigset_t set;
  sigfillset(&set);
  /* synchronous faults must still reach their handlers (or kill) */
  static const int faults[] = {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGTRAP, SIGSYS};
  for (size_t i = 0; i < sizeof faults / sizeof faults[0]; i++) sigdelset(&set, faults[i]);
  pthread_sigmask(SIG_BLOCK, &set, old);
  block_depth = 1;
}

void tprof_signals_restore(const sigset_t *old) {
  if (block_depth > 1) {
    block_depth--;
    return;
  }
  block_depth = 0;
  pthread_sigmask(SIG_SETMASK, old, NULL);
}
