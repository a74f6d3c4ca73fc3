/* The common values (whole numbers, and values with at most 15 significant
 * digits such as times rounded to the nanosecond) take an exact integer
 * path of a few dozen instructions; only the rest go through snprintf.
 *
 * Why the fast path is exact: with N < 2^53 and 0 <= k <= 22, both N and
 * 10^k are doubles, and N / 10^k is the correctly rounded value of the
 * decimal N * 10^-k (Clinger's fast path, the one strtod takes). So when
 * N / 10^k == v, the decimal N * 10^-k reads back as v. At most one decimal
 * of 15 significant digits lies within half a double's spacing of v, so
 * stripping the trailing zeros of N gives the shortest such decimal.
 * No libm call: programs link the runtime without -lm. */
#include "number_format.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const double pow10_exact[23] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,  1e8,  1e9,  1e10, 1e11,
                                       1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};

/* Two digits per division: the exporter writes tens of thousands of integers. */
static const char digit_pairs[] = "00010203040506070809101112131415161718192021222324252627282930313233343536373839"
                                  "40414243444546474849505152535455565758596061626364656667686970717273747576777879"
                                  "8081828384858687888990919293949596979899";

static const uint64_t pow10_u64[20] = {1ull,
                                       10ull,
                                       100ull,
                                       1000ull,
                                       10000ull,
                                       100000ull,
                                       1000000ull,
                                       10000000ull,
                                       100000000ull,
                                       1000000000ull,
                                       10000000000ull,
                                       100000000000ull,
                                       1000000000000ull,
                                       10000000000000ull,
                                       100000000000000ull,
                                       1000000000000000ull,
                                       10000000000000000ull,
                                       100000000000000000ull,
                                       1000000000000000000ull,
                                       10000000000000000000ull};

/* Writes the two digits of v < 100 at p. */
static inline void put_pair(char *p, uint32_t v) { memcpy(p, &digit_pairs[2 * v], 2); /* one 16-bit move */ }

/* Writes v < 10^4 as exactly 4 digits at p: two divisions by 100 that do
 * not wait for each other. */
static inline void put4(char *p, uint32_t v) {
  uint32_t hi = v / 100;
  put_pair(p, hi);
  put_pair(p + 2, v - hi * 100);
}

/* Writes m's digits (no leading zeros) so that they end right before end:
 * 4 at a time, then the last 1 to 4. */
static inline void put_u32_before(char *end, uint32_t m) {
  while (m >= 10000) {
    uint32_t q = m / 10000;
    end -= 4;
    put4(end, m - q * 10000);
    m = q;
  }
  if (m >= 100) {
    uint32_t q = m / 100;
    end -= 2;
    put_pair(end, m - q * 100);
    m = q;
  }
  if (m >= 10)
    put_pair(end - 2, m);
  else
    end[-1] = (char)('0' + m);
}

/* n >= 10^8, whose len digits start at out: 8 at a time from the right (a
 * 64-bit division each), then the top. Out of line, so that the common call
 * saves no registers. */
static __attribute__((noinline)) size_t put_large(uint64_t n, char *out, size_t len) {
  char *p = out + len;
  while (n >= 100000000) {
    uint32_t low = (uint32_t)(n % 100000000), hi = low / 10000;
    n /= 100000000;
    p -= 8;
    put4(p, hi);
    put4(p + 4, low - hi * 10000);
  }
  put_u32_before(p, (uint32_t)n);
  return len;
}

/* The length first, then the digits backwards in place: no temporary and
 * no memcpy call per number. 32-bit divisions where the value fits (most
 * values: a 64-bit division by a constant costs twice as many instructions). */
static inline size_t u64_len(uint64_t n) {
  if (n < 10) return 1;
  /* floor(log10(n)) from the bit length: bits * log10(2) ~ bits * 1233 / 4096, then checked */
  size_t t = ((size_t)(64 - __builtin_clzll(n)) * 1233) >> 12;
  return t + 1 - (n < pow10_u64[t]);
}

size_t tprof_format_u64(uint64_t n, char *out) {
  if (n < 100) { /* ids, threads, counts: no length to find */
    if (n < 10) {
      out[0] = (char)('0' + n);
      return 1;
    }
    put_pair(out, (uint32_t)n);
    return 2;
  }
  size_t len = u64_len(n);
  if (__builtin_expect(n >= 100000000, 0)) return put_large(n, out, len);
  put_u32_before(out + len, (uint32_t)n);
  return len;
}

/* Two hex digits per byte of the value (the trace file writes an address
 * per row: a digit at a time cost ~74 instructions one). */
static const char hex_pairs[] = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"
                                "202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f"
                                "404142434445464748494a4b4c4d4e4f505152535455565758595a5b5c5d5e5f"
                                "606162636465666768696a6b6c6d6e6f707172737475767778797a7b7c7d7e7f"
                                "808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f"
                                "a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7b8b9babbbcbdbebf"
                                "c0c1c2c3c4c5c6c7c8c9cacbcccdcecfd0d1d2d3d4d5d6d7d8d9dadbdcdddedf"
                                "e0e1e2e3e4e5e6e7e8e9eaebecedeeeff0f1f2f3f4f5f6f7f8f9fafbfcfdfeff";

size_t tprof_format_hex(uint64_t v, char *out) {
  size_t digits = v ? (size_t)(67 - __builtin_clzll(v)) / 4 : 1;
  out[0] = '0';
  out[1] = 'x';
  char *p = out + 2 + digits;
  for (; p >= out + 4; v >>= 8) {
    p -= 2;
    memcpy(p, &hex_pairs[2 * (v & 0xff)], 2);
  }
  if (p > out + 2) p[-1] = hex_pairs[2 * (v & 0xf) + 1];
  return digits + 2;
}

/* ns whole nanoseconds as a decimal with the point `scale` digits from the
 * right (6: milliseconds, 9: seconds), trailing zeros dropped but one after
 * the point. Below 10^15 ns (11.6 days) that is the text tprof_format_double
 * writes for ns / 10^scale: the double is correctly rounded from the decimal,
 * and that decimal has at most 15 digits (see the top of the file), so
 * tprof_format_double would find exactly these digits. */
static inline __attribute__((always_inline)) size_t format_ns_scaled(uint64_t ns, unsigned scale, char *out) {
  uint64_t unit = pow10_u64[scale];
  size_t len = tprof_format_u64(ns / unit, out);
  out[len++] = '.';
  uint32_t frac = (uint32_t)(ns % unit); /* < 10^9: 32-bit divisions below */
  if (!frac) {
    out[len++] = '0';
    return len;
  }
  char *p = out + len;
  for (unsigned d = scale; d >= 2; d -= 2, frac /= 100) put_pair(p + d - 2, frac % 100);
  if (scale & 1) p[0] = (char)('0' + frac); /* the odd first digit */
  len += scale;
  while (out[len - 1] == '0') len--; /* frac != 0: a digit other than 0 stops it after the point */
  return len;
}

size_t tprof_format_ns_as_ms(uint64_t ns, char *out) {
  if (ns >= 1000000000000000ull) return tprof_format_double((double)ns / 1e6, out);
  return format_ns_scaled(ns, 6, out);
}

size_t tprof_format_ns_as_s(uint64_t ns, char *out) {
  /* below 100 ns (1e-7 s) tprof_format_double writes an exponent: 1e-09 */
  if (ns < 100 || ns >= 1000000000000000ull) return tprof_format_double((double)ns / 1e9, out);
  return format_ns_scaled(ns, 9, out);
}

/* v > 0: the decimal N * 10^-k with N < 10^15, or 0 when v has no such
 * form that reads back as v. */
static size_t fast_decimal(double v, char *buf) {
  if (!(v >= 1e-7 && v < 1e15)) return 0;
  int mag = 0; /* 10^mag <= v < 10^(mag+1), for v >= 1 */
  while (mag < 14 && v >= pow10_exact[mag + 1]) mag++;
  int k = 14 - mag; /* digits after the point for 15 significant digits */
  if (v < 1) {
    k = 14;
    for (double t = v; t < 1 && k < 22; t *= 10) k++;
  }
  if (k > 22) return 0;
  double scaled = v * pow10_exact[k];
  if (scaled >= 9007199254740992.0) return 0;
  uint64_t n = (uint64_t)(scaled + 0.5);
  if ((double)n / pow10_exact[k] != v) {
    /* v * 10^k was rounded: the neighbours are the other candidates */
    if (n > 0 && (double)(n - 1) / pow10_exact[k] == v)
      n--;
    else if ((double)(n + 1) / pow10_exact[k] == v)
      n++;
    else
      return 0;
  }
  while (k > 1 && n % 10 == 0) n /= 10, k--; /* keep one digit after the point */
  char digits[24];
  size_t nd = tprof_format_u64(n, digits), len = 0;
  if (nd <= (size_t)k) { /* 0.000ddd */
    buf[len++] = '0';
    buf[len++] = '.';
    for (size_t i = nd; i < (size_t)k; i++) buf[len++] = '0';
    memcpy(buf + len, digits, nd);
    len += nd;
  } else {
    memcpy(buf, digits, nd - (size_t)k);
    len = nd - (size_t)k;
    buf[len++] = '.';
    memcpy(buf + len, digits + nd - (size_t)k, (size_t)k);
    len += (size_t)k;
  }
  buf[len] = '\0';
  return len;
}

double tprof_round_significant(double v, int digits) {
  double a = v < 0 ? -v : v;
  if (!(a >= 1e-7 && a < 1e15) || digits < 1 || digits > 15) return v;
  int mag = 0; /* 10^mag <= a < 10^(mag+1); a misjudged boundary costs one digit, not exactness */
  if (a >= 1)
    while (mag < 14 && a >= pow10_exact[mag + 1]) mag++;
  else
    while (a * pow10_exact[-mag] < 1) mag--;
  int k = digits - 1 - mag;
  double r;
  if (k >= 0) { /* n / 10^k with n < 10^15 and k <= 21: the correctly rounded double (see above) */
    r = (double)(uint64_t)(a * pow10_exact[k] + 0.5) / pow10_exact[k];
  } else {
    double unit = pow10_exact[-k];
    r = (double)(uint64_t)(a / unit + 0.5) * unit; /* an integer below 2^53: exact */
  }
  return v < 0 ? -r : r;
}

/* The text tprof_format_double(tprof_round_significant(v, digits)) writes,
 * from the rounding's integer n and exponent k: the double is n / 10^k
 * (correctly rounded, see the top of the file), and in [1e-4, 1e15) every
 * path of tprof_format_double writes that decimal plainly, trailing zeros
 * dropped but one after the point: the exact paths find the one decimal of
 * at most 15 digits that reads back as the double (n / 10^k is one), and
 * printf's %.15g rounds the double to it and writes no exponent in that
 * range. ~150 instructions instead of ~400 (the CSV and JSON files write
 * means per function). Other values take the composition itself. */
size_t tprof_format_significant(double v, int digits, char *buf) {
  double a = v < 0 ? -v : v;
  if (a >= 1e-4 && a < 1e15 && digits >= 1 && digits <= 15) {
    int mag = 0; /* as tprof_round_significant computes it */
    if (a >= 1)
      while (mag < 14 && a >= pow10_exact[mag + 1]) mag++;
    else
      while (a * pow10_exact[-mag] < 1) mag--;
    int k = digits - 1 - mag; /* at most 18: a >= 1e-4 */
    uint64_t n;
    /* n < 10^16: through int64_t, one instruction each way */
    if (k >= 0 && (n = (uint64_t)(int64_t)(a * pow10_exact[k] + 0.5), (double)(int64_t)n / pow10_exact[k] >= 1e-4)) {
      char *p = buf;
      if (v < 0) *p++ = '-';
      size_t nd = u64_len(n), len, i;
      if (nd <= (size_t)k) { /* 0.000ddd */
        p[0] = '0';
        p[1] = '.';
        for (i = 2; i < 2 + (size_t)k - nd; i++) p[i] = '0';
        tprof_format_u64(n, p + i);
        len = 2 + (size_t)k;
        while (p[len - 1] == '0') len--; /* n > 0: a digit other than 0 stops it */
      } else if (k) { /* the digits one byte on, then the whole part (the shorter) moved back before the point */
        tprof_format_u64(n, p + 1);
        size_t whole = nd - (size_t)k;
        for (i = 0; i < whole; i++) p[i] = p[i + 1];
        p[whole] = '.';
        len = nd + 1;
        while (len > whole + 2 && p[len - 1] == '0') len--; /* keep one digit after the point */
      } else {
        len = tprof_format_u64(n, p); /* a whole number: ".0" */
        p[len++] = '.';
        p[len++] = '0';
      }
      p[len] = '\0';
      return (size_t)(p - buf) + len;
    }
  }
  return tprof_format_double(tprof_round_significant(v, digits), buf);
}

/* v > 0 with at most `k` decimals (1 <= k <= 9) and at most 15 significant
 * digits, such as a time rounded to the nanosecond (k = 6 in milliseconds,
 * 9 in seconds): its digits without fast_decimal's search for the
 * magnitude; 0 when v is not of that form. The same text as fast_decimal
 * (one decimal of at most 15 digits reads back as v: see above). */
static size_t few_decimals(double v, int k, char *buf) {
  double scale = pow10_exact[k], scaled = v * scale;
  if (!(scaled < 1e15) || v < 1e-7) return 0; /* below 1e-7 the text has an exponent (as fast_decimal's range) */
  uint64_t n = (uint64_t)(int64_t)(scaled + 0.5), unit = (uint64_t)scale; /* < 10^15: int64_t's conversions */
  if ((double)(int64_t)n / scale != v) return 0;
  size_t len = tprof_format_u64(n / unit, buf);
  buf[len++] = '.';
  uint64_t frac = n % unit;
  for (int d = k - 1; d >= 0; d--, frac /= 10) buf[len + (size_t)d] = (char)('0' + frac % 10);
  len += (size_t)k;
  while (buf[len - 1] == '0' && buf[len - 2] != '.') len--; /* keep one digit after the point */
  buf[len] = '\0';
  return len;
}

size_t tprof_format_double(double v, char *buf) {
  if (!isfinite(v) || v == 0) {
    memcpy(buf, "0.0", 4);
    return 3;
  }
  size_t len = 0;
  char *p = buf;
  double a = v;
  if (v < 0) {
    *p++ = '-';
    a = -v;
  }
  if (a < 9007199254740992.0 && a == (double)(int64_t)a) { /* whole: digits and ".0" */
    len = tprof_format_u64((uint64_t)a, p);
    memcpy(p + len, ".0", 3);
    return (size_t)(p - buf) + len + 2;
  }
  if ((len = few_decimals(a, 6, p)) != 0 || (len = few_decimals(a, 9, p)) != 0 || (len = fast_decimal(a, p)) != 0)
    return (size_t)(p - buf) + len;
  /* The rest: the fewest significant digits that read back as v (17 always
   * do). Below 15 only subnormals, whose precision is lower, can need fewer:
   * a normal double has at most one 15-digit decimal, found above when in
   * range. */
  for (int prec = a < 2.2250738585072014e-308 ? 1 : 15; prec <= 17; prec++) {
    len = (size_t)snprintf(buf, TPROF_NUMBER_MAX, "%.*g", prec, v);
    if (prec == 17 || strtod(buf, NULL) == v) break;
  }
  if (!strpbrk(buf, ".eEn")) { /* %g dropped the point: 1e+16 has "e"; 123456789012345680 has none */
    memcpy(buf + len, ".0", 3);
    len += 2;
  }
  return len;
}

/* %.*f's text from the scaled value's integer where that is printf's; the
 * exporter's own snprintf (text_format.c) and tprof_out_fixed use it. */
size_t tprof_format_fixed(double v, int decimals, char *out) {
  if (decimals < 0 || decimals > 6) return 0;
  double a = v < 0 ? -v : v, p = a * pow10_exact[decimals];
  if (!(p < 1e14)) return 0; /* NaN, infinities, huge */
  /* p is the product rounded once: within p * 2^-53 of the exact one,
   * whose rounding to a whole number printf writes (to even at a tie). Far
   * enough from a half, p rounds the same way. */
  uint64_t whole = (uint64_t)(int64_t)p; /* < 2^47: exact, and so is p - whole */
  double frac = p - (double)(int64_t)whole, slack = p * 0x1p-52;
  if (frac > 0.5 - slack && frac < 0.5 + slack) return 0;
  uint64_t n = whole + (frac > 0.5), unit = pow10_u64[decimals];
  char *q = out;
  if (__builtin_signbit(v)) *q++ = '-'; /* printf writes -0.000 too */
  q += tprof_format_u64(n / unit, q);
  if (decimals) { /* unit + the fraction: a 1 and the decimals with their zeros; the 1 becomes the point */
    size_t k = tprof_format_u64(unit + n % unit, q);
    *q = '.';
    q += k;
  }
  return (size_t)(q - out);
}
