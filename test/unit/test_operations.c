/* Operations through the hooks the pass gives them (__tprof_func_enter_checked
 * and __tprof_func_exit_checked), at the light level and at the default one:
 * at the thread's root (code that is not timed calls several operations in
 * turn, two of them sharing an entry of the root's cache), from a timed
 * function, from another operation and recursively. Checks each one's
 * calls, primitive calls, longest call and times against what was measured
 * around the calls, and the timeline: one event a call, in order, the
 * calls past its cap counted as dropped. */
#include "../../runtime/calltree.h"
#include "check.h"
#include "func_totals.h"

#include <stdlib.h>

#define OPS 6
static tprof_func_record ops[OPS], collider, driver_rec, late, filler[TPROF_ROOT_CACHE];

/* What the pass emits for an operation, or a timed function with a loop:
 * the inline counter, the unconditional entry and its value for the exit. */
static uint64_t body_ticks; /* the body of the last call, measured inside it */
static void spin(uint64_t ticks) {
  uint64_t t0 = __rdtsc();
  while (__rdtsc() - t0 < ticks) {
  }
}
static void call(tprof_func_record *rec, uint64_t ticks, void (*inside)(void)) {
  __atomic_add_fetch(&rec->calls, 1, __ATOMIC_RELAXED);
  uint32_t entered = __tprof_func_enter_checked(rec);
  uint64_t t0 = __rdtsc();
  spin(ticks);
  if (inside) inside();
  body_ticks = __rdtsc() - t0;
  __tprof_func_exit_checked(rec, entered);
}

typedef func_totals totals;
static totals sum(uint32_t id) { return func_totals_of(id); }

/* The timeline's events, in slot order (the order calls ended). */
static size_t timeline(uint32_t *ids, size_t max, uint64_t *dropped) {
  const tprof_timeline_event *ev;
  uint32_t *idx;
  size_t n = tprof_timeline_snapshot(&ev, &idx, dropped);
  for (size_t i = 0; i < n; i++) {
    if (i < max) ids[i] = ev[idx[i]].id;
    CHECK(ev[idx[i]].start < ev[idx[i]].end);
    CHECK_EQ_U64(ev[idx[i]].thread, tprof_current_thread()->number);
  }
  tprof_mem_free(idx);
  return n;
}

/* three in turn: the third misses its parent's cache of two children */
static void nested_op(void) {
  call(&ops[1], 1000, NULL);
  call(&ops[3], 10, NULL);
  call(&ops[4], 10, NULL);
}
static int depth_left;
static void recurse(void) {
  if (depth_left-- > 0) call(&ops[2], 100, recurse);
}
static void drive(void) {
  for (int i = 0; i < OPS; i++) call(&ops[i], 100, NULL);
}

int main(void) {
  tprof_set_option("export_profiling_data", "0");
  tprof_set_option("verbosity", "0");
  static char names[OPS][16];
  for (int i = 0; i < OPS; i++) {
    snprintf(names[i], sizeof names[i], "op_t_%d", i);
    ops[i] = (tprof_func_record){TPROF_ABI_VERSION, TPROF_FUNC_OPERATION | TPROF_FUNC_TIMED, 10 + i, 0, 0, names[i],
                                 names[i] + 3, "unit.c"};
  }
  driver_rec = (tprof_func_record){TPROF_ABI_VERSION, TPROF_FUNC_TIMED, 5, 0, 0, "driver", NULL, "unit.c"};
  collider = (tprof_func_record){
      TPROF_ABI_VERSION, TPROF_FUNC_OPERATION | TPROF_FUNC_TIMED, 9, 0, 0, "op_collider", "collider", "unit.c"};
  /* ids are dense, in the order of registration: the collider's id is
   * ops[0]'s plus the root cache's size, so the two share its entry */
  for (int i = 0; i < OPS; i++) tprof_register_function(&ops[i]);
  for (uint32_t i = 0; i + OPS < TPROF_ROOT_CACHE; i++) {
    filler[i] = (tprof_func_record){TPROF_ABI_VERSION, TPROF_FUNC_TIMED, 1000 + i, 0, 0, "filler", NULL, "unit.c"};
    tprof_register_function(&filler[i]);
  }
  tprof_register_function(&collider);
  tprof_register_function(&driver_rec);
  CHECK_EQ_U64(collider.id - ops[0].id, TPROF_ROOT_CACHE);

  /* ---- the light level: operations at the root, in turn ---- */
  tprof_set_option("cpu_timing", "operations");
  tprof_set_option("timeline_max_events", "100000");
  CHECK_EQ_U64(__tprof_hooks_on, TPROF_HOOKS_OPERATIONS);
  enum { ROUNDS = 50 };
  static uint32_t expect[100000];
  size_t nexpect = 0;
  uint64_t longest_inside = 0;
  /* Per operation, a bound no call of it can exceed (its calls as seen
   * from outside, and the driver's whole calls), however the machine's
   * load stretched them: each operation's longest call is its own. */
  uint64_t bound[OPS] = {0};
  for (int r = 0; r < ROUNDS; r++) {
    for (int i = 0; i < OPS; i++) {
      uint64_t ticks = r == 17 && i == 3 ? 200000 : 100; /* one long call of ops[3] */
      uint64_t t0 = __rdtsc();
      call(&ops[i], ticks, NULL);
      uint64_t outside = __rdtsc() - t0;
      if (outside > bound[i]) bound[i] = outside;
      if (i == 3 && body_ticks > longest_inside) longest_inside = body_ticks;
      expect[nexpect++] = ops[i].id;
      call(&collider, 10, NULL); /* evicts ops[0] from the root's cache, and back */
      expect[nexpect++] = collider.id;
    }
    uint64_t t0 = __rdtsc();
    call(&driver_rec, 10, drive); /* not timed at this level: its operations are at the root */
    uint64_t whole = __rdtsc() - t0;
    for (int i = 0; i < OPS; i++)
      if (whole > bound[i]) bound[i] = whole;
    for (int i = 0; i < OPS; i++) expect[nexpect++] = ops[i].id;
  }
  CHECK_EQ_U64(tprof_current_thread()->depth, 0);
  for (int i = 0; i < OPS; i++) {
    totals o = sum(ops[i].id);
    CHECK_EQ_U64(o.calls, 2 * ROUNDS);
    CHECK_EQ_U64(o.primitive_calls, 2 * ROUNDS);
    CHECK(o.max_call_ticks > 0);
    CHECK(o.max_call_ticks <= o.inclusive_ticks);
    CHECK_EQ_U64(o.self_ticks, o.inclusive_ticks); /* nothing timed below them */
  }
  CHECK_EQ_U64(sum(collider.id).calls, OPS * ROUNDS);
  CHECK_EQ_U64(sum(driver_rec.id).calls, 0); /* counted inline only */
  totals three = sum(ops[3].id);
  CHECK(three.max_call_ticks >= longest_inside);
  for (int i = 0; i < OPS; i++)
    CHECK(sum(ops[i].id).max_call_ticks <= bound[i]);
  {
    static uint32_t got[100000];
    uint64_t dropped;
    size_t n = timeline(got, 100000, &dropped);
    CHECK_EQ_U64(n, nexpect);
    CHECK_EQ_U64(dropped, 0);
    for (size_t i = 0; i < n && i < nexpect; i++)
      if (got[i] != expect[i]) {
        CHECK_EQ_U64(got[i], expect[i]);
        break;
      }
  }

  /* an operation inside another (found through the callee's cache after
   * the collider took its entry, then through the entry it took back: the
   * frame must name its own node), and recursion, at the light level */
  tprof_reset();
  call(&collider, 10, NULL);
  call(&ops[0], 100, nested_op);
  call(&ops[0], 100, nested_op);
  depth_left = 4;
  recurse();
  CHECK_EQ_U64(sum(ops[0].id).calls, 2);
  CHECK_EQ_U64(sum(ops[1].id).calls, 2);
  CHECK(sum(ops[0].id).inclusive_ticks >= sum(ops[1].id).inclusive_ticks);
  CHECK(sum(ops[0].id).self_ticks <= sum(ops[0].id).inclusive_ticks - sum(ops[1].id).inclusive_ticks);
  CHECK_EQ_U64(sum(ops[2].id).calls, 4);
  CHECK_EQ_U64(sum(ops[2].id).primitive_calls, 1);
  {
    uint32_t got[16];
    uint64_t dropped;
    CHECK_EQ_U64(timeline(got, 16, &dropped), 13);
    /* in the order they ended: the inner calls first */
    CHECK_EQ_U64(got[0], collider.id);
    for (int i = 1; i < 9; i += 4) {
      CHECK_EQ_U64(got[i], ops[1].id);
      CHECK_EQ_U64(got[i + 1], ops[3].id);
      CHECK_EQ_U64(got[i + 2], ops[4].id);
      CHECK_EQ_U64(got[i + 3], ops[0].id);
    }
    for (int i = 9; i < 13; i++) CHECK_EQ_U64(got[i], ops[2].id);
    /* ops[1] has two paths: at the root, and below ops[0] at the root */
    tprof_thread *t = tprof_current_thread();
    int at_root = 0, below_op0 = 0, elsewhere = 0;
    for (uint32_t n = 1; n <= t->node_count; n++) {
      const tprof_node *node = tprof_node_at(t, n);
      if (node->func != ops[1].id) continue;
      const tprof_node *up = node->parent ? tprof_node_at(t, node->parent) : NULL;
      if (!up)
        at_root++;
      else if (up->func == ops[0].id && up->parent == 0)
        below_op0++;
      else
        elsewhere++;
    }
    CHECK_EQ_U64(at_root, 1);
    CHECK_EQ_U64(below_op0, 1);
    CHECK_EQ_U64(elsewhere, 0);
  }

  /* an operation whose record is not registered yet, at the root: its id
   * is 0, which no entry of the root's cache may match */
  late = (tprof_func_record){TPROF_ABI_VERSION, TPROF_FUNC_OPERATION | TPROF_FUNC_TIMED, 8, 0, 0, "op_late", "late",
                             "unit.c"};
  CHECK_EQ_U64(late.id, 0);
  for (int i = 0; i < 3; i++) call(&late, 10, NULL);
  CHECK(late.id != 0 && late.id != TPROF_REJECTED);
  CHECK_EQ_U64(sum(late.id).calls, 3);
  CHECK_EQ_U64(tprof_current_thread()->depth, 0);

  /* ---- the default level: operations called from a timed function ---- */
  tprof_set_option("cpu_timing", "all");
  tprof_reset();
  for (int r = 0; r < ROUNDS; r++) call(&driver_rec, 10, drive);
  CHECK_EQ_U64(sum(driver_rec.id).calls, ROUNDS);
  for (int i = 0; i < OPS; i++) {
    totals o = sum(ops[i].id);
    CHECK_EQ_U64(o.calls, ROUNDS);
    CHECK(o.max_call_ticks > 0 && o.max_call_ticks <= o.inclusive_ticks);
  }
  totals d = sum(driver_rec.id);
  uint64_t below = 0;
  for (int i = 0; i < OPS; i++) below += sum(ops[i].id).inclusive_ticks;
  CHECK_EQ_U64(d.self_ticks + below, d.inclusive_ticks); /* the operations' time is the driver's children's */
  {
    static uint32_t got[1000];
    uint64_t dropped;
    CHECK_EQ_U64(timeline(got, 1000, &dropped), OPS * ROUNDS); /* operations only */
    CHECK_EQ_U64(got[0], ops[0].id);
    CHECK_EQ_U64(got[OPS - 1], ops[OPS - 1].id);
  }

  /* ---- past the timeline's cap: counted as dropped ---- */
  tprof_set_option("cpu_timing", "operations");
  tprof_set_option("timeline_max_events", "10");
  tprof_reset();
  for (int i = 0; i < 25; i++) call(&ops[i % OPS], 10, NULL);
  {
    uint32_t got[32];
    uint64_t dropped;
    CHECK_EQ_U64(timeline(got, 32, &dropped), 10);
    CHECK_EQ_U64(dropped, 15);
    CHECK_EQ_U64(sum(ops[5].id).calls, 4);
  }
  /* a timeline of 0: nothing recorded, nothing counted */
  tprof_set_option("timeline_max_events", "0");
  tprof_reset();
  for (int i = 0; i < 5; i++) call(&ops[i], 10, NULL);
  {
    uint32_t got[8];
    uint64_t dropped;
    CHECK_EQ_U64(timeline(got, 8, &dropped), 0);
    CHECK_EQ_U64(dropped, 0);
  }
  CHECK_EQ_U64(tprof_current_thread()->depth, 0);
  CHECK_DONE();
}
