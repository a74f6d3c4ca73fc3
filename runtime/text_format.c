/* See text_format.h. %f's digits are number_format.c's
 * (tprof_format_fixed). */
#include "text_format.h"

#include "number_format.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

/* Where the text goes: as much as fits in n - 1 bytes, counted whole. */
typedef struct sink {
  char *out;
  size_t n, len;
} sink;

static void put(sink *s, const char *p, size_t k) {
  if (s->len + 1 < s->n) {
    size_t room = s->n - 1 - s->len;
    memcpy(s->out + s->len, p, k < room ? k : room);
  }
  s->len += k;
}

static void pad(sink *s, char c, size_t k) {
  char run[16];
  memset(run, c, sizeof run);
  for (; k > sizeof run; k -= sizeof run) put(s, run, sizeof run);
  put(s, run, k);
}

/* The conversion at p (after its '%'), if this file writes it: its end,
 * else NULL. */
static const char *spec_end(const char *p) {
  if (*p == '%') return p + 1;
  if (*p == '0') p++;
  while (*p >= '0' && *p <= '9') p++;
  const char *dot = *p == '.' ? p : NULL;
  if (dot) {
    p++;
    if (*p == '*')
      p++;
    else
      while (*p >= '0' && *p <= '9') p++;
  }
  if (*p == 'l')
    p += p[1] == 'l' ? 2 : 1;
  else if (*p == 'z')
    p++;
  if (!*p || !strchr(dot ? "sf" : "dusfc", *p)) return NULL; /* a precision only for %s and %f */
  return p + 1;
}

static int all_ours(const char *fmt) {
  for (const char *p = fmt; (p = strchr(p, '%')) != NULL;)
    if (!(p = spec_end(p + 1))) return 0;
  return 1;
}

size_t tprof_vformat(char *out, size_t n, const char *fmt, va_list ap) {
  va_list args;
  va_copy(args, ap);
  if (!all_ours(fmt)) {
    int k = vsnprintf(out, n, fmt, args);
    va_end(args);
    return k < 0 ? 0 : (size_t)k;
  }
  sink s = {out, n, 0};
  for (const char *p = fmt; *p;) {
    const char *pct = strchr(p, '%');
    if (!pct) {
      put(&s, p, strlen(p));
      break;
    }
    put(&s, p, (size_t)(pct - p));
    p = pct + 1;
    if (*p == '%') {
      put(&s, "%", 1);
      p++;
      continue;
    }
    int zero = *p == '0', prec = -1, lng = 0; /* lng: 1 l, 2 ll, 3 z */
    size_t width = 0;
    if (zero) p++;
    while (*p >= '0' && *p <= '9') width = width * 10 + (size_t)(*p++ - '0');
    if (*p == '.') {
      p++;
      if (*p == '*') {
        prec = va_arg(args, int);
        p++;
      } else {
        for (prec = 0; *p >= '0' && *p <= '9';) prec = prec * 10 + (*p++ - '0');
      }
    }
    if (*p == 'l') {
      lng = p[1] == 'l' ? 2 : 1;
      p += lng;
    } else if (*p == 'z') {
      lng = 3;
      p++;
    }
    char conv = *p++, num[352]; /* %f of the largest double: 309 digits and the decimals */
    const char *text = num;
    size_t len = 0, sign = 0;
    if (conv == 's') {
      text = va_arg(args, const char *);
      if (!text) text = "(null)";
      len = prec >= 0 ? strnlen(text, (size_t)prec) : strlen(text);
      zero = 0;
    } else if (conv == 'c') {
      num[0] = (char)va_arg(args, int);
      len = 1;
      zero = 0;
    } else if (conv == 'f') {
      double v = va_arg(args, double);
      int d = prec < 0 ? 6 : prec;
      len = tprof_format_fixed(v, d, num);
      if (!len) { /* printf's own (its rounding, infinities, huge values) */
        int k = snprintf(num, sizeof num, "%.*f", d, v);
        len = k < 0 ? 0 : (size_t)k < sizeof num ? (size_t)k : sizeof num - 1;
      }
      sign = num[0] == '-';
      if (len > sign && (num[sign] < '0' || num[sign] > '9')) zero = 0; /* inf, nan: printf pads them with spaces */
    } else if (conv == 'd') {
      long long v = lng == 0   ? va_arg(args, int)
                    : lng == 1 ? va_arg(args, long)
                    : lng == 2 ? va_arg(args, long long)
                               : (long long)va_arg(args, size_t);
      unsigned long long m = v < 0 ? 0ull - (unsigned long long)v : (unsigned long long)v;
      if (v < 0) num[len++] = '-', sign = 1;
      len += tprof_format_u64(m, num + len);
    } else { /* 'u' */
      unsigned long long v = lng == 0   ? va_arg(args, unsigned)
                             : lng == 1 ? va_arg(args, unsigned long)
                             : lng == 2 ? va_arg(args, unsigned long long)
                                        : va_arg(args, size_t);
      len = tprof_format_u64(v, num);
    }
    if (width > len) {
      if (zero) {
        put(&s, text, sign);
        pad(&s, '0', width - len);
        put(&s, text + sign, len - sign);
        continue;
      }
      pad(&s, ' ', width - len);
    }
    put(&s, text, len);
  }
  va_end(args);
  if (n) s.out[s.len < n ? s.len : n - 1] = '\0';
  return s.len;
}

size_t tprof_format(char *out, size_t n, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  size_t len = tprof_vformat(out, n, fmt, ap);
  va_end(ap);
  return len;
}
