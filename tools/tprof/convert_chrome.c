/* Chrome trace event format ("JSON object format"): complete events
 * (ph "X") with ts and dur in microseconds, one per recorded call of the
 * timeline; pid is the run's pid, tid tprof's thread number, cat the kind
 * (operation, function, region). A process_name metadata event (ph "M")
 * names the track after the program. Written as a stream: a timeline can
 * hold many events. */
#include <inttypes.h>

#include "convert.h"
#include "util.h"

int tp_convert_chrome(const tp_metrics *m, FILE *out, const char *path) {
  if (m->dropped_events > 0)
    tp_err("%s: the timeline dropped %lld events beyond its max_events (%lld); the trace has the %zu recorded",
           path, m->dropped_events, m->max_events, m->n_events);
  fprintf(out, "{\"traceEvents\":[\n{\"ph\":\"M\",\"name\":\"process_name\",\"pid\":%lld,\"tid\":0,\"args\":{\"name\":",
          m->pid);
  tp_json_string(out, m->program_id);
  fputs("}}", out);
  for (size_t i = 0; i < m->n_events; i++) {
    const tp_event *e = &m->events[i];
    fputs(",\n{\"ph\":\"X\",\"name\":", out);
    tp_json_string(out, e->name);
    fputs(",\"cat\":", out);
    tp_json_string(out, e->kind);
    fprintf(out, ",\"ts\":%.3f,\"dur\":%.3f,\"pid\":%lld,\"tid\":%lld}", e->start_us, e->dur_us, m->pid, e->thread);
  }
  fprintf(out, "\n],\"displayTimeUnit\":\"ms\",\"otherData\":{\"generator\":\"tprof " TPROF_VERSION
               "\",\"program_id\":");
  tp_json_string(out, m->program_id);
  fprintf(out, ",\"dropped_events\":%lld}}\n", m->dropped_events);
  return 0;
}
