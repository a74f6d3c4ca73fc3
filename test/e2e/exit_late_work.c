// Work done after main returns: an atexit handler registered in a
// constructor (as early as the program's own code runs), one registered by
// main, and a destructor of the program all call functions and free blocks.
// The set counts that work: the export runs after them (from the runtime's
// own destructor, after the program's), so their calls are there and their
// frees are not leaks. quick_exit runs no destructor and no atexit handler:
// the set is written by tprof's at_quick_exit handler, after the handlers
// the program registered. Static and shared runtime.
//
// RUN: rm -rf %t.O0 %t.O2 %t.sh %t.qe
// RUN: %tprof_cc -O0 -g %s %tprof_rt_static -o %t.O0.exe
// RUN: %tprof_cc -O2 -g %s %tprof_rt_static -o %t.O2.exe
// RUN: %tprof_cc -O2 -g %s %tprof_rt_shared -o %t.sh.exe
// RUN: env TPROF_OPTIONS=output_dir=%t.O0 %t.O0.exe | %FileCheck %s
// RUN: %tpexpect %t.O0 --from %s
// RUN: env TPROF_OPTIONS=output_dir=%t.O2 %t.O2.exe | %FileCheck %s
// RUN: %tpexpect %t.O2 --from %s
// RUN: env TPROF_OPTIONS=output_dir=%t.sh %t.sh.exe | %FileCheck %s
// RUN: %tpexpect %t.sh --from %s
// RUN: env TPROF_OPTIONS=output_dir=%t.qe %run_signals_default %t.O2.exe quick | %FileCheck %s --check-prefix=QUICK
// RUN: %tpexpect %t.qe --from %s --prefix EXPECT-QUICK
//
// CHECK: main done
// CHECK-NEXT: main_exit_handler
// CHECK-NEXT: early_exit_handler
// CHECK-NEXT: late_destructor
// EXPECT: f("early_exit_handler", "calls") == 1
// EXPECT: f("main_exit_handler", "calls") == 1
// EXPECT: f("late_destructor", "calls") == 1
// EXPECT: f("cleanup", "calls") == 3
// EXPECT: g("heap.allocation_count") == 3 and g("heap.deallocation_count") == 3
// EXPECT: g("heap.live_blocks") == 0
// EXPECT: g("export_reason") == "exit"
//
// QUICK: main done
// QUICK-NEXT: quick_exit_handler
// QUICK-NEXT: status 3
// EXPECT-QUICK: f("quick_exit_handler", "calls") == 1
// EXPECT-QUICK: f("cleanup", "calls") == 1
// EXPECT-QUICK: g("heap.allocation_count") == 3 and g("heap.deallocation_count") == 1
// EXPECT-QUICK: f("late_destructor", "calls") is None and f("early_exit_handler", "calls") is None
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *blocks[3];
static volatile int sink;
void early_exit_handler(void);

__attribute__((noinline)) void cleanup(int i) {
  sink += i;
  free(blocks[i]);
  blocks[i] = NULL;
}

__attribute__((constructor)) static void register_early(void) { atexit(early_exit_handler); }

void early_exit_handler(void) {
  printf("early_exit_handler\n");
  cleanup(0);
}

void main_exit_handler(void) {
  printf("main_exit_handler\n");
  cleanup(1);
}

void quick_exit_handler(void) {
  printf("quick_exit_handler\n");
  fflush(stdout);
  cleanup(2);
}

__attribute__((destructor)) void late_destructor(void) {
  printf("late_destructor\n");
  fflush(stdout);
  cleanup(2);
}

int main(int argc, char **argv) {
  for (int i = 0; i < 3; i++) blocks[i] = malloc(32);
  atexit(main_exit_handler);
  at_quick_exit(quick_exit_handler);
  printf("main done\n");
  fflush(stdout);
  if (argc > 1 && !strcmp(argv[1], "quick")) quick_exit(3);
  return 0;
}
