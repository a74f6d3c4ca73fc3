/* tprof_export writes the seven files with the documented prefix, leaves no
 * temporary file, and reports an unwritable directory without failing the
 * program. */
#include "../../runtime/internal.h"
#include "check.h"

#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *suffixes[] = {"metrics.json", "timings.csv", "cpu_functions.csv", "memory_summary.json",
                                 "memory_allocators.csv", "memory_traces.csv", "performance_report.md"};

static tprof_func_record rec = {TPROF_ABI_VERSION, TPROF_FUNC_OPERATION, 1, 0, "op_x_1", "x_1", "unit.c"};

int main(void) {
  char dir[] = "/tmp/tprof_unit_export_XXXXXX";
  CHECK(mkdtemp(dir) != NULL);
  char out[4200];
  snprintf(out, sizeof out, "%s/nested/deeper", dir);
  tprof_set_option("output_dir", out);
  tprof_set_option("program_id", "unit, \"quoted\"/id");
  tprof_set_option("export_profiling_data", "0");

  __tprof_func_enter(&rec);
  __tprof_func_exit(&rec);
  char prefix[4400];
  CHECK(tprof_export(prefix, sizeof prefix) == 0);
  /* the id is made safe for a file name; the JSON keeps it as given */
  CHECK(strstr(prefix, "/nested/deeper/unit___quoted__id_") != NULL);
  for (size_t i = 0; i < sizeof suffixes / sizeof suffixes[0]; i++) {
    char path[4600];
    struct stat st;
    snprintf(path, sizeof path, "%s%s", prefix, suffixes[i]);
    CHECK(stat(path, &st) == 0 && st.st_size > 0);
  }
  DIR *d = opendir(out);
  int files = 0, temps = 0;
  for (struct dirent *e; d && (e = readdir(d));) {
    if (e->d_name[0] == '.') temps += strstr(e->d_name, ".tmp") != NULL;
    else files++;
  }
  if (d) closedir(d);
  CHECK(files == 7);
  CHECK(temps == 0);

  /* a file in the way of the output directory: one message, -1, no crash */
  char blocked[4300];
  snprintf(blocked, sizeof blocked, "%s/blocked", dir);
  FILE *f = fopen(blocked, "w");
  fclose(f);
  tprof_set_option("output_dir", blocked);
  tprof_set_option("verbosity", "0");
  CHECK(tprof_export(NULL, 0) == -1);

  char cmd[4400];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
  CHECK(system(cmd) == 0);
  CHECK_DONE();
}
