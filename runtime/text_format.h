/* snprintf for the exporter's own texts (file names, JSON and Markdown
 * headers): the conversions it uses written here, so that a process's
 * export does not run the C library's printf for the first time. That
 * first call costs ~60 us of cold code on the VMs of docs/BENCHMARKS.md
 * (pages of the library mapped at first use, its symbol bound through
 * the PLT), a tenth of one transpiled program's export; a second costs
 * 0.3 us.
 *
 * Written here: %%, %[0][width]{d,u,c} and %[0][width][.prec|.*]{s,f},
 * with the length modifiers l, ll and z: the same bytes as the C
 * library's snprintf. A format with any other conversion, and an %f whose rounding
 * is too close to call with a double's product (an exact tie, which printf
 * rounds to even), goes to vsnprintf. No locale, no allocation;
 * async-signal-safe unless it falls back. */
#ifndef TPROF_TEXT_FORMAT_H
#define TPROF_TEXT_FORMAT_H

#include <stdarg.h>
#include <stddef.h>

/* As vsnprintf: at most n bytes into out (n > 0: NUL-terminated, cut
 * short if need be); returns the length the whole text has. */
size_t tprof_vformat(char *out, size_t n, const char *fmt, va_list ap);
size_t tprof_format(char *out, size_t n, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

#endif
