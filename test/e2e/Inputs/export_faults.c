/* Preloaded (LD_PRELOAD) into a test program to put its export in
 * situations a test cannot otherwise arrange:
 *   FAULT_NO_TMPFILE=1    open(O_TMPFILE) fails with EOPNOTSUPP, as on a
 *                         file system without it (overlayfs before Linux
 *                         6.6, NFS): the export's named temporary files
 *   FAULT_KILL_AT_WRITE=N the Nth write() to a descriptor above 2 kills the
 *                         process with SIGKILL first (a campaign's timeout
 *                         arriving in the middle of the export at exit)
 *   FAULT_NO_EMPTY_PATH=1 linkat(..., AT_EMPTY_PATH) fails with ENOENT, as
 *                         without CAP_DAC_READ_SEARCH before Linux 6.10;
 *                         at exit, "linkat AT_EMPTY_PATH refused N" on
 *                         stderr */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static int refuse(int flags) {
  const char *v = getenv("FAULT_NO_TMPFILE");
  return v && *v == '1' && (flags & O_TMPFILE) == O_TMPFILE;
}

/* open and open64 alike: refused as configured, else the C library's. */
static int intercept(const char *name, const char *path, int flags, va_list ap) {
  if (refuse(flags)) {
    errno = EOPNOTSUPP;
    return -1;
  }
  int (*next)(const char *, int, ...) = (int (*)(const char *, int, ...))dlsym(RTLD_NEXT, name);
  mode_t mode = (flags & O_CREAT) || (flags & O_TMPFILE) == O_TMPFILE ? va_arg(ap, mode_t) : 0;
  return next(path, flags, mode);
}

int open(const char *path, int flags, ...) {
  va_list ap;
  va_start(ap, flags);
  int fd = intercept("open", path, flags, ap);
  va_end(ap);
  return fd;
}

int open64(const char *path, int flags, ...) {
  va_list ap;
  va_start(ap, flags);
  int fd = intercept("open64", path, flags, ap);
  va_end(ap);
  return fd;
}

ssize_t write(int fd, const void *buf, size_t n) {
  static ssize_t (*next)(int, const void *, size_t);
  static long writes;
  if (!next) next = (ssize_t(*)(int, const void *, size_t))dlsym(RTLD_NEXT, "write");
  const char *at = getenv("FAULT_KILL_AT_WRITE");
  if (at && fd > 2 && ++writes == atol(at)) kill(getpid(), SIGKILL);
  return next(fd, buf, n);
}

static long empty_path_refused;

static void report_refused(void) { fprintf(stderr, "linkat AT_EMPTY_PATH refused %ld\n", empty_path_refused); }

int linkat(int olddirfd, const char *oldpath, int newdirfd, const char *newpath, int flags) {
  static int (*next)(int, const char *, int, const char *, int);
  if (!next) next = (int (*)(int, const char *, int, const char *, int))dlsym(RTLD_NEXT, "linkat");
  const char *v = getenv("FAULT_NO_EMPTY_PATH");
  if (v && *v == '1' && (flags & AT_EMPTY_PATH)) {
    if (empty_path_refused++ == 0) atexit(report_refused);
    errno = ENOENT;
    return -1;
  }
  return next(olddirfd, oldpath, newdirfd, newpath, flags);
}
