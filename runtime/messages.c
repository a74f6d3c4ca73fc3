/* What the runtime tells the user on stderr, at the levels of the
 * verbosity option: errors always (data lost: a file set not written is
 * worse than a line on stderr, even with verbosity=0), warnings from 1,
 * notes (a line per export) from 2. Every runtime message goes through
 * these three, so each starts with "tprof: " and one place decides. */
#include "internal.h"

#include <stdarg.h>
#include <stdio.h>

static void say(const char *kind, const char *fmt, va_list ap) {
  fputs("tprof: ", stderr);
  fputs(kind, stderr);
  vfprintf(stderr, fmt, ap);
  fputc('\n', stderr);
}

void tprof_error(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  say("", fmt, ap);
  va_end(ap);
}

void tprof_warn(const char *fmt, ...) {
  if (tprof_cfg.verbosity < 1) return;
  va_list ap;
  va_start(ap, fmt);
  say("warning: ", fmt, ap);
  va_end(ap);
}

void tprof_note(const char *fmt, ...) {
  if (tprof_cfg.verbosity < 2) return;
  va_list ap;
  va_start(ap, fmt);
  say("", fmt, ap);
  va_end(ap);
}
