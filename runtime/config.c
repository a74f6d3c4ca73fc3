/* Configuration: the options' values (tprof_cfg), their defaults, and the
 * parser of TPROF_OPTIONS ("key=value:key=value") that the API setters use
 * too. Base layer: every subsystem reads tprof_cfg; applying a change to
 * the subsystems is configure.c's (control layer). */
#include "internal.h"

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <stddef.h>
#include <unistd.h>

tprof_config tprof_cfg = {.verbosity = 1}; /* warnings before start-up (a module of another ABI) are seen */
int tprof_mem_on = 1;
uint32_t tprof_hot_mode = TPROF_MODE_TIME_ALL | TPROF_MODE_COUNT_ALL;

void tprof_warn(const char *fmt, ...) {
  if (tprof_cfg.verbosity < 1)
    return;
  va_list ap;
  va_start(ap, fmt);
  fputs("tprof: warning: ", stderr);
  vfprintf(stderr, fmt, ap);
  fputc('\n', stderr);
  va_end(ap);
}

static void default_program_id(char *out, size_t n) {
  char exe[4096];
  ssize_t len = readlink("/proc/self/exe", exe, sizeof exe - 1);
  const char *base = program_invocation_short_name;
  if (len > 0) {
    exe[len] = '\0';
    const char *slash = strrchr(exe, '/');
    base = slash ? slash + 1 : exe;
  }
  snprintf(out, n, "%.200s", base && *base ? base : "program");
}

static void set_defaults(tprof_config *c) {
  memset(c, 0, sizeof *c);
  c->cpu_profiling_enabled = 1;
  c->memory_tracking_enabled = 1;
  c->resource_monitoring_enabled = 1;
  c->export_profiling_data = 1;
  c->max_traced_allocations = 10000;
  c->slow_operation_threshold_ms = 10.0;
  snprintf(c->output_dir, sizeof c->output_dir, "tprof_output");
  default_program_id(c->program_id, sizeof c->program_id);
  c->verbosity = 1;
  c->handle_signals = 1;
  c->timeline_max_events = 10000;
  c->operation_timing_enabled = 1;
}

static int parse_bool(const char *v, int *out) {
  static const char *yes[] = {"1", "true", "yes", "on"}, *no[] = {"0", "false", "no", "off"};
  for (size_t i = 0; i < 4; i++) {
    if (!strcasecmp(v, yes[i])) { *out = 1; return 0; }
    if (!strcasecmp(v, no[i])) { *out = 0; return 0; }
  }
  return -1;
}

static int parse_long(const char *v, long min, long max, long *out) {
  char *end;
  errno = 0;
  long x = strtol(v, &end, 10);
  if (errno || end == v || *end || x < min || x > max)
    return -1;
  *out = x;
  return 0;
}

static int parse_double(const char *v, double min, double max, double *out) {
  char *end;
  errno = 0;
  double x = strtod(v, &end);
  if (errno || end == v || *end || !(x >= min && x <= max))
    return -1;
  *out = x;
  return 0;
}

enum kind { BOOL, LONG, DOUBLE, STRING, CPU_TIMING };
static const struct option {
  const char *key;
  enum kind kind;
  size_t offset, size;
  long min, max;
  const char *expect;
} options[] = {
#define OPT(k, kind, min, max, expect) {#k, kind, offsetof(tprof_config, k), sizeof(((tprof_config *)0)->k), min, max, expect}
    OPT(cpu_profiling_enabled, BOOL, 0, 1, "a boolean (1/0, true/false, yes/no, on/off)"),
    OPT(memory_tracking_enabled, BOOL, 0, 1, "a boolean (1/0, true/false, yes/no, on/off)"),
    OPT(resource_monitoring_enabled, BOOL, 0, 1, "a boolean (1/0, true/false, yes/no, on/off)"),
    OPT(export_profiling_data, BOOL, 0, 1, "a boolean (1/0, true/false, yes/no, on/off)"),
    OPT(max_traced_allocations, LONG, 0, 100000000, "an integer from 0 to 100000000"),
    OPT(slow_operation_threshold_ms, DOUBLE, 0, 86400000, "a number of milliseconds >= 0"),
    OPT(output_dir, STRING, 1, 0, "a directory path"),
    OPT(program_id, STRING, 1, 0, "a non-empty name"),
    OPT(verbosity, LONG, 0, 2, "0, 1 or 2"),
    OPT(handle_signals, BOOL, 0, 1, "a boolean (1/0, true/false, yes/no, on/off)"),
    OPT(cpu_functions_per_thread, BOOL, 0, 1, "a boolean (1/0, true/false, yes/no, on/off)"),
    OPT(timeline_max_events, LONG, 0, 10000000, "an integer from 0 to 10000000"),
    OPT(timeline_functions, BOOL, 0, 1, "a boolean (1/0, true/false, yes/no, on/off)"),
    OPT(flush_interval_ms, LONG, 0, 86400000, "a number of milliseconds from 0 (off) to 86400000"),
    OPT(cpu_timing, CPU_TIMING, 0, 1, "all or operations"),
    OPT(operation_timing_enabled, BOOL, 0, 1, "a boolean (1/0, true/false, yes/no, on/off)"),
#undef OPT
};

int tprof_config_set(tprof_config *cfg, const char *key, const char *value, const char *origin) {
  for (size_t i = 0; i < sizeof options / sizeof options[0]; i++) {
    const struct option *o = &options[i];
    if (strcmp(key, o->key) != 0)
      continue;
    char *field = (char *)cfg + o->offset;
    int ok = -1;
    if (o->kind == BOOL) {
      int b;
      if ((ok = parse_bool(value, &b)) == 0) *(int *)field = b;
    } else if (o->kind == LONG) {
      long x;
      if ((ok = parse_long(value, o->min, o->max, &x)) == 0) {
        if (o->size == sizeof(int)) *(int *)field = (int)x;
        else *(long *)field = x;
      }
    } else if (o->kind == DOUBLE) {
      double x;
      if ((ok = parse_double(value, (double)o->min, (double)o->max, &x)) == 0) *(double *)field = x;
    } else if (o->kind == CPU_TIMING) {
      if (!strcmp(value, "all") || !strcmp(value, "0")) *(int *)field = TPROF_CPU_TIMING_ALL, ok = 0;
      else if (!strcmp(value, "operations") || !strcmp(value, "1")) *(int *)field = TPROF_CPU_TIMING_OPERATIONS, ok = 0;
    } else if (*value && strlen(value) < o->size) {
      memcpy(field, value, strlen(value) + 1);
      ok = 0;
    }
    if (ok != 0)
      tprof_warn("%s: bad value '%.200s' for %s: expected %s%s; keeping the current value", origin,
                 value, key, o->expect, o->kind == STRING && *value ? " shorter than the limit" : "");
    return ok;
  }
  tprof_warn("%s: unknown option '%.200s' (value '%.200s'); known options: cpu_profiling_enabled, "
             "memory_tracking_enabled, resource_monitoring_enabled, export_profiling_data, "
             "max_traced_allocations, slow_operation_threshold_ms, output_dir, program_id, verbosity, "
             "handle_signals, cpu_functions_per_thread, timeline_max_events, timeline_functions, flush_interval_ms, cpu_timing, "
             "operation_timing_enabled",
             origin, key, value);
  return -1;
}

void tprof_config_defaults(tprof_config *cfg) { set_defaults(cfg); }

/* "key=value:key=value" into cfg; each bad item gets one warning and is
 * skipped. Returns the number of bad items. */
int tprof_config_parse(tprof_config *cfg, const char *text, const char *origin) {
  char *copy = tprof_mem_strdup(text);
  if (!copy)
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
  tprof_mem_free(copy);
  return bad;
}

void tprof_config_init_from_env(void) {
  set_defaults(&tprof_cfg);
  /* secure_getenv: a setuid program must not let its caller pick where it writes */
  const char *env = secure_getenv("TPROF_OPTIONS");
  if (env && *env)
    tprof_config_parse(&tprof_cfg, env, "TPROF_OPTIONS");
}
