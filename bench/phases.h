/*
 * Phase timing for the bench workloads: when BENCH_PHASES names a file,
 * phase_write() appends "NAME SECONDS" to it, so that one hyperfine run
 * (bench/run.sh starts every command through env) also yields the time of
 * each part of the program. Header-only and static: every workload of the
 * bench is a single file.
 */
#ifndef BENCH_PHASES_H
#define BENCH_PHASES_H

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double phase_now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void phase_write(const char *name, double s) {
  const char *path = getenv("BENCH_PHASES");
  if (!path) return;
  FILE *f = fopen(path, "a");
  if (!f) return;
  fprintf(f, "%s %.9f\n", name, s);
  fclose(f);
}

#endif
