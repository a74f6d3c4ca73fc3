#define _GNU_SOURCE
#include "util.h"
#include "number_format.h"
#include "text_escape.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Running out of memory in a command-line tool is not recoverable in any
 * useful way: say so and stop. */
static void oom(void) {
  fputs("tprof: out of memory\n", stderr);
  exit(TP_EXIT_FILES);
}

void *xmalloc(size_t n) {
  void *p = malloc(n ? n : 1);
  if (!p) oom();
  return p;
}

void *xcalloc(size_t n, size_t size) {
  void *p = calloc(n ? n : 1, size ? size : 1);
  if (!p) oom();
  return p;
}

void *xrealloc(void *p, size_t n) {
  p = realloc(p, n ? n : 1);
  if (!p) oom();
  return p;
}

char *xstrdup(const char *s) {
  size_t n = strlen(s) + 1;
  char *d = xmalloc(n);
  memcpy(d, s, n);
  return d;
}

void tp_err(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  fputs("tprof: ", stderr);
  vfprintf(stderr, fmt, ap);
  fputc('\n', stderr);
  va_end(ap);
}

int tp_parse_count(const char *text, const char *command, const char *option, int *out) {
  char *end;
  errno = 0;
  long v = strtol(text, &end, 10);
  if (end == text || *end || errno || v < 1 || v > 1000000 || !isdigit((unsigned char)text[0])) {
    tp_err("%s: %s takes a whole number from 1 to 1000000, not '%s'", command, option, text);
    return -1;
  }
  *out = (int)v;
  return 0;
}

int tp_out_open(tp_out *o, const char *path) {
  memset(o, 0, sizeof *o);
  if (strcmp(path, "-") == 0) {
    o->f = stdout;
    return 0;
  }
  o->final = xstrdup(path);
  size_t n = strlen(path) + 32;
  o->tmp = xmalloc(n);
  snprintf(o->tmp, n, "%s.tmp.%ld", path, (long)getpid());
  o->f = fopen(o->tmp, "w");
  if (!o->f) {
    /* The temporary name is ours: name the file the user asked for. */
    tp_err("%s: cannot write: %s", path, strerror(errno));
    free(o->tmp);
    free(o->final);
    o->tmp = o->final = NULL;
    return -1;
  }
  return 0;
}

int tp_out_commit(tp_out *o) {
  int rc = 0;
  if (!o->f) return -1;
  if (o->f == stdout) {
    if (fflush(stdout) != 0) {
      tp_err("stdout: write error: %s", strerror(errno));
      rc = -1;
    }
    o->f = NULL;
    return rc;
  }
  /* A full disk shows up at fclose at the latest: check it before renaming. */
  if (ferror(o->f) | (fclose(o->f) != 0)) {
    tp_err("%s: write error: %s", o->final, strerror(errno));
    unlink(o->tmp);
    rc = -1;
  } else if (rename(o->tmp, o->final) != 0) {
    tp_err("%s: cannot rename %s: %s", o->final, o->tmp, strerror(errno));
    unlink(o->tmp);
    rc = -1;
  }
  free(o->tmp);
  free(o->final);
  memset(o, 0, sizeof *o);
  return rc;
}

void tp_out_abort(tp_out *o) {
  if (o->f && o->f != stdout) {
    fclose(o->f);
    unlink(o->tmp);
  }
  free(o->tmp);
  free(o->final);
  memset(o, 0, sizeof *o);
}

char *tp_path_join(const char *dir, const char *name) {
  size_t a = strlen(dir), b = strlen(name);
  char *p = xmalloc(a + b + 2);
  memcpy(p, dir, a);
  size_t k = a;
  if (a && dir[a - 1] != '/') p[k++] = '/';
  memcpy(p + k, name, b + 1);
  return p;
}

static void file_sink(void *ctx, const char *bytes, size_t n) { fwrite(bytes, 1, n, ctx); }

void tp_csv_field(FILE *f, const char *s) { tprof_escape_csv(file_sink, f, s); }

void tp_svg_text(FILE *f, const char *s) { tprof_escape_xml(file_sink, f, s); }

void tp_md_cell(FILE *f, const char *s) { tprof_escape_md(file_sink, f, s); }

void tp_json_string(FILE *f, const char *s) { tprof_escape_json(file_sink, f, s); }

void tp_json_text(FILE *f, const char *text) { tprof_escape_utf8(file_sink, f, text); }

const char *tp_op_type(const char *name, char *buf, size_t n) {
  size_t len = strlen(name), k = len;
  while (k > 0 && isdigit((unsigned char)name[k - 1])) k--;
  if (k < len && k > 1 && name[k - 1] == '_') len = k - 1;
  if (len >= n) len = n - 1;
  memcpy(buf, name, len);
  buf[len] = 0;
  return buf;
}

const char *tp_basename(const char *path) {
  const char *s = strrchr(path, '/');
  return s ? s + 1 : path;
}

void tp_put_double(FILE *f, double v) {
  char buf[TPROF_NUMBER_MAX];
  fwrite(buf, 1, tprof_format_double(v, buf), f);
}

cJSON *tp_json_add_float(cJSON *o, const char *key, double v) {
  char buf[TPROF_NUMBER_MAX];
  tprof_format_double(v, buf);
  return cJSON_AddRawToObject(o, key, buf);
}
