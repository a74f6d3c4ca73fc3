// Fleet analysis: 220 metrics files whose operations differ from file to
// file (the first 150 programs run other operations than the last 70, some
// allocate nothing) are read with pandas, as docs/FILES.md shows, and no
// value is lost: every operation and function record of every file is a
// row with the value json reads, every float field is written as a float
// (a decimal point or an exponent, so no column is typed integer), and the
// dynamic-key map operation_timings agrees with the flat operations[].
// REQUIRES: pandas
//
// RUN: rm -rf %t && %tprof_cc -O1 -g %s %tprof_rt_static -o %t.exe
// RUN: env TPROF_OPTIONS=output_dir=%t:slow_operation_threshold_ms=0.001 %t.exe
// RUN: %pandas_python %S/../tools/fleet_pandas.py %t | %FileCheck %s
//
// CHECK: files 220
// CHECK-NEXT: operation rows 660, lost 0
// CHECK-NEXT: function rows {{[0-9]+}}, lost 0
// CHECK-NEXT: integer-typed float fields 0
// CHECK-NEXT: memory_used_mb dtype float64, execution_time_ms dtype float64, total_ms dtype float64
// CHECK-NEXT: operation_timings agrees with operations: True
// CHECK-NEXT: timings.csv rows 660, lost 0
// CHECK-NEXT: slowest operation type: scale
// CHECK-NEXT: timestamps parse: True
#include <stdio.h>
#include <stdlib.h>
#include <tprof/tprof.h>

static volatile unsigned sink;

static void spin(unsigned n) {
  for (unsigned i = 0; i < n; i++)
    sink += i;
}

__attribute__((noinline)) void op_rotate_1(void) { spin(1000); }
__attribute__((noinline)) void op_flip_2(void) { spin(2000); }
__attribute__((noinline)) void op_invert_3(void) {
  char *p = malloc(100);
  spin(500);
  free(p);
}
__attribute__((noinline)) void op_scale_1(void) { spin(200000); }
__attribute__((noinline)) void op_tile_2(void) { spin(3000); }
__attribute__((noinline)) void op_crop_3(void) { spin(100); }

int main(void) {
  char prefix[4096];
  for (int prog = 0; prog < 220; prog++) {
    char id[64];
    snprintf(id, sizeof id, "fleet_%03d", prog);
    tprof_set_option("program_id", id);
    tprof_reset();
    if (prog < 150) {
      op_rotate_1();
      op_flip_2();
      op_invert_3();
    } else {
      op_scale_1();
      op_tile_2();
      op_crop_3();
    }
    if (tprof_export(prefix, sizeof prefix) != 0)
      return 1;
  }
  return 0;
}
