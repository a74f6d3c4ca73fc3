/* A thread's figures per function and per edge as the export derives them
 * (thread_figures.c): cProfile's rules applied to a calling-context tree
 * filled by hand, with the figures of calls that had no node added; then
 * driven through the hooks across the point where the tree is full, where
 * a function and an edge that recur above it must not count twice. */
#include "../../runtime/calltree.h"
#include "check.h"
#include "hooks.h"

#include <pthread.h>
#include <string.h>

/* A thread that made its tprof state and waits, so that its state can be
 * filled by hand. */
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cv = PTHREAD_COND_INITIALIZER;
static int finished;
static tprof_thread *parked;

static void *park(void *arg) {
  (void)arg;
  tprof_thread *t = tprof_thread_self();
  pthread_mutex_lock(&mu);
  parked = t;
  pthread_cond_broadcast(&cv);
  while (!finished) pthread_cond_wait(&cv, &mu);
  pthread_mutex_unlock(&mu);
  return NULL;
}

static uint32_t add_node(tprof_thread *t, uint32_t parent, uint32_t func, uint64_t calls, uint64_t self, uint64_t incl) {
  uint32_t n = t->node_count;
  if (!t->node_chunks[n / TPROF_NODE_CHUNK])
    t->node_chunks[n / TPROF_NODE_CHUNK] = tprof_mem_alloc(TPROF_NODE_CHUNK * sizeof(tprof_node));
  *tprof_node_at(t, n + 1) =
      (tprof_node){.parent = parent, .func = func, .calls = calls, .self_ticks = self, .inclusive_ticks = incl};
  return t->node_count = n + 1;
}

static const tprof_call_edge *edge(const tprof_thread_figures *x, uint32_t caller, uint32_t callee) {
  for (size_t i = 0; i < x->nedges; i++)
    if (x->edges[i].caller == caller && x->edges[i].callee == callee) return &x->edges[i];
  return NULL;
}

static void check_edge(const tprof_thread_figures *x, uint32_t caller, uint32_t callee, uint64_t calls, uint64_t self,
                       uint64_t incl) {
  const tprof_call_edge *e = edge(x, caller, callee);
  CHECK(e != NULL);
  if (!e) return;
  CHECK_EQ_U64(e->calls, calls);
  CHECK_EQ_U64(e->self_ticks, self);
  CHECK_EQ_U64(e->inclusive_ticks, incl);
}

static void check_func(const tprof_func_figures *f, uint64_t calls, uint64_t primitive, uint64_t self, uint64_t incl) {
  CHECK_EQ_U64(f->calls, calls);
  CHECK_EQ_U64(f->primitive_calls, primitive);
  CHECK_EQ_U64(f->self_ticks, self);
  CHECK_EQ_U64(f->inclusive_ticks, incl);
}

/* functions 1 main, 2 A, 3 B: main -> A -> B -> A -> B, main -> B -> B */
static void hand_filled_tree(void) {
  pthread_t th;
  pthread_create(&th, NULL, park, NULL);
  pthread_mutex_lock(&mu);
  while (!parked) pthread_cond_wait(&cv, &mu);
  pthread_mutex_unlock(&mu);
  tprof_thread *t = parked;

  uint32_t n1 = add_node(t, 0, 1, 1, 10, 1000);
  uint32_t n2 = add_node(t, n1, 2, 2, 20, 500);
  uint32_t n3 = add_node(t, n2, 3, 3, 30, 400);
  uint32_t n4 = add_node(t, n3, 2, 4, 40, 300);
  add_node(t, n4, 3, 5, 50, 100);
  uint32_t n6 = add_node(t, n1, 3, 6, 60, 70);
  add_node(t, n6, 3, 7, 1, 2);
  /* calls of A that got no node, and their edge from B */
  t->chunks[0] = tprof_mem_alloc(TPROF_CHUNK * sizeof(tprof_fstat));
  t->chunks[0][2] =
      (tprof_fstat){.calls = 100, .primitive_calls = 1, .self_ticks = 5, .inclusive_ticks = 7, .max_call_ticks = 9};
  t->edge_chunks[0] = tprof_mem_alloc(TPROF_EDGE_CHUNK * sizeof(tprof_edge));
  t->edge_chunks[0][0] =
      (tprof_edge){.caller = 3, .callee = 2, .index = 1, .calls = 100, .self_ticks = 5, .inclusive_ticks = 7};
  t->edge_count = 1;

  tprof_thread_figures x;
  CHECK(tprof_thread_figures_get(t, 4, 0, 0, &x) == 0);
  check_func(&x.funcs[1], 1, 1, 10, 1000);
  /* A: the inner A (below an A) is neither primitive nor inclusive */
  check_func(&x.funcs[2], 2 + 4 + 100, 2 + 1, 20 + 40 + 5, 500 + 7);
  CHECK_EQ_U64(x.funcs[2].max_call_ticks, 9);
  /* B: primitive and inclusive where no B is above it: under A, and main's
   * direct child; not the one under A under B, nor B under B */
  check_func(&x.funcs[3], 3 + 5 + 6 + 7, 3 + 6, 30 + 50 + 60 + 1, 400 + 70);
  CHECK_EQ_U64(x.nedges, 6);
  check_edge(&x, 0, 1, 1, 10, 1000);
  check_edge(&x, 1, 2, 2, 20, 500);
  check_edge(&x, 2, 3, 3 + 5, 30 + 50, 400); /* the inner A -> B is inside the outer one */
  check_edge(&x, 3, 2, 4 + 100, 40 + 5, 300 + 7);
  check_edge(&x, 1, 3, 6, 60, 70);
  check_edge(&x, 3, 3, 7, 1, 2);
  tprof_thread_figures_free(&x);

  pthread_mutex_lock(&mu);
  finished = 1;
  pthread_cond_broadcast(&cv);
  pthread_mutex_unlock(&mu);
  pthread_join(th, NULL);
}

static tprof_func_record main_rec = {TPROF_ABI_VERSION, 0, 1, 0, 0, "main_like", NULL, "unit.c"};
static tprof_func_record a_rec = {TPROF_ABI_VERSION, 0, 2, 0, 0, "a", NULL, "unit.c"};
static tprof_func_record b_rec = {TPROF_ABI_VERSION, 0, 3, 0, 0, "b", NULL, "unit.c"};
static tprof_func_record fill_rec = {TPROF_ABI_VERSION, 0, 4, 0, 0, "fill", NULL, "unit.c"};

/* The lowest node of func below a node of parent_func on this thread. */
static const tprof_node *find_node(tprof_thread *t, uint32_t parent_func, uint32_t func) {
  for (uint32_t n = 1; n <= t->node_count; n++) {
    const tprof_node *node = tprof_node_at(t, n);
    if (node->func == func && node->parent && tprof_node_at(t, node->parent)->func == parent_func) return node;
  }
  return NULL;
}

static void spin(void) {
  uint64_t until = tprof_now() + 100000;
  while (tprof_now() < until) {
  }
}

/* main -> A -> fill x DEEP (the tree fills on the way) -> B -> A -> B -> A:
 * the last four calls have no node, and A (and the edge B -> A) recur. */
enum { DEEP = 70000 };
static void climb(void) {
  for (int i = 0; i < DEEP; i++) test_enter(&fill_rec);
  test_enter(&b_rec);
  test_enter(&a_rec);
  test_enter(&b_rec);
  test_enter(&a_rec);
  spin();
}
static void descend(void) {
  test_exit(&a_rec);
  test_exit(&b_rec);
  test_exit(&a_rec);
  test_exit(&b_rec);
  for (int i = 0; i < DEEP; i++) test_exit(&fill_rec);
}

static void across_a_full_tree(void) {
  test_enter(&main_rec);
  test_enter(&a_rec);
  climb();
  tprof_thread *t = tprof_current_thread();
  CHECK(t->stack[t->depth - 1].kind & TPROF_FRAME_BORROWED);
  uint32_t a = a_rec.id, b = b_rec.id, fill = fill_rec.id, m = main_rec.id, n = tprof_function_count();

  /* open frames, closed as if they returned now */
  uint64_t now = tprof_now();
  tprof_thread_figures x;
  CHECK(tprof_thread_figures_get(t, n, 1, now, &x) == 0);
  CHECK_EQ_U64(x.funcs[a].calls, 3);
  CHECK_EQ_U64(x.funcs[a].primitive_calls, 1);
  CHECK_EQ_U64(x.funcs[a].inclusive_ticks, now - t->stack[1].start); /* the outer A's alone */
  CHECK_EQ_U64(x.funcs[b].calls, 2);
  CHECK_EQ_U64(x.funcs[b].primitive_calls, 1);
  CHECK_EQ_U64(x.funcs[b].inclusive_ticks, now - t->stack[2 + DEEP].start);
  CHECK_EQ_U64(x.funcs[fill].calls, DEEP);
  CHECK_EQ_U64(x.funcs[fill].primitive_calls, 1);
  CHECK_EQ_U64(x.funcs[fill].inclusive_ticks, now - t->stack[2].start);
  check_edge(&x, b, a, 2, edge(&x, b, a) ? edge(&x, b, a)->self_ticks : 0, now - t->stack[3 + DEEP].start);
  CHECK_EQ_U64(edge(&x, fill, fill)->inclusive_ticks, now - t->stack[3].start);
  /* every self time is there once: they add up to main's inclusive time */
  uint64_t self = 0;
  for (uint32_t f = 1; f < n; f++) self += x.funcs[f].self_ticks;
  CHECK_EQ_U64(self, x.funcs[m].inclusive_ticks);
  tprof_thread_figures_free(&x);

  descend();
  test_exit(&a_rec);
  test_exit(&main_rec);
  CHECK_EQ_U64(t->depth, 0);
  CHECK(tprof_thread_figures_get(t, n, 0, 0, &x) == 0);
  const tprof_node *outer_a = find_node(t, m, a), *outer_fill = find_node(t, a, fill),
                   *fill_in_fill = find_node(t, fill, fill);
  CHECK(outer_a && outer_fill && fill_in_fill);
  CHECK_EQ_U64(x.funcs[a].calls, 3);
  CHECK_EQ_U64(x.funcs[a].primitive_calls, 1);
  CHECK_EQ_U64(x.funcs[a].inclusive_ticks, outer_a->inclusive_ticks);
  CHECK_EQ_U64(x.funcs[fill].calls, DEEP);
  CHECK_EQ_U64(x.funcs[fill].primitive_calls, 1);
  CHECK_EQ_U64(x.funcs[fill].inclusive_ticks, outer_fill->inclusive_ticks);
  CHECK_EQ_U64(edge(&x, fill, fill)->calls, DEEP - 1);
  CHECK_EQ_U64(edge(&x, fill, fill)->inclusive_ticks, fill_in_fill->inclusive_ticks);
  CHECK_EQ_U64(edge(&x, b, a)->calls, 2);
  CHECK(edge(&x, b, a)->inclusive_ticks < x.funcs[b].inclusive_ticks);
  self = 0;
  for (uint32_t f = 1; f < n; f++) self += x.funcs[f].self_ticks;
  CHECK_EQ_U64(self, x.funcs[m].inclusive_ticks);
  tprof_thread_figures_free(&x);
}

int main(void) {
  tprof_set_option("export_profiling_data", "0");
  tprof_thread_self(); /* this thread's own state: the parked thread's is kept for the next new thread */
  hand_filled_tree();
  across_a_full_tree();
  CHECK_DONE();
}
