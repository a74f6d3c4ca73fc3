/* Escaping: JSON strings and CSV fields stay valid whatever the names hold. */
#include "../../runtime/internal.h"
#include "../../runtime/text_escape.h"
#include "check.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *render(void (*fn)(tprof_out *, const char *), const char *in) {
  static char buf[1024];
  tprof_out o = {-1, buf, sizeof buf - 1, 0, 0};
  fn(&o, in);
  buf[o.len] = '\0';
  return buf;
}

static char *render_num(double v) {
  static char buf[64];
  tprof_out o = {-1, buf, sizeof buf - 1, 0, 0};
  tprof_json_number(&o, v);
  buf[o.len] = '\0';
  return buf;
}

static char *render_fixed(double v, int decimals) {
  static char buf[64];
  tprof_out o = {-1, buf, sizeof buf - 1, 0, 0};
  tprof_out_fixed(&o, v, decimals);
  buf[o.len] = '\0';
  return buf;
}

/* tprof_out_fixed against printf's "%.*f": the same text, or (at a
 * rounding tie, where printf rounds the exact binary value) one unit of
 * the last digit apart. */
static void check_fixed(double v, int decimals) {
  char want[64];
  snprintf(want, sizeof want, "%.*f", decimals, v);
  const char *got = render_fixed(v, decimals);
  double unit = 1;
  for (int i = 0; i < decimals; i++) unit /= 10;
  if (strcmp(got, want) != 0 && !(strtod(got, NULL) - strtod(want, NULL) <= unit * 1.0001 &&
                                  strtod(want, NULL) - strtod(got, NULL) <= unit * 1.0001)) {
    fprintf(stderr, "%.17g with %d decimals: %s, printf %s\n", v, decimals, got, want);
    CHECK(0);
  }
}

int main(void) {
  CHECK(!strcmp(render_fixed(0, 3), "0.000"));
  CHECK(!strcmp(render_fixed(2.5, 0), "3") || !strcmp(render_fixed(2.5, 0), "2"));
  CHECK(!strcmp(render_fixed(12.34567, 3), "12.346"));
  CHECK(!strcmp(render_fixed(-0.0004, 3), "0.000")); /* printf writes -0.000 */
  CHECK(!strcmp(render_fixed(-1.25, 1), "-1.3") || !strcmp(render_fixed(-1.25, 1), "-1.2"));
  CHECK(!strcmp(render_fixed(0.05, 1), "0.1"));
  CHECK(!strcmp(render_fixed(1e13, 3), "10000000000000.000")); /* above 1e14 / 10^3: printf's own */
  unsigned long long x = 88172645463325252ull;
  for (int i = 0; i < 20000; i++) {
    x ^= x << 13, x ^= x >> 7, x ^= x << 17;
    double v = (double)(x >> 11) / (double)(1ull << 53) * (double)(1ull << (x % 40)) * ((x >> 5) & 1 ? 1 : -1);
    if (v < 0 && v > -0.5) v = -v; /* printf's "-0.000" for small negatives is not ours */
    check_fixed(v, (int)(x % 7));
  }

  CHECK(!strcmp(render(tprof_json_string, "plain"), "\"plain\""));
  CHECK(!strcmp(render(tprof_json_string, "a\"b\\c\nd\te\x01"), "\"a\\\"b\\\\c\\nd\\te\\u0001\""));
  CHECK(!strcmp(render(tprof_json_string, "caf\xC3\xA9"), "\"caf\xC3\xA9\""));     /* valid UTF-8 kept */
  CHECK(!strcmp(render(tprof_json_string, "bad\xFF!"), "\"bad\xEF\xBF\xBD!\""));   /* invalid -> U+FFFD */
  CHECK(!strcmp(render(tprof_json_string, "\xC3"), "\"\xEF\xBF\xBD\""));          /* truncated sequence */
  CHECK(!strcmp(render(tprof_json_string, "\xED\xA0\x80"), "\"\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\"")); /* surrogate */
  CHECK(!strcmp(render(tprof_json_string, NULL), "\"\""));
  CHECK(!strcmp(render(tprof_json_string, ""), "\"\""));
  CHECK(!strcmp(render(tprof_json_string, "src/grid_ops.c"), "\"src/grid_ops.c\"")); /* plain: copied whole */
  CHECK(!strcmp(render(tprof_json_string, "src/grid ops.c"), "\"src/grid ops.c\"")); /* a space: the escaper */
  CHECK(!strcmp(render(tprof_csv_field, "src/grid_ops.c"), "src/grid_ops.c"));
  CHECK(!strcmp(render(tprof_csv_field, ""), ""));
  CHECK(!strcmp(render(tprof_csv_field, "a,b"), "\"a,b\""));
  /* F5..FF never start a sequence, even when continuation bytes follow */
  CHECK(!strcmp(render(tprof_json_string, "\xF8\x80\x80"), "\"\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\""));
  CHECK(!strcmp(render(tprof_json_string, "\xF5\x80\x80\x80"), "\"\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\""));
  CHECK(!strcmp(render(tprof_json_string, "\xC0\xAF"), "\"\xEF\xBF\xBD\xEF\xBF\xBD\"")); /* overlong '/' */
  CHECK(!strcmp(render(tprof_json_string, "\xF0\x9F\x98\x80"), "\"\xF0\x9F\x98\x80\""));  /* U+1F600 kept */
  CHECK(!strcmp(render(tprof_json_string, "\xF4\x90\x80\x80"), "\"\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\"")); /* > U+10FFFF */
  CHECK(!strcmp(render(tprof_json_string, "\x7F\x1F"), "\"\\u007f\\u001f\""));

  CHECK(!strcmp(render(tprof_csv_field, "plain"), "plain"));
  CHECK(!strcmp(render(tprof_csv_field, "a,b"), "\"a,b\""));
  CHECK(!strcmp(render(tprof_csv_field, "say \"hi\""), "\"say \"\"hi\"\"\""));
  CHECK(!strcmp(render(tprof_csv_field, "two\nlines"), "\"two\nlines\""));
  CHECK(!strcmp(render(tprof_csv_field, "x\xFE"), "x\xEF\xBF\xBD"));
  CHECK(!strcmp(render(tprof_csv_field, "cr\ronly"), "\"cr\ronly\""));
  CHECK(!strcmp(render(tprof_csv_field, ""), ""));

  CHECK(!strcmp(render(tprof_md_cell, "a|b"), "`a\\|b`"));

  /* the *_n writers, given tprof_plain_len, write what the plain ones do */
  {
    static const char *const names[] = {"plain", "src/grid_ops.c", "", "a,b", "a|b", "say \"hi\"", "x\xFE",
                                        "caf\xC3\xA9", "(region)", "two\nlines", "tab\there", "grid.c:12"};
    for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
      static char want[1024], got[1024];
      void (*const plain[])(tprof_out *, const char *) = {tprof_json_string, tprof_csv_field, tprof_md_cell};
      void (*const with_n[])(tprof_out *, const char *, size_t) = {tprof_json_string_n, tprof_csv_field_n,
                                                                   tprof_md_cell_n};
      for (int w = 0; w < 3; w++) {
        snprintf(want, sizeof want, "%s", render(plain[w], names[i]));
        tprof_out o = {-1, got, sizeof got - 1, 0, 0};
        with_n[w](&o, names[i], tprof_plain_len(names[i]));
        got[o.len] = '\0';
        if (strcmp(got, want)) fprintf(stderr, "writer %d: %s written as %s, not %s\n", w, names[i], got, want);
        CHECK(!strcmp(got, want));
      }
    }
  }

  /* always a decimal point or an exponent: tools type columns from it */
  CHECK(!strcmp(render_num(1.5), "1.5"));
  CHECK(!strcmp(render_num(0), "0.0"));
  CHECK(!strcmp(render_num(3), "3.0"));
  CHECK(!strcmp(render_num(0.0 / 0.0), "0.0"));
  CHECK(!strcmp(render_num(1.0 / 0.0), "0.0"));

  /* a memory sink that overflows reports it instead of writing past the end */
  char small[4];
  tprof_out o = {-1, small, sizeof small, 0, 0};
  tprof_out_puts("too long", &o);
  CHECK(o.error != 0 && o.len == sizeof small);
  CHECK_DONE();
}
