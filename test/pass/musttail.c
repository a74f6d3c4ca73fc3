// From C: a `musttail` return gets the exit hook before the musttail call
// (the call must stay right before its ret), the other return before its
// ret; the module verifies, at -O0 through opt and at -O2 through clang.
// RUN: %clang -O0 -Xclang -disable-O0-optnone -S -emit-llvm %s -o %t.ll
// RUN: %opt -passes=tprof,verify -S %t.ll | %FileCheck %s
// RUN: %clang -O2 -g -fpass-plugin=%tprof_plugin -S -emit-llvm %s -o %t.O2.ll
// RUN: %opt -passes=verify -disable-output %t.O2.ll
// The O2 output has two exit hooks; look at the lines around the musttail call.
// RUN: grep -B1 -A1 'musttail call' %t.O2.ll | %FileCheck %s --check-prefix=O2

int callee(int x);

int caller(int x) {
  if (x > 10)
    return x;
  __attribute__((musttail)) return callee(x - 1);
}

// CHECK-LABEL: define {{.*}}i32 @caller(
// CHECK: call void @__tprof_func_enter({{.*}}@__tprof_func.caller
// CHECK: call void @__tprof_func_exit({{.*}}@__tprof_func.caller
// CHECK-NEXT: musttail call i32 @callee(
// CHECK-NEXT: ret i32
// CHECK: call void @__tprof_func_exit({{.*}}@__tprof_func.caller
// CHECK-NEXT: ret i32

// O2: call void @__tprof_func_exit({{.*}}@__tprof_func.caller{{.*}}, !dbg
// O2-NEXT: musttail call i32 @callee(
// O2-NEXT: ret i32
