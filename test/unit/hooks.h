/* What the pass emits around a timed function, for unit tests that drive
 * the runtime with hand-made records: the inline counter at entry, and the
 * hooks when the guard byte lets them (the exit mirrors the entry's guard,
 * as the pass's code reads it once per call). */
#ifndef TPROF_TEST_HOOKS_H
#define TPROF_TEST_HOOKS_H

#include "../../runtime/internal.h"

static inline int test_guard(const tprof_func_record *r) {
  uint8_t on = __atomic_load_n(&__tprof_hooks_on, __ATOMIC_RELAXED);
  return (r->flags & TPROF_FUNC_OPERATION) ? on != 0 : (on & TPROF_HOOKS_ALL) != 0;
}
static inline int test_enter(tprof_func_record *r) {
  __atomic_add_fetch(&r->calls, 1, __ATOMIC_RELAXED);
  int on = test_guard(r);
  if (on)
    __tprof_func_enter(r);
  return on;
}
static inline void test_exit(tprof_func_record *r) {
  if (test_guard(r))
    __tprof_func_exit(r);
}

#endif
