/* libFuzzer target: arbitrary bytes through the reader the CLI uses
 * (tp_metrics_parse, with every optional section), then through the stack
 * rebuild every converter and the report run on a parsed file. Built only
 * with -DTPROF_FUZZ=ON (tools/tprof/CMakeLists.txt). */
#include <stddef.h>
#include <stdint.h>

#include "metrics_reader.h"
#include "stacks.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  tp_metrics m;
  char err[512];
  if (tp_metrics_parse((const char *)data, size, TP_LOAD_TIMELINE, &m, err, sizeof err) != 0) return 0;
  tp_stackset s;
  tp_stacks_build(&m, &s);
  tp_stacks_free(&s);
  tp_stacks_build_threads(&m, &s);
  tp_stacks_free(&s);
  tp_metrics_free(&m);
  return 0;
}
