/* The exported files' text and numbers: names through the escaping shared
 * with the tprof command (text_escape.c), numbers through the shortest
 * round-trip formatter (number_format.c). */
#include "internal.h"
#include "number_format.h"
#include "text_escape.h"

static void out_sink(void *ctx, const char *bytes, size_t n) { tprof_out_write(ctx, bytes, n); }

void tprof_json_string(tprof_out *f, const char *s) { tprof_escape_json(out_sink, f, s); }

void tprof_csv_field(tprof_out *f, const char *s) { tprof_escape_csv(out_sink, f, s); }

void tprof_md_cell(tprof_out *f, const char *s) {
  tprof_out_putc('`', f);
  tprof_escape_md(out_sink, f, s);
  tprof_out_putc('`', f);
}

void tprof_json_number(tprof_out *f, double v) {
  char buf[TPROF_NUMBER_MAX];
  tprof_out_write(f, buf, tprof_format_double(v, buf));
}
