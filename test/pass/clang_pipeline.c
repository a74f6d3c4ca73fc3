// Through clang: the pass runs at the start of the pipeline at every -O
// level, so -O0's optnone functions are instrumented and, at -O2, the hooks
// of an inlined function stay in its caller. Hooks carry debug locations
// (the entry hook the function's line, the exit hook the return's).
// RUN: %tprof_cc -O0 -g -S -emit-llvm %s -o - | %FileCheck %s --check-prefix=O0
// RUN: %tprof_cc -O2 -g -S -emit-llvm %s -o - | %FileCheck %s --check-prefix=O2
// RUN: %tprof_cc -O2 -S -emit-llvm %s -o - | %FileCheck %s --check-prefix=O2

static int add_one(int x) { return x + 1; }

int caller(int x) {
  return add_one(x) * 2;
}

// O0-LABEL: define {{.*}}i32 @caller(
// O0: call void @__tprof_func_enter({{.*}}@__tprof_func.caller{{.*}}), !dbg [[ENTRY:![0-9]+]]
// O0: call void @__tprof_func_exit({{.*}}@__tprof_func.caller{{.*}}), !dbg
// O0-LABEL: define internal i32 @add_one(
// O0: call void @__tprof_func_enter({{.*}}@__tprof_func.add_one
// O0: [[ENTRY]] = !DILocation(line: 11,

// O2-LABEL: define {{.*}}i32 @caller(
// O2: call void @__tprof_func_enter({{.*}}@__tprof_func.caller
// O2: call void @__tprof_func_enter({{.*}}@__tprof_func.add_one
// O2: call void @__tprof_func_exit({{.*}}@__tprof_func.add_one
// O2: call void @__tprof_func_exit({{.*}}@__tprof_func.caller
// O2-NOT: define internal i32 @add_one(
