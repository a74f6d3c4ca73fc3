// A small recursive function is split in two (pass/TimedCopy.h): walk,
// counted, and walk.tprof_timed, timed, that walk jumps to while the
// profile times it and whose own recursion stays in the copy. Counts stay
// exact at -O0 and -O2, with every function timed, with operations only
// timed (cpu_timing=operations: walk is never timed), and when timing
// stops (in the copy, on the way down a recursion) or starts (in walk)
// in the middle of a recursion: 5 walks of depth 12, 8,191 calls each.
//
// RUN: rm -rf %t.O0 %t.O2 %t.light
// RUN: %tprof_cc -O0 -g %s %tprof_rt_static -o %t.O0.exe
// RUN: %tprof_cc -O2 -g %s %tprof_rt_static -o %t.O2.exe
// RUN: nm %t.O0.exe | %FileCheck %s --check-prefix=SPLIT
// RUN: nm %t.O2.exe | %FileCheck %s --check-prefix=SPLIT
// RUN: env TPROF_OPTIONS=output_dir=%t.O0 %t.O0.exe | %FileCheck %s --check-prefix=OUT
// RUN: %tpq %t.O0 func walk calls | %FileCheck %s --check-prefix=CALLS
// RUN: env TPROF_OPTIONS=output_dir=%t.O2 %t.O2.exe | %FileCheck %s --check-prefix=OUT
// RUN: %tpq %t.O2 func walk calls | %FileCheck %s --check-prefix=CALLS
// RUN: %tpq %t.O2 func walk timed | %FileCheck %s --check-prefix=TIMED
// RUN: %python -c "import json,glob; m=json.load(open(glob.glob('%t.O2/*_metrics.json')[0])); f={x['name']:x for x in m['functions']}; print('walk within main:', 0 < f['walk']['inclusive_ms'] <= f['main']['inclusive_ms'] + 1e-6)" | %FileCheck %s --check-prefix=WITHIN
// RUN: env TPROF_OPTIONS=output_dir=%t.light:cpu_timing=operations NO_SWITCH=1 %t.O2.exe | %FileCheck %s --check-prefix=OUT
// RUN: %tpq %t.light func walk calls | %FileCheck %s --check-prefix=CALLS
// RUN: %python -c "import json,glob; m=json.load(open(glob.glob('%t.light/*_metrics.json')[0])); f={x['name']:x for x in m['functions']}; print('untimed:', f['walk']['inclusive_ms'] == 0)" | %FileCheck %s --check-prefix=UNTIMED
//
// SPLIT: walk.tprof_timed
// OUT: leaves 20480
// CALLS: {{^}}40955{{$}}
// TIMED: {{^}}true{{$}}
// WITHIN: walk within main: True
// UNTIMED: untimed: True
#include <stdio.h>
#include <stdlib.h>
#include <tprof/tprof.h>

static int switch_at = -1;
static const char *switch_to;

// A function of this module with a call out of it: timed, and walk, which
// calls it, is timed for it (and for its recursion), in the split form.
static void maybe_switch(int depth) {
  if (depth != switch_at) return;
  tprof_set_option("cpu_timing", switch_to);
  switch_at = -1;
}

int walk(int depth) {
  maybe_switch(depth);
  return depth == 0 ? 1 : walk(depth - 1) + walk(depth - 1);
}

int main(void) {
  int no_switch = getenv("NO_SWITCH") != NULL;
  long leaves = walk(12);
  switch_at = no_switch ? -1 : 6, switch_to = "operations"; /* stops inside the timed copy */
  leaves += walk(12);
  leaves += walk(12);
  switch_at = no_switch ? -1 : 6, switch_to = "all"; /* starts inside walk's own body */
  leaves += walk(12);
  leaves += walk(12);
  printf("leaves %ld\n", leaves);
  return 0;
}
