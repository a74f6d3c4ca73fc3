/* Options: defaults, the API setters, and bad values that keep the default. */
#include "../../runtime/internal.h"
#include "check.h"

#include <string.h>

int main(void) {
  tprof_config c;
  tprof_get_config(&c);
  CHECK(c.cpu_profiling_enabled == 1 && c.memory_tracking_enabled == 1);
  CHECK(c.resource_monitoring_enabled == 1 && c.export_profiling_data == 1);
  CHECK(c.max_traced_allocations == 10000);
  CHECK(c.slow_operation_threshold_ms == 10.0);
  CHECK(!strcmp(c.output_dir, "tprof_output"));
  CHECK(!strcmp(c.program_id, "tprof_unit_config"));
  CHECK(c.verbosity == 1);
  /* every default of options.def read by the parser (one that failed would leave 0) */
  CHECK(c.handle_signals == 1 && c.cpu_functions_per_thread == 0 && c.operation_timing_enabled == 1);
  CHECK(c.timeline_max_events == 10000 && c.timeline_functions == 0 && c.flush_interval_ms == 0);
  CHECK(c.cpu_timing == TPROF_CPU_TIMING_ALL);
  /* the option list by index: every field of tprof_config, in its order */
  CHECK(tprof_option_count() == 16);
  const void *prev = NULL;
  for (size_t i = 0; i < tprof_option_count(); i++) {
    int kind;
    const void *field;
    const char *key = tprof_option_get(&c, i, &kind, &field);
    CHECK(key && (char *)field >= (char *)&c && (char *)field < (char *)(&c + 1) && field > prev);
    prev = field;
  }

  tprof_set_option("verbosity", "0"); /* the bad values below would warn */
  CHECK(tprof_set_option("cpu_profiling_enabled", "off") == 0);
  CHECK(tprof_set_option("memory_tracking_enabled", "No") == 0);
  CHECK(tprof_set_option("max_traced_allocations", "123") == 0);
  CHECK(tprof_set_option("slow_operation_threshold_ms", "2.5") == 0);
  CHECK(tprof_set_option("program_id", "prog_7") == 0);
  tprof_get_config(&c);
  CHECK(c.cpu_profiling_enabled == 0 && c.memory_tracking_enabled == 0);
  CHECK(c.max_traced_allocations == 123 && c.slow_operation_threshold_ms == 2.5);
  CHECK(!strcmp(c.program_id, "prog_7"));
  CHECK(!(tprof_hot_mode & TPROF_MODE_TIME_ALL) && tprof_mem_on == 0);

  /* Plain decimals take the parser's own path, the rest strtol and strtod:
   * the same values either way. */
  CHECK(tprof_set_option("max_traced_allocations", "0010") == 0);
  CHECK(tprof_set_option("slow_operation_threshold_ms", "1e3") == 0);
  CHECK(tprof_set_option("timeline_max_events", "+25") == 0);
  CHECK(tprof_set_option("export_profiling_data", "TRUE") == 0);
  tprof_get_config(&c);
  CHECK(c.max_traced_allocations == 10 && c.slow_operation_threshold_ms == 1000.0);
  CHECK(c.timeline_max_events == 25 && c.export_profiling_data == 1);
  CHECK(tprof_set_option("max_traced_allocations", "100000001") == -1); /* one above the range */
  CHECK(tprof_set_option("slow_operation_threshold_ms", "999999999999999") == -1);
  CHECK(tprof_set_option("max_traced_allocations", "1000000000000000") == -1); /* 16 digits: strtol's */
  CHECK(tprof_set_option("max_traced_allocations", "100000000") == 0);
  CHECK(tprof_set_option("export_profiling_data", "1 ") == -1);
  tprof_get_config(&c);
  CHECK(c.max_traced_allocations == 100000000 && c.slow_operation_threshold_ms == 1000.0);
  CHECK(tprof_set_option("max_traced_allocations", "123") == 0);
  CHECK(tprof_set_option("slow_operation_threshold_ms", "2.5") == 0);

  /* each bad value is refused and the value in force stays */
  const char *bad[][2] = {{"no_such_key", "1"}, {"cpu_profiling_enabled", "maybe"},
                          {"cpu_profiling_enabled", ""}, {"max_traced_allocations", "-1"},
                          {"max_traced_allocations", "99999999999999999999"}, {"max_traced_allocations", "12x"},
                          {"slow_operation_threshold_ms", "nan"}, {"slow_operation_threshold_ms", "-3"},
                          {"verbosity", "7"}, {"program_id", ""}, {"output_dir", ""}};
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
    CHECK(tprof_set_option(bad[i][0], bad[i][1]) == -1);
  char longest[5000];
  memset(longest, 'x', sizeof longest - 1);
  longest[sizeof longest - 1] = '\0';
  CHECK(tprof_set_option("output_dir", longest) == -1);
  CHECK(tprof_set_option(NULL, "1") == -1);
  tprof_get_config(&c);
  CHECK(c.cpu_profiling_enabled == 0 && c.max_traced_allocations == 123);
  CHECK(c.slow_operation_threshold_ms == 2.5 && c.verbosity == 0);
  CHECK(!strcmp(c.program_id, "prog_7") && !strcmp(c.output_dir, "tprof_output"));

  /* tprof_configure takes a whole struct */
  c.cpu_profiling_enabled = 1;
  c.max_traced_allocations = 7;
  strcpy(c.output_dir, "/tmp/somewhere");
  CHECK(tprof_configure(&c) == 0);
  tprof_config d;
  tprof_get_config(&d);
  CHECK(d.cpu_profiling_enabled == 1 && d.max_traced_allocations == 7 && !strcmp(d.output_dir, "/tmp/somewhere"));
  c.max_traced_allocations = -4;
  CHECK(tprof_configure(&c) == -1);
  tprof_get_config(&d);
  CHECK(d.max_traced_allocations == 7);
  tprof_set_option("export_profiling_data", "0");
  CHECK_DONE();
}
