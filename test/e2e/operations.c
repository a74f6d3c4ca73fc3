// Operations show in operation_timings: functions named op_* (reported
// without the prefix), functions marked with TPROF_OPERATION_NAMED, and
// manual regions. Slow operations are those above the threshold.
//
// RUN: rm -rf %t.d
// RUN: %tprof_cc -O2 -g %s %tprof_rt_static -o %t.exe
// RUN: env TPROF_OPTIONS=output_dir=%t.d:slow_operation_threshold_ms=5 %t.exe
// RUN: %tpq %t.d get operation_timings | %FileCheck %s --check-prefix=NAMES
// RUN: %tpq %t.d get slow_operations | %FileCheck %s --check-prefix=SLOW
// RUN: %tpq %t.d csv timings.csv operation=rotate_1 calls | %FileCheck %s --check-prefix=ONE
// RUN: %tpq %t.d csv timings.csv operation=color_replace_2 calls | %FileCheck %s --check-prefix=THREE
// RUN: %tpq %t.d csv timings.csv operation=color_replace_2 function | %FileCheck %s --check-prefix=FUNC
// RUN: %tpq %t.d csv timings.csv operation=sleepy_3 is_slow | %FileCheck %s --check-prefix=ISSLOW
// RUN: %tpq %t.d csv timings.csv operation=rotate_1 is_slow | %FileCheck %s --check-prefix=NOTSLOW
// RUN: %tpq %t.d func op_rotate_1 is_operation | %FileCheck %s --check-prefix=ISOP
// RUN: %tpq %t.d func helper is_operation | %FileCheck %s --check-prefix=NOTOP
// RUN: %python -c "import json,glob; m=json.load(open(glob.glob('%t.d/*_metrics.json')[0])); t=m['operation_timings']; print('sleepy_3 >= 20ms:', t['sleepy_3'] >= 20.0, 'region >= 10ms:', t['manual_region'] >= 10.0)" | %FileCheck %s --check-prefix=TIMES
//
// NAMES: "color_replace_2": {{[0-9.e-]+}}
// NAMES-SAME: "manual_region": {{[0-9.e-]+}}
// NAMES-SAME: "rotate_1": {{[0-9.e-]+}}
// NAMES-SAME: "sleepy_3": {{[0-9.e-]+}}
// NAMES-NOT: helper
// SLOW: {{^\[\["sleepy_3", [0-9.e-]+\], \["manual_region", [0-9.e-]+\]\]$}}
// ONE: {{^}}1{{$}}
// THREE: {{^}}3{{$}}
// FUNC: {{^}}recolor{{$}}
// ISSLOW: {{^}}1{{$}}
// NOTSLOW: {{^}}0{{$}}
// ISOP: {{^}}true{{$}}
// NOTOP: {{^}}false{{$}}
// TIMES: sleepy_3 >= 20ms: True region >= 10ms: True
#include <time.h>
#include <tprof/tprof.h>

static int grid[9] = {0, 1, 2, 3, 4, 5, 6, 7, 8};

static void pause_ms(long ms) {
  struct timespec ts = {0, ms * 1000000L};
  nanosleep(&ts, 0);
}

void helper(int *g) { g[0] ^= 1; }

void op_rotate_1(int *g) {
  int t = g[0]; g[0] = g[6]; g[6] = g[8]; g[8] = g[2]; g[2] = t;
  helper(g);
}

TPROF_OPERATION_NAMED("color_replace_2") void recolor(int *g) {
  for (int i = 0; i < 9; i++) if (g[i] == 0) g[i] = 5;
}

void op_sleepy_3(void) { pause_ms(25); }

int main(void) {
  op_rotate_1(grid);
  for (int i = 0; i < 3; i++) recolor(grid);
  op_sleepy_3();
  tprof_region_begin("manual_region");
  pause_ms(12);
  tprof_region_end();
  return grid[4] == 4 ? 0 : 1;
}
