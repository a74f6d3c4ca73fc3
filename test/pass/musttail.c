// From C: a `musttail` return gets its exit hook before the musttail call
// (the call must stay right before its ret), the other return before its
// ret (caller calls a function of another module: unconditional _checked hooks;
// musttail.ll has the guarded form too); the module verifies, at -O0 through opt and at -O2 through clang
// (where -O2 may merge the two exit hooks into one before the branch).
// RUN: %clang -O0 -Xclang -disable-O0-optnone -S -emit-llvm %s -o %t.ll
// RUN: %opt -passes=tprof,verify -S %t.ll | %FileCheck %s
// RUN: %clang -O2 -g -fpass-plugin=%tprof_plugin -S -emit-llvm %s -o %t.O2.ll
// RUN: %opt_bin -passes=verify -disable-output %t.O2.ll
// RUN: %FileCheck %s --check-prefix=O2 < %t.O2.ll

int callee(int x);

int caller(int x) {
  if (x > 10)
    return x;
  __attribute__((musttail)) return callee(x - 1);
}

// CHECK-LABEL: define {{.*}}i32 @caller(
// CHECK: [[ARG:%[a-z0-9.]+]] = call i32 @__tprof_func_enter_checked({{.*}}@__tprof_func.caller{{.*}})
// CHECK: call void @__tprof_func_exit_checked({{.*}}@__tprof_func.caller{{.*}}, i32 [[ARG]])
// CHECK-NEXT: musttail call i32 @callee(
// CHECK-NEXT: ret i32
// CHECK: call void @__tprof_func_exit_checked({{.*}}@__tprof_func.caller{{.*}}, i32 [[ARG]])
// CHECK-NEXT: ret i32

// O2-LABEL: define {{.*}}i32 @caller(
// O2: call i32 @__tprof_func_enter_checked({{.*}}@__tprof_func.caller
// O2: call void @__tprof_func_exit_checked({{.*}}@__tprof_func.caller{{.*}}, !dbg
// O2: musttail call i32 @callee(
// O2-NEXT: ret i32
