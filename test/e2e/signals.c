// SIGTERM and SIGINT write a complete file set, then the process dies by the
// same signal (exit status 128 + signal); a handler the program installs
// itself still runs, and its exit() writes the set; a signal the program
// ignores stays ignored; handle_signals=0 leaves signals alone.
//
// The handler exports with malloc and stdio, which is not async-signal-safe:
// ThreadSanitizer rightly says so (a known limit, see runtime/README.md).
// UNSUPPORTED: sanitizer-thread
// RUN: rm -rf %t.term %t.int %t.user %t.ign %t.off
// RUN: %tprof_cc -O2 -g %s %tprof_rt_static -o %t.exe
// RUN: env TPROF_OPTIONS=output_dir=%t.term %run_signals_default %t.exe term > %t.term.out
// RUN: %FileCheck %s --check-prefix=TERM < %t.term.out
// RUN: %tpq %t.term check | %FileCheck %s --check-prefix=FILES
// RUN: %tpq %t.term get export_reason | %FileCheck %s --check-prefix=REASON
// RUN: %tpq %t.term func deep calls | %FileCheck %s --check-prefix=DEEP
//
// With a snapshot every ms, none may start between the signal's export and
// the process's death (it replaced the signal's set, or was cut off
// half-written): slow_calls.so makes that gap 100 ms (a slow raise).
// RUN: rm -rf %t.snap
// RUN: %host_cc -fno-sanitize=all -shared -fPIC %S/Inputs/slow_calls.c -ldl -o %t.slow_calls.so
// RUN: env TPROF_OPTIONS=output_dir=%t.snap:flush_interval_ms=1 %run_signals_default env LD_PRELOAD=%t.slow_calls.so %t.exe term > %t.snap.out
// RUN: %FileCheck %s --check-prefix=TERM < %t.snap.out
// RUN: %tpq %t.snap sets | %FileCheck %s --check-prefix=ONESET
// RUN: %tpq %t.snap get export_reason | %FileCheck %s --check-prefix=REASON
// RUN: ls -A %t.snap | %FileCheck %s --check-prefix=NOTEMP
//
// RUN: env TPROF_OPTIONS=output_dir=%t.int %run_signals_default %t.exe int > %t.int.out
// RUN: %FileCheck %s --check-prefix=INT < %t.int.out
// RUN: %tpq %t.int get export_reason | %FileCheck %s --check-prefix=REASON
//
// RUN: env TPROF_OPTIONS=output_dir=%t.user %run_signals_default %t.exe user > %t.user.out
// RUN: %FileCheck %s --check-prefix=USER < %t.user.out
// RUN: %tpq %t.user sets | %FileCheck %s --check-prefix=ONESET
// The handler's exit() writes the set (after the signal's), with the handler's own call.
// RUN: %tpq %t.user func user_handler calls | %FileCheck %s --check-prefix=ONESET
//
// RUN: env TPROF_OPTIONS=output_dir=%t.ign %run_signals_default %t.exe ignore > %t.ign.out
// RUN: %FileCheck %s --check-prefix=IGNORE < %t.ign.out
// RUN: %tpq %t.ign get export_reason | %FileCheck %s --check-prefix=EXIT
//
// RUN: env TPROF_OPTIONS=output_dir=%t.off:handle_signals=0 %run_signals_default %t.exe term > %t.off.out
// RUN: %FileCheck %s --check-prefix=TERM < %t.off.out
// RUN: not ls %t.off
//
// The handlers are there to write a set: with nothing to export (and no
// snapshots to close) the program's actions are left as they are.
// RUN: env TPROF_OPTIONS=output_dir=%t.off %run_signals_default %t.exe actions | %FileCheck %s --check-prefix=OURS
// RUN: env TPROF_OPTIONS=output_dir=%t.off:export_profiling_data=0 %run_signals_default %t.exe actions | %FileCheck %s --check-prefix=LEFT
// RUN: env TPROF_OPTIONS=output_dir=%t.off:export_profiling_data=0:flush_interval_ms=100000 %run_signals_default %t.exe actions | %FileCheck %s --check-prefix=OURS
// RUN: not ls %t.off
//
// TERM: status 143
// INT: status 130
// FILES: temporary files left: 0
// REASON: {{^}}signal{{$}}
// EXIT: {{^}}exit{{$}}
// DEEP: {{^}}5{{$}}
// USER: user handler got 2
// USER-NEXT: status 7
// ONESET: {{^}}1{{$}}
// NOTEMP-NOT: {{\.tmp$}}
// IGNORE: still running after an ignored SIGINT
// IGNORE-NEXT: status 0
// OURS: SIGINT tprof's, SIGTERM tprof's
// LEFT: SIGINT default, SIGTERM default
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <tprof/tprof.h>
#include <unistd.h>

static void user_handler(int sig) {
  printf("user handler got %d\n", sig);
  fflush(stdout);
  exit(7);
}

void deep(int n, int sig) {
  if (n == 0) {
    raise(sig);
    return;
  }
  deep(n - 1, sig);
}

static const char *action(int sig) {
  struct sigaction a;
  sigaction(sig, NULL, &a);
  return a.sa_handler == SIG_DFL ? "default" : "tprof's";
}

int main(int argc, char **argv) {
  const char *mode = argc > 1 ? argv[1] : "term";
  if (!strcmp(mode, "actions")) {
    printf("SIGINT %s, SIGTERM %s\n", action(SIGINT), action(SIGTERM));
    tprof_set_option("export_profiling_data", "0"); /* no set from this run */
    return 0;
  }
  if (!strcmp(mode, "user")) signal(SIGINT, user_handler);
  if (!strcmp(mode, "ignore")) signal(SIGINT, SIG_IGN);
  deep(4, !strcmp(mode, "term") ? SIGTERM : SIGINT);
  printf("still running after an ignored SIGINT\n");
  return 0;
}
