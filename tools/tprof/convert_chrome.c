/* Chrome trace event format ("JSON object format"): complete events
 * (ph "X") with ts and dur in microseconds, one per recorded call of the
 * timeline; pid is the run's pid, tid tprof's thread number, cat the kind
 * (operation, function, region), name the same label as in every other
 * output. Metadata events (ph "M") name the process after the program and
 * each thread ("thread N"; thread 1, the first to run instrumented code, is
 * the main thread in a program that starts its threads from main) and order
 * the threads by number. Written as a stream: a timeline can hold many
 * events. */
#include <inttypes.h>
#include <stdlib.h>

#include "convert.h"
#include "util.h"

static int ll_cmp(const void *a, const void *b) {
  long long x = *(const long long *)a, y = *(const long long *)b;
  return x < y ? -1 : x > y;
}

int tp_convert_chrome(const tp_metrics *m, FILE *out, const char *path) {
  if (m->dropped_events > 0)
    tp_err("%s: the timeline dropped %lld events beyond its max_events (%lld); the trace has the %zu recorded", path,
           m->dropped_events, m->max_events, m->n_events);
  fprintf(out, "{\"traceEvents\":[\n{\"ph\":\"M\",\"name\":\"process_name\",\"pid\":%lld,\"tid\":0,\"args\":{\"name\":",
          m->pid);
  tp_json_string(out, m->program_id);
  fputs("}}", out);
  long long *threads = xcalloc(m->n_events ? m->n_events : 1, sizeof *threads);
  for (size_t i = 0; i < m->n_events; i++) threads[i] = m->events[i].thread;
  qsort(threads, m->n_events, sizeof *threads, ll_cmp);
  for (size_t i = 0; i < m->n_events; i++) {
    if (i && threads[i] == threads[i - 1]) continue;
    fprintf(
        out,
        ",\n{\"ph\":\"M\",\"name\":\"thread_name\",\"pid\":%lld,\"tid\":%lld,\"args\":{\"name\":\"thread %lld%s\"}}",
        m->pid, threads[i], threads[i], threads[i] == 1 ? " (main)" : "");
    fprintf(out,
            ",\n{\"ph\":\"M\",\"name\":\"thread_sort_index\",\"pid\":%lld,\"tid\":%lld,\"args\":{\"sort_index\":%lld}}",
            m->pid, threads[i], threads[i]);
  }
  free(threads);
  for (size_t i = 0; i < m->n_events; i++) {
    const tp_event *e = &m->events[i];
    fputs(",\n{\"ph\":\"X\",\"name\":", out);
    tp_json_string(out, e->name);
    fputs(",\"cat\":", out);
    tp_json_string(out, e->kind);
    fprintf(out, ",\"ts\":%.3f,\"dur\":%.3f,\"pid\":%lld,\"tid\":%lld}", e->start_us, e->dur_us, m->pid, e->thread);
  }
  fprintf(out,
          "\n],\"displayTimeUnit\":\"ms\",\"otherData\":{\"generator\":\"tprof " TPROF_VERSION "\",\"program_id\":");
  tp_json_string(out, m->program_id);
  fprintf(out, ",\"dropped_events\":%lld}}\n", m->dropped_events);
  return 0;
}
