/* Callgrind's profile format (valgrind docs, "Callgrind Format
 * Specification"), readable by KCachegrind and callgrind_annotate. One
 * event, ns (nanoseconds: callgrind costs are integers, and ms would round
 * most functions to 0). Per function a "fn=" block: its self cost on its
 * source line, then one call record per callee from call_graph: cfn=,
 * calls=<count> <callee line>, and the inclusive cost of those calls. The
 * summary line is the sum of the self costs as written, which is what
 * callgrind_annotate checks it against. */
#include <math.h>
#include <string.h>

#include "convert.h"
#include "strmap.h"
#include "util.h"

static long long ns(double ms) {
  double v = ms * 1e6;
  return v > 0 && v < 9e18 ? llround(v) : 0;
}

/* Names are written as they are; a newline would end the line, so it goes. */
static void name(FILE *out, const char *s) {
  for (; *s; s++) fputc(*s == '\n' || *s == '\r' ? ' ' : *s, out);
}

static const char *file_of(const tp_func *f) { return f && f->file && f->file[0] ? f->file : "???"; }

int tp_convert_callgrind(const tp_metrics *m, FILE *out, const char *path) {
  (void)path;
  tp_map *fi = tp_map_new(sizeof(size_t), (size_t)-1);
  for (size_t i = 0; i < m->n_funcs; i++) *(size_t *)tp_map_get(fi, m->funcs[i].name, 1) = i + 1;
  long long total = 0;
  for (size_t i = 0; i < m->n_funcs; i++) total += ns(m->funcs[i].self_ms);
  fprintf(out, "# callgrind format\nversion: 1\ncreator: tprof " TPROF_VERSION "\npid: %lld\ncmd: ", m->pid);
  name(out, m->program_id);
  fprintf(out, "\npart: 1\n\npositions: line\nevents: ns\nsummary: %lld\n", total);
  for (size_t i = 0; i < m->n_funcs; i++) {
    const tp_func *f = &m->funcs[i];
    long long line = f->line > 0 ? f->line : 0;
    fputs("\nfl=", out);
    name(out, file_of(f));
    fputs("\nfn=", out);
    name(out, f->name);
    fprintf(out, "\n%lld %lld\n", line, ns(f->self_ms));
    for (size_t e = 0; e < m->n_edges; e++) {
      const tp_edge *ed = &m->edges[e];
      if (!ed->caller || strcmp(ed->caller, f->name) != 0) continue;
      size_t *ci = tp_map_get(fi, ed->callee, 0);
      const tp_func *callee = ci ? &m->funcs[*ci - 1] : NULL;
      fputs("cfl=", out);
      name(out, file_of(callee));
      fputs("\ncfn=", out);
      name(out, ed->callee);
      fprintf(out, "\ncalls=%lld %lld\n%lld %lld\n", ed->calls, callee && callee->line > 0 ? callee->line : 0, line,
              ns(ed->inclusive_ms));
    }
  }
  fprintf(out, "\ntotals: %lld\n", total);
  tp_map_free(fi);
  return 0;
}
