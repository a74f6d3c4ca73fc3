// From C: a `musttail` return gets its exit hook before the musttail call
// (the call must stay right before its ret), the other return before its
// ret (caller calls a function of another module: unconditional _if hooks;
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
// CHECK: [[ON:%[0-9]+]] = load atomic i8, {{.*}}@__tprof_hooks_on monotonic
// CHECK-NEXT: [[ALL:%[0-9]+]] = and i8 [[ON]], 1
// CHECK-NEXT: [[HOOKS:%[0-9]+]] = icmp ne i8 [[ALL]], 0
// CHECK-NEXT: [[ARG:%[0-9]+]] = zext i1 [[HOOKS]] to i32
// CHECK-NEXT: call void @__tprof_func_enter_if({{.*}}@__tprof_func.caller{{.*}}, i32 [[ARG]])
// CHECK: call void @__tprof_func_exit_if({{.*}}@__tprof_func.caller{{.*}}, i32 [[ARG]])
// CHECK-NEXT: musttail call i32 @callee(
// CHECK-NEXT: ret i32
// CHECK: call void @__tprof_func_exit_if({{.*}}@__tprof_func.caller{{.*}}, i32 [[ARG]])
// CHECK-NEXT: ret i32

// O2-LABEL: define {{.*}}i32 @caller(
// O2: call void @__tprof_func_enter_if({{.*}}@__tprof_func.caller
// O2: call void @__tprof_func_exit_if({{.*}}@__tprof_func.caller{{.*}}, !dbg
// O2: musttail call i32 @callee(
// O2-NEXT: ret i32
