// Direct calls of the exec functions get __tprof_before_exec() right before
// them (the process image is replaced: no exit hook or atexit will run), and
// calls of exit() and main's returns get __tprof_before_exit() (one thread
// at a time in exit).
// RUN: %clang -O0 -g -Xclang -disable-O0-optnone -S -emit-llvm %s -o %t.ll
// RUN: %opt -passes=tprof,verify -S %t.ll | %FileCheck %s
// Running the pass again adds nothing.
// RUN: %opt -passes=tprof -S %t.ll | %opt -passes=tprof -S | %FileCheck %s --check-prefix=TWICE
#include <stdlib.h>
#include <unistd.h>

void run(char *const argv[], char *const envp[]) {
  // CHECK-LABEL: define {{.*}}@run(
  // CHECK: call void @__tprof_before_exec(), !dbg
  // CHECK-NEXT: call {{.*}}@execv(
  execv("/bin/true", argv);
  // CHECK: call void @__tprof_before_exec(), !dbg
  // CHECK-NEXT: call {{.*}}@execve(
  execve("/bin/true", argv, envp);
  // CHECK: call void @__tprof_before_exec(), !dbg
  // CHECK-NEXT: call {{.*}}@execl(
  execl("/bin/true", "true", (char *)0);
  // CHECK-NOT: __tprof_before_
  // CHECK: ret void
}

void quit(int status) {
  // CHECK-LABEL: define {{.*}}@quit(
  // CHECK: call void @__tprof_before_exit(), !dbg
  // CHECK-NEXT: call void @exit(
  exit(status);
}

// _exit runs no exit handler: nothing to wait for.
void quit_now(int status) {
  // CHECK-LABEL: define {{.*}}@quit_now(
  // CHECK-NOT: __tprof_before_
  // CHECK: call void @_exit(
  _exit(status);
}

// Returning from main is exit(): before its return (one at -O0).
int main(int argc, char **argv) {
  // CHECK-LABEL: define {{.*}}@main(
  if (argc > 3) run(argv, argv);
  quit_now(argc);
  // CHECK: call void @__tprof_before_exit()
  // CHECK: ret i32
  return 0;
}

// TWICE-COUNT-2: call void @__tprof_before_exit()
// TWICE-NOT: call void @__tprof_before_exit()
