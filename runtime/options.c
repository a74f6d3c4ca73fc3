/* The options: their table (options.def), defaults, and the parser of
 * TPROF_OPTIONS ("key=value:key=value") that the API setters use too. The
 * values themselves are config.c's, which every subsystem reads; applying
 * a change to the subsystems is configure.c's (control layer). */
#include "internal.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/auxv.h>
#include <stddef.h>
#include <unistd.h>

/* The base name of the path the program was started by, which the kernel
 * keeps for it (execve's, AT_EXECFN): no system call. Reading the link
 * /proc/self/exe cost 30-50 us of every profiled process's start-up (the
 * kernel makes the process's /proc entries at the first look), a tenth of
 * what tprof compiled in but off adds to one transpiled program's process.
 * A program started through a symbolic link is named after the link, as
 * its user typed it; one started from a descriptor (fexecve: "/dev/fd/N")
 * after its argv[0]. */
static void default_program_id(char *out, size_t n) {
  const char *path = (const char *)getauxval(AT_EXECFN), *base = program_invocation_short_name;
  if (path && *path && strncmp(path, "/dev/fd/", 8) != 0 && strncmp(path, "/proc/self/fd/", 14) != 0) {
    const char *slash = strrchr(path, '/');
    base = slash ? slash + 1 : path;
  }
  if (!base || !*base) base = "program";
  size_t len = strnlen(base, 200); /* no snprintf: its first call is ~40 us of cold code at every start-up */
  if (len > n - 1) len = n - 1;
  memcpy(out, base, len);
  out[len] = '\0';
}

/* A plain decimal of 1 to 15 digits (no sign, space, point or exponent:
 * every default of options.def and most values given): its value, without
 * strtol or strtod, whose first call at start-up runs cold code (pages of
 * the C library mapped at first use, its symbol bound through the PLT) for
 * tens of microseconds. -1 for anything else, which they parse. */
static int64_t plain_decimal(const char *v) {
  int64_t x = 0;
  size_t i = 0;
  for (; v[i] >= '0' && v[i] <= '9'; i++) {
    if (i == 15) return -1;
    x = x * 10 + (v[i] - '0');
  }
  return i && !v[i] ? x : -1;
}

static int parse_bool(const char *v, int *out) {
  static const char *yes[] = {"1", "true", "yes", "on"}, *no[] = {"0", "false", "no", "off"};
  if ((v[0] == '0' || v[0] == '1') && !v[1]) { /* without strcasecmp's first call (plain_decimal) */
    *out = v[0] == '1';
    return 0;
  }
  for (size_t i = 0; i < 4; i++) {
    if (!strcasecmp(v, yes[i])) {
      *out = 1;
      return 0;
    }
    if (!strcasecmp(v, no[i])) {
      *out = 0;
      return 0;
    }
  }
  return -1;
}

static int parse_long(const char *v, long min, long max, long *out) {
  int64_t plain = plain_decimal(v);
  if (plain >= 0) {
    if (plain < min || plain > max) return -1;
    *out = (long)plain;
    return 0;
  }
  char *end;
  errno = 0;
  long x = strtol(v, &end, 10);
  if (errno || end == v || *end || x < min || x > max) return -1;
  *out = x;
  return 0;
}

static int parse_double(const char *v, double min, double max, double *out) {
  int64_t plain = plain_decimal(v); /* below 10^15: exactly a double */
  if (plain >= 0) {
    if (!((double)plain >= min && (double)plain <= max)) return -1;
    *out = (double)plain;
    return 0;
  }
  char *end;
  errno = 0;
  double x = strtod(v, &end);
  if (errno || end == v || *end || !(x >= min && x <= max)) return -1;
  *out = x;
  return 0;
}

enum kind { BOOL, LONG, DOUBLE, STRING, CPU_TIMING };
static const struct option {
  const char *key;
  enum kind kind;
  size_t offset, size;
  const char *default_text; /* NULL: computed (program_id) */
  long min, max;
  const char *expect;
} options[] = {
#define TPROF_OPTION(k, kind, def, min, max, expect)                                                                   \
  {#k, kind, offsetof(tprof_config, k), sizeof(((tprof_config *)0)->k), def, min, max, expect},
#include "options.def"
#undef TPROF_OPTION
};
#define NOPTIONS (sizeof options / sizeof options[0])

/* tprof_config (tprof.h, public) has exactly the fields of options.def, in
 * its order and of its kinds' types: a struct laid out from the list must
 * have the same offsets and size. */
#define FIELD(k) (((tprof_config *)0)->k)
struct layout_check {
#define TPROF_OPTION(k, kind, def, min, max, expect) _Alignas(__alignof__(FIELD(k))) char k[sizeof(FIELD(k))];
#include "options.def"
#undef TPROF_OPTION
};
_Static_assert(sizeof(struct layout_check) == sizeof(tprof_config), "tprof_config has fields options.def lacks");
#define TPROF_OPTION(k, kind, def, min, max, expect)                                                                   \
  _Static_assert(offsetof(struct layout_check, k) == offsetof(tprof_config, k),                                        \
                 #k ": tprof_config's order differs from options.def");                                                \
  _Static_assert(kind == STRING   ? sizeof(FIELD(k)) > 1                                                               \
                 : kind == DOUBLE ? sizeof(FIELD(k)) == sizeof(double)                                                 \
                 : kind == LONG   ? sizeof(FIELD(k)) == sizeof(int) || sizeof(FIELD(k)) == sizeof(long)                \
                                  : sizeof(FIELD(k)) == sizeof(int),                                                     \
                 #k ": field type does not fit its kind");
#include "options.def"
#undef TPROF_OPTION

/* "a, b, ..." from the list, for the unknown-key warning. */
#define TPROF_OPTION(k, kind, def, min, max, expect) ", " #k
static const char known_options[] = ""
#include "options.def"
    ;
#undef TPROF_OPTION

static const char bool_expect[] = "a boolean (1/0, true/false, yes/no, on/off)";

int tprof_config_set(tprof_config *cfg, const char *key, const char *value, const char *origin) {
  for (size_t i = 0; i < NOPTIONS; i++) {
    const struct option *o = &options[i];
    if (strcmp(key, o->key) != 0) continue;
    char *field = (char *)cfg + o->offset;
    int ok = -1;
    if (o->kind == BOOL) {
      int b;
      if ((ok = parse_bool(value, &b)) == 0) *(int *)field = b;
    } else if (o->kind == LONG) {
      long x;
      if ((ok = parse_long(value, o->min, o->max, &x)) == 0) {
        if (o->size == sizeof(int))
          *(int *)field = (int)x;
        else
          *(long *)field = x;
      }
    } else if (o->kind == DOUBLE) {
      double x;
      if ((ok = parse_double(value, (double)o->min, (double)o->max, &x)) == 0) *(double *)field = x;
    } else if (o->kind == CPU_TIMING) {
      if (!strcmp(value, "all") || !strcmp(value, "0"))
        *(int *)field = TPROF_CPU_TIMING_ALL, ok = 0;
      else if (!strcmp(value, "operations") || !strcmp(value, "1"))
        *(int *)field = TPROF_CPU_TIMING_OPERATIONS, ok = 0;
    } else if (*value && strlen(value) < o->size) {
      memcpy(field, value, strlen(value) + 1);
      ok = 0;
    }
    if (ok != 0) {
      char limit[64] = "";
      if (o->kind == STRING && *value) /* the value is too long: say how long it may be */
        snprintf(limit, sizeof limit, " of at most %zu bytes (this one has %zu)", o->size - 1, strlen(value));
      tprof_warn("%s: bad value '%.200s' for %s: expected %s%s; keeping the current value", origin, value, key,
                 o->kind == BOOL ? bool_expect : o->expect, limit);
    }
    return ok;
  }
  tprof_warn("%s: unknown option '%.200s' (value '%.200s'); known options: %s", origin, key, value, known_options + 2);
  return -1;
}

static void set_defaults(tprof_config *c) {
  memset(c, 0, sizeof *c);
  for (size_t i = 0; i < NOPTIONS; i++)
    if (options[i].default_text) tprof_config_set(c, options[i].key, options[i].default_text, "options.def");
  default_program_id(c->program_id, sizeof c->program_id);
}

/* tprof_configure: every field of *src through the parser, as if each were
 * a TPROF_OPTIONS item; a bad field warns and keeps dst's value. Numbers
 * first, so a verbosity given with a bad path applies to its warning. */
int tprof_config_set_all(tprof_config *dst, const tprof_config *src, const char *origin) {
  int rc = 0;
  for (size_t k = 0; k < 2 * NOPTIONS; k++) {
    const struct option *o = &options[k % NOPTIONS];
    if ((o->kind == STRING) != (k >= NOPTIONS)) continue;
    const char *field = (const char *)src + o->offset;
    char text[sizeof src->output_dir];
    if (o->kind == STRING) {
      size_t n = strnlen(field, o->size < sizeof text ? o->size : sizeof text);
      if (n == o->size) n--; /* not terminated: cut, and the parser sees a value at the limit */
      memcpy(text, field, n);
      text[n] = '\0';
    } else if (o->kind == DOUBLE) {
      snprintf(text, sizeof text, "%.17g", *(const double *)field);
    } else if (o->size == sizeof(long) && o->kind == LONG) {
      snprintf(text, sizeof text, "%ld", *(const long *)field);
    } else {
      snprintf(text, sizeof text, "%d", *(const int *)field);
    }
    rc |= tprof_config_set(dst, o->key, text, origin);
  }
  return rc;
}

/* metrics.json's "config" object: each option by its key, in list order. */
size_t tprof_option_count(void) { return NOPTIONS; }
const char *tprof_option_get(const tprof_config *cfg, size_t i, int *kind, const void **field) {
  *kind = options[i].kind == BOOL           ? TPROF_OPTION_BOOL
          : options[i].kind == STRING       ? TPROF_OPTION_STRING
          : options[i].kind == DOUBLE       ? TPROF_OPTION_DOUBLE
          : options[i].kind == CPU_TIMING   ? TPROF_OPTION_CPU_TIMING
          : options[i].size == sizeof(long) ? TPROF_OPTION_LONG
                                            : TPROF_OPTION_INT;
  *field = (const char *)cfg + options[i].offset;
  return options[i].key;
}

void tprof_config_defaults(tprof_config *cfg) { set_defaults(cfg); }

/* "key=value:key=value" into cfg; each bad item gets one warning and is
 * skipped. Returns the number of bad items. */
int tprof_config_parse(tprof_config *cfg, const char *text, const char *origin) {
  /* A copy to cut up: on the stack when it fits, so that a start-up with
   * the profile off maps no memory for it (the runtime's arena, ~50 us of
   * its start-up here). */
  char local[2048], *copy = local;
  size_t n = strlen(text) + 1;
  if (n <= sizeof local)
    memcpy(local, text, n);
  else if (!(copy = tprof_mem_strdup(text)))
    return 1;
  int bad = 0;
  char *save = NULL;
  for (char *item = strtok_r(copy, ":", &save); item; item = strtok_r(NULL, ":", &save)) {
    char *eq = strchr(item, '=');
    if (!eq) {
      tprof_warn("%s: '%.200s' has no '=value'; ignored", origin, item);
      bad++;
      continue;
    }
    *eq = '\0';
    bad += tprof_config_set(cfg, item, eq + 1, origin) != 0;
  }
  if (copy != local) tprof_mem_free(copy);
  return bad;
}

void tprof_config_init_from_env(void) {
  set_defaults(&tprof_cfg);
  /* secure_getenv: a setuid program must not let its caller pick where it writes */
  const char *env = secure_getenv("TPROF_OPTIONS");
  if (env && *env) tprof_config_parse(&tprof_cfg, env, "TPROF_OPTIONS");
}
