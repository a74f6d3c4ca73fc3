/* The bounded log of allocation events (memory_traces.csv): every event of
 * the measurement until max_traced_allocations are taken, the rest only
 * counted (heap_books.h has the layout and the hooks' check for room). */
#include "heap_books.h"

#include <string.h>

trace_buf *tprof_heap_traces;
uint64_t tprof_heap_traces_next;
uint32_t tprof_heap_detours;
uint64_t tprof_heap_live_mark = (uint64_t)1 << W_EPOCH_SHIFT | W_PRESENT;
uint64_t tprof_heap_free_gate = (uint64_t)1 << W_EPOCH_SHIFT | W_PRESENT; /* the mark's, no detour */

void tprof_heap_free_gate_sync(void) {
  for (;;) {
    uint32_t d = __atomic_load_n(&tprof_heap_detours, __ATOMIC_SEQ_CST);
    uint64_t m = __atomic_load_n(&tprof_heap_live_mark, __ATOMIC_SEQ_CST);
    __atomic_store_n(&tprof_heap_free_gate, (d & DETOUR_TRACES) ? GATE_CLOSED : m, __ATOMIC_SEQ_CST);
    if (__atomic_load_n(&tprof_heap_detours, __ATOMIC_SEQ_CST) == d &&
        __atomic_load_n(&tprof_heap_live_mark, __ATOMIC_SEQ_CST) == m)
      return;
  }
}

/* Called after anything that may change the log's room: whoever makes room
 * (a new buffer, a reset) calls it after, and it sets the bit; whoever
 * takes the last slot calls it, and it clears the bit, then looks again
 * and sets it if room was made meanwhile (on another thread, whose own
 * call may have come before the clearing). So the bit is never left clear
 * while the log has room. */
void tprof_heap_traces_detour(void) {
  if (!trace_room()) {
    __atomic_fetch_and(&tprof_heap_detours, ~DETOUR_TRACES, __ATOMIC_SEQ_CST);
    if (!trace_room()) return tprof_heap_free_gate_sync();
  }
  __atomic_fetch_or(&tprof_heap_detours, DETOUR_TRACES, __ATOMIC_SEQ_CST);
  tprof_heap_free_gate_sync();
}

const char *const tprof_event_names[TPROF_EVENT_KINDS] = {"malloc",        "calloc",         "realloc",  "free",
                                                          "aligned_alloc", "posix_memalign", "memalign", "valloc",
                                                          "reallocarray",  "strdup",         "strndup"};

__attribute__((noinline)) void tprof_heap_trace_write(trace_buf *tb, enum event ev, uint64_t size, uintptr_t a,
                                                      uint32_t site) {
  uint64_t i;
  if (ONE_THREAD) {
    i = __atomic_load_n(&tprof_heap_traces_next, __ATOMIC_RELAXED);
    __atomic_store_n(&tprof_heap_traces_next, i + 1, __ATOMIC_RELAXED);
  } else {
    i = __atomic_fetch_add(&tprof_heap_traces_next, 1, __ATOMIC_RELAXED);
  }
  if (i + 1 >= tb->cap) tprof_heap_traces_detour(); /* the log is full now */
  if (i >= tb->cap) return;
  /* the thread's number: its state is made here if no call hook made it
   * (memory tracking without cpu profiling) */
  tprof_thread *t = tprof_current_thread();
  if (!t) t = tprof_thread_self();
  tprof_trace *tr = &tb->slot[i];
  tprof_mem_populate_ahead(i, tr, sizeof *tr, &tb->slot[tb->cap], TPROF_POPULATE_RUN);
  tr->ticks = tprof_now();
  tr->address = a;
  tr->site = site;
  tr->thread = t ? t->number : 0;
  __atomic_store_n(&tr->kind_size, tprof_trace_kind_size(ev, size), __ATOMIC_RELEASE); /* last: see tprof_trace */
}

uint64_t tprof_heap_traced_count(void) {
  trace_buf *tb = __atomic_load_n(&tprof_heap_traces, __ATOMIC_ACQUIRE);
  uint64_t n = __atomic_load_n(&tprof_heap_traces_next, __ATOMIC_ACQUIRE);
  return !tb ? 0 : n < tb->cap ? n : tb->cap;
}

tprof_trace_view tprof_heap_traces_view(void) {
  trace_buf *tb = __atomic_load_n(&tprof_heap_traces, __ATOMIC_ACQUIRE);
  uint64_t next = __atomic_load_n(&tprof_heap_traces_next, __ATOMIC_ACQUIRE);
  tprof_trace_view v = {tb ? tb->slot : NULL, tb ? (next < tb->cap ? next : tb->cap) : 0, 0};
  for (uint64_t i = 0; i < v.nslots; i++)
    if (tprof_trace_written(&tb->slot[i])) v.ncomplete++;
  return v;
}

void tprof_heap_configure_traces(void) {
  uint64_t want = (uint64_t)tprof_cfg.max_traced_allocations;
  trace_buf *old = __atomic_load_n(&tprof_heap_traces, __ATOMIC_ACQUIRE);
  if (want == (old ? old->cap : 0)) return;
  /* Not reserved before memory tracking is first on: a mapping and a page
   * fault that a process profiled without it never uses. */
  if (!old && !tprof_cfg.memory_tracking_enabled) return;
  trace_buf *fresh = NULL;
  if (want) {
    /* a capacity, filled only as far as the program allocates: in the hot
     * range when it fits (the default 10,000 traces do), else sparse */
    fresh = tprof_mem_alloc_sparse(sizeof *fresh + want * sizeof fresh->slot[0]);
    if (!fresh) {
      tprof_warn("cannot reserve %llu allocation traces; keeping %llu", (unsigned long long)want,
                 (unsigned long long)(old ? old->cap : 0));
      return;
    }
    fresh->cap = want;
    if (old) {
      uint64_t n = tprof_heap_traced_count();
      memcpy(fresh->slot, old->slot, (n < want ? n : want) * sizeof fresh->slot[0]);
    }
  }
  __atomic_store_n(&tprof_heap_traces, fresh, __ATOMIC_RELEASE);
  tprof_heap_traces_detour();
  /* Kept while other threads exist: one may be writing into it, or
   * exporting from it (tprof_heap_traces_view reads it in place). With one
   * thread, only a signal handler could, and it has finished by now. */
  if (old && ONE_THREAD) tprof_mem_free(old);
}

void tprof_heap_traces_clear(void) {
  trace_buf *tb = __atomic_load_n(&tprof_heap_traces, __ATOMIC_ACQUIRE);
  if (tb) {
    uint64_t n = tprof_heap_traced_count();
    for (uint64_t i = 0; i < n; i++) __atomic_store_n(&tb->slot[i].kind_size, 0, __ATOMIC_RELAXED);
  }
  __atomic_store_n(&tprof_heap_traces_next, 0, __ATOMIC_RELEASE);
  tprof_heap_traces_detour();
}
