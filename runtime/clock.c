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

/* Two cpuid instructions (__get_cpuid runs two each): in a VM every one
 * traps to the hypervisor (~14 us each on the bench's VM), paid by every
 * profiled process at start-up. */
static int has_invariant_tsc(void) {
  unsigned a, b, c, d;
  __cpuid(0x80000000u, a, b, c, d);
  if (a < 0x80000007u) return 0;
  __cpuid(0x80000007u, a, b, c, d);
  return (d >> 8) & 1;
}

void tprof_clock_init(void) {
  tprof_clock_uses_tsc = has_invariant_tsc();
  calib_ns0 = monotonic_ns();
  calib_tsc0 = __rdtsc();
}

double tprof_ticks_per_ns(void) {
  if (!tprof_clock_uses_tsc) return 1.0;
  /* The ratio's error is the skew between the two clocks' reads at each
   * end (~100 ns in a VM) over the interval: a run shorter than 250 us waits
   * for that much (error below 0.05%). It waited for 2 ms, which was most of
   * the cost of profiling a program that runs a millisecond. */
  uint64_t ns = monotonic_ns();
  while (ns - calib_ns0 < 250000u) ns = monotonic_ns();
  uint64_t tsc = __rdtsc();
  return (double)(tsc - calib_tsc0) / (double)(ns - calib_ns0);
}
