/* Preloaded (LD_PRELOAD) into a test program to widen a race window on
 * purpose: each call of the C library functions below first sleeps
 * SLOW_CALLS_MS milliseconds (default 100), then does its work. Tests use it
 * to make a rare interleaving certain: a snapshot taken while a library's
 * runtime copy looks up its name (dladdr1), or after a signal's export and
 * before the signal is raised again (raise). */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdlib.h>
#include <time.h>

static void pause_a_while(void) {
  const char *ms_text = getenv("SLOW_CALLS_MS");
  long ms = ms_text ? atol(ms_text) : 100;
  struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
  while (nanosleep(&ts, &ts) != 0) {
  }
}

int dladdr1(const void *addr, Dl_info *info, void **extra, int flags) {
  static int (*next)(const void *, Dl_info *, void **, int);
  if (!next) next = (int (*)(const void *, Dl_info *, void **, int))dlsym(RTLD_NEXT, "dladdr1");
  pause_a_while();
  return next(addr, info, extra, flags);
}

int raise(int sig) {
  static int (*next)(int);
  if (!next) next = (int (*)(int))dlsym(RTLD_NEXT, "raise");
  pause_a_while();
  return next(sig);
}
