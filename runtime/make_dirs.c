/* tprof_make_dirs: see make_dirs.h. */
#include "make_dirs.h"

#include <errno.h>
#include <limits.h>
#include <string.h>
#include <sys/stat.h>

static int failed_at(size_t len, size_t *failed) {
  if (failed) *failed = len;
  return -1;
}

int tprof_make_dirs(const char *path, size_t *failed) {
  struct stat st;
  if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) return 0; /* the usual case: one system call */
  size_t len = strlen(path);
  if (len == 0 || len >= PATH_MAX) {
    errno = len ? ENAMETOOLONG : ENOENT;
    return failed_at(len, failed);
  }
  char buf[PATH_MAX];
  memcpy(buf, path, len + 1);
  /* Each ancestor, then the path itself. One that exists must be a
   * directory: mkdir's EEXIST does not say so. */
  for (char *p = buf + 1;; p++) {
    if (*p && *p != '/') continue;
    char c = *p;
    *p = '\0';
    if (mkdir(buf, 0777) != 0) {
      if (errno != EEXIST) return failed_at((size_t)(p - buf), failed);
      if (stat(buf, &st) != 0) return failed_at((size_t)(p - buf), failed);
      if (!S_ISDIR(st.st_mode)) {
        errno = ENOTDIR;
        return failed_at((size_t)(p - buf), failed);
      }
    }
    *p = c;
    if (!c) return 0;
  }
}
