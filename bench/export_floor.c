/* What creating and writing a file set costs on this machine by itself:
 * bench/run.sh runs this right after each timed export (export_timer.c),
 * as a process of its own, with the byte sizes of the set that export
 * wrote, into the same directory. It makes one file per size the way the
 * runtime makes its sets (export.c: unnamed with O_TMPFILE, written in
 * 64 KiB pieces, linked under its name, closed; named temporary files
 * renamed where O_TMPFILE is refused) and prints "floor_ms MS": the wall
 * time of that alone. The bytes come from a buffer touched before the
 * clock starts, so the figure is the file system's and the page cache's
 * share of an export: what any writer of the same files pays, however
 * fast it formats them. The files stay (named floor_<pid>_<n>), as the
 * sets do, so the directory grows as in the timed runs.
 *
 * Usage: export_floor DIR SIZE... */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

enum { PIECE = 64 << 10, /* the runtime's output buffer */ PATH_ROOM_TMP = 1100 };
static char piece[PIECE];

static double now_ms(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

static int write_all(int fd, long long size) {
  while (size > 0) {
    size_t n = size < PIECE ? (size_t)size : PIECE;
    ssize_t w = write(fd, piece, n);
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) return -1;
    size -= w;
  }
  return 0;
}

/* One file of `size` bytes at `final`: unnamed then linked, or (no
 * O_TMPFILE here) a named temporary file renamed. */
static int make_file(const char *dir, const char *final, long long size) {
  int fd = open(dir, O_TMPFILE | O_WRONLY | O_CLOEXEC, 0644);
  if (fd >= 0) {
    int rc = write_all(fd, size);
    if (rc == 0 && linkat(fd, "", AT_FDCWD, final, AT_EMPTY_PATH) != 0) {
      char proc[64];
      snprintf(proc, sizeof proc, "/proc/self/fd/%d", fd);
      rc = linkat(AT_FDCWD, proc, AT_FDCWD, final, AT_SYMLINK_FOLLOW);
    }
    close(fd);
    return rc;
  }
  char tmp[PATH_ROOM_TMP];
  snprintf(tmp, sizeof tmp, "%s.tmp", final);
  fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd < 0) return -1;
  int rc = write_all(fd, size);
  if (close(fd) != 0) rc = -1;
  if (rc == 0) rc = rename(tmp, final);
  if (rc != 0) unlink(tmp);
  return rc;
}

int main(int argc, char **argv) {
  if (argc < 3) {
    fprintf(stderr, "usage: %s DIR SIZE...\n", argv[0]);
    return 2;
  }
  enum { MAX_FILES = 16, PATH_ROOM = 1024 };
  long long sizes[MAX_FILES];
  int n = argc - 2;
  if (n > MAX_FILES) {
    fprintf(stderr, "export_floor: at most %d sizes\n", MAX_FILES);
    return 2;
  }
  for (int i = 0; i < n; i++) {
    char *end;
    sizes[i] = strtoll(argv[i + 2], &end, 10);
    if (*end || sizes[i] < 0) {
      fprintf(stderr, "export_floor: '%s' is not a size in bytes\n", argv[i + 2]);
      return 2;
    }
  }
  memset(piece, 'x', sizeof piece);
  char finals[MAX_FILES][PATH_ROOM];
  for (int i = 0; i < n; i++)
    if ((size_t)snprintf(finals[i], PATH_ROOM, "%s/floor_%d_%d", argv[1], (int)getpid(), i) >= PATH_ROOM) {
      fprintf(stderr, "export_floor: directory path too long: %s\n", argv[1]);
      return 2;
    }
  double start = now_ms();
  for (int i = 0; i < n; i++)
    if (make_file(argv[1], finals[i], sizes[i]) != 0) {
      fprintf(stderr, "export_floor: cannot write %s: %s\n", finals[i], strerror(errno));
      return 1;
    }
  printf("floor_ms %.3f\n", now_ms() - start);
  return 0;
}
