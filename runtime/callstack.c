/* Per-thread shadow stacks, per-function stats and call-graph edges: the
 * entry/exit hooks of timed functions.
 *
 * Calls are counted by the inline counters the pass emits (registry.c adds
 * them up); the hooks run only in timed functions, and only while the guard
 * byte __tprof_hooks_on lets them. Semantics are cProfile's: self time
 * excludes callees, inclusive time is added only when the outermost active
 * frame of a function (or of an edge) returns, and a call is primitive when
 * the function was not already active.
 *
 * Hot path rules: no lock, no system call, no allocation once a thread has
 * seen a function, an edge and a path (first sights allocate from the
 * runtime's arena, rarely).
 *
 * Re-entry. Instrumented code may run in a signal handler on the very thread
 * it interrupted, even in the middle of a hook. Each hook holds the
 * thread's "inside the runtime" byte (tprof_tls_busy) while it works; a hook
 * that finds it set was called by a handler that interrupted the runtime,
 * and does nothing (the calls are still counted by the inline counters), so
 * the interrupted frame, table or lock is never touched halfway. No signal
 * mask system call is needed on any slow path. A handler that leaves by
 * siglongjmp abandons the interrupted hook: __tprof_unwind, where the jump
 * lands, clears the byte and repairs what the hook had half done. */
#include "internal.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

/* Frames per thread (2^20, over a million); deeper calls are counted, not
 * timed. Reserved with MAP_NORESERVE: only the pages a call depth touches
 * cost memory. */
#define MAX_DEPTH (1u << 20)
/* __tprof_depth()'s answer inside a handler that interrupted a hook */
#define DEPTH_IN_HANDLER UINT32_MAX

TPROF_EXPORT uint8_t __tprof_hooks_on; /* 0 until tprof_config_apply runs at start-up */
__thread tprof_tls_block tprof_tls __attribute__((tls_model("initial-exec")));
#define current tprof_tls_current
static pthread_mutex_t threads_mutex = PTHREAD_MUTEX_INITIALIZER;
/* Signals blocked while it is held (once per thread's start and end): a
 * handler of this thread that forks would otherwise wait for ever in the
 * fork's prepare step (fork.c), which takes it. */
static void threads_lock(sigset_t *mask) {
  tprof_signals_block(mask);
  pthread_mutex_lock(&threads_mutex);
}
static void threads_unlock(const sigset_t *mask) {
  pthread_mutex_unlock(&threads_mutex);
  tprof_signals_restore(mask);
}
/* fork (fork.c): the list of thread states is not copied half linked; the
 * child's mutex is made anew. */
void tprof_threads_fork_prepare(void) { pthread_mutex_lock(&threads_mutex); }
void tprof_threads_fork_parent(void) { pthread_mutex_unlock(&threads_mutex); }
void tprof_threads_fork_child(void) { threads_mutex = (pthread_mutex_t)PTHREAD_MUTEX_INITIALIZER; }
static tprof_thread *threads;     /* every state ever made (never removed: the export walks it) */
static tprof_thread *free_states; /* states of exited threads, for the next new thread */
static uint32_t thread_count, slot_count;
static pthread_key_t exit_key;
static pthread_once_t exit_key_once = PTHREAD_ONCE_INIT;

static void close_all_frames(tprof_thread *t);

/* What a hook runs as it leaves when a signal handler put work off while
 * the hook was inside the runtime: set by the control layer (signals.c), so
 * that this recording layer does not call up into it. */
static void (*deferred_work)(void);

void tprof_set_deferred_work(void (*fn)(void)) { __atomic_store_n(&deferred_work, fn, __ATOMIC_RELEASE); }

static __attribute__((noinline, cold)) uint32_t run_deferred_work(void) {
  void (*fn)(void) = __atomic_load_n(&deferred_work, __ATOMIC_ACQUIRE);
  if (fn)
    fn(); /* it leaves the runtime (tprof_tls_busy = 0) before doing the work */
  else
    tprof_tls_busy = 0;
  return 1;
}

/* Leaves the runtime. A signal that the runtime's own handler had to put
 * off while the byte was set (tprof_tls_busy > 1) is handled here, now
 * that nothing is half done. The decrement is one instruction, so a signal
 * cannot fall between its read and its write. Returns 1, so that an entry
 * (which returns 1) tail-calls the deferred work. */
static inline __attribute__((always_inline)) uint32_t leave_runtime(void) {
  unsigned char still;
  __asm__ volatile("decb %0" : "+m"(tprof_tls_busy), "=@ccnz"(still));
  if (TPROF_UNLIKELY(still)) return run_deferred_work();
  return 1;
}

/* At thread exit. Runs in the next-to-last round of the thread-specific-data
 * destructors (it puts itself back until then), so that the program's own
 * destructors (C11 tss_create, pthread keys), which are instrumented code
 * too, still find the thread's state. Open frames (thrd_exit, pthread_exit)
 * are closed now, with their time; the state then waits for the next new
 * thread, figures and all: tprof's memory grows with the threads alive at
 * once, not with the threads ever made. */
static void thread_exit(void *arg) {
  tprof_thread *t = arg;
  /* One round short of the last: ThreadSanitizer finalises the thread in
   * the last one, and a hook there crashes it. */
  if (++t->exit_rounds < PTHREAD_DESTRUCTOR_ITERATIONS - 1) {
    pthread_setspecific(exit_key, t);
    return;
  }
  tprof_tls_busy = 1;
  close_all_frames(t);
  current = NULL;
  sigset_t mask;
  threads_lock(&mask);
  t->free_next = free_states;
  free_states = t;
  threads_unlock(&mask);
  leave_runtime();
}
static int exit_key_made;
static void make_exit_key(void) { exit_key_made = pthread_key_create(&exit_key, thread_exit) == 0; }

/* The runtime's code is about to go (dlclose of a library linked with its
 * own copy) or the process is ending: glibc would otherwise call
 * thread_exit, unmapped by then, as each thread that ran the library's
 * code exits (a SIGSEGV at every such thread's end). Those threads' frames
 * are not closed any more, as after the export at exit. */
void tprof_threads_unload(void) {
  if (__atomic_exchange_n(&exit_key_made, 0, __ATOMIC_ACQ_REL)) pthread_key_delete(exit_key);
}

/* The caller holds tprof_tls_busy. The program's errno is left as it was
 * (mmap, the lock and start-up may set it). */
static tprof_thread *thread_init_inner(void);
static tprof_thread *thread_init(void) {
  int saved_errno = errno;
  tprof_thread *t = thread_init_inner();
  errno = saved_errno;
  return t;
}
static tprof_thread *thread_init_inner(void) {
  tprof_ensure_init();
  tprof_thread *t;
  sigset_t mask;
  threads_lock(&mask);
  __atomic_add_fetch(&thread_count, 1, __ATOMIC_RELAXED);
  if ((t = free_states) != NULL) free_states = t->free_next;
  threads_unlock(&mask);
  if (!t) {
    if (!(t = tprof_mem_alloc(sizeof *t))) return NULL;
    /* Reserved, not committed: pages are touched only as deep as calls go.
     * Without it (strict overcommit, address space limits) the thread keeps
     * its state: its calls are counted, not timed, and no hook retries. */
    tprof_frame *stack = mmap(NULL, ((size_t)MAX_DEPTH + 1) * sizeof(tprof_frame), PROT_READ | PROT_WRITE,
                              MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    static int warned_stack;
    if (stack == MAP_FAILED && !__atomic_exchange_n(&warned_stack, 1, __ATOMIC_RELAXED))
      tprof_warn("cannot reserve a shadow stack of %zu MiB for a thread; its calls are counted but not timed",
                 (size_t)MAX_DEPTH * sizeof(tprof_frame) >> 20);
    if (stack != MAP_FAILED) stack[0].node_at = &t->root; /* the sentinel below the first frame */
    /* An empty entry of the root's cache holds an id its index never
     * takes (entry i: i ^ 1), so that no id, 0 and TPROF_REJECTED
     * included, finds one: a hit is a registered function. */
    for (uint32_t i = 0; i < TPROF_ROOT_CACHE; i++) t->root_cache[i].id = i ^ 1;
    t->stack = stack == MAP_FAILED ? NULL : stack + 1;
    /* the clock is chosen at start-up (tprof_ensure_init, above), before any frame */
    t->push_limit = t->stack && tprof_clock_uses_tsc ? MAX_DEPTH : 0;
    threads_lock(&mask);
    t->number = ++slot_count;
    t->next = threads;
    __atomic_store_n(&threads, t, __ATOMIC_RELEASE);
    threads_unlock(&mask);
  }
  t->depth = 0;
  t->overflow = 0;
  t->exit_rounds = 0;
  pthread_once(&exit_key_once, make_exit_key);
  pthread_setspecific(exit_key, t);
  current = t;
  return t;
}

/* A chunk's entries are indexed by function id, and only the functions
 * timed on this thread are touched: its 104 KiB are mapped in for the ids
 * registered so far (one transpiled program: ~100 functions, 3 pages; the
 * grid bench's 950, all of them), the rest page by page at first touch.
 * Populated whole, the chunk was 27 of the ~100 pages that the runtime
 * adds to a small program's process. */
static tprof_fstat *new_chunk(tprof_thread *t, uint32_t c) {
  tprof_fstat *chunk = tprof_mem_alloc_sparse(TPROF_CHUNK * sizeof *chunk);
  if (!chunk) return NULL;
  uint32_t first = c * TPROF_CHUNK, registered = tprof_function_count();
  if (registered > first)
    tprof_mem_populate(chunk, chunk + (registered - first < TPROF_CHUNK ? registered - first : TPROF_CHUNK));
  __atomic_store_n(&t->chunks[c], chunk, __ATOMIC_RELEASE);
  return chunk;
}

static inline tprof_fstat *stat_of(tprof_thread *t, uint32_t id) {
  tprof_fstat *chunk = t->chunks[id >> TPROF_CHUNK_BITS];
  if (TPROF_UNLIKELY(!chunk) && !(chunk = new_chunk(t, id >> TPROF_CHUNK_BITS))) return NULL;
  return &chunk[id & (TPROF_CHUNK - 1)];
}

/* ---- calling-context tree ---- */
/* Stores one entry (key, pointer) of a one-thread cache: the key is
 * cleared first and set last, with the compiler kept from merging or
 * reordering the stores (a signal fence emits nothing). A handler that
 * interrupts this and leaves by siglongjmp then leaves an entry that is
 * empty or whole, never a key with another entry's pointer: the pointer
 * written after the key once let the next call follow the previous
 * entry's node (a crash in a stress test of an interpreter's timeout
 * pattern). Every key's empty value is 0 (node 0, edge 0, function 0). */
#define CACHE_PUT(key, ptr, new_key, new_ptr)                                                                          \
  do {                                                                                                                 \
    (key) = 0;                                                                                                         \
    __atomic_signal_fence(__ATOMIC_SEQ_CST);                                                                           \
    (ptr) = (new_ptr);                                                                                                 \
    __atomic_signal_fence(__ATOMIC_SEQ_CST);                                                                           \
    (key) = (new_key);                                                                                                 \
  } while (0)

/* A two-entry cache (last, other): the new entry becomes the last one,
 * the last one the other, each move in CACHE_PUT's order. */
#define CACHE_PUSH(last_key, last_ptr, other_key, other_ptr, new_key, new_ptr)                                         \
  do {                                                                                                                 \
    uint64_t moved_key = (last_key);                                                                                   \
    __typeof__(last_ptr) moved_ptr = (last_ptr);                                                                       \
    CACHE_PUT(other_key, other_ptr, moved_key, moved_ptr);                                                             \
    __atomic_signal_fence(__ATOMIC_SEQ_CST);                                                                           \
    CACHE_PUT(last_key, last_ptr, new_key, new_ptr);                                                                   \
  } while (0)

/* The callee's cache of its last parent: node n (at `at`) below `parent`. */
static inline __attribute__((always_inline)) void remember_node(tprof_fstat *s, uint32_t parent, uint32_t n,
                                                                tprof_node *at) {
  CACHE_PUT(s->last_node, s->last_node_at, (uint64_t)parent << 32 | n, at);
}

/* The parent's cache of its children: node n (at `at`), of function id,
 * becomes the last one, the last one the other. Only the owning thread
 * reads it, and never while a hook of its own is halfway; CACHE_PUT's
 * order is for a hook abandoned by siglongjmp. */
static inline __attribute__((always_inline)) void remember_child(tprof_node *up, uint32_t id, uint32_t n,
                                                                 tprof_node *at) {
  CACHE_PUSH(up->last_child, up->last_child_at, up->other_child, up->other_child_at, (uint64_t)id << 32 | n, at);
}

/* The root's cache: node n (at `at`) is the node of a call of function id
 * at the root. The entry is empty while it changes, so that a hook
 * abandoned halfway (a handler that left by siglongjmp) leaves a whole
 * entry or none; only this thread and its handlers read it. */
static inline __attribute__((always_inline)) void remember_root(tprof_thread *t, uint32_t id, uint32_t n,
                                                                tprof_node *at) {
  tprof_root_entry *e = &t->root_cache[id & (TPROF_ROOT_CACHE - 1)];
  __atomic_store_n(&e->id, (id & (TPROF_ROOT_CACHE - 1)) ^ 1, __ATOMIC_RELAXED); /* empty (thread_init_inner) */
  __atomic_signal_fence(__ATOMIC_SEQ_CST);
  e->node = n;
  e->at = at;
  __atomic_signal_fence(__ATOMIC_SEQ_CST);
  __atomic_store_n(&e->id, id, __ATOMIC_RELAXED);
}

/* The node of a call of function id in the parent's cache, or 0. */
static inline __attribute__((always_inline)) uint32_t cached_child(const tprof_node *up, uint32_t id, tprof_node **at) {
  if ((uint32_t)(up->last_child >> 32) == id) {
    *at = up->last_child_at;
    return (uint32_t)up->last_child;
  }
  if ((uint32_t)(up->other_child >> 32) == id) {
    *at = up->other_child_at;
    return (uint32_t)up->other_child;
  }
  return 0;
}

/* Whether a child-cache entry (func << 32 | node) names function id: its
 * high half compared in memory, one instruction, where cached_child's
 * load, shift and compare took three (and its hit then needed a test of
 * the node; an entry that names a function has a node, as ids start at 1). */
static inline __attribute__((always_inline)) int cache_entry_names(const uint64_t *entry, uint32_t id) {
  uint32_t func;
  __builtin_memcpy(&func, (const char *)entry + 4, sizeof func); /* x86-64: little-endian */
  return func == id;
}

static inline __attribute__((always_inline)) uint32_t node_of_slow(tprof_thread *t, tprof_fstat *s, uint32_t parent,
                                                                   uint32_t id) {
  if (TPROF_UNLIKELY(parent & TPROF_NODE_BORROWED)) /* below a call with no node: borrow too */
    return parent;
  tprof_node *up = parent ? tprof_node_at(t, parent) : &t->root, *at;
  uint32_t n = cached_child(up, id, &at);
  if (!n) {
    if (!(n = tprof_node_find_or_add(t, parent, id, t->depth)))
      return parent | TPROF_NODE_BORROWED; /* full: the ancestor takes it */
    at = tprof_node_at(t, n);
    remember_child(up, id, n, at);
  }
  remember_node(s, parent, n, at);
  return n;
}

/* The callee's cache of its last parent, read only: id's node below
 * `parent` (and its address in *at), or 0 when the cache names another
 * parent or none. The entry's fast paths; node_of fills the cache. */
static inline __attribute__((always_inline)) uint32_t callee_cached_node(const tprof_thread *t, uint32_t id,
                                                                         uint32_t parent, tprof_node **at) {
  const tprof_fstat *chunk = t->chunks[id >> TPROF_CHUNK_BITS];
  if (TPROF_UNLIKELY(!chunk)) return 0;
  const tprof_fstat *s = &chunk[id & (TPROF_CHUNK - 1)];
  uint64_t last = s->last_node;
  if ((uint32_t)last == 0 || (uint32_t)(last >> 32) != parent) return 0;
  *at = s->last_node_at;
  return (uint32_t)last;
}

/* The node of a call of `id` below `parent`. Two one-word caches: the
 * parent remembers its last child (a loop calling one function, and
 * recursion, where the callee's parent changes every call), the callee
 * remembers its last parent (a function called from one place among
 * others). */
static inline uint32_t node_of(tprof_thread *t, tprof_fstat *s, uint32_t parent, uint32_t id, tprof_node **at) {
  uint64_t last = s->last_node;
  if (TPROF_LIKELY((uint32_t)last != 0 && (uint32_t)(last >> 32) == parent)) {
    *at = s->last_node_at;
    return (uint32_t)last;
  }
  uint32_t n = node_of_slow(t, s, parent, id);
  *at = (n & ~TPROF_NODE_BORROWED) ? tprof_node_at(t, n & ~TPROF_NODE_BORROWED) : NULL;
  return n;
}

/* ---- calls without a node of their own (the tree was full) ---- */
/* The edge of a call of `id` from `caller` (NULL when the table is full),
 * through the callee's cache of its last two callers. */
static inline tprof_edge *edge_of(tprof_thread *t, tprof_fstat *s, uint32_t caller, uint32_t id) {
  if ((uint32_t)s->last_edge != 0 && (uint32_t)(s->last_edge >> 32) == caller) return s->last_edge_at;
  if ((uint32_t)s->other_edge != 0 && (uint32_t)(s->other_edge >> 32) == caller) return s->other_edge_at;
  uint32_t e = tprof_edge_find_or_add(t, caller, id);
  if (!e) return NULL;
  tprof_edge *at = tprof_edge_at(t, e);
  /* only this thread reads it, never while a hook of its own is halfway */
  CACHE_PUSH(s->last_edge, s->last_edge_at, s->other_edge, s->other_edge_at, (uint64_t)caller << 32 | e, at);
  return at;
}

/* TPROF_OUTER_FUNC unless node `root`'s path (root and its ancestors) has
 * a call of `id`; TPROF_OUTER_EDGE unless it has one of caller -> id. The
 * frames with nodes below a call without one are exactly that path. The
 * walk runs once per (root, function) and (root, edge): the answers are
 * kept with the function and the edge. */
static uint32_t outer_of(tprof_thread *t, uint32_t root, uint32_t caller, uint32_t id, tprof_fstat *s,
                         tprof_edge *edge) {
  int func_known = s->path_root == root + 1, edge_known = !edge || edge->path_root == root + 1;
  if (!func_known || !edge_known) {
    uint32_t in_func = 0, in_edge = 0;
    for (uint32_t n = root; n && !(in_func && in_edge);) {
      const tprof_node *node = tprof_node_at(t, n);
      uint32_t up = node->parent;
      if (node->func == id) {
        in_func = 1;
        if ((up ? tprof_node_at(t, up)->func : 0) == caller) in_edge = 1;
      }
      n = up;
    }
    s->path_root = root + 1;
    s->on_path = in_func;
    if (edge) {
      edge->path_root = root + 1;
      edge->on_path = in_edge;
    }
  }
  return (s->on_path ? 0 : TPROF_OUTER_FUNC) | (edge && edge->on_path ? 0 : TPROF_OUTER_EDGE);
}

/* Frame f (being pushed, `below` under it) has no node of its own: it is
 * counted with the function's and the edge's figures, cProfile's rules
 * applied over the open frames without nodes and the nodes' path below. */
static __attribute__((noinline)) void enter_borrowed(tprof_thread *t, tprof_frame *f, const tprof_frame *below,
                                                     tprof_fstat *s) {
  uint32_t caller = below ? below->id : 0;
  tprof_edge *edge = edge_of(t, s, caller, f->id);
  f->stat = s;
  f->edge_at = edge;
  f->kind |= TPROF_FRAME_BORROWED;
  f->outer = outer_of(t, f->node & ~TPROF_NODE_BORROWED, caller, f->id, s, edge);
  s->calls++;
  if (s->active++ == 0 && (f->outer & TPROF_OUTER_FUNC)) s->primitive_calls++;
  if (TPROF_LIKELY(edge != NULL)) {
    edge->active++;
    edge->calls++;
  }
}

/* ---- frames ---- */
static inline __attribute__((always_inline)) void close_own(tprof_node *node, uint64_t elapsed, uint64_t self) {
  /* self in a register, added to memory: gcc otherwise loads the node's
   * self time and adds the two terms to it one by one (one more
   * instruction on every exit) */
  __asm__("" : "+r"(self));
  node->self_ticks += self;
  node->inclusive_ticks += elapsed;
}

static __attribute__((noinline)) void close_borrowed(const tprof_frame *f, uint64_t elapsed, uint64_t self) {
  tprof_fstat *s = f->stat;
  s->self_ticks += self;
  if (--s->active == 0 && (f->outer & TPROF_OUTER_FUNC)) s->inclusive_ticks += elapsed;
  if (TPROF_LIKELY(f->edge_at != NULL)) {
    tprof_edge *e = f->edge_at;
    e->self_ticks += self;
    if (--e->active == 0 && (f->outer & TPROF_OUTER_EDGE)) e->inclusive_ticks += elapsed;
  }
  if (f->node_at) f->node_at->absorbed_ticks += self; /* the ancestor's row in call_stacks */
}

/* An operation's, a region's, or any call when the timeline takes every
 * function: its longest call, and its timeline event. */
static inline __attribute__((always_inline)) void close_timeline_call(tprof_thread *t, const tprof_frame *f,
                                                                      uint64_t elapsed, uint64_t now) {
  if (f->kind & (TPROF_FUNC_OPERATION | TPROF_FLAG_REGION)) {
    uint64_t *longest = f->kind & TPROF_FRAME_BORROWED ? &f->stat->max_call_ticks : &f->node_at->max_call_ticks;
    if (elapsed > *longest) *longest = elapsed;
  }
  tprof_timeline_record(f->id, t->number, f->start, now);
}

/* The top frame returns at `now` (any frame). No hook of this thread runs
 * meanwhile (busy) and the exporter reads only frames below the depth, so
 * the frame is read in place after the depth went down. */
static void close_frame(tprof_thread *t, uint64_t now) {
  uint32_t depth = t->depth - 1;
  tprof_frame *f = &t->stack[depth];
  __atomic_store_n(&t->depth, depth, __ATOMIC_RELEASE);
  uint64_t elapsed = now - f->start, self = elapsed - f->child_ticks;
  if (f->kind & TPROF_FRAME_BORROWED)
    close_borrowed(f, elapsed, self);
  else
    close_own(f->node_at, elapsed, self);
  if (f->kind & TPROF_FRAME_TIMELINE) close_timeline_call(t, f, elapsed, now);
  f[-1].child_ticks += elapsed; /* the caller's frame, or the sentinel */
}

static void close_all_frames(tprof_thread *t) {
  if (!t->stack) return;
  uint64_t now = tprof_now();
  while (t->depth) close_frame(t, now);
}

/* A frame's kind as the function and the mode make it (TPROF_FRAME_TIMELINE bits). */
static inline __attribute__((always_inline)) uint32_t call_kind(const tprof_func_record *rec) {
  return (rec->flags & (TPROF_FUNC_OPERATION | TPROF_FLAG_REGION)) | (tprof_hot_mode & TPROF_MODE_TIMELINE_ALL);
}

static __attribute__((noinline, cold)) uint32_t register_now(tprof_func_record *rec) {
  int saved_errno = errno; /* the hooks leave the program's errno as they found it */
  uint32_t id = tprof_register_function(rec);
  errno = saved_errno;
  return id;
}

/* The entry with the busy byte already set: every case. Tail-called by
 * __tprof_func_enter when one of its caches misses; fills the root's cache
 * (enter_root). */
static __attribute__((noinline)) uint32_t enter_busy(tprof_func_record *rec) {
  uint32_t id = __atomic_load_n(&rec->id, __ATOMIC_RELAXED);
  if (TPROF_UNLIKELY(id - 1 >= TPROF_MAX_IDS - 1) &&
      (id == TPROF_REJECTED || (id = register_now(rec)) == TPROF_REJECTED))
    goto out;
  tprof_thread *t = current;
  if (TPROF_UNLIKELY(!t) && !(t = thread_init())) goto out;
  tprof_fstat *s = stat_of(t, id);
  if (TPROF_UNLIKELY(!s || !t->stack || t->depth >= MAX_DEPTH)) {
    t->overflow++;
    goto out;
  }
  uint32_t depth = t->depth;
  const tprof_frame *below = depth ? &t->stack[depth - 1] : NULL;
  tprof_frame *f = &t->stack[depth];
  f->rec = rec;
  f->id = id;
  f->kind = call_kind(rec) | (tprof_clock_uses_tsc ? 0 : TPROF_FRAME_CLOCK_GETTIME);
  f->node = node_of(t, s, below ? below->node : 0, id, &f->node_at);
  if (TPROF_UNLIKELY(f->node & TPROF_NODE_BORROWED)) {
    enter_borrowed(t, f, below, s);
  } else {
    f->node_at->calls++;                /* at entry, as the inline counters count */
    if (!depth && tprof_clock_uses_tsc) /* a hit of enter_operation's then needs no check of the clock */
      remember_root(t, id, f->node, f->node_at);
  }
  f->child_ticks = 0;
  f->start = tprof_now();
  __atomic_store_n(&t->depth, depth + 1, __ATOMIC_RELEASE); /* the exporter reads complete frames only */
out:
  leave_runtime();
  return 1;
}

/* The frame of a call with its own node, pushed on the common path; `op`
 * (a constant): rec is the pass's record of an operation, so its kind is
 * known but the mode's bit. */
static inline __attribute__((always_inline)) uint32_t push_own(tprof_thread *t, tprof_frame *f, tprof_func_record *rec,
                                                               uint32_t id, uint32_t node, tprof_node *own,
                                                               uint32_t depth, int op) {
  own->calls++; /* at entry, as the inline counters count */
  f->rec = rec;
  f->node_at = own;
  f->id = id;
  f->kind = op ? tprof_hot_op_kind : call_kind(rec);
  f->node = node;
  f->child_ticks = 0;
  f->start = __rdtsc();
  __atomic_store_n(&t->depth, depth + 1, __ATOMIC_RELEASE); /* the exporter reads complete frames only */
  return leave_runtime();                                   /* 1 */
}

/* The common call whose parent's cache named other children: the callee's
 * cache of its last parent (a function called from several places), else
 * the full entry. Apart from __tprof_func_enter so that the path through
 * the parent's cache saves no register. A hit here leaves the parent's
 * cache as it is (the nodes it names were remembered when first found): a
 * parent calling three functions in turn would otherwise rewrite it on
 * every call. */
static __attribute__((noinline)) uint32_t enter_via_callee(tprof_func_record *rec, tprof_thread *t, uint32_t id,
                                                           uint32_t depth) {
  tprof_frame *f = &t->stack[depth];
  tprof_node *at;
  uint32_t node = callee_cached_node(t, id, f[-1].node, &at);
  if (TPROF_UNLIKELY(!node)) return enter_busy(rec);
  return push_own(t, f, rec, id, node, at, depth, 0);
}

/* A call at the root whose entry of the root's cache names another
 * function (or none): the callee's cache of its last parent, which then
 * takes the entry; else the full entry. */
static __attribute__((noinline)) uint32_t enter_root_slow(tprof_func_record *rec, tprof_thread *t, uint32_t id) {
  if (TPROF_UNLIKELY(id - 1 >= TPROF_MAX_IDS - 1 || !tprof_clock_uses_tsc || !t->stack)) return enter_busy(rec);
  tprof_node *at;
  uint32_t node = callee_cached_node(t, id, 0, &at);
  if (!node) return enter_busy(rec);
  remember_root(t, id, node, at);
  return push_own(t, t->stack, rec, id, node, at, 0, 0);
}

/* A call at the thread's root (depth 0, no timed frame below: at the light
 * level, every operation called from code that is not timed), of a
 * registered function, the TSC clock: its node from the thread's root
 * cache (operations called in turn would miss the root's cache of its last
 * two children), else enter_root_slow. */
static inline __attribute__((always_inline)) uint32_t enter_root(tprof_func_record *rec, tprof_thread *t, uint32_t id,
                                                                 int op) {
  const tprof_root_entry *e = &t->root_cache[id & (TPROF_ROOT_CACHE - 1)];
  /* an entry is filled only by a push, so its thread has a stack */
  if (TPROF_UNLIKELY(e->id != id)) return enter_root_slow(rec, t, id);
  return push_own(t, t->stack, rec, id, e->node, e->at, 0, op);
}

/* The root's call of __tprof_func_enter, or a call below a frame without
 * a node (which takes the full entry). */
static __attribute__((noinline)) uint32_t enter_at_root(tprof_func_record *rec, tprof_thread *t, uint32_t id,
                                                        uint32_t depth) {
  if (TPROF_UNLIKELY(depth)) return enter_busy(rec);
  return enter_root(rec, t, id, 0);
}

/* The common call below a timed frame (at `depth`, registered function;
 * the thread's push_limit covers its stack, the depth and the TSC clock):
 * a caller with a node of its own, and the callee's node in
 * the caller's cache of its last two children (a loop; recursion). Every
 * check reads only, and any miss hands the call on by a tail call, so this
 * path makes no other call and needs no callee-saved register. The frame
 * and the node's call count are the whole of the work: the function's
 * figures, the call graph and cProfile's recursion rules are the export's,
 * derived from the nodes (thread_figures.c). */
static inline __attribute__((always_inline)) uint32_t enter_at(tprof_func_record *rec, tprof_thread *t, uint32_t id,
                                                               uint32_t depth) {
  if (TPROF_UNLIKELY(depth >= t->push_limit)) return enter_busy(rec); /* no stack, too deep, or no TSC */
  tprof_frame *f = t->stack + depth;                                  /* f[-1]: the caller's frame, or the sentinel */
  /* the root (node 0) or a caller without a node (the borrowed bit), in one test */
  if (TPROF_UNLIKELY((int32_t)f[-1].node <= 0)) return enter_at_root(rec, t, id, depth);
  const tprof_node *up = f[-1].node_at;
  if (TPROF_LIKELY(cache_entry_names(&up->last_child, id)))
    return push_own(t, f, rec, id, (uint32_t)up->last_child, up->last_child_at, depth, 0);
  if (TPROF_LIKELY(cache_entry_names(&up->other_child, id)))
    return push_own(t, f, rec, id, (uint32_t)up->other_child, up->other_child_at, depth, 0);
  return enter_via_callee(rec, t, id, depth);
}

/* The entry: the busy byte, a registered function, the thread's state,
 * then enter_at (the TSC clock, with the depth). Returns 1 (what __tprof_func_enter_checked
 * returns), so that every path is a tail call. */
static inline __attribute__((always_inline)) uint32_t func_enter(tprof_func_record *rec) {
  if (TPROF_UNLIKELY(tprof_tls_busy)) /* a handler interrupted the runtime: counted inline, not timed */
    return 1;
  tprof_tls_busy = 1;
  uint32_t id = __atomic_load_n(&rec->id, __ATOMIC_RELAXED);
  tprof_thread *t = current;
  if (TPROF_UNLIKELY(id - 1 >= TPROF_MAX_IDS - 1 || !t)) return enter_busy(rec);
  return enter_at(rec, t, id, t->depth); /* which tests the clock with the depth */
}
TPROF_EXPORT void __tprof_func_enter(tprof_func_record *rec) { func_enter(rec); }
/* The entry of a function that calls its hooks unconditionally (abi.h):
 * the guard, read here as the function would (any bit for an operation),
 * then the same entry while it is set. The body is inlined into both
 * hooks rather than called, so that neither pays a call of the other
 * (through the PLT in the shared runtime). */
static __attribute__((noinline)) uint32_t enter_checked(tprof_func_record *rec) { return func_enter(rec); }
/* An operation's call below a timed frame (registered, TSC clock): the
 * callee's cache of its last parent first. An operation is called from
 * one place, but that place calls several in turn (a transpiled program's
 * run function: a copy, then op 1, op 2, ...), so the parent's two-entry
 * cache of its children missed ~94% of operation entries on the grid
 * bench, and each miss paid that lookup before this one. */
static __attribute__((noinline)) uint32_t enter_below(tprof_func_record *rec, tprof_thread *t, uint32_t id,
                                                      uint32_t depth) {
  if (TPROF_UNLIKELY(depth >= t->push_limit)) return enter_busy(rec); /* no stack, too deep, or no TSC */
  tprof_frame *f = t->stack + depth;                                  /* f[-1]: the caller's frame */
  tprof_node *at;
  /* a frame's node is never 0 and a cache never names a borrowed parent,
   * so a caller without a node of its own finds nothing here */
  uint32_t node = callee_cached_node(t, id, f[-1].node, &at);
  if (TPROF_LIKELY(node != 0)) return push_own(t, f, rec, id, node, at, depth, 1);
  return enter_at(rec, t, id, depth);
}
/* An operation's entry through __tprof_func_enter_checked (a record of the
 * pass: its kind is TPROF_FUNC_OPERATION and the mode's): at depth 0 (the
 * light level, where code that is not timed calls operations in turn)
 * straight to the root's cache, else enter_at. */
static __attribute__((noinline)) uint32_t enter_operation(tprof_func_record *rec) {
  if (TPROF_UNLIKELY(tprof_tls_busy)) return 1;
  tprof_tls_busy = 1;
  uint32_t id = __atomic_load_n(&rec->id, __ATOMIC_RELAXED);
  tprof_thread *t = current;
  if (TPROF_UNLIKELY(!t)) return enter_busy(rec);
  uint32_t depth = t->depth;
  if (TPROF_UNLIKELY(depth)) {
    if (TPROF_UNLIKELY(id - 1 >= TPROF_MAX_IDS - 1)) return enter_busy(rec);
    return enter_below(rec, t, id, depth); /* which tests the clock with the depth */
  }
  /* No entry of the root's cache matches an id not registered, and one is
   * filled only with the TSC clock (chosen once at start-up, before any
   * frame): a hit needs neither check. */
  return enter_root(rec, t, id, 1);
}
/* Apart from the entry, so that the test of the guard alone (the profile
 * off) saves no register and sets up no frame. */
TPROF_EXPORT uint32_t __tprof_func_enter_checked(tprof_func_record *rec) {
  uint32_t flags = rec->flags;
  if (TPROF_LIKELY(!(__atomic_load_n(&__tprof_hooks_on, __ATOMIC_RELAXED) & TPROF_HOOKS_MASK(flags)))) return 0;
  return flags & TPROF_FUNC_OPERATION ? enter_operation(rec) : enter_checked(rec);
}

/* Frames above ours were left without their exit (a longjmp whose setjmp
 * is in code the pass did not see, or a callee that was not instrumented
 * exited through us): close them now. If we are not on the stack at all
 * (our entry was not timed), ignore this exit. */
static __attribute__((noinline)) void exit_mismatch(tprof_thread *t, tprof_func_record *rec, uint64_t now) {
  uint32_t d = t->depth;
  while (d && t->stack[d - 1].rec != rec) d--;
  if (!d) return;
  while (t->depth >= d) close_frame(t, now);
}

/* The exit with the busy byte already set: every case. */
static __attribute__((noinline)) void exit_busy(tprof_func_record *rec) {
  uint64_t now = tprof_now();
  tprof_thread *t = current;
  if (TPROF_UNLIKELY(!t)) goto out;
  if (TPROF_UNLIKELY(t->overflow)) { /* the matching enter was not timed */
    t->overflow--;
    goto out;
  }
  if (TPROF_LIKELY(t->depth && t->stack[t->depth - 1].rec == rec))
    close_frame(t, now);
  else if (t->depth)
    exit_mismatch(t, rec, now);
out:
  leave_runtime();
}

/* The exit of a frame found on top by __tprof_func_exit that is not a
 * plain one (an operation's, a region's, any frame when the timeline takes
 * every function, a frame without a node). Out of line, so that the common
 * exit keeps saving no registers; it is tail-called, so the checks are not
 * made twice as through exit_busy. */
static __attribute__((noinline)) void exit_other(tprof_thread *t) {
  uint64_t now = tprof_now();
  tprof_frame *top = &t->stack[t->depth - 1];
  if (TPROF_UNLIKELY(top->kind & (TPROF_FRAME_BORROWED | TPROF_FRAME_CLOCK_GETTIME))) {
    close_frame(t, now);
  } else { /* close_frame's steps for an operation's frame with its own node */
    uint64_t elapsed = now - top->start;
    close_own(top->node_at, elapsed, elapsed - top->child_ticks);
    close_timeline_call(t, top, elapsed, now);
    __atomic_store_n(&t->depth, t->depth - 1, __ATOMIC_RELEASE);
    top[-1].child_ticks += elapsed;
  }
  leave_runtime();
}

/* leave_runtime, then the timeline's pages mapped ahead from ev
 * (tprof_timeline_opens_page): once a page of events, out of line. */
static __attribute__((noinline, cold)) void leave_mapping_ahead(const tprof_timeline_event *ev) {
  leave_runtime();
  tprof_timeline_map_ahead(ev);
}

/* The exit of an operation's frame with its own node, pushed with the TSC
 * clock (kind exactly TPROF_FUNC_OPERATION: an operation at the light
 * level, or called from a timed function): close_frame's steps, with the
 * timeline's append inline. The node's figures and the longest call
 * before the depth goes down, as for any frame; the event after, as
 * close_frame records it. */
#ifdef __clang__ /* clang would then save two registers on the plain exit too: tail-called */
static __attribute__((noinline)) void exit_operation(tprof_thread *t, tprof_frame *top, uint32_t depth) {
#else /* inline: gcc keeps the plain exit free of saved registers with it */
static inline __attribute__((always_inline)) void exit_operation(tprof_thread *t, tprof_frame *top, uint32_t depth) {
#endif
  uint64_t now = __rdtsc(), start = top->start, elapsed = now - start;
  tprof_node *node = top->node_at;
  close_own(node, elapsed, elapsed - top->child_ticks);
  if (elapsed > node->max_call_ticks) node->max_call_ticks = elapsed;
  __atomic_store_n(&t->depth, depth - 1, __ATOMIC_RELEASE);
  top[-1].child_ticks += elapsed; /* the caller's frame, or the sentinel */
  tprof_timeline_event *ev = tprof_timeline_append(top->id, t->number, start, now);
  if (TPROF_UNLIKELY(tprof_timeline_opens_page(ev))) return leave_mapping_ahead(ev); /* a tail call */
  leave_runtime();
}

/* The common exit: our own frame on top, a plain one (its own node, not a
 * timeline call, pushed with the TSC clock: no invariant TSC makes every
 * frame take exit_other, so this path needs no check of the clock), or an
 * operation's (exit_operation); any other goes to exit_other. */
static inline __attribute__((always_inline)) void func_exit(tprof_func_record *rec) {
  if (TPROF_UNLIKELY(tprof_tls_busy)) return;
  tprof_tls_busy = 1;
  tprof_thread *t = current;
  if (TPROF_UNLIKELY(!t)) return exit_busy(rec);
  uint32_t depth = t->depth;
  if (TPROF_UNLIKELY(!depth || t->overflow)) return exit_busy(rec);
  tprof_frame *top = &t->stack[depth - 1];
  if (TPROF_UNLIKELY(top->rec != rec)) return exit_busy(rec);
  uint32_t kind = top->kind;
  if (TPROF_UNLIKELY(kind)) {
    if (TPROF_LIKELY(kind == TPROF_FUNC_OPERATION)) return exit_operation(t, top, depth);
    return exit_other(t);
  }
  uint64_t elapsed = __rdtsc() - top->start;
  close_own(top->node_at, elapsed, elapsed - top->child_ticks);
  __atomic_store_n(&t->depth, depth - 1, __ATOMIC_RELEASE);
  top[-1].child_ticks += elapsed; /* the caller's frame, or the sentinel */
  leave_runtime();
}
TPROF_EXPORT void __tprof_func_exit(tprof_func_record *rec) { func_exit(rec); }
TPROF_EXPORT void __tprof_func_exit_checked(tprof_func_record *rec, uint32_t entered) {
  if (entered) func_exit(rec);
}

/* ---- longjmp: the pass brackets every setjmp with these two ---- */
TPROF_EXPORT uint32_t __tprof_depth(void) {
  if (tprof_tls_busy) /* a handler that interrupted a hook: no frame of its own to land on */
    return DEPTH_IN_HANDLER;
  tprof_thread *t = current;
  return t ? t->depth : 0;
}

/* After a siglongjmp out of a handler that had interrupted a hook, that
 * hook never finished: the open-call counts of the calls without a node
 * may be off by one. They are recounted from the frames on the stack. */
static __attribute__((noinline, cold)) void recount_active(tprof_thread *t) {
  for (uint32_t c = 0; c < TPROF_MAX_CHUNKS; c++)
    for (uint32_t i = 0; t->chunks[c] && i < TPROF_CHUNK; i++) t->chunks[c][i].active = 0;
  for (uint32_t e = 1; e <= t->edge_count; e++) tprof_edge_at(t, e)->active = 0;
  t->overflow = 0;
  for (uint32_t d = 0; d < t->depth; d++) {
    const tprof_frame *f = &t->stack[d];
    if (!(f->kind & TPROF_FRAME_BORROWED)) continue;
    f->stat->active++;
    if (f->edge_at) f->edge_at->active++;
  }
}

TPROF_EXPORT void __tprof_unwind(uint32_t depth) {
  if (depth == DEPTH_IN_HANDLER) return;
  tprof_thread *t = current;
  int abandoned = tprof_tls_busy != 0; /* landed outside the handler that interrupted a hook */
  if (TPROF_LIKELY(!abandoned) && (!t || t->depth <= depth)) return;
  if (!abandoned) /* else it stays as the abandoned hook left it: a signal it put off is still due */
    tprof_tls_busy = 1;
  if (t) {
    uint64_t now = tprof_now();
    while (t->depth > depth) close_frame(t, now);
    if (abandoned) recount_active(t);
  }
  leave_runtime();
}

/* ---- what the exporter and the API use ---- */
tprof_thread *tprof_threads_head(void) { return __atomic_load_n(&threads, __ATOMIC_ACQUIRE); }

uint32_t tprof_threads_seen(void) { return __atomic_load_n(&thread_count, __ATOMIC_RELAXED); }
tprof_thread *tprof_thread_self(void) {
  tprof_thread *t = current;
  if (TPROF_LIKELY(t != NULL)) return t;
  if (tprof_tls_busy) /* already inside the runtime (or a handler that interrupted it) */
    return thread_init();
  tprof_tls_busy = 1;
  t = thread_init();
  leave_runtime();
  return t;
}

/* Zero every figure; frames still open restart at `now` so their time after
 * the reset is counted. `active` stays: it mirrors the open frames. */
void tprof_callstack_reset(uint64_t now) {
  tprof_registry_reset_counts();
  for (tprof_thread *t = tprof_threads_head(); t; t = t->next) {
    for (uint32_t c = 0; c < TPROF_MAX_CHUNKS; c++) {
      tprof_fstat *chunk = t->chunks[c]; /* `active` and the caches stay: they mirror the stack and the paths */
      for (uint32_t i = 0; chunk && i < TPROF_CHUNK; i++)
        chunk[i].calls = chunk[i].primitive_calls = chunk[i].self_ticks = chunk[i].inclusive_ticks =
            chunk[i].max_call_ticks = 0;
    }
    for (uint32_t n = 1; n <= t->node_count; n++) {
      tprof_node *node = tprof_node_at(t, n); /* the tree and its caches stay */
      node->calls = node->self_ticks = node->absorbed_ticks = node->inclusive_ticks = node->alloc_count =
          node->alloc_bytes = node->max_call_ticks = 0;
    }
    for (uint32_t e = 1; e <= t->edge_count; e++) {
      tprof_edge *edge = tprof_edge_at(t, e);
      edge->calls = edge->self_ticks = edge->inclusive_ticks = 0;
    }
    if (t == current)
      for (uint32_t d = 0; d < t->depth; d++) {
        t->stack[d].start = now;
        t->stack[d].child_ticks = 0;
      }
  }
}

/* ---- manual regions: operations without a function ---- */
void tprof_region_enter_record(tprof_func_record *rec) {
  __atomic_add_fetch(&rec->calls, 1, __ATOMIC_RELAXED); /* what a function's inline counter does */
  if (__atomic_load_n(&__tprof_hooks_on, __ATOMIC_RELAXED)) __tprof_func_enter(rec);
}

TPROF_EXPORT void tprof_region_begin(const char *name) {
  if (!name || !*name) {
    tprof_warn("tprof_region_begin: the region needs a non-empty name");
    return;
  }
  tprof_func_record *rec = tprof_region_record(name);
  if (rec) tprof_region_enter_record(rec);
}

TPROF_EXPORT void tprof_region_end(void) {
  /* The frame says whether it is a region: no lock, so a signal handler
   * interrupting this never waits for one. */
  tprof_thread *t = current;
  for (uint32_t d = t ? t->depth : 0; d; d--)
    if (t->stack[d - 1].kind & TPROF_FLAG_REGION) {
      __tprof_func_exit(t->stack[d - 1].rec);
      return;
    }
  if (__atomic_load_n(&__tprof_hooks_on, __ATOMIC_RELAXED))
    tprof_warn("tprof_region_end without a matching tprof_region_begin; ignored");
}
