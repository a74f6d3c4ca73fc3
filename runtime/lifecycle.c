/* Start-up, exit, reset and the snapshot API. One export path, run at exit
 * as late as the process lets us (see export_at_exit_step), callable by hand
 * through tprof_export. */
#include "internal.h"

#include <stdlib.h>
#include <unistd.h>

static pthread_once_t init_once = PTHREAD_ONCE_INIT;

/* At exit, a program that exported by hand and did nothing since gets no
 * extra, empty file set; any other program always gets one. */
static uint64_t total_calls(void) {
  uint64_t calls = 0;
  for (uint32_t id = 1, n = tprof_function_count(); id < n; id++) calls += tprof_function_calls(id);
  return calls;
}

/* Under the registry's lock: another thread may be registering a function
 * or a site (the tables grow and move) while these are summed, and at exit
 * the program's other threads still run. */
static uint64_t totals_get(tprof_heap_totals *h) {
  sigset_t mask;
  tprof_registry_lock(&mask);
  uint64_t calls = total_calls();
  tprof_heap_totals_get(h);
  tprof_registry_unlock(&mask);
  return calls;
}

static void export_at_exit(void) {
  tprof_flush_stop();
  if (tprof_in_unknown_child()) return;
  if (!tprof_cfg.export_profiling_data) return;
  tprof_heap_totals h;
  uint64_t calls = totals_get(&h);
  if (calls + h.allocation_count + h.deallocation_count == tprof_exported_events) return;
  tprof_export_now(TPROF_REASON_EXIT, NULL, 0);
}

/* The set must count the work of the program's atexit handlers and
 * destructors, so the exit export runs from whichever of two places comes
 * last: tprof's atexit handler, or tprof's destructor (priority 101: after
 * the program's own destructors of default priority in the same object).
 * Which is last depends on the link: a runtime in the executable registers
 * its atexit handler after glibc registered the destructors' runner
 * (_dl_fini, or call_fini in a static program), so the handler runs first
 * and the destructor exports; libtprof_rt.so registers its handler from its
 * constructor, before _dl_fini is registered, so the destructors run first
 * and the handler exports; a runtime inside a dlopen'd library runs both at
 * dlclose, handler first. The first to run only stops the snapshots. If
 * atexit could not register, the destructor exports alone. */
static int exit_steps, atexit_registered;

static void export_at_exit_step(void) {
  tprof_exit_lock_claim();
  if (__atomic_add_fetch(&exit_steps, 1, __ATOMIC_ACQ_REL) == 1 && atexit_registered) {
    tprof_flush_stop();
    return;
  }
  export_at_exit();
  if (!tprof_in_unknown_child()) tprof_flush_join(); /* a vfork child: the thread is the parent's */
  /* The last thing this copy does: at a dlclose its code is unmapped next,
   * and nothing of it may be called after (a thread's exit callback, a
   * SIGTERM handler: crashes seen with a library linked with its own copy). */
  tprof_threads_unload();
  tprof_signals_unload();
}

static void at_exit_handler(void) { export_at_exit_step(); }
__attribute__((destructor(101))) static void tprof_destructor(void) { export_at_exit_step(); }

/* quick_exit runs neither atexit handlers nor destructors, only these:
 * ours was registered first, so it runs after the program's. */
static void at_quick_exit_handler(void) { export_at_exit(); }

static void fork_reset_child(void);

static void init(void) {
  tprof_pid = getpid();
  tprof_clock_init();
  tprof_origin_ticks = tprof_now();
  tprof_config_init_from_env();
  /* The copy's name first: applying the configuration starts the snapshot
   * thread, whose first set was otherwise named after the program alone
   * (a stray set for a library linked with its own copy). */
  tprof_copies_init();
  tprof_config_apply();
  tprof_fork_init(fork_reset_child);
  atexit_registered = atexit(at_exit_handler) == 0;
  at_quick_exit(at_quick_exit_handler);
}

/* fork()'s child handler (fork.c): a new measurement, nothing exported yet. */
static void fork_reset_child(void) {
  tprof_pid = getpid();
  tprof_reset();
  tprof_exported_events = UINT64_MAX; /* the child writes its own set at exit */
  tprof_export_fork_child();
  tprof_exit_lock_fork_child();
  tprof_flush_fork_child();
}

void tprof_ensure_init(void) { pthread_once(&init_once, init); }

/* Early, so the atexit handler is registered before user constructors run. */
__attribute__((constructor(101))) static void tprof_constructor(void) { tprof_ensure_init(); }

TPROF_EXPORT void tprof_reset(void) {
  tprof_ensure_init();
  uint64_t now = tprof_now();
  tprof_callstack_reset(now);
  tprof_heap_reset();
  tprof_timeline_reset();
  tprof_origin_ticks = now;
  if (tprof_exported_events != UINT64_MAX) tprof_exported_events = 0;
}

TPROF_EXPORT int tprof_get_snapshot(tprof_snapshot *out) {
  tprof_ensure_init();
  if (!out) return -1;
  *out = (tprof_snapshot){0};
  uint64_t elapsed = tprof_now() - tprof_origin_ticks;
  out->execution_time_ms = (double)elapsed / tprof_ticks_per_ns() / 1e6;
  tprof_heap_totals h;
  out->total_calls = totals_get(&h);
  out->allocation_count = h.allocation_count;
  out->deallocation_count = h.deallocation_count;
  out->current_bytes = h.current_bytes;
  out->peak_bytes = h.peak_bytes;
  out->dropped_traces = h.dropped_traces;
  return 0;
}

/* If the exec fails the program goes on, and exports again at exit. A
 * vfork child about to exec (the usual use of vfork) writes nothing: the
 * figures are the parent's, which writes them at its own exit. */
TPROF_EXPORT void __tprof_before_exec(void) {
  tprof_ensure_init();
  if (tprof_cfg.export_profiling_data && !tprof_in_unknown_child()) tprof_export_now(TPROF_REASON_EXEC, NULL, 0);
}

TPROF_EXPORT int tprof_export(char *prefix_out, size_t prefix_len) {
  tprof_ensure_init();
  return tprof_export_now(TPROF_REASON_API, prefix_out, prefix_len);
}
