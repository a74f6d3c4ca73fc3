/* stale_temps.c: an export removes the temporary files that a killed
 * writer left in the output directory, and nothing else: only names of the
 * temporary pattern (".<set file name>.<pid>.tmp", per the exporter's test
 * of set file names), whose process is gone, and older than a minute; a
 * directory of over 1,024 entries at most once a minute. */
#include "../../runtime/internal.h"
#include "check.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

static char dir[] = "/tmp/tprof_stale_XXXXXX";

/* The exporter's rule stand-in: set files end in "metrics.json". */
static int is_set_file(const char *name, size_t len) {
  static const char suffix[] = "metrics.json";
  return len >= sizeof suffix - 1 && memcmp(name + len - (sizeof suffix - 1), suffix, sizeof suffix - 1) == 0;
}

static void make(const char *name, int age_s) {
  char path[512];
  snprintf(path, sizeof path, "%s/%s", dir, name);
  int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
  if (fd >= 0) close(fd);
  struct timeval tv[2];
  gettimeofday(&tv[0], NULL);
  tv[0].tv_sec -= age_s;
  tv[1] = tv[0];
  utimes(path, tv);
}

static int exists(const char *name) {
  char path[512];
  struct stat st;
  snprintf(path, sizeof path, "%s/%s", dir, name);
  return stat(path, &st) == 0;
}

int main(void) {
  tprof_set_option("export_profiling_data", "0");
  if (!mkdtemp(dir)) {
    perror("mkdtemp");
    return 2;
  }
  /* A pid that is surely gone: a child that has exited and been reaped. */
  pid_t child = fork();
  if (child == 0) _exit(0);
  waitpid(child, NULL, 0);
  char dead_old[128], dead_new[128], alive_old[128], other_old[128], own_old[128];
  snprintf(dead_old, sizeof dead_old, ".p1.metrics.json.%d.tmp", (int)child);
  snprintf(dead_new, sizeof dead_new, ".p2.metrics.json.%d.tmp", (int)child);
  snprintf(alive_old, sizeof alive_old, ".p3.metrics.json.%d.tmp", (int)getppid());
  snprintf(other_old, sizeof other_old, ".notes.txt.%d.tmp", (int)child);
  snprintf(own_old, sizeof own_old, ".p4.metrics.json.%d.tmp", (int)getpid());
  make(dead_old, 3600);  /* writer gone, an hour old: removed */
  make(dead_new, 0);     /* writer gone, just written: kept (another namespace's writer?) */
  make(alive_old, 3600); /* writer alive: kept */
  make(other_old, 3600); /* not a set file's temporary: kept */
  make(own_old, 3600);   /* ours: kept */
  make("p1.metrics.json", 3600); /* a finished set file: kept */

  tprof_remove_stale_temps(dir, is_set_file);

  CHECK(!exists(dead_old));
  CHECK(exists(dead_new));
  CHECK(exists(alive_old));
  CHECK(exists(other_old));
  CHECK(exists(own_old));
  CHECK(exists("p1.metrics.json"));

  const char *left[] = {dead_new, alive_old, other_old, own_old, "p1.metrics.json"};
  for (size_t i = 0; i < sizeof left / sizeof left[0]; i++) {
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, left[i]);
    unlink(path);
  }
  CHECK(!exists(".tprof-scanned")); /* a small directory is read at every export, unmarked */

  /* A large directory (over 128 entries) is read at most once a minute:
   * its scan leaves a marker, and a leftover made after it waits until the
   * marker is a minute old. */
  enum { SMALL = 120, FILLERS = 140 };
  char name[128];
  for (int i = 0; i < FILLERS; i++) {
    if (i == SMALL) { /* 120 entries (and ".", ".."): still small */
      tprof_remove_stale_temps(dir, is_set_file);
      CHECK(!exists(".tprof-scanned"));
    }
    snprintf(name, sizeof name, "q%d_metrics.json", i);
    make(name, 3600);
  }
  make(dead_old, 3600);
  tprof_remove_stale_temps(dir, is_set_file);
  CHECK(!exists(dead_old));
  CHECK(exists(".tprof-scanned"));
  make(dead_old, 3600);
  tprof_remove_stale_temps(dir, is_set_file);
  CHECK(exists(dead_old)); /* scanned less than a minute ago: not read */
  /* The kernel stamps files from a finer clock than time() reads: a marker
   * just touched can be a second ahead of time(), and is still fresh. */
  make(".tprof-scanned", -1);
  tprof_remove_stale_temps(dir, is_set_file);
  CHECK(exists(dead_old));
  /* A marker an hour ahead (the clock was set back) does not stop scans. */
  make(".tprof-scanned", -3600);
  tprof_remove_stale_temps(dir, is_set_file);
  CHECK(!exists(dead_old));
  make(dead_old, 3600);
  make(".tprof-scanned", 120);
  tprof_remove_stale_temps(dir, is_set_file);
  CHECK(!exists(dead_old));
  for (int i = 0; i < FILLERS; i++) {
    snprintf(name, sizeof name, "%s/q%d_metrics.json", dir, i);
    unlink(name);
  }
  snprintf(name, sizeof name, "%s/.tprof-scanned", dir);
  unlink(name);
  rmdir(dir);
  CHECK_DONE();
}
