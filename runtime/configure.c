/* Applying the configuration: the hook switches and each subsystem that
 * acts on an option, at start-up and after an API call. Precedence: API >
 * environment > defaults, because the environment is read once at start-up
 * and API calls come later. Control layer: it calls down into the
 * subsystems, which only read tprof_cfg (config.c). */
#include "internal.h"

#include <stdio.h>
#include <string.h>

extern uint8_t __tprof_hooks_on;

void tprof_config_apply(void) {
  uint32_t mode = 0;
  if (tprof_cfg.cpu_profiling_enabled)
    mode = tprof_cfg.cpu_timing == TPROF_CPU_TIMING_OPERATIONS ? TPROF_MODE_COUNT_ALL
                                                               : TPROF_MODE_TIME_ALL | TPROF_MODE_COUNT_ALL;
  if (tprof_cfg.timeline_functions && tprof_cfg.timeline_max_events > 0) mode |= TPROF_MODE_TIMELINE_ALL;
  tprof_hot_mode = mode;
  tprof_hot_op_kind = TPROF_FUNC_OPERATION | (mode & TPROF_MODE_TIMELINE_ALL);
  /* The guard byte the pass's code reads before calling any hook. */
  uint8_t hooks = 0;
  if (mode & TPROF_MODE_TIME_ALL) hooks |= TPROF_HOOKS_ALL | TPROF_HOOKS_OPERATIONS;
  if (tprof_cfg.operation_timing_enabled || (tprof_cfg.cpu_profiling_enabled && (mode & TPROF_MODE_COUNT_ALL)))
    hooks |= TPROF_HOOKS_OPERATIONS;
  if (mode & TPROF_MODE_TIMELINE_ALL) hooks |= TPROF_HOOKS_ALL;
  /* A profiled run's tables, from the registry's on, go to the hot range
   * (memory.c): made before the modules are registered. */
  if (hooks || tprof_cfg.memory_tracking_enabled) tprof_mem_hot_prepare();
  /* Before the hooks run: they read the records' ids. */
  if (hooks || tprof_cfg.memory_tracking_enabled || tprof_cfg.export_profiling_data || tprof_cfg.flush_interval_ms > 0)
    tprof_registry_stop_deferring();
  __atomic_store_n(&__tprof_hooks_on, hooks, __ATOMIC_RELAXED);
  tprof_mem_on = tprof_cfg.memory_tracking_enabled;
  tprof_output_dir_resolve(); /* a relative output_dir: against the working directory now (export.c) */
  tprof_heap_configure_traces();
  tprof_timeline_configure(hooks != 0);
  tprof_signals_configure();
  tprof_flush_configure();
}

TPROF_EXPORT int tprof_get_config(tprof_config *out) {
  tprof_ensure_init();
  if (!out) return -1;
  *out = tprof_cfg;
  return 0;
}

TPROF_EXPORT int tprof_set_option(const char *key, const char *value) {
  tprof_ensure_init();
  if (!key || !value) {
    tprof_warn("tprof_set_option: key and value must not be NULL");
    return -1;
  }
  int rc = tprof_config_set(&tprof_cfg, key, value, "tprof_set_option");
  tprof_config_apply();
  return rc;
}

TPROF_EXPORT int tprof_configure(const tprof_config *cfg) {
  tprof_ensure_init();
  if (!cfg) return -1;
  /* Validated field by field through the same parser as the environment. */
  int rc = tprof_config_set_all(&tprof_cfg, cfg, "tprof_configure");
  tprof_config_apply();
  return rc ? -1 : 0;
}
