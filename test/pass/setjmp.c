// Calls of returns_twice functions (setjmp, sigsetjmp, a function declared
// returns_twice; a call marked so at the call site: setjmp.ll) are bracketed:
// __tprof_depth() right before, __tprof_unwind(depth) right after, so the
// frames a longjmp skipped are closed where control lands. vfork is not
// (its child shares our memory until it execs). At -O2 the brackets stay
// around the call.
// RUN: %clang -O0 -g -Xclang -disable-O0-optnone -S -emit-llvm %s -o %t.ll
// RUN: %opt -passes=tprof,verify -S %t.ll | %FileCheck %s
// RUN: %clang -O2 -g -fpass-plugin=%tprof_plugin -S -emit-llvm %s -o - | %FileCheck %s --check-prefix=O2
#include <setjmp.h>
#include <unistd.h>

static jmp_buf a;
static sigjmp_buf b;
__attribute__((returns_twice)) int my_checkpoint(void);

int marks(void) {
  // CHECK: %tprof.depth = call i32 @__tprof_depth(), !dbg [[SJ:![0-9]+]]
  // CHECK-NEXT: call i32 @_setjmp({{.*}}){{.*}}, !dbg [[SJ]]
  // CHECK-NEXT: call void @__tprof_unwind(i32 %tprof.depth), !dbg [[SJ]]
  if (setjmp(a))
    return 1;
  // CHECK: %[[D1:tprof.depth[0-9]+]] = call i32 @__tprof_depth()
  // CHECK-NEXT: call i32 @__sigsetjmp(
  // CHECK-NEXT: call void @__tprof_unwind(i32 %[[D1]])
  if (sigsetjmp(b, 1))
    return 2;
  // CHECK: %[[D2:tprof.depth[0-9]+]] = call i32 @__tprof_depth()
  // CHECK-NEXT: call i32 @my_checkpoint()
  // CHECK-NEXT: call void @__tprof_unwind(i32 %[[D2]])
  if (my_checkpoint())
    return 3;
  // CHECK-NOT: __tprof_depth
  // CHECK: call i32 @vfork()
  // CHECK-NOT: __tprof_unwind
  // CHECK: ret i32
  return vfork();
}

// clang -O2 drops value names.
// O2-LABEL: define {{.*}}i32 @marks(
// O2: %[[D0:[0-9a-z.]+]] = call i32 @__tprof_depth()
// O2-NEXT: call i32 @_setjmp(
// O2-NEXT: call void @__tprof_unwind(i32 %[[D0]])
// O2: %[[D1:[0-9a-z.]+]] = call i32 @__tprof_depth()
// O2-NEXT: call i32 @__sigsetjmp(
// O2-NEXT: call void @__tprof_unwind(i32 %[[D1]])
// O2: %[[D2:[0-9a-z.]+]] = call i32 @__tprof_depth()
// O2-NEXT: call i32 @my_checkpoint()
// O2-NEXT: call void @__tprof_unwind(i32 %[[D2]])
// O2-NOT: __tprof_depth
// O2: call i32 @vfork()
// O2-NOT: __tprof_unwind
// O2: ret i32
