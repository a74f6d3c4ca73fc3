// exec replaces the process image without running atexit: the file set is
// written right before the exec call. A failed exec lets the program go on,
// and the at-exit export writes the complete set.
//
// RUN: rm -rf %t.d %t.fail
// RUN: %tprof_cc -O2 -g %s %tprof_rt_static -o %t.exe
// RUN: env TPROF_OPTIONS=output_dir=%t.d %t.exe /bin/echo | %FileCheck %s --check-prefix=OUT
// RUN: %tpq %t.d get export_reason | %FileCheck %s --check-prefix=EXEC
// RUN: %tpq %t.d func work calls | %FileCheck %s --check-prefix=FIVE
// RUN: env TPROF_OPTIONS=output_dir=%t.fail %t.exe /nonexistent/program | %FileCheck %s --check-prefix=FAILED
// RUN: %tpq %t.fail get export_reason | %FileCheck %s --check-prefix=EXIT
// RUN: %tpq %t.fail func work calls | %FileCheck %s --check-prefix=SIX
//
// OUT: replaced by echo
// EXEC: {{^}}exec{{$}}
// FIVE: {{^}}5{{$}}
// FAILED: exec failed, going on
// EXIT: {{^}}exit{{$}}
// SIX: {{^}}6{{$}}
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
