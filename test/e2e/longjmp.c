// longjmp over several instrumented frames, and a function that never
// returns to its caller: the frames left behind are closed when control
// comes back to a frame below them, and later calls are timed right.
//
// RUN: rm -rf %t.d
// RUN: %tprof_cc -O2 -g %s %tprof_rt_static -o %t.exe
// RUN: env TPROF_OPTIONS=output_dir=%t.d %t.exe | %FileCheck %s --check-prefix=OUT
// RUN: %tpq %t.d func dive calls | %FileCheck %s --check-prefix=DIVE
// RUN: %tpq %t.d func dive primitive_calls | %FileCheck %s --check-prefix=THREE
// RUN: %tpq %t.d func jumper calls | %FileCheck %s --check-prefix=THREE
// RUN: %tpq %t.d func after calls | %FileCheck %s --check-prefix=THREE
// RUN: %python -c "import json,glob; m=json.load(open(glob.glob('%t.d/*_metrics.json')[0])); f={x['name']:x for x in m['functions']}; a=f['after']; print('after 3 x 10 ms:', 29 <= a['inclusive_ms'] < 60, 'jumper within main:', f['jumper']['inclusive_ms'] <= f['main']['inclusive_ms'])" | %FileCheck %s --check-prefix=TIMES
//
// OUT: came back 3 times
// 3 jumps x (1 + 6 levels) frames of dive
// DIVE: {{^}}21{{$}}
// THREE: {{^}}3{{$}}
// TIMES: after 3 x 10 ms: True jumper within main: True
#include <setjmp.h>
#include <stdio.h>
#include <time.h>

static jmp_buf back;

void dive(int depth) {
  if (depth == 0)
    longjmp(back, 1); /* skips the exits of 7 frames of dive */
  dive(depth - 1);
}

void jumper(void) {
  if (setjmp(back) == 0)
    dive(6);
}

void after(void) {
  struct timespec ts = {0, 10 * 1000000L};
  nanosleep(&ts, 0);
}

int main(void) {
  int n = 0;
  for (int i = 0; i < 3; i++, n++) {
    jumper();
    after();
  }
  printf("came back %d times\n", n);
  return 0;
}
