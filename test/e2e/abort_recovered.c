// abort() deep in the call stack, caught by the program's SIGABRT handler
// that jumps back to main (a function that never returns to its caller):
// the abandoned frames are closed when control comes back, later calls are
// timed right, and the file set is complete at exit.
//
// RUN: rm -rf %t.d
// RUN: %tprof_cc -O2 -g %s %tprof_rt_static -o %t.exe
// RUN: env TPROF_OPTIONS=output_dir=%t.d %t.exe | %FileCheck %s --check-prefix=OUT
// RUN: %tpq %t.d func failing calls | %FileCheck %s --check-prefix=FOUR
// RUN: %tpq %t.d func later calls | %FileCheck %s --check-prefix=ONE
// RUN: %python -c "import json,glob; m=json.load(open(glob.glob('%t.d/*_metrics.json')[0])); f={x['name']:x for x in m['functions']}; n={x['id']:x['name'] for x in m['functions']}; print('later 20 ms:', 19 <= f['later']['inclusive_ms'], 'not in failing:', f['failing']['inclusive_ms'] < f['later']['inclusive_ms'], 'callers of later:', sorted(n.get(e['caller'], 'none') for e in m['call_graph'] if n[e['callee']] == 'later'), 'main holds it:', f['main']['inclusive_ms'] >= f['later']['inclusive_ms'])" | %FileCheck %s --check-prefix=TIMES
//
// OUT: recovered from abort
// FOUR: {{^}}4{{$}}
// ONE: {{^}}1{{$}}
// TIMES: later 20 ms: True not in failing: True callers of later: ['main'] main holds it: True
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static sigjmp_buf recover;

static void on_abort(int sig) {
  (void)sig;
  siglongjmp(recover, 1);
}

void failing(int depth) {
  if (depth == 0)
    abort();
  failing(depth - 1);
}

void later(void) {
  struct timespec ts = {0, 20 * 1000000L};
  nanosleep(&ts, 0);
}

int main(void) {
  signal(SIGABRT, on_abort);
  if (sigsetjmp(recover, 1) == 0)
    failing(3);
  else
    printf("recovered from abort\n");
  later();
  return 0;
}
