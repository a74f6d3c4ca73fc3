/* Temporary files of a process killed while it was writing a set (SIGKILL
 * cannot be caught) would stay in output_dir for ever. Each export removes
 * such leftovers: names of our temporary pattern, ".<prefix><file>.<pid>.tmp",
 * whose process no longer exists and which nobody has written for a minute
 * (the age guards against a writer in another pid namespace sharing the
 * directory, whose pid we cannot see). The directory is read by
 * tprof_dir_each, which allocates nothing.
 *
 * Reading the directory costs with its size: a campaign that runs 10,000
 * programs into one output_dir holds 70,000 files, and every export read
 * them all (9 ms each at 20,000 files; ~0.6 us an entry on the bench's VM,
 * so 0.65 ms at 1,024, a quarter of a small program's whole export). A
 * directory of more than SCAN_MARK_ENTRIES entries gets an empty file
 * SCAN_MARKER, touched at each scan, and is read again only when that is a
 * minute old: a leftover needs a minute of age to go anyway, so it now
 * goes within two. Smaller directories (the sets of up to 18 runs) get no
 * marker and are read every time. */
#include "internal.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define STALE_AFTER_S 60
#define CLOCK_SKEW_S 2
#define SCAN_MARKER ".tprof-scanned"
#define SCAN_MARK_ENTRIES 128

/* The writer's pid when `name` is one of our temporary names, else 0. */
static long temp_owner(const char *name, int (*is_set_file_name)(const char *, size_t)) {
  size_t n = strlen(name);
  if (name[0] != '.' || n < 8 || strcmp(name + n - 4, ".tmp") != 0) return 0;
  const char *digits_end = name + n - 4, *digits = digits_end;
  while (digits > name && digits[-1] >= '0' && digits[-1] <= '9') digits--;
  if (digits == digits_end || digits[-1] != '.') return 0;
  size_t final_len = (size_t)(digits - 1 - (name + 1)); /* between the leading '.' and ".<pid>" */
  return is_set_file_name(name + 1, final_len) ? strtol(digits, NULL, 10) : 0;
}

struct scan {
  int (*is_set_file_name)(const char *, size_t);
  time_t now;
  unsigned long entries;
};

static int remove_if_stale(int dir_fd, const char *name, void *ctx) {
  struct scan *scan = ctx;
  scan->entries++;
  long pid = temp_owner(name, scan->is_set_file_name);
  if (pid <= 0 || pid == (long)getpid()) return 0;
  if (kill((pid_t)pid, 0) == 0 || errno != ESRCH) /* alive, or not ours to judge */
    return 0;
  struct stat st;
  if (fstatat(dir_fd, name, &st, AT_SYMLINK_NOFOLLOW) == 0 && scan->now - st.st_mtime >= STALE_AFTER_S)
    unlinkat(dir_fd, name, 0);
  return 0;
}

void tprof_remove_stale_temps(const char *dir, int (*is_set_file_name)(const char *name, size_t len)) {
  int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return;
  struct scan scan = {is_set_file_name, time(NULL), 0};
  struct stat mark;
  /* A file's mtime may be a second ahead of time(): the kernel stamps files
   * from a finer clock than the coarse one time() reads. A marker further in
   * the future (the clock was set back) does not stop the scan. */
  if (fstatat(fd, SCAN_MARKER, &mark, AT_SYMLINK_NOFOLLOW) == 0 && S_ISREG(mark.st_mode) &&
      mark.st_mtime <= scan.now + CLOCK_SKEW_S &&
      scan.now - mark.st_mtime < STALE_AFTER_S) { /* a large directory, read by an export less than a minute ago */
    close(fd);
    return;
  }
  tprof_dir_each(fd, remove_if_stale, &scan);
  if (scan.entries > SCAN_MARK_ENTRIES) {
    int m = openat(fd, SCAN_MARKER, O_WRONLY | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0644);
    if (m >= 0) {
      futimens(m, NULL); /* now, also when it existed */
      close(m);
    }
  }
  close(fd);
}
