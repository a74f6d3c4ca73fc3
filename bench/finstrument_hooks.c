/* Hooks for -finstrument-functions builds (compile this file WITHOUT that
 * flag). Default: trivial counting hooks (one increment per call).
 * -DCLOCK_HOOKS: each hook reads clock_gettime(CLOCK_MONOTONIC); the entry
 * hook pushes the timestamp on a per-thread stack, the exit hook pops it and
 * adds the elapsed time: the simplest timing profiler one could write. The
 * totals go to stderr when FINSTRUMENT_REPORT is set. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#define NI __attribute__((no_instrument_function))

static __thread uint64_t calls;

#ifdef CLOCK_HOOKS
#define DEPTH 65536
static __thread uint64_t stack[DEPTH];
static __thread unsigned top;
static __thread uint64_t total_ns;

static NI uint64_t now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

NI void __cyg_profile_func_enter(void *fn, void *site) {
  (void)fn, (void)site;
  calls++;
  uint64_t t = now();
  if (top < DEPTH) stack[top] = t;
  top++;
}

NI void __cyg_profile_func_exit(void *fn, void *site) {
  (void)fn, (void)site;
  uint64_t t = now();
  if (top > 0 && --top < DEPTH) total_ns += t - stack[top];
}
#else
NI void __cyg_profile_func_enter(void *fn, void *site) {
  (void)fn, (void)site;
  calls++;
}

NI void __cyg_profile_func_exit(void *fn, void *site) { (void)fn, (void)site; }
#endif

static NI __attribute__((destructor)) void report(void) {
  if (getenv("FINSTRUMENT_REPORT"))
    fprintf(stderr, "finstrument hooks: %llu calls on the main thread\n", (unsigned long long)calls);
}
