/* Typed reads of the fields of a cJSON tree, each checked: a field of the
 * wrong type, or a number that is not finite, ends the whole read with a
 * message instead of returning an error to check. A reader sets jf_ctx's
 * jmp_buf with setjmp() and writes each extractor as a straight line of
 * reads; jf_fail() longjmps back there with the reason in err. Nothing here
 * knows the metrics schema (metrics_reader.c does). */
#ifndef TPROF_CLI_JSON_FIELDS_H
#define TPROF_CLI_JSON_FIELDS_H

#include <cjson/cJSON.h>
#include <setjmp.h>
#include <stddef.h>

typedef struct {
  jmp_buf jb;
  char *err;
  size_t errlen;
} jf_ctx;

/* The message into c->err, then longjmp(c->jb, 1). */
void jf_fail(jf_ctx *c, const char *fmt, ...) __attribute__((noreturn, format(printf, 2, 3)));

/* Required values: what names the field in the message. */
double jf_num(jf_ctx *c, const cJSON *v, const char *what);
/* A number as a count, clamped to long long's range. */
long long jf_integer(jf_ctx *c, const cJSON *v, const char *what);
const char *jf_str(jf_ctx *c, const cJSON *v, const char *what);

/* Optional members of object o: absent or null gives the default (NULL for
 * arrays and objects); present with another type fails. */
const cJSON *jf_opt(const cJSON *o, const char *key);
double jf_opt_num(jf_ctx *c, const cJSON *o, const char *key, double dflt);
long long jf_opt_int(jf_ctx *c, const cJSON *o, const char *key, long long dflt);
const char *jf_opt_str(jf_ctx *c, const cJSON *o, const char *key, const char *dflt);
/* Anything but a boolean gives the default. */
int jf_opt_bool(const cJSON *o, const char *key, int dflt);
const cJSON *jf_opt_array(jf_ctx *c, const cJSON *o, const char *key);
const cJSON *jf_opt_object(jf_ctx *c, const cJSON *o, const char *key);

/* A zeroed array of elem-sized slots, one per element of arr (*n of them). */
void *jf_alloc_n(const cJSON *arr, size_t elem, size_t *n);

/* Line and column (from 1) of byte off of buf, for a syntax error's place. */
void jf_position(const char *buf, size_t off, long *line, long *col);

#endif
