/* speedscope's own file format
 * (https://www.speedscope.app/file-format-schema.json): one "sampled"
 * profile whose samples are the call stacks (frame indices, outermost
 * first) and whose weights are their self times in milliseconds. Frames
 * carry file and line from functions[] when known. */
#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

#include "convert.h"
#include "stacks.h"
#include "strmap.h"
#include "util.h"

int tp_convert_speedscope(const tp_metrics *m, FILE *out, const char *path) {
  tp_stackset s;
  tp_stacks_build(m, &s);
  const char *note = tp_stacks_note(s.source);
  if (note) tp_err("%s: %s", path, note);
  tp_map *index = tp_map_new(sizeof(int), (size_t)-1), *funcs = tp_map_new(sizeof(size_t), (size_t)-1);
  for (size_t i = 0; i < m->n_funcs; i++) *(size_t *)tp_map_get(funcs, m->funcs[i].name, 1) = i + 1;

  cJSON *root = cJSON_CreateObject();
  cJSON_AddStringToObject(root, "$schema", "https://www.speedscope.app/file-format-schema.json");
  cJSON *frames = cJSON_AddArrayToObject(cJSON_AddObjectToObject(root, "shared"), "frames");
  cJSON *prof = cJSON_CreateObject();
  cJSON_AddStringToObject(prof, "type", "sampled");
  cJSON_AddStringToObject(prof, "name", m->program_id);
  cJSON_AddStringToObject(prof, "unit", "milliseconds");
  cJSON_AddNumberToObject(prof, "startValue", 0);
  cJSON *samples = cJSON_CreateArray(), *weights = cJSON_CreateArray();
  int nframes = 0;
  double total = 0;
  for (size_t i = 0; i < s.n; i++) {
    const tp_wstack *w = &s.v[i];
    if (!(w->self_ms > 0) || w->depth == 0) continue;
    cJSON *st = cJSON_CreateArray();
    for (size_t d = 0; d < w->depth; d++) {
      int *ix = tp_map_get(index, w->frames[d], 1);
      if (*ix == 0) {
        *ix = ++nframes;
        cJSON *f = cJSON_CreateObject();
        cJSON_AddStringToObject(f, "name", w->frames[d]);
        size_t *fi = tp_map_get(funcs, w->frames[d], 0);
        if (fi && m->funcs[*fi - 1].file[0]) {
          cJSON_AddStringToObject(f, "file", m->funcs[*fi - 1].file);
          if (m->funcs[*fi - 1].line > 0) cJSON_AddNumberToObject(f, "line", (double)m->funcs[*fi - 1].line);;
        }
        cJSON_AddItemToArray(frames, f);
      }
      cJSON_AddItemToArray(st, cJSON_CreateNumber(*ix - 1));
    }
    cJSON_AddItemToArray(samples, st);
    cJSON_AddItemToArray(weights, cJSON_CreateNumber(w->self_ms));
    total += w->self_ms;
  }
  cJSON_AddNumberToObject(prof, "endValue", total);
  cJSON_AddItemToObject(prof, "samples", samples);
  cJSON_AddItemToObject(prof, "weights", weights);
  cJSON_AddItemToArray(cJSON_AddArrayToObject(root, "profiles"), prof);
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
  tp_map_free(index);
  tp_map_free(funcs);
  tp_stacks_free(&s);
  return rc;
}
