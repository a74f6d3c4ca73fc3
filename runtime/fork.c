/* fork(): the child starts its own measurement from the fork on and writes
 * its own file set (its own pid) at its exit; the parent's is not disturbed.
 *
 * Only the forking thread lives on in the child: a lock that another
 * thread held at the fork would stay held there for ever, and the first
 * use of it (the child's new measurement takes the registry's) would hang
 * the child inside fork(). So every lock of the runtime is taken before
 * the fork, in the order the runtime nests them (the registry's before the
 * others, which are leaves: threads, signals, the runtime's memory, the
 * live-block table), released after it in the parent, and made anew in
 * the child. The tables those locks guard are then never copied half
 * updated. Signals stay blocked from the first lock to the last release: a
 * handler of this thread that uses the runtime between the two would wait
 * for a lock its own thread holds. */
#include "internal.h"

static sigset_t fork_mask;

static void before_fork(void) {
  sigset_t mask;
  tprof_signals_block(&mask);
  tprof_registry_fork_prepare();
  tprof_threads_fork_prepare();
  tprof_signals_fork_prepare();
  tprof_mem_fork_prepare();
  tprof_heap_fork_prepare();
  fork_mask = mask; /* written and read while the locks are held */
}

static void in_parent(void) {
  sigset_t mask = fork_mask;
  tprof_heap_fork_parent();
  tprof_mem_fork_parent();
  tprof_signals_fork_parent();
  tprof_threads_fork_parent();
  tprof_registry_fork_parent();
  tprof_signals_restore(&mask);
}

static void (*reset_child)(void);

static void in_child(void) {
  tprof_heap_fork_child();
  tprof_mem_fork_child();
  tprof_signals_fork_child();
  tprof_threads_fork_child();
  tprof_registry_fork_child();
  tprof_signals_restore(&fork_mask);
  reset_child();
}

/* The child's new measurement is lifecycle.c's, which calls this: passed
 * in, so that this file does not depend on the one above it. */
void tprof_fork_init(void (*reset_measurement)(void)) {
  reset_child = reset_measurement;
  pthread_atfork(before_fork, in_parent, in_child);
}
