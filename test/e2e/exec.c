// exec replaces the process image without running atexit: the file set is
// written right before the exec call. A failed exec lets the program go on,
// and the at-exit export writes the complete set (a second set when the
// clock has moved to the next second since the one written before the exec).
//
// RUN: rm -rf %t.d %t.fail
// RUN: %tprof_cc -O2 -g %s %tprof_rt_static -o %t.exe
// RUN: env TPROF_OPTIONS=output_dir=%t.d %t.exe /bin/echo | %FileCheck %s --check-prefix=OUT
// RUN: %tpq %t.d get export_reason | %FileCheck %s --check-prefix=EXEC
// RUN: %tpq %t.d func work calls | %FileCheck %s --check-prefix=FIVE
// RUN: env TPROF_OPTIONS=output_dir=%t.fail %t.exe /nonexistent/program | %FileCheck %s --check-prefix=FAILED
// RUN: %python -c "import json,glob; ms=[json.load(open(p)) for p in glob.glob('%t.fail/*_metrics.json')]; last=[m for m in ms if m['export_reason']=='exit']; print('at exit:', len(last), [f['calls'] for f in last[0]['functions'] if f['name']=='work'])" | %FileCheck %s --check-prefix=EXIT
//
// OUT: replaced by echo
// EXEC: {{^}}exec{{$}}
// FIVE: {{^}}5{{$}}
// FAILED: exec failed, going on
// EXIT: at exit: 1 [6]
#include <stdio.h>
#include <unistd.h>

int work(int x) { return x + 1; }

int main(int argc, char **argv) {
  int s = 0;
  for (int i = 0; i < 5; i++) s += work(i);
  fflush(stdout);
  if (argc > 1)
    execl(argv[1], argv[1], "replaced by echo", (char *)0);
  printf("exec failed, going on\n");
  return work(s) > 0 ? 0 : 1;
}
