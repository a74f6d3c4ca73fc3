/* A function's figures summed over every thread, as the export derives
 * them from the call tree (thread_figures.c), for unit tests that check
 * what the hooks recorded. */
#ifndef TPROF_TEST_FUNC_TOTALS_H
#define TPROF_TEST_FUNC_TOTALS_H

#include "../../runtime/calltree.h"

typedef struct func_totals {
  uint64_t calls, primitive_calls, self_ticks, inclusive_ticks, max_call_ticks;
} func_totals;

static inline func_totals func_totals_of(uint32_t id) {
  func_totals total = {0};
  for (tprof_thread *t = tprof_threads_head(); t; t = t->next) {
    tprof_thread_figures fig;
    if (tprof_thread_figures_get(t, id + 1, 0, 0, &fig) != 0) continue;
    const tprof_func_figures *s = &fig.funcs[id];
    total.calls += s->calls;
    total.primitive_calls += s->primitive_calls;
    total.self_ticks += s->self_ticks;
    total.inclusive_ticks += s->inclusive_ticks;
    if (s->max_call_ticks > total.max_call_ticks) total.max_call_ticks = s->max_call_ticks;
    tprof_thread_figures_free(&fig);
  }
  return total;
}

#endif
