/* The exporter: one export at a time, the snapshot gathered (snapshot.c)
 * and the seven files of docs/FILES.md written by their writers
 * (snapshot.h), all of them complete before any has its name (see
 * write_set), so no reader ever sees half a file or half a set. It never
 * stops the program: an I/O error is one message on stderr. */
#include "make_dirs.h"
#include "snapshot.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

/* ---- files on disk ---- */

/* Where the sets go: output_dir made absolute when it was set (start-up,
 * or an API call that changed it), not at each export: a program that
 * chdir()s (a daemon goes to /) would otherwise scatter its sets, or write
 * where its user never looks. tprof_cfg keeps the value as given. getcwd
 * allocates nothing when given a buffer.
 * `resolved` holds the absolute path, then (at from_at) the value it was
 * made from, both at its start: copies of the whole 4 KiB fields touched
 * three fresh pages at every start-up (~12 us each on the VMs of
 * docs/BENCHMARKS.md), where these strings take one. */
enum { DIR_MAX = sizeof tprof_cfg.output_dir };
static char resolved[2 * DIR_MAX];
static size_t from_at; /* 0: not resolved yet */

void tprof_output_dir_resolve(void) {
  const char *dir = tprof_cfg.output_dir;
  if (from_at && !strcmp(dir, resolved + from_at)) return;
  size_t dirlen = strnlen(dir, DIR_MAX - 1), cwdlen;
  int relative = dir[0] && dir[0] != '/';
  /* the working directory straight into `resolved`: a 4 KiB buffer on the
   * stack was one more fresh page */
  if (relative && !getcwd(resolved, DIR_MAX)) {
    tprof_warn("cannot read the working directory (%s); output_dir %s stays relative", strerror(errno), dir);
    relative = 0;
  } else if (relative && (cwdlen = strlen(resolved)) + 1 + dirlen >= DIR_MAX) {
    tprof_warn("output_dir %s/%s is too long; it stays relative to the working directory", resolved, dir);
    relative = 0;
  } else if (relative) {
    resolved[cwdlen] = '/';
    memcpy(resolved + cwdlen + 1, dir, dirlen);
    resolved[cwdlen + 1 + dirlen] = '\0';
  }
  if (!relative) {
    memcpy(resolved, dir, dirlen);
    resolved[dirlen] = '\0';
  }
  from_at = strlen(resolved) + 1; /* < DIR_MAX: the copy of dir fits after it */
  memcpy(resolved + from_at, dir, dirlen);
  resolved[from_at + dirlen] = '\0';
}

static const char *output_dir(void) { return from_at && resolved[0] ? resolved : tprof_cfg.output_dir; }

typedef void (*writer_fn)(tprof_out *, const snapshot *);

/* The temporary name of a file of the set: hidden, in the same directory
 * (so the rename is atomic), and ours (pid). */
static void temp_name(const char *final, char *tmp, size_t n) {
  const char *slash = strrchr(final, '/');
  size_t dirlen = slash ? (size_t)(slash - final + 1) : 0, baselen = strlen(final + dirlen);
  char tail[32];
  size_t taillen = (size_t)tprof_format(tail, sizeof tail, ".%d.tmp", (int)tprof_pid);
  if (dirlen + 1 + baselen + taillen >= n) { /* the output directory's length is bounded well below this */
    tmp[0] = '\0';
    return;
  }
  memcpy(tmp, final, dirlen);
  tmp[dirlen] = '.';
  memcpy(tmp + dirlen + 1, final + dirlen, baselen);
  memcpy(tmp + dirlen + 1 + baselen, tail, taillen + 1);
}

/* A program that used every descriptor its RLIMIT_NOFILE allows (a server
 * at its limit, a leak) would lose its set: the export needs one at a
 * time. The soft limit is raised by a few for the export, when the hard
 * limit (or the privilege to raise it) allows, and put back after it; the
 * program's descriptors are never touched. */
static struct rlimit nofile_saved;
static int nofile_raised;

static int raise_nofile(void) {
  if (nofile_raised || getrlimit(RLIMIT_NOFILE, &nofile_saved) != 0) return 0;
  if (nofile_saved.rlim_cur == RLIM_INFINITY) return 0;
  struct rlimit more = nofile_saved;
  more.rlim_cur += 8;
  if (more.rlim_max != RLIM_INFINITY && more.rlim_cur > more.rlim_max) more.rlim_max = more.rlim_cur;
  int raised = setrlimit(RLIMIT_NOFILE, &more) == 0;
  if (!raised && nofile_saved.rlim_cur < nofile_saved.rlim_max) { /* no privilege: up to the hard limit */
    more = nofile_saved;
    more.rlim_cur = more.rlim_max;
    raised = setrlimit(RLIMIT_NOFILE, &more) == 0;
  }
  nofile_raised = raised;
  return raised;
}

static void restore_nofile(void) {
  if (nofile_raised) setrlimit(RLIMIT_NOFILE, &nofile_saved);
  nofile_raised = 0;
}

static int open_temp(const char *tmp) {
  int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
  if (fd < 0 && errno == EEXIST &&
      unlink(tmp) == 0) /* a leftover of an earlier process with our pid, or a planted link */
    fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
  return fd;
}

/* Fills fd with one file of the set through the export's buffer: 0, or -1
 * with the errno of the first failed write in *err. */
/* The export's output buffer: one export at a time (the exporting flag). */
enum { OUT_BUFFER = 1 << 16 };
static char *out_buffer;

/* In the hot range when a profiled run made one (memory.c), else in the
 * data segment, its 16 pages mapped in one call: half what 16 page faults
 * cost (memory.c's map). */
static void out_buffer_init(void) {
  static char fallback[OUT_BUFFER] __attribute__((aligned(4096)));
  if (out_buffer) return;
  if (tprof_mem_hot_made()) out_buffer = tprof_mem_hot(OUT_BUFFER);
  if (!out_buffer) {
    out_buffer = fallback;
    tprof_mem_populate(fallback, fallback + sizeof fallback);
  }
}

static int fill_file(int fd, writer_fn fill, const snapshot *s, int *err) {
  tprof_out out = {fd, out_buffer, OUT_BUFFER, 0, 0};
  fill(&out, s);
  int rc = tprof_out_flush(&out);
  *err = out.error;
  return rc;
}

/* Writes one file under its temporary name. Created exclusively and never
 * through a symlink: something planted at that name is removed, not
 * followed. */
static int write_temp(const char *tmp, writer_fn fill, const snapshot *s) {
  int fd = open_temp(tmp);
  if (fd < 0 && errno == EMFILE) {
    if (raise_nofile())
      fd = open_temp(tmp);
    else
      errno = EMFILE;
  }
  if (fd < 0) {
    if (errno == EMFILE)
      tprof_error("cannot create %s: every file descriptor of RLIMIT_NOFILE is in use, and the limit cannot be "
                  "raised; no profile written",
                  tmp);
    else
      tprof_error("cannot create %s: %s; no profile written", tmp, strerror(errno));
    return -1;
  }
  int err = 0, rc = fill_file(fd, fill, s, &err);
  if (close(fd) != 0 && rc == 0) {
    err = errno;
    rc = -1;
  }
  if (rc != 0) {
    tprof_error("cannot write %s: %s; no profile written", tmp, strerror(err));
    unlink(tmp);
    return -1;
  }
  return 0;
}

static const struct {
  const char *suffix;
  writer_fn fill;
} set_files[] = {
    {"timings.csv", tprof_write_timings},
    {"cpu_functions.csv", tprof_write_cpu_functions},
    {"memory_summary.json", tprof_write_memory_summary},
    {"memory_allocators.csv", tprof_write_allocators},
    {"memory_traces.csv", tprof_write_traces},
    {"performance_report.md", tprof_write_report},
    {"metrics.json", tprof_write_metrics}, /* last: once it is there, the whole set is */
};
#define SET_SIZE (sizeof set_files / sizeof set_files[0])

static int is_set_file_name(const char *name, size_t len) {
  for (size_t i = 0; i < SET_SIZE; i++) {
    size_t k = strlen(set_files[i].suffix);
    if (len > k && name[len - k - 1] == '_' && strncmp(name + len - k, set_files[i].suffix, k) == 0) return 1;
  }
  return 0;
}

#define NAME_ROOM 4700 /* a prefix (< 4400 bytes), a suffix, the temporary name's additions */

/* A file of the set without a name (O_TMPFILE) until the whole set is
 * written: nothing of a set is in the directory before all of it is, and a
 * process killed while writing (a campaign's timeout sends SIGKILL) leaves
 * nothing behind. Not every file system has it (overlayfs before Linux
 * 6.6, NFS): then the named temporary files below. */
static int open_unnamed(const char *dir) {
#ifdef O_TMPFILE
  return open(dir, O_TMPFILE | O_WRONLY | O_CLOEXEC, 0644);
#else
  (void)dir;
  errno = EOPNOTSUPP;
  return -1;
#endif
}

/* Gives an unnamed file its name, never replacing what is at `final`.
 * linkat with AT_EMPTY_PATH links the descriptor itself; before Linux 6.10
 * it needs CAP_DAC_READ_SEARCH (ENOENT without it). Through /proc's link
 * to the descriptor, it works unprivileged everywhere, but that costs the
 * two path walks of /proc/self/fd/N (~14 us a link on the bench's VM, 7
 * links a set). So the direct way first, and the /proc way from the first
 * time it failed where /proc did not. */
static int link_unnamed(int fd, const char *final) {
  static int empty_path_refused; /* exports run one at a time */
  if (!empty_path_refused) {
    if (linkat(fd, "", AT_FDCWD, final, AT_EMPTY_PATH) == 0) return 0;
    if (errno == EEXIST) return -1;
  }
  char path[32] = "/proc/self/fd/";
  size_t n = strlen(path);
  path[n + tprof_format_u64((uint64_t)fd, path + n)] = '\0';
  int rc = linkat(AT_FDCWD, path, AT_FDCWD, final, AT_SYMLINK_FOLLOW);
  if (rc == 0) empty_path_refused = 1;
  return rc;
}

/* Names an unnamed file `final`. Something already there (a planted
 * symlink, or with `replace` the last snapshot's file) is replaced as the
 * rename of a named temporary file replaces it: the file is linked at its
 * temporary name `tmp` and renamed. */
static int name_unnamed(int fd, const char *final, char *tmp, int replace) {
  if (!replace) {
    if (link_unnamed(fd, final) == 0) return 0;
    if (errno != EEXIST) return -1;
  }
  temp_name(final, tmp, NAME_ROOM);
  unlink(tmp); /* a leftover of an earlier process with our pid, or a planted link */
  if (link_unnamed(fd, tmp) != 0) return -1;
  if (rename(tmp, final) == 0) return 0;
  int e = errno;
  unlink(tmp);
  errno = e;
  return -1;
}

/* The set through unnamed files, named at the end in the set's order
 * (metrics.json last). 1: this directory or process cannot (no O_TMPFILE,
 * no /proc, every descriptor in use): the caller writes the set again
 * through named temporary files, which handle those cases. 0 or -1
 * (reported) otherwise. */
static int write_set_unnamed(const char *dir, char *const *finals, char *tmp, const snapshot *s, int replace) {
  int fds[SET_SIZE];
  size_t made = 0;
  int rc = 0;
  for (; made < SET_SIZE; made++) {
    if ((fds[made] = open_unnamed(dir)) < 0) {
      rc = 1;
      break;
    }
    int err = 0;
    if (fill_file(fds[made], set_files[made].fill, s, &err) != 0) {
      tprof_error("cannot write %s: %s; no profile written", finals[made], strerror(err));
      made++;
      rc = -1;
      break;
    }
  }
  for (size_t i = 0; i < made && rc == 0; i++)
    if (name_unnamed(fds[i], finals[i], tmp, replace) != 0) {
      if (i == 0) {
        rc = 1;
        break;
      }
      tprof_error("cannot name %s: %s; the file set is incomplete", finals[i], strerror(errno));
      rc = -1;
    }
  for (size_t i = 0; i < made; i++) close(fds[i]);
  return rc;
}

/* All seven files are written completely before any is in the directory:
 * without names (above), or else under temporary names then renamed, so an
 * error (a full disk, a size limit) leaves no file of this set behind, and
 * a reader never sees half a file. A rename replaces a symlink at the
 * final name instead of writing through it. `replace`: the names hold the
 * last set of this process (snapshots), which each file replaces by a
 * rename; unnamed until then, so a process killed while a snapshot is
 * written leaves at most the files of the moment it is named. */
static int write_set(const char *dir, const char *prefix, const snapshot *s, int replace) {
  /* The 14 names packed one after another: a row of NAME_ROOM bytes each
   * would put every name on a page of its own, and a fresh page's first
   * write is the export's dearest operation on some machines (~11 us). */
  static char names[2 * SET_SIZE * NAME_ROOM];
  char *finals[SET_SIZE], *temps[SET_SIZE], *free_at = names;
  for (size_t i = 0; i < SET_SIZE; i++) {
    finals[i] = free_at;
    tprof_format(free_at, NAME_ROOM, "%s%s", prefix, set_files[i].suffix);
    free_at += strlen(free_at) + 1;
  }
  int rc = write_set_unnamed(dir, finals, free_at, s, replace);
  if (rc != 1) return rc;
  size_t made = 0;
  rc = 0;
  for (; made < SET_SIZE && rc == 0; made++) {
    temps[made] = free_at;
    temp_name(finals[made], temps[made], NAME_ROOM);
    free_at += strlen(temps[made]) + 1;
    if ((rc = write_temp(temps[made], set_files[made].fill, s)) != 0) break;
  }
  for (size_t i = 0; i < made && rc == 0; i++)
    if (rename(temps[i], finals[i]) != 0) {
      tprof_error("cannot rename %s to %s: %s; the file set is incomplete", temps[i], finals[i], strerror(errno));
      rc = -1;
      for (size_t j = i; j < made; j++) unlink(temps[j]);
    }
  if (rc != 0 && made < SET_SIZE)
    for (size_t i = 0; i < made; i++) unlink(temps[i]);
  return rc;
}

/* A program that closed a standard descriptor (./prog >&-) may go on
 * writing to it (printf, a log line from another thread): a file of the set
 * created while that number is free would get it, and those writes. While
 * the set is written, each free one holds a read-only descriptor of "/" (a
 * write to it fails, as to a closed one), closed after. */
static void hold_std_fds(int held[3]) {
  for (int fd = STDIN_FILENO; fd <= STDERR_FILENO; fd++) {
    held[fd] = -1;
    if (fcntl(fd, F_GETFD) != -1 || errno != EBADF) continue;
    int h = open("/", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (h == fd)
      held[fd] = h;
    else if (h >= 0) /* the program opened fd meanwhile: nothing to hold */
      close(h);
  }
}
static void release_std_fds(const int held[3]) {
  for (int fd = STDIN_FILENO; fd <= STDERR_FILENO; fd++)
    if (held[fd] >= 0) close(held[fd]);
}

/* The longest a file name's program part may be: a file system's name
 * limit (NAME_MAX, 255 bytes) less what the longest temporary name adds,
 * ".<id>_YYYYMMDD_HHMMSS_<pid>.<N>_performance_report.md.<pid>.tmp" with a
 * 10-digit pid and an N of 6 digits: 72 bytes. */
#define ID_MAX 180

static void safe_id(const char *id, char *out, size_t n) {
  size_t i = 0;
  for (; id[i] && i + 1 < n && i < ID_MAX; i++) {
    char c = id[i];
    int ok =
        (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '-' || c == '_';
    out[i] = ok ? c : '_';
  }
  out[i] = '\0';
  if (!i || !strcmp(out, ".") || !strcmp(out, "..")) tprof_format(out, n, "program");
}

/* YYYYMMDD_HHMMSS in UTC, computed here: glibc's gmtime and localtime read
 * the time-zone files with malloc, which an export must not do. */
static void utc_stamp(time_t t, char *out, size_t n) {
  long long secs = (long long)t, days = secs / 86400, rem = secs % 86400;
  if (rem < 0) {
    rem += 86400;
    days--;
  }
  /* civil date from days since 1970-01-01 (proleptic Gregorian calendar) */
  long long z = days + 719468, era = (z >= 0 ? z : z - 146096) / 146097;
  long long doe = z - era * 146097, yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  long long doy = doe - (365 * yoe + yoe / 4 - yoe / 100), mp = (5 * doy + 2) / 153;
  long long d = doy - (153 * mp + 2) / 5 + 1, m = mp < 10 ? mp + 3 : mp - 9, y = yoe + era * 400 + (m <= 2);
  tprof_format(out, n, "%04d%02d%02d_%02d%02d%02d", (int)(y % 10000), (int)m, (int)d, (int)(rem / 3600),
               (int)(rem / 60 % 60), (int)(rem % 60));
}

/* The prefix of a set: dir/id_stamp_pid_. A second set of the same pid
 * and program_id within the same second (a batch's last program and the
 * exit's export, a program exporting in a loop, an exec'd image) would
 * replace the first: it gets dir/id_stamp_pid.N_ with the first N from 2
 * whose metrics.json (a set's last file) does not exist yet. `*seq` is the
 * N to use (1: no suffix), or 0 to probe; it is set to the N chosen. */
static void set_prefix(char *prefix, size_t n, const char *dir, const char *id, const char *stamp, unsigned *seq) {
  int pid = (int)tprof_pid; /* getpid() is a system call; tprof_export_now checked it is ours */
  char probe[4608];
  for (unsigned s = *seq ? *seq : 1;; s++) {
    if (s == 1) /* dir: at most DIR_MAX - 1 bytes (output_dir) */
      tprof_format(prefix, n, "%.*s/%s_%s_%d_", (int)DIR_MAX - 1, dir, id, stamp, pid);
    else
      tprof_format(prefix, n, "%.*s/%s_%s_%d.%u_", (int)DIR_MAX - 1, dir, id, stamp, pid, s);
    tprof_format(probe, sizeof probe, "%smetrics.json", prefix);
    if (*seq || s >= 100000 || access(probe, F_OK) != 0) {
      *seq = s;
      return;
    }
  }
}

/* One export at a time. Another thread's export (a snapshot, or a second
 * thread exiting) is waited for, so the final set is never lost; our own
 * (a signal handler interrupting an export) is not, it would never end. */
static int export_owner;
static int snapshots_closed;
/* calls + allocations + frees in the last file set written; UINT64_MAX before the first */
uint64_t tprof_exported_events = UINT64_MAX;
/* With flush_interval_ms every set of the process has one name, on
 * purpose: each rewrite replaces the last. The name's N is probed once,
 * at the first set, so an earlier image of the pid (before an exec) keeps
 * its set. */
static char fixed_stamp[32];
static unsigned fixed_seq;

static int export_begin(void) {
  int self = (int)gettid();
  for (int waited_ms = 0;; waited_ms++) {
    int expected = 0;
    if (__atomic_compare_exchange_n(&export_owner, &expected, self, 0, __ATOMIC_ACQUIRE, __ATOMIC_RELAXED)) return 0;
    if (expected == self || waited_ms >= 30000) {
      tprof_warn("an export is already running; this one is skipped");
      return -1;
    }
    struct timespec ms = {0, 1000000};
    nanosleep(&ms, NULL);
  }
}

/* The final export is coming (flush.c): no snapshot may start after it. */
void tprof_export_close_snapshots(void) { __atomic_store_n(&snapshots_closed, 1, __ATOMIC_RELEASE); }

void tprof_export_fork_child(void) {
  fixed_stamp[0] = '\0';
  fixed_seq = 0;
  __atomic_store_n(&export_owner, 0, __ATOMIC_RELEASE); /* its owner, if any, is not in the child */
}

/* A file size limit (ulimit -f) must make the set's write fail (EFBIG,
 * with the usual message), not kill the program: the kernel sends the
 * writing thread a SIGXFSZ, whose default action ends the process. The
 * export writes with signals blocked (the registry's lock), so the signal
 * waits, pending on this thread, and is taken here before they are
 * unblocked. Setting SIGXFSZ to ignore instead changed it for the whole
 * process during the export: another thread's own overrun meanwhile went
 * without its handler. A SIGXFSZ pending before the export is left for
 * the program. */
static int xfsz_pending(void) {
  sigset_t pending;
  return sigpending(&pending) == 0 && sigismember(&pending, SIGXFSZ) == 1;
}

static void discard_own_xfsz(void) {
  if (!xfsz_pending()) return;
  sigset_t xfsz;
  sigemptyset(&xfsz);
  sigaddset(&xfsz, SIGXFSZ);
  static const struct timespec no_wait = {0, 0};
  int saved = errno;
  sigtimedwait(&xfsz, NULL, &no_wait);
  errno = saved;
}

static int export_now(tprof_export_reason reason, char *prefix_out, size_t prefix_len);

/* The export holds the registry's lock and the export's ownership across
 * open, write and close, which are cancellation points: a thread cancelled
 * in there died owning both, and every later export, the one at exit
 * included, waited forever (pthread_cancel of a thread that called
 * tprof_export, 8 of 8 runs hung). Cancellation waits until the export is
 * done, and a cancel that came meanwhile acts right after it, where
 * nothing is held: tprof_export stays a cancellation point, as the I/O it
 * does is (a loop that calls nothing else still ends when cancelled). Not
 * from a signal handler: there the export runs with its thread's state as
 * it is (pthread_testcancel is not async-signal-safe). */
int tprof_export_now(tprof_export_reason reason, char *prefix_out, size_t prefix_len) {
  int cancel_state;
  pthread_setcancelstate(PTHREAD_CANCEL_DISABLE, &cancel_state);
  int rc = export_now(reason, prefix_out, prefix_len);
  pthread_setcancelstate(cancel_state, NULL);
  if (cancel_state == PTHREAD_CANCEL_ENABLE && reason == TPROF_REASON_API) pthread_testcancel();
  return rc;
}

static int export_owned(tprof_export_reason reason, char *prefix_out, size_t prefix_len);

/* Signals stay blocked for as long as this thread owns the export: one
 * that arrived meanwhile is delivered once the ownership is given back,
 * so a handler that ends the process (exit() from a SIGALRM handler,
 * tprof's own SIGTERM handler) writes its set. Unblocked at the registry's
 * unlock, with the ownership still ours, its export was skipped as a
 * nested one: every such run lost its last set. */
static int export_now(tprof_export_reason reason, char *prefix_out, size_t prefix_len) {
  if (tprof_in_unknown_child()) /* before export_begin: a vfork child shares export_owner */
    return -1;
  sigset_t mask;
  tprof_signals_block(&mask);
  int rc = -1;
  if (export_begin() == 0) {
    rc = export_owned(reason, prefix_out, prefix_len);
    __atomic_store_n(&export_owner, 0, __ATOMIC_RELEASE);
  }
  tprof_signals_restore(&mask);
  return rc;
}

static int export_owned(tprof_export_reason reason, char *prefix_out, size_t prefix_len) {
  if (reason == TPROF_REASON_SNAPSHOT && __atomic_load_n(&snapshots_closed, __ATOMIC_ACQUIRE)) return 0;
  out_buffer_init();
  tprof_mem_scratch_begin();
  int saved_errno = errno;
  uint64_t now = tprof_now();
  snapshot s = {0};
  char stamp[32], id[256], prefix[4400];
  utc_stamp(time(NULL), stamp, sizeof stamp);
  s.timestamp = stamp;
  static const char *const reasons[] = {"exit", "api", "signal", "exec", "snapshot"};
  s.reason = reasons[reason];
  s.ms_per_tick = 1.0 / tprof_ticks_per_ns() / 1e6;
  s.execution_time_ms = ms(&s, now - tprof_origin_ticks);
  if (tprof_cfg.flush_interval_ms > 0 && !fixed_stamp[0]) memcpy(fixed_stamp, stamp, sizeof fixed_stamp);
  const char *name_stamp = tprof_cfg.flush_interval_ms > 0 || fixed_stamp[0] ? fixed_stamp : stamp;

  int rc = -1;
  /* The function and site tables stay put while we read them; signals wait
   * until the set is written (a handler's instrumented code would need the
   * registry, and a SIGTERM would otherwise kill a half-written set). */
  sigset_t mask;
  s.ncallsites = tprof_callsites_get(&s.callsites);
  tprof_registry_lock(&mask);
  int xfsz_was_pending = xfsz_pending();
  if (tprof_snapshot_gather(&s, now, reason == TPROF_REASON_SNAPSHOT) == 0) {
    if (tprof_cfg.resource_monitoring_enabled) tprof_resources_get(&s.res);
    safe_id(tprof_cfg.program_id, id, sizeof id);
    if (tprof_copy_name()[0]) { /* one of several runtimes in the process: a set of its own (copies.c) */
      char lib[128];
      safe_id(tprof_copy_name(), lib, sizeof lib);
      size_t n = strlen(id);
      tprof_format(id + n, sizeof id - n, ".%s", lib);
      id[ID_MAX] = '\0'; /* id holds more than ID_MAX bytes: the name's limit holds with the library's part too */
    }
    const char *dir = output_dir();
    size_t failed;
    if (tprof_make_dirs(dir, &failed) != 0) {
      int e = errno;
      if (failed == strlen(dir))
        tprof_error("cannot create the output directory %s: %s; no profile written", dir, strerror(e));
      else
        tprof_error("cannot create the output directory %s (at %.*s): %s; no profile written", dir, (int)failed, dir,
                    strerror(e));
    } else {
      unsigned seq = 0;
      set_prefix(prefix, sizeof prefix, dir, id, name_stamp, name_stamp == fixed_stamp ? &fixed_seq : &seq);
      int held[3];
      hold_std_fds(held);
      tprof_remove_stale_temps(dir, is_set_file_name);
      rc = write_set(dir, prefix, &s, name_stamp == fixed_stamp);
      release_std_fds(held);
      restore_nofile();
      if (rc == 0 && reason != TPROF_REASON_SNAPSHOT)
        tprof_exported_events = s.total_calls + s.heap.allocation_count + s.heap.deallocation_count;
      if (rc == 0) tprof_note("wrote %s*", prefix);
      if (rc == 0 && prefix_out && prefix_len) tprof_format(prefix_out, prefix_len, "%s", prefix);
    }
  } else {
    tprof_error("out of memory while exporting; no profile written");
  }
  if (!xfsz_was_pending) discard_own_xfsz();
  tprof_registry_unlock(&mask);
  tprof_snapshot_free(&s);
  errno = saved_errno;
  tprof_mem_scratch_end();
  return rc;
}
