/* Folded stacks ("a;b;c VALUE" per line), the input of flamegraph.pl and one
 * of speedscope's formats. One profile per thread: each line starts with a
 * "thread N" frame (--merged leaves it out and adds the threads' stacks
 * up). VALUE must be an integer for those tools, so self times are written
 * in microseconds, rounded so that the lines add up to the rounded total
 * exactly: each line gets round(running sum after it) minus round(running
 * sum before it). */
#include <math.h>
#include <string.h>

#include "convert.h"
#include "stacks.h"
#include "util.h"

static void frame(FILE *out, const char *s) {
  /* ';' separates frames and a space separates the value: keep both out of
   * names. */
  for (; *s; s++) fputc(*s == ';' ? ':' : *s == ' ' || *s == '\n' ? '_' : *s, out);
}

int tp_convert_folded(const tp_metrics *m, FILE *out, const char *path, const tp_convert_opts *o) {
  tp_stackset s;
  if (o->merged)
    tp_stacks_build(m, &s);
  else
    tp_stacks_build_threads(m, &s);
  /* Nothing to fold: say why rather than write an empty file. Time lines
   * add up to the rounded total, so one is written iff that is above 0. */
  double total_us = 0;
  long long total_bytes = 0;
  for (size_t i = 0; i < s.n; i++) {
    if (s.v[i].depth == 0) continue;
    if (s.v[i].self_ms > 0) total_us += s.v[i].self_ms * 1000.0;
    if (s.v[i].alloc_bytes > 0) total_bytes += s.v[i].alloc_bytes;
  }
  if (o->alloc_weight ? total_bytes <= 0 : llround(total_us) <= 0) {
    tp_convert_no_stacks(m, path, "folded", o->alloc_weight);
    tp_stacks_free(&s);
    return -1;
  }
  const char *note = tp_stacks_note(s.source);
  if (note) tp_err("%s: %s", path, note);
  tp_convert_note_folded(m, path);
  double run = 0;
  long long written = 0;
  for (size_t i = 0; i < s.n; i++) {
    const tp_wstack *w = &s.v[i];
    long long v;
    if (o->alloc_weight) {
      v = w->alloc_bytes;
    } else {
      if (!(w->self_ms > 0)) continue;
      run += w->self_ms * 1000.0;
      v = llround(run) - written;
      written += v;
    }
    if (v <= 0 || w->depth == 0) continue;
    if (w->thread > 0) fprintf(out, "thread_%lld;", w->thread);
    for (size_t d = 0; d < w->depth; d++) {
      if (d) fputc(';', out);
      frame(out, w->frames[d]);
    }
    fprintf(out, " %lld\n", v);
  }
  tp_stacks_free(&s);
  return 0;
}
