/* tprof_export writes the seven files with the documented prefix, leaves no
 * temporary file, and reports an unwritable directory without failing the
 * program. */
#include "../../runtime/internal.h"
#include "check.h"
#include "hooks.h"

#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *suffixes[] = {"metrics.json", "timings.csv", "cpu_functions.csv", "memory_summary.json",
                                 "memory_allocators.csv", "memory_traces.csv", "performance_report.md"};

static tprof_func_record rec = {TPROF_ABI_VERSION, TPROF_FUNC_OPERATION, 1, 0, 0, "op_x_1", "x_1", "unit.c"};

/* A set with everything in it, names chosen to break careless writers:
 * quotes, commas, line breaks, a byte that is not UTF-8. Written into `dir`
 * and kept there for check_file_set.py. Returns 0 when the export worked. */
static tprof_func_record main_rec = {TPROF_ABI_VERSION, 0, 10, 0, 0, "main", NULL, "dir with, comma/unit.c"};
static tprof_func_record odd_rec = {TPROF_ABI_VERSION, 0, 11, 0, 0, "we\"ird,\nname\xFF", NULL, "unit.c"};
static tprof_func_record op_rec = {TPROF_ABI_VERSION, TPROF_FUNC_OPERATION, 12, 0, 0, "op_rotate_1", "rotate_1", "unit.c"};
static tprof_site_record leak_site = {TPROF_ABI_VERSION, 20, 3, 0, "main", "dir with, comma/unit.c"};
static tprof_site_record temp_site = {TPROF_ABI_VERSION, 0, 0, 0, "we\"ird,\nname\xFF", ""};

static int odd(int n) {
  test_enter(&odd_rec);
  int r = n < 2 ? n : odd(n - 1) + odd(n - 2);
  test_exit(&odd_rec);
  return r;
}

static int write_rich_set(const char *dir) {
  tprof_set_option("output_dir", dir);
  tprof_set_option("program_id", "rich");
  tprof_set_option("max_traced_allocations", "10");
  tprof_set_option("slow_operation_threshold_ms", "0");
  test_enter(&main_rec); /* left open: the export closes it in its copy only */
  odd(15);
  for (int i = 0; i < 3; i++) {
    test_enter(&op_rec);
    odd(5);
    test_exit(&op_rec);
  }
  tprof_region_begin("region \"A\", outer");
  tprof_region_begin("inner\tregion");
  void *tmp[20];
  for (int i = 0; i < 20; i++) tmp[i] = __tprof_malloc(64 + i, &temp_site);
  tmp[0] = __tprof_realloc(tmp[0], 4096, &temp_site);
  for (int i = 0; i < 20; i++) __tprof_free(tmp[i], &temp_site);
  tprof_region_end();
  tprof_region_end();
  void *leaked = __tprof_calloc(10, 100, &leak_site);
  (void)leaked;
  __tprof_free(malloc(8), &temp_site); /* untracked */
  char prefix[4400];
  int rc = tprof_export(prefix, sizeof prefix);
  test_exit(&main_rec);
  return rc;
}

int main(int argc, char **argv) {
  if (argc > 1) {
    tprof_set_option("export_profiling_data", "0");
    CHECK(write_rich_set(argv[1]) == 0);
    CHECK_DONE();
  }
  char dir[] = "/tmp/tprof_unit_export_XXXXXX";
  CHECK(mkdtemp(dir) != NULL);
  char out[4200];
  snprintf(out, sizeof out, "%s/nested/deeper", dir);
  tprof_set_option("output_dir", out);
  tprof_set_option("program_id", "unit, \"quoted\"/id");
  tprof_set_option("export_profiling_data", "0");

  test_enter(&rec);
  test_exit(&rec);
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
