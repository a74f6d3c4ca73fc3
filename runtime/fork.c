/* fork(): the child starts its own measurement from the fork on and writes
 * its own file set (its own pid) at its exit; the parent's is not disturbed.
 * The heap table is quiesced across the fork so the child never inherits it
 * half-updated or locked by a thread that does not exist in the child. */
#include "internal.h"

static void before_fork(void) { tprof_heap_fork_prepare(); }
static void in_parent(void) { tprof_heap_fork_parent(); }

static void (*reset_child)(void);

static void in_child(void) {
  tprof_heap_fork_child();
  reset_child();
}

/* The child's new measurement is lifecycle.c's, which calls this: passed
 * in, so that this file does not depend on the one above it. */
void tprof_fork_init(void (*reset_measurement)(void)) {
  reset_child = reset_measurement;
  pthread_atfork(before_fork, in_parent, in_child);
}
