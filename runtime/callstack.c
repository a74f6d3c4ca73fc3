/* Per-thread shadow stacks and per-function stats: the enter/exit hooks.
 *
 * Hot path rules: no lock, no system call, no allocation once a thread has
 * seen a function (the first call of a function on a thread allocates its
 * stats chunk; the first call of a function anywhere registers it).
 * Semantics are cProfile's: self time excludes callees, inclusive time is
 * added only when the outermost active frame of a function returns, and a
 * call is primitive when the function was not already active. */
#include "internal.h"

#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

/* Frames per thread (2^20, over a million); deeper calls are counted, not
 * timed. Reserved with MAP_NORESERVE: only the pages a call depth touches
 * cost memory. */
#define MAX_DEPTH (1u << 20)

__thread tprof_thread *tprof_tls_current __attribute__((tls_model("initial-exec")));
#define current tprof_tls_current
static pthread_mutex_t threads_mutex = PTHREAD_MUTEX_INITIALIZER;
static tprof_thread *threads;
static uint32_t thread_count;
static pthread_key_t exit_key;
static pthread_once_t exit_key_once = PTHREAD_ONCE_INIT;

/* The stack goes when its thread does; the stats stay for the export. */
static void release_stack(void *arg) {
  tprof_thread *t = arg;
  if (t->stack) {
    munmap(t->stack, (size_t)MAX_DEPTH * sizeof(tprof_frame));
    t->stack = NULL;
    t->depth = 0;
  }
}
static void make_exit_key(void) { pthread_key_create(&exit_key, release_stack); }

static tprof_thread *thread_init(void) {
  tprof_ensure_init();
  sigset_t mask;
  tprof_signals_block(&mask);
  tprof_thread *t = current; /* a handler that ran since the miss may have made it */
  if (t || !(t = tprof_mem_alloc(sizeof *t))) {
    tprof_signals_restore(&mask);
    return t;
  }
  /* Reserved, not committed: pages are touched only as deep as calls go.
   * Without it (strict overcommit, address space limits) the thread keeps
   * its state: its calls are counted, not timed, and no hook retries. */
  void *stack = mmap(NULL, (size_t)MAX_DEPTH * sizeof(tprof_frame), PROT_READ | PROT_WRITE,
                     MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  static int warned_stack;
  if (stack == MAP_FAILED && !__atomic_exchange_n(&warned_stack, 1, __ATOMIC_RELAXED))
    tprof_warn("cannot reserve a shadow stack of %zu MiB for a thread; its calls are counted but not timed",
               (size_t)MAX_DEPTH * sizeof(tprof_frame) >> 20);
  t->stack = stack == MAP_FAILED ? NULL : stack;
  pthread_mutex_lock(&threads_mutex);
  t->number = ++thread_count;
  t->next = threads;
  threads = t;
  pthread_mutex_unlock(&threads_mutex);
  pthread_once(&exit_key_once, make_exit_key);
  pthread_setspecific(exit_key, t);
  current = t;
  tprof_signals_restore(&mask);
  return t;
}

/* Signals blocked, and checked again: a handler that ran since the miss
 * may have made the chunk (it must not be replaced with an empty one). */
static tprof_fstat *new_chunk(tprof_thread *t, uint32_t c) {
  sigset_t mask;
  tprof_signals_block(&mask);
  tprof_fstat *chunk = t->chunks[c];
  if (!chunk && (chunk = tprof_mem_alloc(TPROF_CHUNK * sizeof *chunk)) != NULL)
    __atomic_store_n(&t->chunks[c], chunk, __ATOMIC_RELEASE);
  tprof_signals_restore(&mask);
  return chunk;
}

static inline tprof_fstat *stat_of(tprof_thread *t, uint32_t id) {
  tprof_fstat *chunk = t->chunks[id >> TPROF_CHUNK_BITS];
  if (TPROF_UNLIKELY(!chunk) && !(chunk = new_chunk(t, id >> TPROF_CHUNK_BITS)))
    return NULL;
  return &chunk[id & (TPROF_CHUNK - 1)];
}

/* A signal handler may run instrumented code at any point: a frame is read
 * before it is popped, and written before it is pushed, so the handler's own
 * frames never land on one still in use. */
/* ---- calling-context tree (first sight of a path: off the common path) ---- */
static inline uint32_t node_hash(uint32_t parent, uint32_t func, uint32_t cap) {
  return (uint32_t)((((uint64_t)parent << 32 | func) * 0x9E3779B97F4A7C15ull) >> 40) & (cap - 1);
}

/* The index is read without a lock by the code a signal handler may have
 * interrupted: the handler's growth publishes the new array before its
 * capacity (a reader holding the old capacity stays inside either array)
 * and never unmaps the old one (it may still be being read; it is at most
 * as large as all its successors together). */
static int node_index_grow(tprof_thread *t) {
  uint32_t cap = t->node_index_cap ? t->node_index_cap * 2 : 1024;
  uint32_t *index = tprof_mem_alloc(cap * sizeof *index);
  if (!index)
    return -1;
  for (uint32_t n = 1; n <= t->node_count; n++) {
    tprof_node *node = tprof_node_at(t, n);
    uint32_t i = node_hash(node->parent, node->func, cap);
    while (index[i]) i = (i + 1) & (cap - 1);
    index[i] = n;
  }
  __atomic_store_n(&t->node_index, index, __ATOMIC_RELAXED);
  __atomic_signal_fence(__ATOMIC_SEQ_CST);
  __atomic_store_n(&t->node_index_cap, cap, __ATOMIC_RELAXED);
  return 0;
}

/* Read only: the node's 1-based index, 0 when it is not there. */
static uint32_t node_find(tprof_thread *t, uint32_t parent, uint32_t func) {
  uint32_t cap = __atomic_load_n(&t->node_index_cap, __ATOMIC_RELAXED);
  __atomic_signal_fence(__ATOMIC_SEQ_CST);
  const uint32_t *index = __atomic_load_n(&t->node_index, __ATOMIC_RELAXED);
  if (!cap)
    return 0;
  /* at most cap probes: with a stale (smaller) cap on a newer array, the
   * slots probed need not contain an empty one */
  for (uint32_t i = node_hash(parent, func, cap), n, probes = 0; probes < cap && (n = index[i]) != 0;
       i = (i + 1) & (cap - 1), probes++) {
    const tprof_node *node = tprof_node_at(t, n);
    if (node->parent == parent && node->func == func)
      return n;
  }
  return 0;
}

/* A new node: signals blocked, and looked up again (a handler that ran
 * between the miss and here may have added it). Parents are always made
 * before their children, so a node's index is above its parent's. */
static uint32_t node_add(tprof_thread *t, uint32_t parent, uint32_t func) {
  sigset_t mask;
  tprof_signals_block(&mask);
  uint32_t n = node_find(t, parent, func);
  if (n)
    goto out;
  if ((t->node_count + 1) * 2 > t->node_index_cap && node_index_grow(t) != 0)
    goto out;
  uint32_t next = t->node_count + 1, c = (next - 1) / TPROF_NODE_CHUNK;
  if (c >= TPROF_NODE_MAX_CHUNKS)
    goto out;
  if (!t->node_chunks[c]) {
    tprof_node *chunk = tprof_mem_alloc(TPROF_NODE_CHUNK * sizeof *chunk);
    if (!chunk)
      goto out;
    __atomic_store_n(&t->node_chunks[c], chunk, __ATOMIC_RELEASE);
  }
  tprof_node *node = tprof_node_at(t, next);
  node->parent = parent;
  node->func = func;
  __atomic_store_n(&t->node_count, next, __ATOMIC_RELEASE);
  uint32_t i = node_hash(parent, func, t->node_index_cap);
  while (t->node_index[i]) i = (i + 1) & (t->node_index_cap - 1);
  __atomic_signal_fence(__ATOMIC_SEQ_CST); /* the node is complete before the index shows it */
  t->node_index[i] = next;
  n = next;
out:
  tprof_signals_restore(&mask);
  return n;
}

/* The node of a call of `id` from the frame on top of the stack. Two
 * caches, each one word (so a signal handler never sees half an update):
 * the callee remembers its last parent (a function called in a loop from
 * one place), the parent remembers its last child (recursion, where the
 * callee's parent changes every call). */
static inline uint32_t node_of(tprof_thread *t, tprof_fstat *s, uint32_t id) {
  uint32_t parent = t->depth ? t->stack[t->depth - 1].node : 0;
  uint64_t last = __atomic_load_n(&s->last_node, __ATOMIC_RELAXED);
  if (TPROF_LIKELY((uint32_t)last != 0 && (uint32_t)(last >> 32) == parent))
    return (uint32_t)last;
  if (TPROF_UNLIKELY(parent & TPROF_NODE_BORROWED)) /* below a call with no node: borrow too */
    return parent;
  uint32_t n = 0;
  if (parent) {
    uint64_t child = __atomic_load_n(&tprof_node_at(t, parent)->last_child, __ATOMIC_RELAXED);
    if ((uint32_t)(child >> 32) == id)
      n = (uint32_t)child;
  }
  if (!n && !(n = node_find(t, parent, id)) && t->node_count < TPROF_NODE_CHUNK * TPROF_NODE_MAX_CHUNKS)
    n = node_add(t, parent, id);
  if (TPROF_UNLIKELY(!n)) /* full: no slow path per call, the ancestor takes it */
    return parent | TPROF_NODE_BORROWED;
  if (parent)
    __atomic_store_n(&tprof_node_at(t, parent)->last_child, (uint64_t)id << 32 | n, __ATOMIC_RELAXED);
  __atomic_store_n(&s->last_node, (uint64_t)parent << 32 | n, __ATOMIC_RELAXED);
  return n;
}

static inline __attribute__((always_inline)) void close_frame(tprof_thread *t, uint64_t now) {
  tprof_frame f = t->stack[t->depth - 1];
  __atomic_signal_fence(__ATOMIC_SEQ_CST);
  t->depth--;
  uint64_t elapsed = now - f.start, self = elapsed - f.child_ticks;
  tprof_fstat *s = f.stat;
  s->self_ticks += self;
  if (--s->active == 0)
    s->inclusive_ticks += elapsed;
  if (TPROF_LIKELY(!(f.node & TPROF_NODE_BORROWED))) {
    if (TPROF_LIKELY(f.node != 0)) {
      tprof_node *node = tprof_node_at(t, f.node);
      node->calls++; /* here rather than at entry: one node lookup per call (the export adds open frames) */
      node->self_ticks += self;
      node->inclusive_ticks += elapsed;
    }
  } else if (f.node != TPROF_NODE_BORROWED) {
    tprof_node_at(t, f.node & ~TPROF_NODE_BORROWED)->self_ticks += self;
  }
  if (TPROF_UNLIKELY(f.is_op)) { /* an operation, a region, or any call when the timeline takes every function */
    if ((f.is_op & (TPROF_FUNC_OPERATION | TPROF_FLAG_REGION)) && elapsed > s->max_call_ticks)
      s->max_call_ticks = elapsed;
    tprof_timeline_record(f.id, t->number, f.start, now);
  }
  if (t->depth)
    t->stack[t->depth - 1].child_ticks += elapsed;
}

TPROF_EXPORT void __tprof_func_enter(tprof_func_record *rec) {
  uint32_t id = __atomic_load_n(&rec->id, __ATOMIC_RELAXED);
  if (TPROF_UNLIKELY(id - 1 >= TPROF_MAX_IDS - 1)) {
    if (id == TPROF_REJECTED) /* refused once (ABI version, table full): no lock per call */
      return;
    id = tprof_register_function(rec);
    if (id == TPROF_REJECTED)
      return;
  }
  uint32_t is_op = rec->flags & (TPROF_FUNC_OPERATION | TPROF_FLAG_REGION);
  uint32_t mode = tprof_hot_mode;
  if (TPROF_UNLIKELY(!(mode & TPROF_MODE_TIME_ALL)) && !is_op) {
    if (mode & TPROF_MODE_COUNT_ALL) { /* light level: the exact count, no frame */
      tprof_thread *t = current;
      tprof_fstat *s;
      if ((t || (t = thread_init())) && (s = stat_of(t, id)))
        s->calls++, s->primitive_calls++;
    }
    return;
  }
  tprof_thread *t = current;
  if (TPROF_UNLIKELY(!t) && !(t = thread_init()))
    return;
  tprof_fstat *s = stat_of(t, id);
  if (TPROF_UNLIKELY(!s || !t->stack || t->depth >= MAX_DEPTH)) {
    if (s) s->calls++;
    t->overflow++;
    return;
  }
  s->calls++;
  if (s->active++ == 0)
    s->primitive_calls++;
  uint32_t n = node_of(t, s, id);
  tprof_frame *f = &t->stack[t->depth];
  f->rec = rec;
  f->stat = s;
  f->id = id;
  f->is_op = is_op | (mode & TPROF_MODE_TIMELINE_ALL);
  f->node = n;
  f->child_ticks = 0;
  f->start = tprof_now();
  __atomic_signal_fence(__ATOMIC_SEQ_CST);
  t->depth++;
}

TPROF_EXPORT void __tprof_func_exit(tprof_func_record *rec) {
  /* A call its enter did not time (CPU profiling off, or the light level)
   * leaves here before the clock is read. */
  if (TPROF_UNLIKELY(!(tprof_hot_mode & TPROF_MODE_TIME_ALL)) &&
      !(rec->flags & (TPROF_FUNC_OPERATION | TPROF_FLAG_REGION)))
    return;
  uint64_t now = tprof_now();
  tprof_thread *t = current;
  if (TPROF_UNLIKELY(!t))
    return;
  if (TPROF_UNLIKELY(t->overflow)) { /* the matching enter was not timed */
    t->overflow--;
    return;
  }
  if (TPROF_UNLIKELY(!t->depth))
    return;
  if (TPROF_LIKELY(t->stack[t->depth - 1].rec == rec)) {
    close_frame(t, now);
    return;
  }
  /* Frames above ours were left without their exit (longjmp, or a callee
   * that was not instrumented exited through us): close them now. If we are
   * not on the stack at all (enter was skipped), ignore this exit. */
  uint32_t d = t->depth;
  while (d && t->stack[d - 1].rec != rec)
    d--;
  if (!d)
    return;
  while (t->depth >= d)
    close_frame(t, now);
}

tprof_thread *tprof_threads_head(void) {
  pthread_mutex_lock(&threads_mutex);
  tprof_thread *t = threads;
  pthread_mutex_unlock(&threads_mutex);
  return t;
}

uint32_t tprof_threads_seen(void) { return thread_count; }
tprof_thread *tprof_thread_self(void) {
  tprof_thread *t = current;
  return TPROF_LIKELY(t != NULL) ? t : thread_init();
}

/* Zero every figure; frames still open restart at `now` so their time after
 * the reset is counted. `active` stays: it mirrors the open frames. */
void tprof_callstack_reset(uint64_t now) {
  for (tprof_thread *t = tprof_threads_head(); t; t = t->next) {
    for (uint32_t c = 0; c < TPROF_MAX_CHUNKS; c++) {
      tprof_fstat *chunk = t->chunks[c];
      if (!chunk)
        continue;
      for (uint32_t i = 0; i < TPROF_CHUNK; i++) {
        uint32_t active = chunk[i].active;
        uint64_t last_node = chunk[i].last_node;
        memset(&chunk[i], 0, sizeof chunk[i]);
        chunk[i].active = active;
        chunk[i].last_node = last_node;
      }
    }
    for (uint32_t n = 1; n <= t->node_count; n++) {
      tprof_node *node = tprof_node_at(t, n); /* the tree and its caches stay */
      node->calls = node->self_ticks = node->inclusive_ticks = node->alloc_count = node->alloc_bytes = 0;
    }
    if (t == current)
      for (uint32_t d = 0; d < t->depth; d++) {
        t->stack[d].start = now;
        t->stack[d].child_ticks = 0;
      }
  }
}

TPROF_EXPORT void tprof_region_begin(const char *name) {
  if (!name || !*name) {
    tprof_warn("tprof_region_begin: the region needs a non-empty name");
    return;
  }
  tprof_func_record *rec = tprof_region_record(name);
  if (rec)
    __tprof_func_enter(rec);
}

TPROF_EXPORT void tprof_region_end(void) {
  /* The frame says whether it is a region: no lock, so a signal handler
   * interrupting this never waits for one. */
  tprof_thread *t = current;
  for (uint32_t d = t ? t->depth : 0; d; d--)
    if (t->stack[d - 1].is_op & TPROF_FLAG_REGION) {
      __tprof_func_exit(t->stack[d - 1].rec);
      return;
    }
  tprof_warn("tprof_region_end without a matching tprof_region_begin; ignored");
}
