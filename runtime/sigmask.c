/* Blocking asynchronous signals around the few locks taken outside the
 * hooks (the registry, the export, the arena of the runtime's own memory):
 * a handler's instrumented code or export then runs after the lock is
 * released instead of waiting for ever for a lock its own thread holds.
 * Part of the base layer: the allocator uses it, so it must not live with
 * the handlers (signals.c), which call the exporter. */
#include "internal.h"

#include <signal.h>

void tprof_signals_block(sigset_t *old) {
  sigset_t set;
  sigfillset(&set);
  /* synchronous faults must still reach their handlers (or kill) */
  static const int faults[] = {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGTRAP, SIGSYS};
  for (size_t i = 0; i < sizeof faults / sizeof faults[0]; i++) sigdelset(&set, faults[i]);
  pthread_sigmask(SIG_BLOCK, &set, old);
}

void tprof_signals_restore(const sigset_t *old) { pthread_sigmask(SIG_SETMASK, old, NULL); }
