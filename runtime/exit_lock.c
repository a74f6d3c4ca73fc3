/* One thread at a time in exit(). glibc before 2.41 lets several threads
 * run exit() at once (sourceware bug 31997): each takes the next exit
 * handler, and the first to find none left calls _exit while another may
 * still be writing the file set in tprof's exit step (the set was lost in
 * 15 to 30 of 30 runs of five threads calling exit together). glibc 2.41,
 * musl and bionic now take a lock in exit(); the pass calls this before
 * every exit() of instrumented code, so tprof gives the same guarantee on
 * older C libraries: the first thread goes on, a later one waits for the
 * process to end (its status is not the process's), and a thread that
 * calls exit() again (from an atexit handler, or a signal handler during
 * its exit) goes on as before. main's returns call it too (the C library
 * calls exit next): a program that calls its own main recursively makes,
 * from main's first return on, another thread's exit() wait for the
 * outermost one. Not the hot path: once per exit() call. */
#include "internal.h"

#include <unistd.h>

static int exit_owner; /* thread id, 0: nobody is exiting */

/* Takes the lock if it is free; whether this thread holds it after. */
static int claim(void) {
  int self = (int)gettid(), expected = 0;
  return __atomic_compare_exchange_n(&exit_owner, &expected, self, 0, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE) ||
         expected == self;
}

TPROF_EXPORT void __tprof_before_exit(void) {
  /* a vfork child shares the parent's memory: its exit (meant to be
   * _exit) must not leave the parent's later exit waiting */
  if (tprof_in_unknown_child()) return;
  if (claim()) return;
  for (;;) pause(); /* the exiting thread ends the process; handlers still run here */
}

/* tprof's first exit step, on the thread that runs the exit handlers: an
 * exit() started without the call above (one of uninstrumented code: a
 * library's, or main's when main is not instrumented) still makes a later
 * exit() of instrumented code wait. Never waits itself: the exit handlers
 * are already running on this thread. */
void tprof_exit_lock_claim(void) {
  if (!tprof_in_unknown_child()) claim();
}

void tprof_exit_lock_fork_child(void) { exit_owner = 0; }
