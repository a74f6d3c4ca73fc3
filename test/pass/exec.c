// Direct calls of the exec functions get __tprof_before_exec() right before
// them (the process image is replaced: no exit hook or atexit will run).
// RUN: %clang -O0 -g -Xclang -disable-O0-optnone -S -emit-llvm %s -o %t.ll
// RUN: %opt -passes=tprof,verify -S %t.ll | %FileCheck %s
#include <unistd.h>

void run(char *const argv[], char *const envp[]) {
  // CHECK: call void @__tprof_before_exec(), !dbg
  // CHECK-NEXT: call {{.*}}@execv(
  execv("/bin/true", argv);
  // CHECK: call void @__tprof_before_exec(), !dbg
  // CHECK-NEXT: call {{.*}}@execve(
  execve("/bin/true", argv, envp);
  // CHECK: call void @__tprof_before_exec(), !dbg
  // CHECK-NEXT: call {{.*}}@execl(
  execl("/bin/true", "true", (char *)0);
  // CHECK-NOT: __tprof_before_exec
  // CHECK: ret void
}
