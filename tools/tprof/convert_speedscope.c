/* speedscope's own file format
 * (https://www.speedscope.app/file-format-schema.json): one "sampled"
 * profile per thread ("PROGRAM thread N"; --merged: one for the whole run)
 * whose samples are the call stacks (frame indices, outermost first) and
 * whose weights are their self times in milliseconds. Frames are shared by
 * the profiles and carry file and line from functions[] when known. */
#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

#include "convert.h"
#include "stacks.h"
#include "strmap.h"
#include "util.h"

typedef struct {
  const tp_metrics *m;
  tp_map *index, *funcs;
  cJSON *frames;
  int nframes;
} frame_table;

static int frame_of(frame_table *t, const char *label) {
  int *ix = tp_map_get(t->index, label, 1);
  if (*ix == 0) {
    *ix = ++t->nframes;
    cJSON *f = cJSON_CreateObject();
    cJSON_AddStringToObject(f, "name", label);
    size_t *fi = tp_map_get(t->funcs, label, 0);
    if (fi && t->m->funcs[*fi - 1].file[0]) {
      cJSON_AddStringToObject(f, "file", t->m->funcs[*fi - 1].file);
      if (t->m->funcs[*fi - 1].line > 0) cJSON_AddNumberToObject(f, "line", (double)t->m->funcs[*fi - 1].line);
    }
    cJSON_AddItemToArray(t->frames, f);
  }
  return *ix - 1;
}

/* The stacks of s[from, to) as one sampled profile. */
static cJSON *profile(frame_table *t, const tp_stackset *s, size_t from, size_t to, const char *name) {
  cJSON *prof = cJSON_CreateObject();
  cJSON_AddStringToObject(prof, "type", "sampled");
  cJSON_AddStringToObject(prof, "name", name);
  cJSON_AddStringToObject(prof, "unit", "milliseconds");
  cJSON_AddNumberToObject(prof, "startValue", 0);
  cJSON *samples = cJSON_CreateArray(), *weights = cJSON_CreateArray();
  double total = 0;
  for (size_t i = from; i < to; i++) {
    const tp_wstack *w = &s->v[i];
    if (!(w->self_ms > 0) || w->depth == 0) continue;
    cJSON *st = cJSON_CreateArray();
    for (size_t d = 0; d < w->depth; d++) cJSON_AddItemToArray(st, cJSON_CreateNumber(frame_of(t, w->frames[d])));
    cJSON_AddItemToArray(samples, st);
    cJSON_AddItemToArray(weights, cJSON_CreateNumber(w->self_ms));
    total += w->self_ms;
  }
  cJSON_AddNumberToObject(prof, "endValue", total);
  cJSON_AddItemToObject(prof, "samples", samples);
  cJSON_AddItemToObject(prof, "weights", weights);
  return prof;
}

int tp_convert_speedscope(const tp_metrics *m, FILE *out, const char *path, const tp_convert_opts *o) {
  tp_stackset s;
  if (o->merged)
    tp_stacks_build(m, &s);
  else
    tp_stacks_build_threads(m, &s);
  size_t samples = 0;
  for (size_t i = 0; i < s.n; i++) samples += s.v[i].self_ms > 0 && s.v[i].depth > 0;
  if (samples == 0) {
    /* a profile without samples: speedscope would show an empty window */
    tp_convert_no_stacks(m, path, "speedscope", 0);
    tp_stacks_free(&s);
    return -1;
  }
  const char *note = tp_stacks_note(s.source);
  if (note) tp_err("%s: %s", path, note);
  tp_convert_note_folded(m, path);
  frame_table t = {m, tp_map_new(sizeof(int), (size_t)-1), tp_map_new(sizeof(size_t), (size_t)-1), NULL, 0};
  for (size_t i = 0; i < m->n_funcs; i++) *(size_t *)tp_map_get(t.funcs, m->funcs[i].label, 1) = i + 1;

  cJSON *root = cJSON_CreateObject();
  cJSON_AddStringToObject(root, "$schema", "https://www.speedscope.app/file-format-schema.json");
  t.frames = cJSON_AddArrayToObject(cJSON_AddObjectToObject(root, "shared"), "frames");
  cJSON *profiles = cJSON_AddArrayToObject(root, "profiles");
  for (size_t i = 0; i < s.n || (i == 0 && s.n == 0);) {
    size_t j = i;
    while (j < s.n && s.v[j].thread == s.v[i].thread) j++;
    char name[512];
    if (s.n && s.v[i].thread > 0)
      snprintf(name, sizeof name, "%s thread %lld", m->program_id, s.v[i].thread);
    else
      snprintf(name, sizeof name, "%s", m->program_id);
    cJSON_AddItemToArray(profiles, profile(&t, &s, i, j, name));
    if (j == i) break;
    i = j;
  }
  cJSON_AddStringToObject(root, "name", m->program_id);
  cJSON_AddNumberToObject(root, "activeProfileIndex", 0);
  cJSON_AddStringToObject(root, "exporter", "tprof " TPROF_VERSION);
  char *text = cJSON_PrintUnformatted(root);
  int rc = 0;
  if (!text) {
    tp_err("%s: out of memory printing the speedscope JSON", path);
    rc = -1;
  } else {
    tp_json_text(out, text);
    fputc('\n', out);
  }
  free(text);
  cJSON_Delete(root);
  tp_map_free(t.index);
  tp_map_free(t.funcs);
  tp_stacks_free(&s);
  return rc;
}
