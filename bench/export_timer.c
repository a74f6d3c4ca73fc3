/* Linked into a profiled workload (bench/run.sh: grid-export): at exit,
 * before tprof's own export, writes the file set with tprof_export() and
 * prints "export_ms MS" (wall time around the call, page faults included)
 * on stderr. tprof's exit export then adds no set: nothing ran since. */
#include <stdio.h>
#include <time.h>
#include <tprof/tprof.h>

/* Destructors run from the highest priority number down: this one before
 * tprof's (101). */
__attribute__((destructor(65535))) static void timed_export(void) {
  struct timespec a, b;
  clock_gettime(CLOCK_MONOTONIC, &a);
  int rc = tprof_export(NULL, 0);
  clock_gettime(CLOCK_MONOTONIC, &b);
  if (rc != 0) {
    fprintf(stderr, "export_timer: tprof_export failed\n");
    return;
  }
  fprintf(stderr, "export_ms %.3f\n", (double)(b.tv_sec - a.tv_sec) * 1e3 + (double)(b.tv_nsec - a.tv_nsec) / 1e6);
}
