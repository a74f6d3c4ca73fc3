/* TPROF_OPTIONS read at start-up: good values taken, each bad item warned
 * about once (checked by FileCheck on stderr) and left at its default, and
 * the API wins over the environment even when it is called from a
 * constructor that may run before the runtime's own. Run with:
 *   TPROF_OPTIONS='cpu_profiling_enabled=off:max_traced_allocations=-5:bogus=1:novalue:
 *                  slow_operation_threshold_ms=2.5:memory_tracking_enabled=maybe:
 *                  program_id=env_id:export_profiling_data=no:verbosity=1:output_dir=/tmp/x/y' */
#include "../../runtime/internal.h"
#include "check.h"

#include <stdlib.h>
#include <string.h>

static int early_rc = 99;
__attribute__((constructor(101))) static void early(void) {
  early_rc = tprof_set_option("resource_monitoring_enabled", "off");
}

int main(void) {
  const char *env = getenv("TPROF_OPTIONS");
  if (!env || !strstr(env, "program_id=env_id")) {
    fprintf(stderr, "run me with the TPROF_OPTIONS of the header comment\n");
    return 2;
  }
  tprof_config c;
  tprof_get_config(&c);
  CHECK(c.cpu_profiling_enabled == 0);            /* off */
  CHECK(c.max_traced_allocations == 10000);       /* -5 refused: default */
  CHECK(c.slow_operation_threshold_ms == 2.5);
  CHECK(c.memory_tracking_enabled == 1);          /* maybe refused: default */
  CHECK(!strcmp(c.program_id, "env_id"));
  CHECK(c.export_profiling_data == 0);
  CHECK(!strcmp(c.output_dir, "/tmp/x/y"));
  CHECK(!(tprof_hot_mode & TPROF_MODE_TIME_ALL) && tprof_mem_on == 1);
  /* the API call made from a constructor was not overwritten by the environment */
  CHECK(early_rc == 0);
  CHECK(c.resource_monitoring_enabled == 0);
  /* and later API calls win too */
  CHECK(tprof_set_option("cpu_profiling_enabled", "yes") == 0);
  tprof_get_config(&c);
  CHECK(c.cpu_profiling_enabled == 1 && (tprof_hot_mode & TPROF_MODE_TIME_ALL));
  CHECK_DONE();
}
