/* Resource usage of the whole process (getrusage), read at export time. */
#include "internal.h"

#include <sys/resource.h>

void tprof_resources_get(tprof_resources *out) {
  struct rusage ru;
  if (getrusage(RUSAGE_SELF, &ru) != 0) {
    *out = (tprof_resources){0};
    return;
  }
  out->user_cpu_ms = ru.ru_utime.tv_sec * 1e3 + ru.ru_utime.tv_usec / 1e3;
  out->system_cpu_ms = ru.ru_stime.tv_sec * 1e3 + ru.ru_stime.tv_usec / 1e3;
  out->max_rss_mb = ru.ru_maxrss / 1024.0; /* Linux reports KiB */
  out->minor_faults = ru.ru_minflt;
  out->major_faults = ru.ru_majflt;
  out->voluntary_switches = ru.ru_nvcsw;
  out->involuntary_switches = ru.ru_nivcsw;
}
