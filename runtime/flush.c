/* flush_interval_ms: a thread of tprof's own rewrites the file set every N
 * ms while the program runs, so a process killed with SIGKILL (a sandbox's
 * timeout) leaves its last complete snapshot. Every snapshot and the final
 * export of the process go to the same file names, each file replaced by
 * rename, so the set on disk is always a complete one. */
#include "internal.h"

#include <errno.h>
#include <string.h>
#include <time.h>

static pthread_mutex_t flush_mutex = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t flush_wake = PTHREAD_COND_INITIALIZER;
static int thread_running, stopping;
static pthread_t flush_thread; /* while thread_running */

static void *flush_loop(void *arg) {
  (void)arg;
  sigset_t all; /* signals are the program's business: never delivered here */
  sigfillset(&all);
  pthread_sigmask(SIG_BLOCK, &all, NULL);
  pthread_mutex_lock(&flush_mutex);
  while (!stopping) {
    long interval = tprof_cfg.flush_interval_ms;
    struct timespec until;
    clock_gettime(CLOCK_REALTIME, &until);
    long ms = interval > 0 ? interval : 1000;
    until.tv_sec += ms / 1000;
    until.tv_nsec += (ms % 1000) * 1000000L;
    if (until.tv_nsec >= 1000000000L) {
      until.tv_sec++;
      until.tv_nsec -= 1000000000L;
    }
    int rc = 0;
    while (!stopping && rc != ETIMEDOUT) rc = pthread_cond_timedwait(&flush_wake, &flush_mutex, &until);
    if (stopping || tprof_cfg.flush_interval_ms <= 0 || !tprof_cfg.export_profiling_data) continue;
    pthread_mutex_unlock(&flush_mutex);
    tprof_export_now(TPROF_REASON_SNAPSHOT, NULL, 0);
    pthread_mutex_lock(&flush_mutex);
  }
  pthread_mutex_unlock(&flush_mutex);
  return NULL;
}

void tprof_flush_configure(void) {
  pthread_mutex_lock(&flush_mutex);
  if (tprof_cfg.flush_interval_ms > 0 && !thread_running && !stopping) {
    /* joinable: see tprof_flush_join */
    int rc = pthread_create(&flush_thread, NULL, flush_loop, NULL);
    if (rc == 0)
      thread_running = 1;
    else
      tprof_warn("cannot start the snapshot thread for flush_interval_ms=%ld: %s; only the final export is written",
                 tprof_cfg.flush_interval_ms, strerror(rc));
  }
  pthread_cond_broadcast(&flush_wake); /* a changed interval applies now */
  pthread_mutex_unlock(&flush_mutex);
}

/* The final export is coming: no snapshot may start after it (one running
 * now is waited for by the export itself). */
void tprof_flush_stop(void) {
  pthread_mutex_lock(&flush_mutex);
  stopping = 1;
  tprof_export_close_snapshots();
  pthread_cond_broadcast(&flush_wake);
  pthread_mutex_unlock(&flush_mutex);
}

/* The last exit step waits for the thread to be gone. A library linked
 * with its own copy of the runtime is unmapped right after its dlclose ran
 * that step: a thread still returning through flush_loop then crashed the
 * program (SIGSEGV in 14 of 20 runs of 20 dlopen/dlclose cycles with
 * flush_interval_ms=1). The thread ends promptly once stopped: a snapshot
 * it is writing is one the final export has already waited for. */
void tprof_flush_join(void) {
  pthread_mutex_lock(&flush_mutex);
  stopping = 1;
  pthread_cond_broadcast(&flush_wake);
  int join = thread_running && !pthread_equal(flush_thread, pthread_self());
  pthread_t thread = flush_thread;
  thread_running = 0;
  pthread_mutex_unlock(&flush_mutex);
  if (join) pthread_join(thread, NULL);
}

/* A forked child has no snapshot thread (only the forking thread survives
 * a fork): start its own. The mutex may have been held by the parent's
 * thread at the fork, so it is made anew. */
void tprof_flush_fork_child(void) {
  pthread_mutex_t fresh = PTHREAD_MUTEX_INITIALIZER;
  pthread_cond_t fresh_cond = PTHREAD_COND_INITIALIZER;
  flush_mutex = fresh;
  flush_wake = fresh_cond;
  thread_running = 0;
  if (!stopping) tprof_flush_configure();
}
