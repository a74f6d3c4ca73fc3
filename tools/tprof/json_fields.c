#include "json_fields.h"

#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>

#include "util.h"

void jf_fail(jf_ctx *c, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(c->err, c->errlen, fmt, ap);
  va_end(ap);
  longjmp(c->jb, 1);
}

double jf_num(jf_ctx *c, const cJSON *v, const char *what) {
  if (!cJSON_IsNumber(v)) jf_fail(c, "%s is not a number", what);
  if (!isfinite(v->valuedouble)) jf_fail(c, "%s is not a finite number", what);
  return v->valuedouble;
}

/* Counts are integers in the file; clamp before converting, since a double
 * outside long long's range converts with undefined behaviour. */
long long jf_integer(jf_ctx *c, const cJSON *v, const char *what) {
  double d = jf_num(c, v, what);
  if (d >= 9.2e18) return LLONG_MAX;
  if (d <= -9.2e18) return LLONG_MIN;
  return (long long)d;
}

const cJSON *jf_opt(const cJSON *o, const char *key) { return cJSON_GetObjectItemCaseSensitive(o, key); }

double jf_opt_num(jf_ctx *c, const cJSON *o, const char *key, double dflt) {
  const cJSON *v = jf_opt(o, key);
  return v && !cJSON_IsNull(v) ? jf_num(c, v, key) : dflt;
}

long long jf_opt_int(jf_ctx *c, const cJSON *o, const char *key, long long dflt) {
  const cJSON *v = jf_opt(o, key);
  return v && !cJSON_IsNull(v) ? jf_integer(c, v, key) : dflt;
}

const char *jf_opt_str(jf_ctx *c, const cJSON *o, const char *key, const char *dflt) {
  const cJSON *v = jf_opt(o, key);
  if (!v || cJSON_IsNull(v)) return dflt;
  if (!cJSON_IsString(v)) jf_fail(c, "%s is not a string", key);
  return v->valuestring;
}

const char *jf_str(jf_ctx *c, const cJSON *v, const char *what) {
  if (!cJSON_IsString(v)) jf_fail(c, "%s is not a string", what);
  return v->valuestring;
}

int jf_opt_bool(const cJSON *o, const char *key, int dflt) {
  const cJSON *v = jf_opt(o, key);
  return cJSON_IsBool(v) ? cJSON_IsTrue(v) : dflt;
}

const cJSON *jf_opt_array(jf_ctx *c, const cJSON *o, const char *key) {
  const cJSON *v = jf_opt(o, key);
  if (!v || cJSON_IsNull(v)) return NULL;
  if (!cJSON_IsArray(v)) jf_fail(c, "%s is not an array", key);
  return v;
}

const cJSON *jf_opt_object(jf_ctx *c, const cJSON *o, const char *key) {
  const cJSON *v = jf_opt(o, key);
  if (!v || cJSON_IsNull(v)) return NULL;
  if (!cJSON_IsObject(v)) jf_fail(c, "%s is not an object", key);
  return v;
}

void *jf_alloc_n(const cJSON *arr, size_t elem, size_t *n) {
  *n = (size_t)cJSON_GetArraySize(arr);
  return xcalloc(*n ? *n : 1, elem);
}

void jf_position(const char *buf, size_t off, long *line, long *col) {
  *line = 1;
  *col = 1;
  for (size_t i = 0; i < off; i++) {
    if (buf[i] == '\n') {
      (*line)++;
      *col = 1;
    } else {
      (*col)++;
    }
  }
}
