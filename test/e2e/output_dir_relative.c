// A relative output_dir (the default tprof_output, or output_dir=rel_out) is
// resolved once, against the working directory at start-up: a program that
// chdir()s (or becomes a daemon, which chdirs to /) still leaves its set
// where the user ran it. Set later through the API, a relative directory is
// resolved against the working directory at that moment.
//
// RUN: rm -rf %t.run %t.else && mkdir -p %t.run %t.else
// RUN: %tprof_cc -O0 -g %s %tprof_rt_static -o %t.O0.exe
// RUN: %tprof_cc -O2 -g %s %tprof_rt_static -o %t.O2.exe
// RUN: cd %t.run && env TPROF_OPTIONS=output_dir=rel_out %t.O0.exe chdir %t.else | %FileCheck %s --check-prefix=CHDIR
// RUN: %tpq %t.run/rel_out sets | %FileCheck %s --check-prefix=ONE
// RUN: not ls %t.else/rel_out
// RUN: cd %t.run && %t.O2.exe chdir %t.else | %FileCheck %s --check-prefix=CHDIR
// RUN: %tpq %t.run/tprof_output sets | %FileCheck %s --check-prefix=ONE
// RUN: not ls %t.else/tprof_output
// Set by the API after the chdir: relative to the directory of that moment.
// RUN: cd %t.run && env TPROF_OPTIONS=output_dir=rel_api %t.O2.exe api %t.else | %FileCheck %s --check-prefix=CHDIR
// RUN: %tpq %t.else/api_out sets | %FileCheck %s --check-prefix=ONE
// RUN: not ls %t.run/api_out
// RUN: not ls %t.run/rel_api
// daemon(0, 1) forks and chdirs to /; the child (which writes the set, its
// stdout still the pipe, so FileCheck waits for its exit) measures from the
// fork on.
// RUN: cd %t.run && env TPROF_OPTIONS=output_dir=rel_daemon %t.O2.exe daemon %t.else | %FileCheck %s --check-prefix=DAEMON
// RUN: %tpq %t.run/rel_daemon sets | %FileCheck %s --check-prefix=ONE
// RUN: %tpq %t.run/rel_daemon func work calls | %FileCheck %s --check-prefix=FIVE
// RUN: not ls /rel_daemon
//
// CHDIR: in {{.*}}else
// DAEMON: daemon in /
// ONE: {{^}}1{{$}}
// FIVE: {{^}}5{{$}}
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <tprof/tprof.h>
#include <unistd.h>

static volatile int sink;
__attribute__((noinline)) void work(int i) { sink += i; }

int main(int argc, char **argv) {
  if (argc < 3) return 2;
  if (!strcmp(argv[1], "daemon")) {
    if (daemon(0, 1) != 0) return 3;
    for (int i = 0; i < 5; i++) work(i);
    char cwd[4096];
    printf("daemon in %s\n", getcwd(cwd, sizeof cwd) ? cwd : "?");
    return 0;
  }
  for (int i = 0; i < 5; i++) work(i);
  if (chdir(argv[2]) != 0) return 4;
  if (!strcmp(argv[1], "api")) tprof_set_option("output_dir", "api_out");
  char cwd[4096];
  printf("in %s\n", getcwd(cwd, sizeof cwd) ? cwd : "?");
  return 0;
}
