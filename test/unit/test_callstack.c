/* Call counting and cProfile semantics, driven by hand-made records the way
 * the pass would emit them. */
#include "../../runtime/calltree.h"
#include "check.h"
#include "func_totals.h"
#include "hooks.h"

#include <setjmp.h>
#include <stdlib.h>
#include <string.h>

static tprof_func_record fib_rec = {TPROF_ABI_VERSION, 0, 1, 0, 0, "fib", NULL, "unit.c"};
static tprof_func_record outer_rec = {TPROF_ABI_VERSION, 0, 2, 0, 0, "outer", NULL, "unit.c"};
static tprof_func_record inner_rec = {TPROF_ABI_VERSION, 0, 3, 0, 0, "inner", NULL, "unit.c"};
static tprof_func_record op_rec = {TPROF_ABI_VERSION, TPROF_FUNC_OPERATION, 4, 0, 0, "op_rotate_1", "rotate_1", "unit.c"};
static tprof_func_record bad_abi = {TPROF_ABI_VERSION + 7, 0, 5, 0, 0, "from_the_future", NULL, "unit.c"};
/* another layout: what sits where `name` was is not a valid pointer */
static tprof_func_record bad_layout = {TPROF_ABI_VERSION + 8, 0, 5, 0, 0, (const char *)16, NULL, "unit.c"};

static int fib(int n) {
  test_enter(&fib_rec);
  int r = n < 2 ? n : fib(n - 1) + fib(n - 2);
  test_exit(&fib_rec);
  return r;
}

static jmp_buf jump;
static void inner(int depth) {
  test_enter(&inner_rec);
  if (depth == 0)
    longjmp(jump, 1); /* leaves `depth + 1` frames without their exit hook */
  inner(depth - 1);
  test_exit(&inner_rec);
}
static void outer(void) {
  test_enter(&outer_rec);
  if (!setjmp(jump))
    inner(4);
  test_exit(&outer_rec); /* closes the inner frames the longjmp skipped */
  test_exit(&outer_rec);
}

/* A function's figures over every thread, as the export derives them (no
 * frame open), and its frames open on this thread's stack. */
typedef struct totals {
  uint64_t calls, primitive_calls, self_ticks, inclusive_ticks, max_call_ticks, active;
} totals;
static totals sum(uint32_t id) {
  func_totals f = func_totals_of(id);
  totals total = {f.calls, f.primitive_calls, f.self_ticks, f.inclusive_ticks, f.max_call_ticks, 0};
  tprof_thread *t = tprof_current_thread();
  for (uint32_t d = 0; t && d < t->depth; d++) total.active += t->stack[d].id == id;
  return total;
}

int main(void) {
  tprof_set_option("export_profiling_data", "0");
  tprof_set_option("verbosity", "0");

  CHECK(fib(20) == 6765);
  totals f = sum(fib_rec.id);
  CHECK(fib_rec.id != 0);
  CHECK_EQ_U64(f.calls, 21891);
  CHECK_EQ_U64(f.primitive_calls, 1);
  CHECK_EQ_U64(f.active, 0);
  /* recursion: inclusive counted once, so it is at least the self time and
   * not the sum over all frames (which would be far larger) */
  CHECK(f.inclusive_ticks >= f.self_ticks);
  CHECK(f.inclusive_ticks > 0);

  outer();
  totals o = sum(outer_rec.id), in = sum(inner_rec.id);
  CHECK_EQ_U64(o.calls, 1);
  CHECK_EQ_U64(in.calls, 5);
  CHECK_EQ_U64(in.primitive_calls, 1);
  CHECK_EQ_U64(in.active, 0);
  CHECK_EQ_U64(o.active, 0);
  CHECK(o.inclusive_ticks >= in.inclusive_ticks);
  CHECK_EQ_U64(tprof_current_thread()->depth, 0);

  /* an exit whose enter was never seen is ignored */
  test_exit(&outer_rec);
  CHECK_EQ_U64(tprof_current_thread()->depth, 0);

  /* operations keep their longest call */
  test_enter(&op_rec);
  test_exit(&op_rec);
  uint32_t op_id = op_rec.id;
  CHECK(sum(op_id).max_call_ticks > 0);

  /* cpu profiling off: ordinary functions are counted (inline) but not
   * timed, operations are still timed */
  tprof_set_option("cpu_profiling_enabled", "0");
  CHECK_EQ_U64(__tprof_hooks_on, TPROF_HOOKS_OPERATIONS);
  fib(5);
  test_enter(&op_rec);
  test_exit(&op_rec);
  CHECK_EQ_U64(sum(fib_rec.id).calls, 21891);
  CHECK_EQ_U64(tprof_function_calls(fib_rec.id), 21891 + 15);
  CHECK_EQ_U64(sum(op_rec.id).calls, 2);
  /* and with operation timing off too, no hook runs at all */
  tprof_set_option("operation_timing_enabled", "0");
  CHECK_EQ_U64(__tprof_hooks_on, 0);
  test_enter(&op_rec);
  test_exit(&op_rec);
  CHECK_EQ_U64(sum(op_rec.id).calls, 2);
  CHECK_EQ_U64(tprof_function_calls(op_rec.id), 3);
  tprof_set_option("operation_timing_enabled", "1");
  tprof_set_option("cpu_profiling_enabled", "1");
  CHECK_EQ_U64(__tprof_hooks_on, TPROF_HOOKS_ALL | TPROF_HOOKS_OPERATIONS);

  /* the pass's longjmp brackets: frames above the setjmp's depth close
   * where the jump lands, not at some later exit */
  {
    test_enter(&outer_rec);
    uint32_t d = __tprof_depth();
    if (!setjmp(jump))
      inner(3);
    __tprof_unwind(d);
    CHECK_EQ_U64(tprof_current_thread()->depth, d);
    CHECK_EQ_U64(sum(inner_rec.id).active, 0);
    test_exit(&outer_rec);
    CHECK_EQ_U64(tprof_current_thread()->depth, 0);
    CHECK_EQ_U64(sum(inner_rec.id).calls, 5 + 4);
    CHECK_EQ_U64(sum(inner_rec.id).primitive_calls, 2);
  }

  /* a record from another ABI version is refused, not miscounted */
  tprof_set_option("verbosity", "1"); /* one message per refused record, on stderr */
  for (int i = 0; i < 3; i++) {
    test_enter(&bad_abi);
    test_exit(&bad_abi);
    test_enter(&bad_layout);
    test_exit(&bad_layout);
  }
  tprof_set_option("verbosity", "0");
  CHECK(bad_abi.id == TPROF_REJECTED);
  CHECK(bad_layout.id == TPROF_REJECTED);
  CHECK_EQ_U64(tprof_current_thread()->depth, 0);

  /* deeper than the shadow stack (2^20 frames): every call is counted, the
   * deepest ones are not timed, and the stack unwinds back to empty */
  {
    static tprof_func_record deep_rec = {TPROF_ABI_VERSION, 0, 6, 0, 0, "deep", NULL, "unit.c"};
    enum { DEEP = 1100000 };
    for (int i = 0; i < DEEP; i++) test_enter(&deep_rec);
    CHECK_EQ_U64(tprof_current_thread()->depth, 1u << 20);
    for (int i = 0; i < DEEP; i++) test_exit(&deep_rec);
    totals d = sum(deep_rec.id);
    CHECK_EQ_U64(d.calls, 1u << 20); /* timed */
    CHECK_EQ_U64(tprof_function_calls(deep_rec.id), DEEP);
    CHECK_EQ_U64(d.primitive_calls, 1);
    CHECK_EQ_U64(d.active, 0);
    CHECK_EQ_U64(tprof_current_thread()->depth, 0);
    CHECK(d.inclusive_ticks > 0);
  }

  /* reset zeroes the figures; the snapshot sees it */
  tprof_snapshot snap;
  tprof_get_snapshot(&snap);
  CHECK_EQ_U64(snap.total_calls, 21891 + 15 + 2 + 5 + 4 + 3 + 1100000);
  tprof_reset();
  tprof_get_snapshot(&snap);
  CHECK_EQ_U64(snap.total_calls, 0);
  fib(3);
  CHECK_EQ_U64(sum(fib_rec.id).calls, 5);

  /* without an invariant TSC the clock is clock_gettime's (nanoseconds):
   * every frame takes the full entry and exit, and no exit mixes the two
   * clocks (a TSC reading minus a start in nanoseconds would be far more
   * than the time measured around the call) */
  {
    int tsc = tprof_clock_uses_tsc;
    tprof_clock_uses_tsc = 0;
    /* a thread's state takes the clock's choice when it is made (the
     * runtime chooses once, at start-up): this thread's, by hand */
    tprof_thread *self = tprof_current_thread();
    uint32_t limit = self->push_limit;
    self->push_limit = 0;
    totals before = sum(fib_rec.id);
    uint64_t t0 = tprof_now(); /* the same clock, in nanoseconds */
    CHECK(fib(10) == 55);
    uint64_t t1 = tprof_now();
    totals after = sum(fib_rec.id);
    tprof_clock_uses_tsc = tsc;
    self->push_limit = limit;
    CHECK_EQ_U64(after.calls - before.calls, 177);
    CHECK_EQ_U64(after.primitive_calls - before.primitive_calls, 1);
    CHECK(after.inclusive_ticks > before.inclusive_ticks);
    /* the outer call's time lies within what was measured around it */
    CHECK(after.inclusive_ticks - before.inclusive_ticks <= t1 - t0);
    CHECK_EQ_U64(tprof_current_thread()->depth, 0);
  }
  CHECK_DONE();
}
