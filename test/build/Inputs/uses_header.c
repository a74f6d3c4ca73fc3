/* Every macro and API declaration of tprof.h in use, as transpiled code
 * would use them. */
#include <tprof/tprof.h>

TPROF_OPERATION static int rotate(int x) { return x * 2; }
TPROF_OPERATION_NAMED("blur_1") static int blur(int x) { return x + 1; }

int run(int x) {
  tprof_config cfg;
  tprof_snapshot snap;
  char prefix[64];
  tprof_region *r = tprof_region_get("step");
  if (tprof_get_config(&cfg) != 0 || tprof_configure(&cfg) != 0 || tprof_set_option("verbosity", "0") != 0)
    return -1;
  tprof_region_begin("all");
  tprof_region_enter(r);
  x = rotate(blur(x));
  tprof_region_leave(r);
  tprof_region_end();
  tprof_get_snapshot(&snap);
  tprof_reset();
  return tprof_export(prefix, sizeof prefix) + x + (int)snap.total_calls + TPROF_VERSION_MAJOR;
}
