/* flush_interval_ms: a thread of tprof's own rewrites the file set every N
 * ms while the program runs, so a process killed with SIGKILL (a sandbox's
 * timeout) leaves its last complete snapshot. Every snapshot and the final
 * export of the process go to the same file names, each file replaced by
 * rename, so the set on disk is always a complete one. */
#include "internal.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static pthread_mutex_t flush_mutex = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t flush_wake = PTHREAD_COND_INITIALIZER;
static int thread_running, stopping;
static pthread_t flush_thread; /* while thread_running */

/* glibc ends a process when its last thread ends (main called pthread_exit,
 * or a fork child's only thread returned from its start routine). The
 * snapshot thread counts as one, so such a process lived on forever,
 * rewriting snapshots, and did not even die of SIGTERM: the only thread
 * left blocks every signal. So the thread looks every LAST_THREAD_CHECK_MS
 * whether any program thread is left, and if none is, returns: its end is
 * the last thread's, glibc calls exit(0), and the exit export writes the
 * set, as without snapshots. While main runs, a look is one 10 us read of
 * /proc/self/stat. */
enum { LAST_THREAD_CHECK_MS = 50 };

/* Named, so that the snapshot threads of other runtime copies (libraries
 * linked with their own) are not taken for program threads. */
static const char thread_name[] = "tprof-snapshot";

/* The state and name of a /proc stat line ("pid (comm) S ..."); the name
 * may hold spaces and ')'. 0 when unreadable. */
static char stat_state(const char *path, char *buf, size_t n, char name[16]) {
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return 0;
  ssize_t got = read(fd, buf, n - 1);
  close(fd);
  if (got <= 0) return 0;
  buf[got] = '\0';
  const char *open_paren = strchr(buf, '('), *close_paren = strrchr(buf, ')');
  if (!open_paren || !close_paren || close_paren < open_paren || close_paren[1] != ' ') return 0;
  size_t len = (size_t)(close_paren - open_paren - 1);
  if (len > 15) len = 15;
  memcpy(name, open_paren + 1, len);
  name[len] = '\0';
  return close_paren[2];
}

static int ended(char state) { return state == 'Z' || state == 'X'; }

/* A thread other than the caller that is neither ended nor a snapshot
 * thread. The task directory is read by tprof_dir_each: opendir would
 * allocate on the program's heap every 50 ms, while the program may fork
 * (dir_entries.c says what that did). */
static int is_program_thread(int dir_fd, const char *name, void *ctx) {
  (void)dir_fd;
  if (name[0] < '1' || name[0] > '9' || atoi(name) == *(const pid_t *)ctx) return 0;
  char path[64], buf[512], thread[16];
  snprintf(path, sizeof path, "/proc/self/task/%.16s/stat", name); /* a thread id */
  char state = stat_state(path, buf, sizeof buf, thread);
  return state && !ended(state) && strcmp(thread, thread_name) != 0; /* gone since the listing: not left */
}

static int program_thread_left(void) {
  int tasks = open("/proc/self/task", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (tasks < 0) return 1;
  pid_t self = gettid();
  int left = tprof_dir_each(tasks, is_program_thread, &self);
  close(tasks);
  return left != 0; /* unreadable (-1): assume one is */
}

/* The process's stat names the group leader (main, or the thread that
 * forked the process): while it has not ended, program threads are left.
 * An ended leader stays (a zombie) until the whole process is gone. */
static int no_program_thread_left(void) {
  char buf[1024], name[16];
  char leader_state = stat_state("/proc/self/stat", buf, sizeof buf, name);
  return leader_state && ended(leader_state) && !program_thread_left();
}

static struct timespec after_ms(struct timespec t, long ms) {
  t.tv_sec += ms / 1000;
  t.tv_nsec += (ms % 1000) * 1000000L;
  if (t.tv_nsec >= 1000000000L) {
    t.tv_sec++;
    t.tv_nsec -= 1000000000L;
  }
  return t;
}

static int earlier(struct timespec a, struct timespec b) {
  return a.tv_sec < b.tv_sec || (a.tv_sec == b.tv_sec && a.tv_nsec < b.tv_nsec);
}

static void *flush_loop(void *arg) {
  (void)arg;
  sigset_t all, creator_mask; /* signals are the program's business: never delivered here */
  sigfillset(&all);
  pthread_sigmask(SIG_BLOCK, &all, &creator_mask);
  pthread_setname_np(pthread_self(), thread_name);
  pthread_mutex_lock(&flush_mutex);
  int program_ended = 0;
  while (!stopping && !program_ended) {
    long interval = tprof_cfg.flush_interval_ms;
    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &now);
    struct timespec until = after_ms(now, interval > 0 ? interval : 1000);
    int rc = 0;
    while (!stopping && rc != ETIMEDOUT && !program_ended) {
      struct timespec check = after_ms(now, LAST_THREAD_CHECK_MS);
      rc = pthread_cond_timedwait(&flush_wake, &flush_mutex, earlier(check, until) ? &check : &until);
      clock_gettime(CLOCK_REALTIME, &now);
      if (rc == ETIMEDOUT && earlier(now, until)) rc = 0; /* a check, not the snapshot's time */
      program_ended = no_program_thread_left();
    }
    if (stopping || program_ended || tprof_cfg.flush_interval_ms <= 0 || !tprof_cfg.export_profiling_data) continue;
    pthread_mutex_unlock(&flush_mutex);
    tprof_export_now(TPROF_REASON_SNAPSHOT, NULL, 0);
    pthread_mutex_lock(&flush_mutex);
  }
  pthread_mutex_unlock(&flush_mutex);
  /* After the program ended: glibc runs its exit handlers on this thread next. */
  pthread_sigmask(SIG_SETMASK, &creator_mask, NULL);
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
  tprof_flush_stop();
  pthread_mutex_lock(&flush_mutex);
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
