/* Escaping: JSON strings and CSV fields stay valid whatever the names hold. */
#include "../../runtime/internal.h"
#include "check.h"

#include <stdlib.h>
#include <string.h>

static char *render(void (*fn)(FILE *, const char *), const char *in) {
  static char buf[1024];
  FILE *f = fmemopen(buf, sizeof buf, "w");
  fn(f, in);
  fclose(f);
  return buf;
}

static char *render_num(double v) {
  static char buf[64];
  FILE *f = fmemopen(buf, sizeof buf, "w");
  tprof_json_number(f, v);
  fclose(f);
  return buf;
}

int main(void) {
  CHECK(!strcmp(render(tprof_json_string, "plain"), "\"plain\""));
  CHECK(!strcmp(render(tprof_json_string, "a\"b\\c\nd\te\x01"), "\"a\\\"b\\\\c\\nd\\te\\u0001\""));
  CHECK(!strcmp(render(tprof_json_string, "caf\xC3\xA9"), "\"caf\xC3\xA9\""));     /* valid UTF-8 kept */
  CHECK(!strcmp(render(tprof_json_string, "bad\xFF!"), "\"bad\xEF\xBF\xBD!\""));   /* invalid -> U+FFFD */
  CHECK(!strcmp(render(tprof_json_string, "\xC3"), "\"\xEF\xBF\xBD\""));          /* truncated sequence */
  CHECK(!strcmp(render(tprof_json_string, "\xED\xA0\x80"), "\"\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\"")); /* surrogate */
  CHECK(!strcmp(render(tprof_json_string, NULL), "\"\""));

  CHECK(!strcmp(render(tprof_csv_field, "plain"), "plain"));
  CHECK(!strcmp(render(tprof_csv_field, "a,b"), "\"a,b\""));
  CHECK(!strcmp(render(tprof_csv_field, "say \"hi\""), "\"say \"\"hi\"\"\""));
  CHECK(!strcmp(render(tprof_csv_field, "two\nlines"), "\"two\nlines\""));
  CHECK(!strcmp(render(tprof_csv_field, "x\xFE"), "x\xEF\xBF\xBD"));

  CHECK(!strcmp(render(tprof_md_cell, "a|b"), "`a\\|b`"));

  CHECK(!strcmp(render_num(1.5), "1.5"));
  CHECK(!strcmp(render_num(0.0 / 0.0), "0"));
  CHECK(!strcmp(render_num(1.0 / 0.0), "0"));
  CHECK_DONE();
}
