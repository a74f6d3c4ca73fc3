/* The exporter's snprintf (text_format.c) writes the C library's bytes and
 * returns its length: checked against snprintf on every conversion it
 * writes itself, on the formats it hands to the C library, on buffers too
 * short, and on random doubles for %f (whose ties printf rounds to even). */
#include "../../runtime/number_format.h"
#include "../../runtime/text_format.h"
#include "check.h"

#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#pragma GCC diagnostic ignored "-Wformat-truncation" /* cut short on purpose below */

static int mismatches;

/* Both ways, into buffers of n bytes; reports the first few differences. */
#define SAME(n, ...)                                                                                               \
  do {                                                                                                             \
    char ours_[400], libc_[400];                                                                                   \
    memset(ours_, 'x', sizeof ours_);                                                                              \
    memset(libc_, 'x', sizeof libc_);                                                                              \
    size_t got_ = tprof_format(ours_, (n), __VA_ARGS__);                                                           \
    int want_ = snprintf(libc_, (n), __VA_ARGS__);                                                                 \
    if (got_ != (size_t)want_ || memcmp(ours_, libc_, sizeof ours_) != 0) {                                        \
      if (mismatches++ < 10)                                                                                       \
        fprintf(stderr, "%s:%d: %s: ours '%.*s' (%zu), the C library's '%.*s' (%d)\n", __FILE__, __LINE__,         \
                #__VA_ARGS__, (int)((n) ? strnlen(ours_, (n)) : 0), ours_, got_, (int)((n) ? strnlen(libc_, (n)) : 0), \
                libc_, want_);                                                                                     \
      check_failures++;                                                                                            \
    }                                                                                                              \
  } while (0)

int main(void) {
  const size_t big = 400;
  /* integers of every length modifier, at their limits */
  SAME(big, "%d|%d|%d|%d", 0, -1, INT_MAX, INT_MIN);
  SAME(big, "%ld|%ld|%lld|%lld", LONG_MAX, LONG_MIN, LLONG_MAX, LLONG_MIN);
  SAME(big, "%u|%u|%lu|%llu|%zu", 0u, UINT_MAX, ULONG_MAX, ULLONG_MAX, SIZE_MAX);
  SAME(big, "%04d%02d%02d_%02d%02d%02d", 2026, 12, 6, 0, 5, 59);
  SAME(big, "[%04d] [%5d] [%05d] [%2d] [%3u] [%08lld]", -5, -42, 7, 12345, 9u, -123456789LL);
  /* strings, with widths and precisions */
  SAME(big, "%s/%s_%s_%d.%u_", "/tmp/out", "prog", "20261206_010203", 4242, 3u);
  SAME(big, "%.*s|%.2s|%.4s|%.0s|%.10s|%5s|%-5s|", 3, "abcdef", "2026", "x", "never", "short", "ab", "left");
  SAME(big, "%c%c|%3c|100%%|%%d", 'a', 'Z', 'q');
  SAME(big, "no conversion at all");
  SAME(big, "%s", "");
  /* formats it leaves to the C library */
  SAME(big, "%x %X %o %e %g %p|%+d|% d|%-4d|%5.2d", 255u, 255u, 8u, 1.5, 0.1, (void *)0, 5, 5, 7, 3);
  SAME(big, "%.17g %.*g %a", 0.1, 15, 2.0 / 3, 1.0);
  /* cut short, and a length count with no buffer */
  SAME(5, "%s-%d", "abcdef", 12345);
  SAME(1, "%d", 42);
  SAME(8, "%04d%02d%02d_%02d", 2026, 1, 2, 3);
  CHECK(tprof_format(NULL, 0, "%s and %d", "seven", 7) == 11);
  /* %f: fixed cases, ties (printf rounds them to even), signs, huge and special values */
  const double fixed[] = {0,      -0.0,    1,          0.5,     1.5,     2.5,      0.0625, 0.5625, 0.0005,
                          0.0015, 1.0005,  -0.0001,    -2.5,    123.456, 1e-7,     1e13,   1e14,   1e20,
                          1e300,  INFINITY, -INFINITY, NAN,     0.125,   4.5,      2.675,  1.005,  99.9995};
  for (size_t i = 0; i < sizeof fixed / sizeof fixed[0]; i++)
    for (int d = 0; d <= 7; d++) SAME(big, "%.*f|%.3f|%12.2f|%012.3f", d, fixed[i], fixed[i], fixed[i], fixed[i]);
  SAME(big, "%f %lf", 3.14159265358979, -2.0);
  /* random doubles of every magnitude the exporter writes, and exact
   * multiples of powers of two (ties at some number of decimals) */
  for (int i = 0; i < 200000; i++) {
    uint64_t r = check_random();
    double v = (double)(r >> 11) / 9007199254740992.0 * pow(10, (int)(r % 13) - 4);
    if (i % 3 == 0) v = (double)(r % 100000) / (double)(1u << (r >> 60)); /* dyadic: exact ties */
    if (i % 7 == 0) v = -v;
    SAME(big, "%.*f", (int)(r >> 40) % 7, v);
  }
  /* tprof_format_fixed alone: what it writes is printf's, or it declines */
  int declined = 0;
  for (int i = 0; i < 200000; i++) {
    uint64_t r = check_random();
    double v = (double)(r % 1000000000) / 1000.0 + (double)(r >> 54) / 4096.0;
    int d = (int)((r >> 32) % 7);
    char ours[32], libc[400];
    size_t n = tprof_format_fixed(v, d, ours);
    snprintf(libc, sizeof libc, "%.*f", d, v);
    if (!n)
      declined++;
    else
      CHECK(n == strlen(libc) && memcmp(ours, libc, n) == 0);
  }
  CHECK(declined < 20000); /* the ties and near-ties of these values only */
  printf("%d mismatches, %d of 200000 declined by tprof_format_fixed\n", mismatches, declined);
  CHECK_DONE();
}
