/* The process's anonymous mappings, read from /proc/self/maps with plain
 * syscalls (an export may run in a signal handler, and must not allocate). */
#include "internal.h"

#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

/* Parses "lo-hi perms offset dev inode [path]"; 1 when the line is an
 * anonymous mapping (inode 0: no file behind it). */
static int parse_line(const char *s, const char *end, uintptr_t *lo, uintptr_t *hi) {
  uintptr_t v[2] = {0, 0};
  for (int i = 0; i < 2; i++) {
    const char *start = s;
    for (; s < end && ((*s >= '0' && *s <= '9') || (*s >= 'a' && *s <= 'f')); s++)
      v[i] = v[i] * 16 + (uintptr_t)(*s <= '9' ? *s - '0' : *s - 'a' + 10);
    if (s == start || s == end || *s != (i ? ' ' : '-')) return 0;
    s++;
  }
  for (int field = 0; field < 3; field++) { /* perms, offset, dev */
    while (s < end && *s != ' ') s++;
    while (s < end && *s == ' ') s++;
  }
  if (s == end || *s != '0' || (s + 1 < end && s[1] != ' ' && s[1] != '\n')) return 0; /* inode */
  *lo = v[0];
  *hi = v[1];
  return 1;
}

int tprof_each_anonymous_mapping(void (*fn)(uintptr_t lo, uintptr_t hi, void *ctx), void *ctx) {
  int saved_errno = errno;
  int fd = open("/proc/self/maps", O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    errno = saved_errno;
    return -1;
  }
  char buf[4096];
  size_t have = 0;
  int rc = 0;
  for (;;) {
    ssize_t n = read(fd, buf + have, sizeof buf - have);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      rc = -1;
      break;
    }
    have += (size_t)n;
    size_t start = 0;
    for (size_t i = 0; i < have; i++) {
      if (buf[i] != '\n') continue;
      uintptr_t lo, hi;
      if (parse_line(buf + start, buf + i + 1, &lo, &hi) && lo < hi) fn(lo, hi, ctx);
      start = i + 1;
    }
    if (n == 0) break;                      /* a last line without '\n' is not produced by the kernel */
    if (start == 0 && have == sizeof buf) { /* a line longer than the buffer: a path; drop it */
      have = 0;
      continue;
    }
    memmove(buf, buf + start, have - start);
    have -= start;
  }
  close(fd);
  errno = saved_errno;
  return rc;
}
