/* Callgrind's profile format (valgrind docs, "Callgrind Format
 * Specification"), readable by KCachegrind and callgrind_annotate. One
 * event, ns (nanoseconds: callgrind costs are integers, and ms would round
 * most functions to 0). Per function a "fn=" block: its self cost on its
 * source line, then one call record per callee: cfn=, calls=<count> <callee
 * line>, and the inclusive cost of those calls. The summary line is the sum
 * of the self costs as written, which is what callgrind_annotate checks it
 * against.
 *
 * All threads: functions[] and call_graph, exact. --thread N: that thread's
 * rows of call_stacks, summed per function and per caller -> callee pair
 * (cProfile's rule: a call's inclusive time counts once when the same pair
 * is open above it on its path), as exact as the stacks' cap left them. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "convert.h"
#include "strmap.h"
#include "util.h"

static long long ns(double ms) {
  double v = ms * 1e6;
  return v > 0 && v < 9e18 ? llround(v) : 0;
}

/* The total self cost written (the summary line) (ns). */
static long long total_ns(const double *self_ms, size_t n) {
  long long total = 0;
  for (size_t i = 0; i < n; i++) total += ns(self_ms[i]);
  return total;
}

/* Names are written as they are; a newline would end the line, so it goes. */
static void name(FILE *out, const char *s) {
  for (; *s; s++) fputc(*s == '\n' || *s == '\r' ? ' ' : *s, out);
}

static const char *file_of(const tp_func *f) { return f && f->file && f->file[0] ? f->file : "???"; }

typedef struct {
  long caller, callee; /* indices in funcs */
  long long calls;
  double inclusive_ms;
} call;

/* Self times per function and the call records, then written. The calls
 * are grouped by caller with one counting sort: linear in the edges. */
static void write_profile(const tp_metrics *m, FILE *out, const double *self_ms, const call *calls, size_t ncalls,
                          long long thread) {
  size_t nf = m->n_funcs;
  size_t *start = xcalloc(nf + 2, sizeof *start), *order = xcalloc(ncalls ? ncalls : 1, sizeof *order);
  for (size_t e = 0; e < ncalls; e++) start[calls[e].caller + 1]++;
  for (size_t f = 0; f < nf; f++) start[f + 1] += start[f];
  size_t *fill = xcalloc(nf + 1, sizeof *fill);
  for (size_t e = 0; e < ncalls; e++) order[start[calls[e].caller] + fill[calls[e].caller]++] = e;
  free(fill);
  long long total = total_ns(self_ms, nf);
  fprintf(out, "# callgrind format\nversion: 1\ncreator: tprof " TPROF_VERSION "\npid: %lld\n", m->pid);
  if (thread) fprintf(out, "thread: %lld\n", thread);
  fputs("cmd: ", out);
  name(out, m->program_id);
  fprintf(out, "\npart: 1\n\npositions: line\nevents: ns\nsummary: %lld\n", total);
  for (size_t i = 0; i < nf; i++) {
    const tp_func *f = &m->funcs[i];
    if (thread && !(self_ms[i] > 0) && start[i] == start[i + 1]) continue; /* not on this thread */
    long long line = f->line > 0 ? f->line : 0;
    fputs("\nfl=", out);
    name(out, file_of(f));
    fputs("\nfn=", out);
    name(out, f->label);
    fprintf(out, "\n%lld %lld\n", line, ns(self_ms[i]));
    for (size_t k = start[i]; k < start[i + 1]; k++) {
      const call *c = &calls[order[k]];
      const tp_func *callee = &m->funcs[c->callee];
      fputs("cfl=", out);
      name(out, file_of(callee));
      fputs("\ncfn=", out);
      name(out, callee->label);
      fprintf(out, "\ncalls=%lld %lld\n%lld %lld\n", c->calls, callee->line > 0 ? callee->line : 0, line,
              ns(c->inclusive_ms));
    }
  }
  fprintf(out, "\ntotals: %lld\n", total);
  free(start);
  free(order);
}

/* Zero costs everywhere: KCachegrind would show an empty profile, so say
 * why instead, as folded and speedscope do (the call counts are in
 * `tprof report`). */
static int untimed(const char *path) {
  tp_err("%s: no function has any self time, so there is no callgrind output to write (its costs are times; the "
         "call counts are in 'tprof report'); the runtime times calls with cpu_profiling_enabled=1 (every "
         "function) or operation_timing_enabled=1 (operations and regions), both on by default: profile again "
         "with either on",
         path);
  return -1;
}

/* One thread's figures from its rows of call_stacks. */
static int thread_profile(const tp_metrics *m, FILE *out, const char *path, long long thread) {
  if (!m->has_stacks) {
    tp_err("%s: no call_stacks in this file, so no profile of one thread can be made", path);
    return -1;
  }
  double *self = xcalloc(m->n_funcs + 1, sizeof *self);
  call *calls = xcalloc(m->n_nodes + 1, sizeof *calls);
  size_t ncalls = 0, rows = 0;
  tp_map *pairs = tp_map_new(sizeof(size_t), (size_t)-1);   /* "caller:callee" -> 1 + its call record */
  size_t *of_row = xcalloc(m->n_nodes + 1, sizeof *of_row); /* row -> 1 + its call record */
  for (size_t i = 0; i < m->n_nodes; i++) {
    const tp_node *n = &m->nodes[i];
    if (n->thread != thread || n->fidx < 0) continue;
    rows++;
    self[n->fidx] += n->self_ms;
    if (!n->parent || m->nodes[n->parent - 1].fidx < 0) continue;
    long caller = m->nodes[n->parent - 1].fidx;
    size_t e = 0;
    /* the same pair open above: found walking up (paths are at most a few
     * hundred deep) */
    int open_above = 0;
    for (size_t up = n->parent; up && m->nodes[up - 1].parent; up = m->nodes[up - 1].parent) {
      const tp_node *u = &m->nodes[up - 1];
      if (u->fidx == n->fidx && m->nodes[u->parent - 1].fidx == caller) {
        open_above = 1;
        e = of_row[up];
        break;
      }
    }
    if (!e) {
      char key[48];
      snprintf(key, sizeof key, "%ld:%ld", caller, n->fidx);
      size_t *slot = tp_map_get(pairs, key, 1);
      if (!*slot) {
        calls[ncalls] = (call){caller, n->fidx, 0, 0};
        *slot = ++ncalls;
      }
      e = *slot;
    }
    of_row[i + 1] = e;
    calls[e - 1].calls += n->calls;
    if (!open_above) calls[e - 1].inclusive_ms += n->inclusive_ms;
  }
  if (!rows) {
    tp_err("%s: no call stacks of thread %lld in this file", path, thread);
    free(self);
    free(calls);
    free(of_row);
    tp_map_free(pairs);
    return -1;
  }
  int rc = total_ns(self, m->n_funcs) > 0 ? 0 : untimed(path);
  if (rc == 0) write_profile(m, out, self, calls, ncalls, thread);
  free(self);
  free(calls);
  free(of_row);
  tp_map_free(pairs);
  return rc;
}

int tp_convert_callgrind(const tp_metrics *m, FILE *out, const char *path, const tp_convert_opts *o) {
  if (o->thread) return thread_profile(m, out, path, o->thread);
  double *self = xcalloc(m->n_funcs + 1, sizeof *self);
  for (size_t i = 0; i < m->n_funcs; i++) self[i] = m->funcs[i].self_ms;
  call *calls = xcalloc(m->n_edges + 1, sizeof *calls);
  size_t ncalls = 0;
  for (size_t e = 0; e < m->n_edges; e++) {
    const tp_edge *ed = &m->edges[e];
    if (ed->caller_ix < 0 || ed->callee_ix < 0) continue; /* from caller 0: no caller's block to go in */
    calls[ncalls++] = (call){ed->caller_ix, ed->callee_ix, ed->calls, ed->inclusive_ms};
  }
  int rc = total_ns(self, m->n_funcs) > 0 ? 0 : untimed(path);
  if (rc == 0) write_profile(m, out, self, calls, ncalls, 0);
  free(self);
  free(calls);
  return rc;
}
