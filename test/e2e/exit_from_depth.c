// exit() from deep inside the call stack still writes the file set; the
// frames still open are closed at the export with their time counted.
//
// RUN: rm -rf %t.d
// RUN: %tprof_cc -O2 -g %s %tprof_rt_static -o %t.exe
// RUN: not env TPROF_OPTIONS=output_dir=%t.d %t.exe
// RUN: %tpq %t.d check | %FileCheck %s --check-prefix=FILES
// RUN: %tpq %t.d func descend calls | %FileCheck %s --check-prefix=CALLS
// RUN: %tpq %t.d func descend primitive_calls | %FileCheck %s --check-prefix=PRIM
// RUN: %python -c "import json,glob; m=json.load(open(glob.glob('%t.d/*_metrics.json')[0])); f={x['name']:x for x in m['functions']}; print('main inclusive >= 30ms:', f['main']['inclusive_ms'] >= 30, 'descend inclusive >= 30ms:', f['descend']['inclusive_ms'] >= 30)" | %FileCheck %s --check-prefix=OPEN
//
// FILES: temporary files left: 0
// CALLS: {{^}}10{{$}}
// PRIM: {{^}}1{{$}}
// OPEN: main inclusive >= 30ms: True descend inclusive >= 30ms: True
#include <stdlib.h>
#include <time.h>

void descend(int depth) {
  if (depth == 0) {
    struct timespec ts = {0, 35 * 1000000L};
    nanosleep(&ts, 0);
    exit(3);
  }
  descend(depth - 1);
}

int main(void) {
  descend(9);
  return 0;
}
