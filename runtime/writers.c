/* The exported files' text and numbers: names through the escaping shared
 * with the tprof command (text_escape.c), numbers through the shortest
 * round-trip formatter (number_format.c). */
#include "internal.h"
#include "number_format.h"
#include "text_escape.h"

#include <string.h>

static void out_sink(void *ctx, const char *bytes, size_t n) { tprof_out_write(ctx, bytes, n); }

/* Names and paths are mostly plain bytes, which no format changes: those
 * are copied whole, without the escaper and its sink calls (~300
 * instructions a name; the metrics file writes thousands). Up to a size
 * that any output buffer holds (tprof_out_room's condition). */
enum { PLAIN_COPY_MAX = 1024 };
void tprof_json_string_n(tprof_out *f, const char *s, size_t n) {
  if (!s || s[n] || n > PLAIN_COPY_MAX) {
    tprof_escape_json(out_sink, f, s);
    return;
  }
  char *p = tprof_out_room(f, n + 2);
  if (!p) return; /* the file failed: the export reports it */
  *p++ = '"';
  memcpy(p, s, n);
  p[n] = '"';
  tprof_out_commit(f, p + n + 1);
}

void tprof_json_string(tprof_out *f, const char *s) { tprof_json_string_n(f, s, s ? tprof_plain_len(s) : 0); }

void tprof_csv_field_n(tprof_out *f, const char *s, size_t n) {
  if (!s || s[n] || n > PLAIN_COPY_MAX) {
    tprof_escape_csv(out_sink, f, s);
    return;
  }
  tprof_out_write(f, s, n);
}

void tprof_csv_field(tprof_out *f, const char *s) { tprof_csv_field_n(f, s, s ? tprof_plain_len(s) : 0); }

/* Plain bytes are Markdown's too (md_rule changes none of them). */
void tprof_md_cell_n(tprof_out *f, const char *s, size_t n) {
  tprof_out_putc('`', f);
  if (s && !s[n])
    tprof_out_write(f, s, n);
  else
    tprof_escape_md(out_sink, f, s);
  tprof_out_putc('`', f);
}

void tprof_md_cell(tprof_out *f, const char *s) {
  tprof_out_putc('`', f);
  tprof_escape_md(out_sink, f, s);
  tprof_out_putc('`', f);
}

void tprof_json_number(tprof_out *f, double v) {
  char buf[TPROF_NUMBER_MAX];
  tprof_out_write(f, buf, tprof_format_double(v, buf));
}
