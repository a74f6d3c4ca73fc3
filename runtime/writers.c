/* Text escaping for the exported files. Names come from other people's
 * programs: anything may be in them, including bytes that are not UTF-8,
 * which become U+FFFD so every file stays valid UTF-8. */
#include "internal.h"

#include <math.h>
#include <string.h>

/* Length of the valid UTF-8 sequence at s, or 0 when it is not one
 * (stray continuation byte, overlong form, surrogate, beyond U+10FFFF,
 * truncated sequence). Never reads past a NUL. */
static size_t utf8_len(const unsigned char *s) {
  if (s[0] < 0x80) return 1;
  size_t n = s[0] >= 0xC2 && s[0] <= 0xDF ? 2 : s[0] >= 0xE0 && s[0] <= 0xEF ? 3 : s[0] >= 0xF0 && s[0] <= 0xF4 ? 4 : 0;
  if (!n) return 0;
  for (size_t i = 1; i < n; i++)
    if ((s[i] & 0xC0) != 0x80) return 0;
  if (n == 3 && s[0] == 0xE0 && s[1] < 0xA0) return 0;          /* overlong */
  if (n == 3 && s[0] == 0xED && s[1] >= 0xA0) return 0;         /* surrogates */
  if (n == 4 && s[0] == 0xF0 && s[1] < 0x90) return 0;          /* overlong */
  if (n == 4 && s[0] == 0xF4 && s[1] >= 0x90) return 0;         /* > U+10FFFF */
  return n;
}

static const char replacement[] = "\xEF\xBF\xBD";

void tprof_json_string(tprof_out *f, const char *str) {
  const unsigned char *s = (const unsigned char *)(str ? str : "");
  tprof_out_putc('"', f);
  while (*s) {
    size_t n = utf8_len(s);
    if (n == 0) { tprof_out_puts(replacement, f); s++; continue; }
    if (n > 1) { tprof_out_write(f, s, n); s += n; continue; }
    unsigned char c = *s++;
    if (c == '"') tprof_out_puts("\\\"", f);
    else if (c == '\\') tprof_out_puts("\\\\", f);
    else if (c == '\n') tprof_out_puts("\\n", f);
    else if (c == '\r') tprof_out_puts("\\r", f);
    else if (c == '\t') tprof_out_puts("\\t", f);
    else if (c < 0x20 || c == 0x7F) tprof_out_printf(f, "\\u%04x", c);
    else tprof_out_putc(c, f);
  }
  tprof_out_putc('"', f);
}

void tprof_json_number(tprof_out *f, double v) {
  if (!isfinite(v)) v = 0; /* JSON has no NaN or Infinity */
  tprof_out_printf(f, "%.9g", v);
}

void tprof_csv_field(tprof_out *f, const char *str) {
  const unsigned char *s = (const unsigned char *)(str ? str : "");
  int quote = strpbrk((const char *)s, ",\"\r\n") != NULL;
  if (quote) tprof_out_putc('"', f);
  while (*s) {
    size_t n = utf8_len(s);
    if (n == 0) { tprof_out_puts(replacement, f); s++; continue; }
    if (*s == '"') tprof_out_putc('"', f);
    tprof_out_write(f, s, n);
    s += n;
  }
  if (quote) tprof_out_putc('"', f);
}

void tprof_md_cell(tprof_out *f, const char *str) {
  const unsigned char *s = (const unsigned char *)(str ? str : "");
  tprof_out_putc('`', f);
  while (*s) {
    size_t n = utf8_len(s);
    if (n == 0) { tprof_out_puts(replacement, f); s++; continue; }
    if (*s == '|') tprof_out_puts("\\|", f);
    else if (*s == '`') tprof_out_putc('\'', f);
    else if (*s < 0x20) tprof_out_putc(' ', f);
    else tprof_out_write(f, s, n);
    s += n;
  }
  tprof_out_putc('`', f);
}
