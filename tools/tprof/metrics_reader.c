#define _GNU_SOURCE
#include "metrics_reader.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "json_fields.h"
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

static void read_ops(jf_ctx *c, const cJSON *root, tp_metrics *m) {
  const cJSON *ops = jf_opt_array(c, root, "operations"), *e;
  if (ops) {
    m->ops = jf_alloc_n(ops, sizeof *m->ops, &m->n_ops);
    size_t i = 0;
    cJSON_ArrayForEach(e, ops) {
      if (!cJSON_IsObject(e)) jf_fail(c, "operations[%zu] is not an object", i);
      tp_op *o = &m->ops[i++];
      o->name = jf_str(c, jf_opt(e, "name"), "operations[].name");
      o->function = jf_opt_str(c, e, "function", NULL);
      o->calls = jf_opt_int(c, e, "calls", 0);
      o->total_ms = jf_opt_num(c, e, "total_ms", 0);
      o->mean_ms = jf_opt_num(c, e, "mean_ms", o->calls > 0 ? o->total_ms / (double)o->calls : 0);
      o->max_ms = jf_opt_num(c, e, "max_ms", 0);
    }
    return;
  }
  /* Only the guide's field: names and totals. */
  const cJSON *t = jf_opt_object(c, root, "operation_timings");
  if (!t) return;
  m->ops = jf_alloc_n(t, sizeof *m->ops, &m->n_ops);
  size_t i = 0;
  cJSON_ArrayForEach(e, t) {
    tp_op *o = &m->ops[i++];
    o->name = e->string ? e->string : "";
    o->total_ms = o->max_ms = o->mean_ms = jf_num(c, e, "operation_timings value");
  }
}

/* [name, value] pairs: slow_operations and top_allocators. */
static void read_pairs(jf_ctx *c, const cJSON *arr, const char *what, tp_named **out, size_t *n) {
  const cJSON *e;
  if (!arr) return;
  *out = jf_alloc_n(arr, sizeof **out, n);
  size_t i = 0;
  cJSON_ArrayForEach(e, arr) {
    if (!cJSON_IsArray(e) || cJSON_GetArraySize(e) < 2) jf_fail(c, "%s[%zu] is not a [name, value] pair", what, i);
    (*out)[i].name = jf_str(c, cJSON_GetArrayItem(e, 0), what);
    (*out)[i].value = jf_num(c, cJSON_GetArrayItem(e, 1), what);
    i++;
  }
}

static void read_funcs(jf_ctx *c, const cJSON *root, const cJSON *prof, tp_metrics *m) {
  const cJSON *fs = jf_opt_array(c, root, "functions"), *e;
  size_t i = 0;
  if (fs) {
    m->funcs = jf_alloc_n(fs, sizeof *m->funcs, &m->n_funcs);
    cJSON_ArrayForEach(e, fs) {
      if (!cJSON_IsObject(e)) jf_fail(c, "functions[%zu] is not an object", i);
      tp_func *f = &m->funcs[i++];
      f->id = jf_integer(c, jf_opt(e, "id"), "functions[].id");
      f->name = jf_str(c, jf_opt(e, "name"), "functions[].name");
      f->operation = jf_opt_str(c, e, "operation", NULL);
      f->kind = jf_opt_str(c, e, "kind", "function");
      f->file = jf_opt_str(c, e, "file", "");
      f->line = jf_opt_int(c, e, "line", 0);
      f->calls = jf_opt_int(c, e, "calls", 0);
      f->primitive_calls = jf_opt_int(c, e, "primitive_calls", f->calls);
      f->self_ms = jf_opt_num(c, e, "self_ms", 0);
      f->inclusive_ms = jf_opt_num(c, e, "inclusive_ms", 0);
      f->is_operation = jf_opt_bool(e, "is_operation", 0);
    }
    return;
  }
  /* The guide's top_functions: [name, calls, tottime_s, cumtime_s]. */
  const cJSON *top = prof ? jf_opt_array(c, prof, "top_functions") : NULL;
  if (!top) return;
  m->funcs_from_top = 1;
  m->funcs = jf_alloc_n(top, sizeof *m->funcs, &m->n_funcs);
  cJSON_ArrayForEach(e, top) {
    if (!cJSON_IsArray(e) || cJSON_GetArraySize(e) < 4)
      jf_fail(c, "top_functions[%zu] is not [name, calls, tottime, cumtime]", i);
    tp_func *f = &m->funcs[i++];
    f->name = jf_str(c, cJSON_GetArrayItem(e, 0), "top_functions name");
    f->file = "";
    f->kind = "function";
    f->id = -1 - (long long)i; /* no ids there: none that a reference could match */
    f->calls = f->primitive_calls = jf_integer(c, cJSON_GetArrayItem(e, 1), "top_functions calls");
    f->self_ms = 1000.0 * jf_num(c, cJSON_GetArrayItem(e, 2), "top_functions tottime");
    f->inclusive_ms = 1000.0 * jf_num(c, cJSON_GetArrayItem(e, 3), "top_functions cumtime");
  }
}

static char *own_str(tp_metrics *m, char *str) {
  if (m->n_owned == m->cap_owned) {
    m->cap_owned = m->cap_owned ? m->cap_owned * 2 : 16;
    m->owned = xrealloc(m->owned, m->cap_owned * sizeof *m->owned);
  }
  return m->owned[m->n_owned++] = str;
}

static char *own_printf(tp_metrics *m, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static char *own_printf(tp_metrics *m, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(NULL, 0, fmt, ap);
  va_end(ap);
  char *b = xmalloc((size_t)(n > 0 ? n : 0) + 1);
  va_start(ap, fmt);
  vsnprintf(b, (size_t)(n > 0 ? n : 0) + 1, fmt, ap);
  va_end(ap);
  return own_str(m, b);
}

/* functions[] by id, for the references of the other sections. */
typedef struct {
  long long id;
  long ix;
} id_ix;
static int by_id(const void *a, const void *b) {
  const id_ix *x = a, *y = b;
  return x->id < y->id ? -1 : x->id > y->id;
}
typedef struct {
  id_ix *v;
  size_t n;
} id_index;

static long find_id(const id_index *x, long long id) {
  size_t lo = 0, hi = x->n;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (x->v[mid].id == id) return x->v[mid].ix;
    if (x->v[mid].id < id)
      lo = mid + 1;
    else
      hi = mid;
  }
  return -1;
}

static int by_label(const void *a, const void *b) {
  const tp_func *const *x = a, *const *y = b;
  return strcmp((*x)->label, (*y)->label);
}

/* Ids must be unique; labels are made unique (tp_func.label). */
static void index_funcs(jf_ctx *c, tp_metrics *m, id_index *x) {
  x->n = m->n_funcs;
  x->v = m->id_index = xcalloc(x->n ? x->n : 1, sizeof *x->v); /* freed with m, also when a check fails */
  for (size_t i = 0; i < m->n_funcs; i++) x->v[i] = (id_ix){m->funcs[i].id, (long)i};
  qsort(x->v, x->n, sizeof *x->v, by_id);
  for (size_t i = 1; i < x->n; i++)
    if (x->v[i].id == x->v[i - 1].id) jf_fail(c, "functions[]: id %lld appears twice", x->v[i].id);
  tp_func **order = xcalloc(m->n_funcs ? m->n_funcs : 1, sizeof *order);
  for (size_t i = 0; i < m->n_funcs; i++) {
    tp_func *f = &m->funcs[i];
    f->label = f->operation && f->operation[0] ? f->operation : f->name;
    order[i] = f;
  }
  qsort(order, m->n_funcs, sizeof *order, by_label);
  for (size_t i = 0; i < m->n_funcs;) {
    size_t j = i + 1;
    while (j < m->n_funcs && !strcmp(order[j]->label, order[i]->label)) j++;
    for (size_t k = i; j - i > 1 && k < j; k++)
      order[k]->label = own_printf(m, "%s (%s:%lld)", order[k]->label, order[k]->file, order[k]->line);
    i = j;
  }
  free(order);
}

static const char *label_of(tp_metrics *m, long ix, long long id) {
  return ix >= 0 ? m->funcs[ix].label : own_printf(m, "(function %lld)", id);
}

static void read_edges(jf_ctx *c, const cJSON *root, tp_metrics *m, const id_index *x) {
  const cJSON *g = jf_opt_array(c, root, "call_graph"), *e;
  if (!g) return;
  m->edges = jf_alloc_n(g, sizeof *m->edges, &m->n_edges);
  size_t i = 0;
  cJSON_ArrayForEach(e, g) {
    if (!cJSON_IsObject(e)) jf_fail(c, "call_graph[%zu] is not an object", i);
    tp_edge *d = &m->edges[i++];
    long long caller = jf_integer(c, jf_opt(e, "caller"), "call_graph[].caller");
    long long callee = jf_integer(c, jf_opt(e, "callee"), "call_graph[].callee");
    d->caller_ix = caller ? find_id(x, caller) : -1;
    d->callee_ix = find_id(x, callee);
    d->caller = caller ? label_of(m, d->caller_ix, caller) : NULL;
    d->callee = label_of(m, d->callee_ix, callee);
    d->calls = jf_opt_int(c, e, "calls", 0);
    d->self_ms = jf_opt_num(c, e, "self_ms", 0);
    d->inclusive_ms = jf_opt_num(c, e, "inclusive_ms", 0);
  }
}

/* Bounds on what a reader spells out: the runtime writes at most 50,000
 * rows no deeper than 256; a file far beyond that is not one of its. */
#define MAX_STACK_DEPTH 4096
#define MAX_STACK_FRAMES (64ull << 20)

static void read_stacks(jf_ctx *c, const cJSON *root, tp_metrics *m, const id_index *x) {
  const cJSON *s = jf_opt_array(c, root, "call_stacks"), *e;
  if (!s) return;
  m->has_stacks = 1;
  const cJSON *lim = jf_opt_object(c, root, "call_stacks_limits");
  m->stack_rows_max = lim ? jf_opt_int(c, lim, "max_rows", 0) : 0;
  m->stack_nodes = lim ? jf_opt_int(c, lim, "nodes", 0) : 0;
  m->nodes = jf_alloc_n(s, sizeof *m->nodes, &m->n_nodes);
  size_t i = 0;
  cJSON_ArrayForEach(e, s) {
    if (!cJSON_IsObject(e)) jf_fail(c, "call_stacks[%zu] is not an object", i);
    tp_node *d = &m->nodes[i];
    if (jf_integer(c, jf_opt(e, "id"), "call_stacks[].id") != (long long)i + 1)
      jf_fail(c, "call_stacks[%zu].id is not %zu (rows are numbered in order)", i, i + 1);
    long long parent = jf_integer(c, jf_opt(e, "parent"), "call_stacks[].parent");
    if (parent < 0 || parent > (long long)i) jf_fail(c, "call_stacks[%zu].parent is not an earlier row", i);
    d->parent = (size_t)parent;
    d->depth = parent ? m->nodes[parent - 1].depth + 1 : 1;
    if (d->depth > MAX_STACK_DEPTH) jf_fail(c, "call_stacks[%zu] is deeper than %d frames", i, MAX_STACK_DEPTH);
    m->total_depth += d->depth;
    if (m->total_depth > MAX_STACK_FRAMES) jf_fail(c, "call_stacks spell out more than %llu frames", MAX_STACK_FRAMES);
    long long f = jf_integer(c, jf_opt(e, "function"), "call_stacks[].function");
    d->fidx = find_id(x, f);
    d->label = label_of(m, d->fidx, f);
    d->thread = jf_opt_int(c, e, "thread", 1);
    d->calls = jf_opt_int(c, e, "calls", 0);
    d->self_ms = jf_opt_num(c, e, "self_ns", 0) / 1e6;
    d->inclusive_ms = jf_opt_num(c, e, "inclusive_ns", 0) / 1e6;
    d->alloc_count = jf_opt_int(c, e, "alloc_count", 0);
    d->alloc_bytes = jf_opt_int(c, e, "alloc_bytes", 0);
    i++;
  }
  const cJSON *fo = jf_opt_array(c, root, "call_stacks_folded");
  if (!fo) return;
  m->folded = jf_alloc_n(fo, sizeof *m->folded, &m->n_folded);
  i = 0;
  cJSON_ArrayForEach(e, fo) {
    if (!cJSON_IsObject(e)) jf_fail(c, "call_stacks_folded[%zu] is not an object", i);
    tp_folded *d = &m->folded[i++];
    long long f = jf_integer(c, jf_opt(e, "function"), "call_stacks_folded[].function");
    d->fidx = find_id(x, f);
    d->label = label_of(m, d->fidx, f);
    d->calls = jf_opt_int(c, e, "calls", 0);
    d->self_ms = jf_opt_num(c, e, "self_ns", 0) / 1e6;
  }
}

static void read_timeline(jf_ctx *c, const cJSON *root, tp_metrics *m, const id_index *x) {
  const cJSON *t = jf_opt_object(c, root, "timeline"), *e;
  if (!t) return;
  const cJSON *ev = jf_opt_array(c, t, "events");
  m->has_timeline = 1;
  m->max_events = jf_opt_int(c, t, "max_events", 0);
  m->dropped_events = jf_opt_int(c, t, "dropped_events", 0);
  if (!ev) return;
  m->events = jf_alloc_n(ev, sizeof *m->events, &m->n_events);
  size_t i = 0;
  cJSON_ArrayForEach(e, ev) {
    /* [function, thread, start_ns, dur_ns] (the section's "columns") */
    if (!cJSON_IsArray(e) || cJSON_GetArraySize(e) < 4)
      jf_fail(c, "timeline.events[%zu] is not [function, thread, start_ns, dur_ns]", i);
    tp_event *d = &m->events[i++];
    long long f = jf_integer(c, cJSON_GetArrayItem(e, 0), "timeline.events[] function");
    long ix = find_id(x, f);
    d->name = label_of(m, ix, f);
    d->kind = ix >= 0 ? m->funcs[ix].kind : "function";
    d->thread = jf_integer(c, cJSON_GetArrayItem(e, 1), "timeline.events[] thread");
    d->start_us = jf_num(c, cJSON_GetArrayItem(e, 2), "timeline.events[] start_ns") / 1e3;
    d->dur_us = jf_num(c, cJSON_GetArrayItem(e, 3), "timeline.events[] dur_ns") / 1e3;
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
    jf_position(buf, off, &line, &col);
    snprintf(err, errlen, "not JSON: syntax error at line %ld, column %ld (byte %zu)", line, col, off);
    return -1;
  }
  m->root = root;
  jf_ctx c;
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
  if (!cJSON_IsObject(root)) jf_fail(&c, "the top level is not an object");
  const cJSON *sv = jf_opt(root, "schema_version");
  const cJSON *gen = jf_opt(root, "generator");
  if (!sv || !gen) jf_fail(&c, "no %s key", !sv ? "schema_version" : "generator");
  if (!cJSON_IsString(gen) || strncmp(gen->valuestring, "tprof", 5) != 0) jf_fail(&c, "generator is not \"tprof ...\"");
  long long v = jf_integer(&c, sv, "schema_version");
  if (v != TP_SCHEMA_VERSION) {
    if (v > TP_SCHEMA_VERSION)
      snprintf(err, errlen, "schema_version %lld is newer than this tprof reads (%d); use a newer tprof", v,
               TP_SCHEMA_VERSION);
    else
      snprintf(err, errlen,
               "schema_version %lld is older than this tprof reads (%d); read it with the tprof that "
               "wrote it (%s), or profile the program again",
               v, TP_SCHEMA_VERSION, cJSON_IsString(gen) ? gen->valuestring : "?");
    tp_metrics_free(m);
    return -1;
  }
  m->schema_version = (int)v;
  m->generator = gen->valuestring;
  m->program_id = jf_opt_str(&c, root, "program_id", "");
  m->timestamp = jf_opt_str(&c, root, "timestamp", "");
  m->pid = jf_opt_int(&c, root, "pid", 0);
  m->execution_time_ms = jf_num(&c, jf_opt(root, "execution_time_ms"), "execution_time_ms");
  m->memory_used_mb = jf_opt_num(&c, root, "memory_used_mb", 0);

  const cJSON *prof = jf_opt_object(&c, root, "profile_data");
  if (prof) {
    m->prof_enabled = jf_opt_bool(prof, "enabled", 1);
    m->total_calls = jf_opt_int(&c, prof, "total_calls", 0);
    m->total_time_s = jf_opt_num(&c, prof, "total_time", 0);
  }
  const cJSON *mem = jf_opt_object(&c, root, "memory_allocation_data");
  if (mem) {
    m->mem_enabled = jf_opt_bool(mem, "enabled", 1);
    m->peak_memory_mb = jf_opt_num(&c, mem, "peak_memory_mb", 0);
    m->current_memory_mb = jf_opt_num(&c, mem, "current_memory_mb", m->memory_used_mb);
    m->allocation_count = jf_opt_int(&c, mem, "allocation_count", 0);
    m->deallocation_count = jf_opt_int(&c, mem, "deallocation_count", 0);
    m->net_allocations = jf_opt_int(&c, mem, "net_allocations", m->allocation_count - m->deallocation_count);
    read_pairs(&c, jf_opt_array(&c, mem, "top_allocators"), "top_allocators", &m->allocators, &m->n_allocators);
  }
  const cJSON *heap = jf_opt_object(&c, root, "heap");
  if (heap) {
    m->has_heap = 1;
    m->allocated_bytes = jf_opt_int(&c, heap, "allocated_bytes", 0);
    m->freed_bytes = jf_opt_int(&c, heap, "freed_bytes", 0);
    m->peak_bytes = jf_opt_int(&c, heap, "peak_bytes", 0);
  }
  read_ops(&c, root, m);
  read_pairs(&c, jf_opt_array(&c, root, "slow_operations"), "slow_operations", &m->slow, &m->n_slow);
  read_funcs(&c, root, prof, m);
  id_index ids = {0};
  index_funcs(&c, m, &ids);
  for (size_t i = 0; i < m->n_ops; i++) {
    const cJSON *o = cJSON_GetArrayItem(jf_opt(root, "operations"), (int)i);
    long long fid = o ? jf_opt_int(&c, o, "function_id", 0) : 0;
    long ix = fid ? find_id(&ids, fid) : -1;
    m->ops[i].file = ix >= 0 ? m->funcs[ix].file : NULL;
  }
  read_edges(&c, root, m, &ids);
  read_stacks(&c, root, m, &ids);
  if (flags & TP_LOAD_TIMELINE) read_timeline(&c, root, m, &ids);
  return 0;
}

/* The other files of a run's set (docs/FILES.md): given one of them where
 * a metrics file is expected, the reason is the file's name, not its
 * contents, and the fix is the same prefix + metrics.json. */
static int other_file_of_set(const char *path, char *err, size_t errlen) {
  static const char *const suffixes[] = {"_memory_summary.json",   "_timings.csv",       "_cpu_functions.csv",
                                         "_memory_allocators.csv", "_memory_traces.csv", "_performance_report.md"};
  size_t len = strlen(path), base = (size_t)(tp_basename(path) - path);
  for (size_t i = 0; i < sizeof suffixes / sizeof *suffixes; i++) {
    size_t n = strlen(suffixes[i]);
    if (len <= base + n || strcmp(path + len - n, suffixes[i]) != 0) continue;
    snprintf(err, errlen, "not a metrics file but the run's %s; give %.*s_metrics.json instead (the same run's)",
             suffixes[i] + 1, (int)(len - n), path);
    return 1;
  }
  return 0;
}

int tp_metrics_load(const char *path, int flags, tp_metrics *m, char *err, size_t errlen) {
  char *buf;
  size_t len;
  memset(m, 0, sizeof *m);
  if (tp_read_file(path, &buf, &len, err, errlen) != 0) return -1;
  int rc = tp_metrics_parse(buf, len, flags, m, err, errlen);
  free(buf);
  if (rc != 0) other_file_of_set(path, err, errlen);
  return rc;
}

void tp_metrics_free(tp_metrics *m) {
  cJSON_Delete(m->root);
  for (size_t i = 0; i < m->n_owned; i++) free(m->owned[i]);
  free(m->owned);
  free(m->nodes);
  free(m->folded);
  free(m->id_index);
  free(m->ops);
  free(m->slow);
  free(m->allocators);
  free(m->funcs);
  free(m->edges);
  free(m->events);
  memset(m, 0, sizeof *m);
}
