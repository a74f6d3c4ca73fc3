#define _GNU_SOURCE
#include "metrics_reader.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util.h"

int tp_read_file(const char *path, char **buf, size_t *len, char *err, size_t errlen) {
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    snprintf(err, errlen, "%s", errno == ENOENT ? "no such file" : strerror(errno));
    return -1;
  }
  struct stat st;
  if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    snprintf(err, errlen, "not a regular file");
    close(fd);
    return -1;
  }
  if ((unsigned long long)st.st_size > TP_MAX_FILE_BYTES) {
    snprintf(err, errlen, "file is %lld bytes, above the limit of %llu MiB; skipped", (long long)st.st_size,
             TP_MAX_FILE_BYTES >> 20);
    close(fd);
    return -1;
  }
  size_t cap = (size_t)st.st_size, n = 0;
  char *b = xmalloc(cap + 1);
  for (;;) {
    /* The size can change under us (a file still being written): read to
     * EOF, within the limit. */
    if (n == cap) {
      if (cap >= TP_MAX_FILE_BYTES) {
        snprintf(err, errlen, "file grew above the limit of %llu MiB; skipped", TP_MAX_FILE_BYTES >> 20);
        free(b);
        close(fd);
        return -1;
      }
      cap = cap ? cap * 2 : 4096;
      b = xrealloc(b, cap + 1);
    }
    ssize_t r = read(fd, b + n, cap - n);
    if (r < 0) {
      if (errno == EINTR) continue;
      snprintf(err, errlen, "read error: %s", strerror(errno));
      free(b);
      close(fd);
      return -1;
    }
    if (r == 0) break;
    n += (size_t)r;
  }
  close(fd);
  b[n] = 0;
  *buf = b;
  *len = n;
  return 0;
}

/* Validation failures unwind to tp_metrics_parse with a message: each
 * extractor stays a straight line of reads instead of an error check per
 * field. */
typedef struct {
  jmp_buf jb;
  char *err;
  size_t errlen;
} ctx;

static void fail(ctx *c, const char *fmt, ...) __attribute__((noreturn, format(printf, 2, 3)));
static void fail(ctx *c, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(c->err, c->errlen, fmt, ap);
  va_end(ap);
  longjmp(c->jb, 1);
}

static double num(ctx *c, const cJSON *v, const char *what) {
  if (!cJSON_IsNumber(v)) fail(c, "%s is not a number", what);
  if (!isfinite(v->valuedouble)) fail(c, "%s is not a finite number", what);
  return v->valuedouble;
}

/* Counts are integers in the file; clamp before converting, since a double
 * outside long long's range converts with undefined behaviour. */
static long long integer(ctx *c, const cJSON *v, const char *what) {
  double d = num(c, v, what);
  if (d >= 9.2e18) return LLONG_MAX;
  if (d <= -9.2e18) return LLONG_MIN;
  return (long long)d;
}

static const cJSON *opt(const cJSON *o, const char *key) { return cJSON_GetObjectItemCaseSensitive(o, key); }

static double opt_num(ctx *c, const cJSON *o, const char *key, double dflt) {
  const cJSON *v = opt(o, key);
  return v && !cJSON_IsNull(v) ? num(c, v, key) : dflt;
}

static long long opt_int(ctx *c, const cJSON *o, const char *key, long long dflt) {
  const cJSON *v = opt(o, key);
  return v && !cJSON_IsNull(v) ? integer(c, v, key) : dflt;
}

static const char *opt_str(ctx *c, const cJSON *o, const char *key, const char *dflt) {
  const cJSON *v = opt(o, key);
  if (!v || cJSON_IsNull(v)) return dflt;
  if (!cJSON_IsString(v)) fail(c, "%s is not a string", key);
  return v->valuestring;
}

static const char *str(ctx *c, const cJSON *v, const char *what) {
  if (!cJSON_IsString(v)) fail(c, "%s is not a string", what);
  return v->valuestring;
}

static int opt_bool(const cJSON *o, const char *key, int dflt) {
  const cJSON *v = opt(o, key);
  return cJSON_IsBool(v) ? cJSON_IsTrue(v) : dflt;
}

static const cJSON *opt_array(ctx *c, const cJSON *o, const char *key) {
  const cJSON *v = opt(o, key);
  if (!v || cJSON_IsNull(v)) return NULL;
  if (!cJSON_IsArray(v)) fail(c, "%s is not an array", key);
  return v;
}

static const cJSON *opt_object(ctx *c, const cJSON *o, const char *key) {
  const cJSON *v = opt(o, key);
  if (!v || cJSON_IsNull(v)) return NULL;
  if (!cJSON_IsObject(v)) fail(c, "%s is not an object", key);
  return v;
}

static void *alloc_n(const cJSON *arr, size_t elem, size_t *n) {
  *n = (size_t)cJSON_GetArraySize(arr);
  return xcalloc(*n ? *n : 1, elem);
}

static void read_ops(ctx *c, const cJSON *root, tp_metrics *m) {
  const cJSON *ops = opt_array(c, root, "operations"), *e;
  if (ops) {
    m->ops = alloc_n(ops, sizeof *m->ops, &m->n_ops);
    size_t i = 0;
    cJSON_ArrayForEach(e, ops) {
      if (!cJSON_IsObject(e)) fail(c, "operations[%zu] is not an object", i);
      tp_op *o = &m->ops[i++];
      o->name = str(c, opt(e, "name"), "operations[].name");
      o->function = opt_str(c, e, "function", NULL);
      o->calls = opt_int(c, e, "calls", 0);
      o->total_ms = opt_num(c, e, "total_ms", 0);
      o->mean_ms = opt_num(c, e, "mean_ms", o->calls > 0 ? o->total_ms / (double)o->calls : 0);
      o->max_ms = opt_num(c, e, "max_ms", 0);
    }
    return;
  }
  /* Only the guide's field: names and totals. */
  const cJSON *t = opt_object(c, root, "operation_timings");
  if (!t) return;
  m->ops = alloc_n(t, sizeof *m->ops, &m->n_ops);
  size_t i = 0;
  cJSON_ArrayForEach(e, t) {
    tp_op *o = &m->ops[i++];
    o->name = e->string ? e->string : "";
    o->total_ms = o->max_ms = o->mean_ms = num(c, e, "operation_timings value");
  }
}

/* [name, value] pairs: slow_operations and top_allocators. */
static void read_pairs(ctx *c, const cJSON *arr, const char *what, tp_named **out, size_t *n) {
  const cJSON *e;
  if (!arr) return;
  *out = alloc_n(arr, sizeof **out, n);
  size_t i = 0;
  cJSON_ArrayForEach(e, arr) {
    if (!cJSON_IsArray(e) || cJSON_GetArraySize(e) < 2) fail(c, "%s[%zu] is not a [name, value] pair", what, i);
    (*out)[i].name = str(c, cJSON_GetArrayItem(e, 0), what);
    (*out)[i].value = num(c, cJSON_GetArrayItem(e, 1), what);
    i++;
  }
}

static void read_funcs(ctx *c, const cJSON *root, const cJSON *prof, tp_metrics *m) {
  const cJSON *fs = opt_array(c, root, "functions"), *e;
  size_t i = 0;
  if (fs) {
    m->funcs = alloc_n(fs, sizeof *m->funcs, &m->n_funcs);
    cJSON_ArrayForEach(e, fs) {
      if (!cJSON_IsObject(e)) fail(c, "functions[%zu] is not an object", i);
      tp_func *f = &m->funcs[i++];
      f->name = str(c, opt(e, "name"), "functions[].name");
      f->file = opt_str(c, e, "file", "");
      f->line = opt_int(c, e, "line", 0);
      f->calls = opt_int(c, e, "calls", 0);
      f->primitive_calls = opt_int(c, e, "primitive_calls", f->calls);
      f->self_ms = opt_num(c, e, "self_ms", 0);
      f->inclusive_ms = opt_num(c, e, "inclusive_ms", 0);
      f->is_operation = opt_bool(e, "is_operation", 0);
    }
    return;
  }
  /* The guide's top_functions: [name, calls, tottime_s, cumtime_s]. */
  const cJSON *top = prof ? opt_array(c, prof, "top_functions") : NULL;
  if (!top) return;
  m->funcs_from_top = 1;
  m->funcs = alloc_n(top, sizeof *m->funcs, &m->n_funcs);
  cJSON_ArrayForEach(e, top) {
    if (!cJSON_IsArray(e) || cJSON_GetArraySize(e) < 4) fail(c, "top_functions[%zu] is not [name, calls, tottime, cumtime]", i);
    tp_func *f = &m->funcs[i++];
    f->name = str(c, cJSON_GetArrayItem(e, 0), "top_functions name");
    f->file = "";
    f->calls = f->primitive_calls = integer(c, cJSON_GetArrayItem(e, 1), "top_functions calls");
    f->self_ms = 1000.0 * num(c, cJSON_GetArrayItem(e, 2), "top_functions tottime");
    f->inclusive_ms = 1000.0 * num(c, cJSON_GetArrayItem(e, 3), "top_functions cumtime");
  }
}

static void read_edges(ctx *c, const cJSON *root, tp_metrics *m) {
  const cJSON *g = opt_array(c, root, "call_graph"), *e;
  if (!g) return;
  m->edges = alloc_n(g, sizeof *m->edges, &m->n_edges);
  size_t i = 0;
  cJSON_ArrayForEach(e, g) {
    if (!cJSON_IsObject(e)) fail(c, "call_graph[%zu] is not an object", i);
    tp_edge *d = &m->edges[i++];
    d->caller = opt_str(c, e, "caller", NULL);
    d->callee = str(c, opt(e, "callee"), "call_graph[].callee");
    d->calls = opt_int(c, e, "calls", 0);
    d->self_ms = opt_num(c, e, "self_ms", 0);
    d->inclusive_ms = opt_num(c, e, "inclusive_ms", 0);
  }
}

static void read_stacks(ctx *c, const cJSON *root, tp_metrics *m) {
  const cJSON *s = opt_array(c, root, "call_stacks"), *e, *f;
  if (!s) return;
  m->has_stacks = 1;
  m->stacks_dropped = opt_int(c, root, "call_stacks_dropped", 0);
  m->stacks = alloc_n(s, sizeof *m->stacks, &m->n_stacks);
  /* First pass: frame count, so all frames fit in one allocation. */
  size_t total = 0, i = 0;
  cJSON_ArrayForEach(e, s) {
    if (!cJSON_IsObject(e)) fail(c, "call_stacks[%zu] is not an object", i);
    const cJSON *st = opt(e, "stack");
    if (!cJSON_IsArray(st) || cJSON_GetArraySize(st) == 0) fail(c, "call_stacks[%zu].stack is not a non-empty array", i);
    total += (size_t)cJSON_GetArraySize(st);
    i++;
  }
  const char **pool = xcalloc(total ? total : 1, sizeof *pool);
  m->frame_pool = pool;
  i = 0;
  cJSON_ArrayForEach(e, s) {
    tp_stack *d = &m->stacks[i++];
    d->frames = pool;
    cJSON_ArrayForEach(f, opt(e, "stack")) *pool++ = str(c, f, "call_stacks[].stack[]");
    d->depth = (size_t)(pool - d->frames);
    d->calls = opt_int(c, e, "calls", 0);
    d->self_ms = opt_num(c, e, "self_ms", 0);
    d->inclusive_ms = opt_num(c, e, "inclusive_ms", 0);
    d->alloc_count = opt_int(c, e, "alloc_count", 0);
    d->alloc_bytes = opt_int(c, e, "alloc_bytes", 0);
  }
}

static void read_timeline(ctx *c, const cJSON *root, tp_metrics *m) {
  const cJSON *t = opt_object(c, root, "timeline"), *e;
  if (!t) return;
  const cJSON *ev = opt_array(c, t, "events");
  m->has_timeline = 1;
  m->max_events = opt_int(c, t, "max_events", 0);
  m->dropped_events = opt_int(c, t, "dropped_events", 0);
  if (!ev) return;
  m->events = alloc_n(ev, sizeof *m->events, &m->n_events);
  size_t i = 0;
  cJSON_ArrayForEach(e, ev) {
    if (!cJSON_IsObject(e)) fail(c, "timeline.events[%zu] is not an object", i);
    tp_event *d = &m->events[i++];
    d->name = str(c, opt(e, "name"), "timeline.events[].name");
    d->kind = opt_str(c, e, "kind", "function");
    d->thread = opt_int(c, e, "thread", 1);
    d->start_us = num(c, opt(e, "start_us"), "timeline.events[].start_us");
    d->dur_us = num(c, opt(e, "dur_us"), "timeline.events[].dur_us");
  }
}

/* "line L, column C" of a byte offset, for cJSON's error position. */
static void position(const char *buf, size_t off, long *line, long *col) {
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

int tp_metrics_parse(const char *buf, size_t len, int flags, tp_metrics *m, char *err, size_t errlen) {
  memset(m, 0, sizeof *m);
  const char *end = NULL;
  cJSON *root = cJSON_ParseWithLengthOpts(buf, len, &end, 0);
  if (!root) {
    const char *at = end ? end : cJSON_GetErrorPtr();
    size_t off = at && at >= buf && at <= buf + len ? (size_t)(at - buf) : 0;
    long line, col;
    position(buf, off, &line, &col);
    snprintf(err, errlen, "not JSON: syntax error at line %ld, column %ld (byte %zu)", line, col, off);
    return -1;
  }
  m->root = root;
  ctx c;
  c.err = err;
  c.errlen = errlen;
  if (setjmp(c.jb)) {
    /* err says what; prefix it so every reason names the problem class. */
    char tmp[512];
    snprintf(tmp, sizeof tmp, "not a tprof metrics file: %s", err);
    snprintf(err, errlen, "%s", tmp);
    tp_metrics_free(m);
    return -1;
  }
  if (!cJSON_IsObject(root)) fail(&c, "the top level is not an object");
  const cJSON *sv = opt(root, "schema_version");
  const cJSON *gen = opt(root, "generator");
  if (!sv || !gen) fail(&c, "no %s key", !sv ? "schema_version" : "generator");
  if (!cJSON_IsString(gen) || strncmp(gen->valuestring, "tprof", 5) != 0) fail(&c, "generator is not \"tprof ...\"");
  long long v = integer(&c, sv, "schema_version");
  if (v > TP_SCHEMA_VERSION) {
    snprintf(err, errlen, "schema_version %lld is newer than this tprof supports (%d); use a newer tprof", v,
             TP_SCHEMA_VERSION);
    tp_metrics_free(m);
    return -1;
  }
  if (v < 1) fail(&c, "schema_version %lld", v);
  m->schema_version = (int)v;
  m->generator = gen->valuestring;
  m->program_id = opt_str(&c, root, "program_id", "");
  m->timestamp = opt_str(&c, root, "timestamp", "");
  m->pid = opt_int(&c, root, "pid", 0);
  m->execution_time_ms = num(&c, opt(root, "execution_time_ms"), "execution_time_ms");
  m->memory_used_mb = opt_num(&c, root, "memory_used_mb", 0);

  const cJSON *prof = opt_object(&c, root, "profile_data");
  if (prof) {
    m->prof_enabled = opt_bool(prof, "enabled", 1);
    m->total_calls = opt_int(&c, prof, "total_calls", 0);
    m->total_time_s = opt_num(&c, prof, "total_time", 0);
  }
  const cJSON *mem = opt_object(&c, root, "memory_allocation_data");
  if (mem) {
    m->mem_enabled = opt_bool(mem, "enabled", 1);
    m->peak_memory_mb = opt_num(&c, mem, "peak_memory_mb", 0);
    m->current_memory_mb = opt_num(&c, mem, "current_memory_mb", m->memory_used_mb);
    m->allocation_count = opt_int(&c, mem, "allocation_count", 0);
    m->deallocation_count = opt_int(&c, mem, "deallocation_count", 0);
    m->net_allocations = opt_int(&c, mem, "net_allocations", m->allocation_count - m->deallocation_count);
    read_pairs(&c, opt_array(&c, mem, "top_allocators"), "top_allocators", &m->allocators, &m->n_allocators);
  }
  const cJSON *heap = opt_object(&c, root, "heap");
  if (heap) {
    m->has_heap = 1;
    m->allocated_bytes = opt_int(&c, heap, "allocated_bytes", 0);
    m->freed_bytes = opt_int(&c, heap, "freed_bytes", 0);
    m->peak_bytes = opt_int(&c, heap, "peak_bytes", 0);
  }
  read_ops(&c, root, m);
  read_pairs(&c, opt_array(&c, root, "slow_operations"), "slow_operations", &m->slow, &m->n_slow);
  read_funcs(&c, root, prof, m);
  read_edges(&c, root, m);
  read_stacks(&c, root, m);
  if (flags & TP_LOAD_TIMELINE) read_timeline(&c, root, m);
  return 0;
}

int tp_metrics_load(const char *path, int flags, tp_metrics *m, char *err, size_t errlen) {
  char *buf;
  size_t len;
  memset(m, 0, sizeof *m);
  if (tp_read_file(path, &buf, &len, err, errlen) != 0) return -1;
  int rc = tp_metrics_parse(buf, len, flags, m, err, errlen);
  free(buf);
  return rc;
}

void tp_metrics_free(tp_metrics *m) {
  cJSON_Delete(m->root);
  free(m->frame_pool);
  free(m->ops);
  free(m->slow);
  free(m->allocators);
  free(m->funcs);
  free(m->edges);
  free(m->stacks);
  free(m->events);
  memset(m, 0, sizeof *m);
}
