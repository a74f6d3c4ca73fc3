/* Compiled WITHOUT the pass (errno_kept.c): a thread start routine that
 * sets errno before any instrumented code of its thread runs, so that the
 * body's first hook (which makes the thread's state and maps its shadow
 * stack) is checked against it. */
#include <errno.h>

void *errno_body(void *arg);

void *errno_start(void *arg) {
  errno = EDOM;
  return errno_body(arg);
}
