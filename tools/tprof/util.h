/* Small helpers shared by every tprof subcommand: checked allocation,
 * messages in one format, output files that appear only when complete, and
 * the escaping rules of the formats tprof writes. */
#ifndef TPROF_CLI_UTIL_H
#define TPROF_CLI_UTIL_H

#include <cjson/cJSON.h>
#include <stddef.h>
#include <stdio.h>

/* Exit statuses, documented in docs/CLI.md. */
enum { TP_EXIT_OK = 0, TP_EXIT_FILES = 1, TP_EXIT_USAGE = 2, TP_EXIT_REGRESSION = 3 };

void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);

/* "tprof: <message>" on stderr. */
void tp_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* A count option's value (-n/--top...): a whole number from 1 to 1,000,000,
 * nothing else ("5x", "0", "-3", "1e9" are refused). 0 and *out set, or -1
 * after a message naming the command and the option on stderr. */
int tp_parse_count(const char *text, const char *command, const char *option, int *out);

/* An output file written under a temporary name in the same directory and
 * renamed over the final name by tp_out_commit, so a reader (or a CI job that
 * is killed half-way) never sees a truncated file. path "-" is stdout. */
typedef struct {
  FILE *f;
  char *tmp;
  char *final;
} tp_out;
int tp_out_open(tp_out *o, const char *path);
int tp_out_commit(tp_out *o); /* 0 on success; reports the error itself */
void tp_out_abort(tp_out *o);

char *tp_path_join(const char *dir, const char *name);

/* The escaping of every format tprof writes is the runtime's
 * (runtime/text_escape.c), so a name is written the same way by both: bytes
 * that are not UTF-8 become U+FFFD. */
/* RFC 4180: quoted when the field holds a comma, a quote or a line break. */
void tp_csv_field(FILE *f, const char *s);
/* XML text and attribute values: & < > " escaped. */
void tp_svg_text(FILE *f, const char *s);
/* A Markdown table cell: | escaped, line breaks flattened. */
void tp_md_cell(FILE *f, const char *s);
/* A JSON string literal with its quotes. */
void tp_json_string(FILE *f, const char *s);
/* JSON text printed by cJSON, which copies string bytes as they are: with
 * U+FFFD for bytes that are not UTF-8, so the output is valid JSON. */
void tp_json_text(FILE *f, const char *text);

/* The operation type of an operation name: the name without a trailing
 * "_<digits>" (rotate_1 -> rotate), as the grid-DSL transpiler numbers its
 * operation instances. Writes into buf (truncated to n). */
const char *tp_op_type(const char *name, char *buf, size_t n);

/* Name without directories, for messages. */
const char *tp_basename(const char *path);

/* A double in the fewest digits that read back as the same value, always
 * with a decimal point or an exponent (runtime/number_format.c, as in the
 * runtime's files), so CSV and JSON agree exactly and no tool takes a float
 * column for an integer one. */
void tp_put_double(FILE *f, double v);
/* The same into a cJSON object (cJSON would print 2.0 as 2). */
cJSON *tp_json_add_float(cJSON *o, const char *key, double v);

#endif
