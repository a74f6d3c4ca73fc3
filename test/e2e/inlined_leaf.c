// A tiny leaf inlined into a loop is counted exactly, at every -O level:
// its inline counter (the pass ran before the inliner) moves into the loop
// with its body. It is counted, not timed (its time is main's self time),
// and the call site's counter gives the main -> leaf edge of the call graph.
// The trip count comes from argv, so -O2 cannot fold the loop away.
//
// RUN: rm -rf %t.O0 %t.O2 %t.O3
// RUN: %tprof_cc -O0 %s %tprof_rt_static -o %t.O0.exe
// RUN: env TPROF_OPTIONS=output_dir=%t.O0 %t.O0.exe 1234567 | %FileCheck %s --check-prefix=OUT
// RUN: %tpq %t.O0 func leaf calls | %FileCheck %s --check-prefix=CALLS
// RUN: %tpq %t.O0 func leaf timed | %FileCheck %s --check-prefix=UNTIMED
// RUN: %tprof_cc -O2 %s %tprof_rt_static -o %t.O2.exe
// RUN: env TPROF_OPTIONS=output_dir=%t.O2 %t.O2.exe 1234567 | %FileCheck %s --check-prefix=OUT
// RUN: %tpq %t.O2 func leaf calls | %FileCheck %s --check-prefix=CALLS
// RUN: %tpq %t.O2 func leaf timed | %FileCheck %s --check-prefix=UNTIMED
// RUN: %tpq %t.O2 func main timed | %FileCheck %s --check-prefix=TIMED
// RUN: %tpq %t.O2 func main calls | %FileCheck %s --check-prefix=ONE
// RUN: %tprof_cc -O3 %s %tprof_rt_static -o %t.O3.exe
// RUN: env TPROF_OPTIONS=output_dir=%t.O3 %t.O3.exe 1234567 | %FileCheck %s --check-prefix=OUT
// RUN: %tpq %t.O3 func leaf calls | %FileCheck %s --check-prefix=CALLS
// The call graph has the edge, from the call site's counter.
// RUN: %python -c "import json,glob; m=json.load(open(glob.glob('%t.O2/*_metrics.json')[0])); n={x['id']:x['name'] for x in m['functions']}; print('edge', [e['calls'] for e in m['call_graph'] if n.get(e['caller']) == 'main' and n[e['callee']] == 'leaf'])" | %FileCheck %s --check-prefix=EDGE
//
// OUT: s = 1234567
// CALLS: {{^}}1234567{{$}}
// UNTIMED: {{^}}false{{$}}
// TIMED: {{^}}true{{$}}
// ONE: {{^}}1{{$}}
// EDGE: edge [1234567]
#include <stdio.h>
#include <stdlib.h>

// unsigned: UBSan checks no overflow there, so the leaf has no handler
// call and stays a tiny leaf in sanitized builds too.
static unsigned leaf(unsigned x) { return x + 1; }

int main(int argc, char **argv) {
  int n = argc > 1 ? atoi(argv[1]) : 0;
  unsigned s = 0;
  for (int i = 0; i < n; i++)
    s = leaf(s);
  printf("s = %u\n", s);
  return 0;
}
