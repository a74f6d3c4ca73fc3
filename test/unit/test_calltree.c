/* The export's call graph and call stacks (calltree.c), from thread states
 * filled by hand: the timed edges of two threads merged, the remainder edge
 * that makes every function's incoming calls add up to its calls, the depth
 * cap and the row cap of call_stacks, and the account of what they folded. */
#include "../../runtime/calltree.h"
#include "check.h"

#include <pthread.h>
#include <string.h>

/* A thread that made its tprof state and stays alive until the end (a
 * state may be reused once its thread is gone). */
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cv = PTHREAD_COND_INITIALIZER;
static int finished;

static void *live_thread(void *arg) {
  tprof_thread **out = arg;
  tprof_thread *t = tprof_thread_self();
  pthread_mutex_lock(&mu);
  *out = t;
  pthread_cond_broadcast(&cv);
  while (!finished) pthread_cond_wait(&cv, &mu);
  pthread_mutex_unlock(&mu);
  return NULL;
}

static tprof_thread *start_thread(pthread_t *th) {
  static tprof_thread *made[2];
  static int k;
  tprof_thread **slot = &made[k++];
  pthread_create(th, NULL, live_thread, slot);
  pthread_mutex_lock(&mu);
  while (!*slot) pthread_cond_wait(&cv, &mu);
  pthread_mutex_unlock(&mu);
  return *slot;
}

static uint32_t add_node(tprof_thread *t, uint32_t parent, uint32_t func, uint64_t calls, uint64_t self, uint64_t incl) {
  uint32_t n = t->node_count;
  if (!t->node_chunks[n / TPROF_NODE_CHUNK])
    t->node_chunks[n / TPROF_NODE_CHUNK] = tprof_mem_alloc(TPROF_NODE_CHUNK * sizeof(tprof_node));
  *tprof_node_at(t, n + 1) = (tprof_node){.parent = parent, .func = func, .calls = calls, .self_ticks = self,
                                          .inclusive_ticks = incl, .alloc_count = 1, .alloc_bytes = 8};
  return t->node_count = n + 1;
}

/* Every thread's call_stacks rows, as the export collects them (open
 * frames not counted). */
static tprof_stack_rows rows_of_threads(uint32_t nfuncs) {
  tprof_stack_rows all = {0};
  for (tprof_thread *t = tprof_threads_head(); t; t = t->next) {
    tprof_thread_figures fig;
    CHECK(tprof_thread_figures_get(t, nfuncs, 0, 0, &fig) == 0);
    CHECK(tprof_stack_rows_add(&all, &fig) == 0);
    tprof_thread_figures_free(&fig);
  }
  return all;
}

static const tprof_call_edge *find(const tprof_calltree *tr, uint32_t caller, uint32_t callee) {
  for (size_t i = 0; i < tr->nedges; i++)
    if (tr->edges[i].caller == caller && tr->edges[i].callee == callee) return &tr->edges[i];
  return NULL;
}

int main(void) {
  tprof_ensure_init();
  pthread_t th[2];
  tprof_thread *a = tprof_thread_self(), *b = start_thread(&th[0]);
  CHECK(a && b && a != b);

  /* functions 1 main, 2 walk (recursive, timed), 3 leaf (untimed), 4 deep */
  /* the timed edges of thread a, then b's (as tprof_thread_figures_get gives them) */
  const tprof_call_edge timed[] = {
      {0, 1, 1, 10, 1000}, {1, 2, 5, 50, 80}, {2, 2, 3, 30, 0}, {1, 2, 2, 20, 40}};
  uint64_t calls[5] = {0, 1, 10, 4, 0};

  /* thread a: main, then a chain of 300 calls of function 4; thread b: a
   * root with 60,000 children of function 2 (inclusive time i each) */
  uint32_t parent = add_node(a, 0, 1, 1, 5, 1000000000);
  uint64_t a_self = 5, b_self = 0;
  for (uint32_t d = 0; d < 300; d++) {
    parent = add_node(a, parent, 4, 1, 1, 900000000 - d);
    a_self += 1;
  }
  uint32_t root = add_node(b, 0, 1, 1, 7, 1000000000);
  b_self = 7;
  for (uint32_t i = 1; i <= 60000; i++) {
    add_node(b, root, 2, 1, 2, i);
    b_self += 2;
  }
  calls[4] = 300;

  tprof_calltree tr;
  /* a call-site counter: 4 calls of the untimed function 3 from function 1,
   * 6 more the counter did not see (through a pointer) */
  calls[3] = 10;
  tprof_callsite_count sites[] = {{1, 3, 42, 4}};
  tprof_stack_rows stacks = rows_of_threads(5);
  CHECK(tprof_calltree_gather(&tr, calls, 5, timed, 4, sites, 1, &stacks) == 0);
  CHECK(stacks.v == NULL); /* taken by the tree */

  /* the call graph: both threads' (1, 2) merged, nothing lost */
  CHECK(find(&tr, 1, 2) && find(&tr, 1, 2)->calls == 7 && find(&tr, 1, 2)->inclusive_ticks == 120);
  CHECK(find(&tr, 2, 2) && find(&tr, 2, 2)->calls == 3);
  CHECK(!find(&tr, 0, 2)); /* its edges already add up to its 10 calls */
  CHECK(find(&tr, 1, 3) && find(&tr, 1, 3)->calls == 4);
  CHECK(find(&tr, 0, 3) && find(&tr, 0, 3)->calls == 6); /* the remainder */
  CHECK(find(&tr, 0, 4) && find(&tr, 0, 4)->calls == 300);
  for (uint32_t f = 1; f < 5; f++) {
    uint64_t in = 0;
    for (size_t i = 0; i < tr.nedges; i++)
      if (tr.edges[i].callee == f) in += tr.edges[i].calls;
    CHECK_EQ_U64(in, calls[f]);
  }

  /* the call stacks: at most the row cap (plus the roots, always kept), no
   * row deeper than the depth cap, parents before children, and every
   * thread's self time and allocations still there */
  CHECK(tr.nrows <= TPROF_STACK_ROWS_MAX + 2);
  CHECK(tr.nrows >= TPROF_STACK_ROWS_MAX);
  CHECK_EQ_U64(tr.nodes, 301 + 60001);
  uint64_t self[3] = {0}, allocs[3] = {0}, maxdepth = 0;
  uint32_t *depth = tprof_mem_alloc_temp((tr.nrows + 1) * sizeof *depth);
  for (size_t i = 0; i < tr.nrows; i++) {
    const tprof_stack_row *r = &tr.rows[i];
    CHECK(r->parent <= i);
    depth[i + 1] = r->parent ? depth[r->parent] + 1 : 1;
    if (depth[i + 1] > maxdepth) maxdepth = depth[i + 1];
    uint32_t th_ix = r->thread == a->number ? 1 : 2;
    self[th_ix] += r->self_ticks;
    allocs[th_ix] += r->alloc_count;
  }
  CHECK_EQ_U64(maxdepth, TPROF_STACK_MAX_DEPTH);
  CHECK_EQ_U64(self[1], a_self);
  CHECK_EQ_U64(self[2], b_self);
  CHECK_EQ_U64(allocs[1] + allocs[2], 301 + 60001);
  /* what moved: 45 calls of function 4 below the depth cap, and the cheapest
   * of thread b's children (the cut keeps the most expensive paths) */
  CHECK_EQ_U64(tr.folded_calls[4], 45);
  CHECK_EQ_U64(tr.folded_self_ticks[4], 45);
  uint64_t kept_children = 0, smallest = UINT64_MAX;
  for (size_t i = 0; i < tr.nrows; i++)
    if (tr.rows[i].func == 2) {
      kept_children++;
      if (tr.rows[i].inclusive_ticks < smallest) smallest = tr.rows[i].inclusive_ticks;
    }
  CHECK_EQ_U64(tr.folded_calls[2], 60000 - kept_children);
  CHECK_EQ_U64(smallest, 60000 - kept_children + 1);
  tprof_mem_free(depth);
  tprof_calltree_free(&tr);

  /* a third thread whose 65,000 paths (the runtime keeps at most 65,536 a thread) all cost the same, more than thread
   * b's: the cut falls in the tie and still writes exactly the row cap, and
   * nothing is lost */
  tprof_thread *c = start_thread(&th[1]);
  CHECK(c != a && c != b);
  uint32_t croot = add_node(c, 0, 1, 1, 3, 1000000000);
  for (uint32_t i = 0; i < 65000; i++) add_node(c, croot, 3, 1, 1, 1000000);
  stacks = rows_of_threads(5);
  CHECK(tprof_calltree_gather(&tr, calls, 5, timed, 4, NULL, 0, &stacks) == 0);
  uint64_t c_self = 0, c_rows = 0;
  for (size_t i = 0; i < tr.nrows; i++)
    if (tr.rows[i].thread == c->number) {
      c_self += tr.rows[i].self_ticks;
      c_rows++;
    }
  CHECK_EQ_U64(c_self, 3 + 65000);
  CHECK_EQ_U64(tr.nrows, TPROF_STACK_ROWS_MAX);
  CHECK(c_rows > 1);
  CHECK_EQ_U64(tr.folded_calls[3], 65000 - (c_rows - 1));
  tprof_calltree_free(&tr);
  pthread_mutex_lock(&mu);
  finished = 1;
  pthread_cond_broadcast(&cv);
  pthread_mutex_unlock(&mu);
  pthread_join(th[0], NULL);
  pthread_join(th[1], NULL);
  CHECK_DONE();
}
