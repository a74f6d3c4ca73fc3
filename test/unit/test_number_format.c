/* The number formatter shared by the runtime and the tprof command: every
 * double reads back as itself (strtod), in the fewest digits that do (as
 * the shortest of %.1g..%.17g that round-trips), always with a decimal
 * point or an exponent. Checked on fixed cases, on every kind of value the
 * exporter writes, and on random bit patterns and values. */
#include "../../runtime/number_format.h"
#include "check.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static char *fmt(double v) {
  static char buf[TPROF_NUMBER_MAX];
  size_t n = tprof_format_double(v, buf);
  CHECK(n == strlen(buf));
  return buf;
}

/* Significant digits of a decimal number text (leading zeros and the
 * exponent excluded, trailing zeros of a whole number's ".0" excluded). */
static int digits(const char *s) {
  int n = 0, started = 0, trailing = 0;
  for (; *s && *s != 'e' && *s != 'E'; s++) {
    if (*s < '0' || *s > '9') continue;
    if (*s != '0') started = 1;
    if (!started) continue;
    n++;
    trailing = *s == '0' ? trailing + 1 : 0;
  }
  return n - trailing;
}

/* Whether tprof_format_ns_as_ms (scale 6) or tprof_format_ns_as_s (scale 9)
 * writes what tprof_format_double writes for ns / 10^scale; says what
 * differs on stderr. */
static int ns_scaled_matches(uint64_t ns, int scale) {
  char got[TPROF_NUMBER_MAX], want[TPROF_NUMBER_MAX];
  size_t len = scale == 6 ? tprof_format_ns_as_ms(ns, got) : tprof_format_ns_as_s(ns, got);
  got[len] = 0;
  tprof_format_double((double)ns / (scale == 6 ? 1e6 : 1e9), want);
  if (!strcmp(got, want)) return 1;
  fprintf(stderr, "%llu ns written as %s (scale %d), tprof_format_double: %s\n", (unsigned long long)ns, got, scale,
          want);
  return 0;
}
static int ns_as_ms_matches(uint64_t ns) { return ns_scaled_matches(ns, 6); }

static int shortest_digits(double v) {
  char buf[40];
  for (int p = 1; p <= 17; p++) {
    snprintf(buf, sizeof buf, "%.*g", p, v);
    if (strtod(buf, NULL) == v) return p;
  }
  return 17;
}

static uint64_t next(void) { return check_random(); }

/* Whether the len bytes at got are what printf writes for v with fmt; says
 * both when not. */
static int matches_printf(const char *got, size_t len, const char *fmt, unsigned long long v) {
  char want[32];
  snprintf(want, sizeof want, fmt, v);
  if (strlen(want) == len && !memcmp(got, want, len)) return 1;
  fprintf(stderr, "%s written as %.*s\n", want, (int)len, got);
  return 0;
}

static int bad;
static void check_value(double v) {
  if (!isfinite(v)) return;
  const char *s = fmt(v);
  int ok = strtod(s, NULL) == v && strpbrk(s, ".e") != NULL && digits(s) <= shortest_digits(v);
  if (!ok && bad++ < 10) fprintf(stderr, "%.17g written as %s (shortest %d digits)\n", v, s, shortest_digits(v));
  CHECK(ok);
}

int main(void) {
  CHECK(!strcmp(fmt(0), "0.0"));
  CHECK(!strcmp(fmt(-0.0), "0.0"));
  CHECK(!strcmp(fmt(1), "1.0"));
  CHECK(!strcmp(fmt(-42), "-42.0"));
  CHECK(!strcmp(fmt(2.861), "2.861"));
  CHECK(!strcmp(fmt(0.1), "0.1"));
  CHECK(!strcmp(fmt(0.000123), "0.000123"));
  CHECK(!strcmp(fmt(123456.789012), "123456.789012"));
  CHECK(!strcmp(fmt(1e300), "1e+300"));
  CHECK(!strcmp(fmt(1e16), "1e+16"));
  CHECK(!strcmp(fmt(9007199254740993.0 * 4), "36028797018963970.0") || !strcmp(fmt(9007199254740993.0 * 4), "3.602879701896397e+16"));
  CHECK(!strcmp(fmt(0.0 / 0.0), "0.0"));
  CHECK(!strcmp(fmt(-1.0 / 0.0), "0.0"));
  CHECK(!strcmp(fmt(1.0 / 3), "0.3333333333333333"));

  /* tprof_format_u64 against printf, every length and the edges */
  {
    uint64_t edge[3 * 20 + 2] = {UINT64_MAX, 4294967295u};
    uint64_t p = 1;
    for (int d = 0; d < 20; d++, p *= 10) { /* every length's edges: 10^d - 1, 10^d, 10^d + 1 */
      edge[2 + 3 * d] = p - 1;
      edge[3 + 3 * d] = p;
      edge[4 + 3 * d] = p + 1;
    }
    for (int i = 0; i < (int)(sizeof edge / sizeof edge[0]) + 20000; i++) {
      uint64_t n = i < (int)(sizeof edge / sizeof edge[0]) ? edge[i] : next() >> (next() % 64);
      char got[24];
      if (!matches_printf(got, tprof_format_u64(n, got), "%llu", (unsigned long long)n)) {
        CHECK(0);
        break;
      }
    }
  }

  /* tprof_format_u64 against a digit-at-a-time reference: every value
   * below 10^6, every residue mod 50 through 10^8, and those values in each
   * 8-digit block of the longer numbers (10^8 * k + v, 10^16 * k + v,
   * 10^8 * v + i). */
  {
    int bad = 0;
    for (uint64_t i = 0; i < 3000000 && !bad; i++) {
      uint64_t v = i < 1000000 ? i : (i - 1000000) * 50 + i % 50; /* every residue mod 50 through 10^8 */
      uint64_t n[4] = {v, 100000000ull * (i % 9999 + 1) + v, 10000000000000000ull * (i % 1844 + 1) + v,
                       100000000ull * v + i % 100000000ull};
      for (int k = 0; k < 4 && !bad; k++) {
        char got[24], want[24];
        int len = 0;
        uint64_t t = n[k];
        do want[len++] = (char)('0' + t % 10);
        while (t /= 10);
        for (int a = 0, b = len - 1; a < b; a++, b--) {
          char c = want[a];
          want[a] = want[b];
          want[b] = c;
        }
        size_t got_len = tprof_format_u64(n[k], got);
        if (got_len != (size_t)len || memcmp(got, want, (size_t)len)) {
          fprintf(stderr, "tprof_format_u64(%llu) wrote %.*s\n", (unsigned long long)n[k], (int)got_len, got);
          bad = 1;
        }
      }
    }
    CHECK(!bad);
  }

  /* every fraction of a millisecond, at two whole parts */
  for (uint64_t i = 0; i < 2000000; i++)
    if (!ns_as_ms_matches((i < 1000000 ? 0 : 12345000000ull) + i % 1000000)) {
      CHECK(0);
      break;
    }

  /* tprof_format_ns_as_ms and _as_s: the text tprof_format_double gives
   * ns / 1e6 and ns / 1e9, at every length, at the 10^15 ns switch to the double path, and random */
  {
    uint64_t edge[3 * 20 + 4] = {0, 1, 999999999999999ull, 1000000000000000ull};
    uint64_t p = 1;
    for (int d = 0; d < 20; d++, p *= 10) {
      edge[4 + 3 * d] = p - 1;
      edge[5 + 3 * d] = p;
      edge[6 + 3 * d] = p + 1;
    }
    int n_edge = (int)(sizeof edge / sizeof edge[0]);
    for (int i = 0; i < n_edge + 200000; i++) {
      uint64_t ns = i < n_edge ? edge[i] : next() >> (next() % 64);
      if (i >= n_edge && i % 3 == 0) ns -= ns % 1000; /* whole microseconds: trailing zeros */
      if (!ns_as_ms_matches(ns) || !ns_scaled_matches(ns, 9)) {
        CHECK(0);
        break;
      }
    }
  }
  /* tprof_format_ns_as_s: the fraction's ends (100 ns to 999,999,999 ns), and seconds that ms / 1e3 would have written with 16
   * or 17 digits */
  {
    char got[TPROF_NUMBER_MAX];
    size_t len = tprof_format_ns_as_s(73538, got);
    got[len] = 0;
    CHECK(!strcmp(got, "0.000073538"));
    len = tprof_format_ns_as_s(100, got);
    got[len] = 0;
    CHECK(!strcmp(got, "0.0000001"));
    len = tprof_format_ns_as_s(99, got); /* tprof_format_double's exponent below 1e-7 */
    got[len] = 0;
    CHECK(!strcmp(got, "9.9e-08"));
    len = tprof_format_ns_as_s(12000000000ull, got);
    got[len] = 0;
    CHECK(!strcmp(got, "12.0"));
    len = tprof_format_ns_as_s(999999999, got);
    got[len] = 0;
    CHECK(!strcmp(got, "0.999999999"));
    len = tprof_format_ns_as_s(1000000001, got);
    got[len] = 0;
    CHECK(!strcmp(got, "1.000000001"));
  }

  /* tprof_format_hex against printf's %#llx (but 0, which printf writes
   * without 0x): powers of 2, their predecessors, every digit at every
   * position (d * 16^k), random */
  for (int i = 0; i < 20000 + 16 * 16; i++) {
    uint64_t v = i < 64    ? (uint64_t)1 << i
                 : i < 128 ? ((uint64_t)1 << (i - 64)) - 1
                 : i < 384 ? (uint64_t)((i - 128) % 16) << (4 * ((i - 128) / 16))
                           : next() >> (next() % 64);
    char got[24];
    if (!matches_printf(got, tprof_format_hex(v, got), "0x%llx", (unsigned long long)v)) {
      CHECK(0);
      break;
    }
  }

  /* tprof_round_significant: derived values (means, megabytes) get 12
   * significant digits, written by the formatter's integer path */
  CHECK(!strcmp(fmt(tprof_round_significant(1.0 / 3, 12)), "0.333333333333"));
  CHECK(!strcmp(fmt(tprof_round_significant(113.662 / 6, 12)), "18.9436666667"));
  CHECK(!strcmp(fmt(tprof_round_significant(24 / 1048576.0, 12)), "0.0000228881835938"));
  CHECK(!strcmp(fmt(tprof_round_significant(-2.0 / 3, 3)), "-0.667"));
  CHECK(!strcmp(fmt(tprof_round_significant(123456789012345.6, 12)), "123456789012000.0"));
  CHECK(tprof_round_significant(1e-9 / 3, 12) == 1e-9 / 3); /* out of range: unchanged */
  CHECK(tprof_round_significant(2.5, 0) == 2.5);
  for (int i = 0; i < 20000; i++) {
    double v = (double)(next() >> 11) / (double)(1ull << 53) * pow(10, (int)(next() % 21) - 7);
    double r = tprof_round_significant(v, 12);
    if (v < 1e-7) continue;
    const char *s = fmt(r);
    if (digits(s) > 12 || fabs(r - v) > 5.000001e-12 * v || strtod(s, NULL) != r) {
      fprintf(stderr, "%.17g rounded to %.17g, written %s\n", v, r, s);
      CHECK(0);
      break;
    }
  }

  /* tprof_format_significant: the text of tprof_format_double(tprof_round_significant(v, d)),
   * at every magnitude (the switch at 1e-4 and 1e15 included), every d, and for means and MB */
  for (int i = 0; i < 300000; i++) {
    int d = i < 150000 ? 12 : 1 + (int)(next() % 16);
    double v = (double)(next() >> 11) / (double)(1ull << 53) * pow(10, (int)(next() % 26) - 9);
    if (i % 5 == 1) v = (double)(next() % 100000000) / (double)(1 + next() % 100000); /* a mean */
    if (i % 5 == 2) v = (double)(next() >> (next() % 64)) / 1048576.0;                /* MB of a byte count */
    if (i % 5 == 3) v = -v;
    if (i % 7 == 4) v = (double)(next() % 1000) * pow(10, (int)(next() % 24) - 9); /* round values, powers of ten */
    char got[TPROF_NUMBER_MAX], want[TPROF_NUMBER_MAX];
    size_t len = tprof_format_significant(v, d, got);
    tprof_format_double(tprof_round_significant(v, d), want);
    if (len != strlen(got) || strcmp(got, want)) {
      fprintf(stderr, "%.17g to %d digits written as %s, tprof_format_double: %s\n", v, d, got, want);
      CHECK(0);
      break;
    }
  }

  /* the exporter's values: nanosecond-rounded milliseconds, MB of byte counts */
  for (uint64_t ns = 0; ns < 3000000; ns += 997) check_value((double)ns / 1e6);
  for (uint64_t b = 0; b < 1 << 22; b += 1021) check_value((double)b / 1048576.0);
  /* random bit patterns: every magnitude, subnormals included */
  for (int i = 0; i < 20000; i++) {
    uint64_t bits = next();
    double v;
    memcpy(&v, &bits, sizeof v);
    check_value(v);
  }
  /* random values of the usual magnitudes */
  for (int i = 0; i < 20000; i++) check_value((double)(next() >> 11) / (double)(1ull << 53) * pow(10, (int)(next() % 20) - 8));
  CHECK_DONE();
}
