/* libFuzzer target: TPROF_OPTIONS parsing. Whatever the text, the parser
 * must not crash, and what it leaves must be a configuration the runtime can
 * use: switches 0 or 1, numbers in their documented ranges, strings
 * NUL-terminated and non-empty. The runtime's sources are compiled into this
 * executable with the fuzzer's instrumentation (see fuzz/CMakeLists.txt). */
#include "../runtime/internal.h"

#include <stdlib.h>
#include <string.h>

static void require(int ok, const char *what) {
  if (!ok) {
    fprintf(stderr, "options_fuzzer: invariant broken: %s\n", what);
    abort();
  }
}

int LLVMFuzzerInitialize(int *argc, char ***argv) {
  (void)argc;
  (void)argv;
  tprof_ensure_init();
  tprof_cfg.verbosity = 0; /* the warnings are expected; keep the fuzzer's output readable */
  return 0;
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size) {
  char *text = malloc(size + 1);
  if (!text) return 0;
  memcpy(text, data, size);
  text[size] = '\0';
  tprof_config cfg;
  tprof_config_defaults(&cfg);
  tprof_config_parse(&cfg, text, "fuzz");
  free(text);
  require(cfg.cpu_profiling_enabled == 0 || cfg.cpu_profiling_enabled == 1, "cpu_profiling_enabled");
  require(cfg.memory_tracking_enabled == 0 || cfg.memory_tracking_enabled == 1, "memory_tracking_enabled");
  require(cfg.resource_monitoring_enabled == 0 || cfg.resource_monitoring_enabled == 1, "resource_monitoring_enabled");
  require(cfg.export_profiling_data == 0 || cfg.export_profiling_data == 1, "export_profiling_data");
  require(cfg.handle_signals == 0 || cfg.handle_signals == 1, "handle_signals");
  require(cfg.max_traced_allocations >= 0 && cfg.max_traced_allocations <= 100000000, "max_traced_allocations");
  require(cfg.timeline_max_events >= 0 && cfg.timeline_max_events <= 10000000, "timeline_max_events");
  require(cfg.flush_interval_ms >= 0 && cfg.flush_interval_ms <= 86400000, "flush_interval_ms");
  require(cfg.slow_operation_threshold_ms >= 0 && cfg.slow_operation_threshold_ms <= 86400000,
          "slow_operation_threshold_ms");
  require(cfg.verbosity >= 0 && cfg.verbosity <= 2, "verbosity");
  require(memchr(cfg.output_dir, 0, sizeof cfg.output_dir) && cfg.output_dir[0], "output_dir");
  require(memchr(cfg.program_id, 0, sizeof cfg.program_id) && cfg.program_id[0], "program_id");
  return 0;
}
