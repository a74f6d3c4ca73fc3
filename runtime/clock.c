/* Timestamps: the TSC where it runs at a constant rate in every power state
 * (invariant TSC), else CLOCK_MONOTONIC. The TSC is calibrated against
 * CLOCK_MONOTONIC over the whole run, so start-up pays nothing for it. */
#include "internal.h"

#include <cpuid.h>

int tprof_clock_uses_tsc;
uint64_t tprof_origin_ticks; /* set by start-up and reset (lifecycle.c) */
static uint64_t calib_tsc0, calib_ns0;

static uint64_t monotonic_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static int has_invariant_tsc(void) {
  unsigned a, b, c, d;
  if (!__get_cpuid(0x80000000u, &a, &b, &c, &d) || a < 0x80000007u) return 0;
  __get_cpuid(0x80000007u, &a, &b, &c, &d);
  return (d >> 8) & 1;
}

void tprof_clock_init(void) {
  tprof_clock_uses_tsc = has_invariant_tsc();
  calib_ns0 = monotonic_ns();
  calib_tsc0 = __rdtsc();
}

double tprof_ticks_per_ns(void) {
  if (!tprof_clock_uses_tsc) return 1.0;
  /* A short run gives a poor ratio: stretch the interval to 2 ms. */
  uint64_t ns = monotonic_ns();
  while (ns - calib_ns0 < 2000000u) ns = monotonic_ns();
  uint64_t tsc = __rdtsc();
  return (double)(tsc - calib_tsc0) / (double)(ns - calib_ns0);
}
