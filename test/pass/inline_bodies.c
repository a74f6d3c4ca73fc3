// C99 `inline` and `extern inline __attribute__((gnu_inline))` functions:
// from -O1 on, clang gives the caller's module an available_externally copy
// of the body, which is never emitted, only inlined. The pass instruments
// it like any other function (a record named and placed like the real
// definition's, which the runtime adds to it; the counter; a call-site
// counter at each direct call), so the inlined copies count their calls.
// RUN: %clang -O1 -g -Xclang -disable-llvm-passes -S -emit-llvm %s -o %t.ll
// RUN: %FileCheck %s --check-prefix=INPUT < %t.ll
// RUN: %opt -passes=tprof,verify -S %t.ll | %FileCheck %s
// Through clang at -O1 and -O2: the copies are inlined and dropped, their
// counters stay in the caller.
// RUN: %clang -O1 -g -fpass-plugin=%tprof_plugin -S -emit-llvm %s -o - | %FileCheck %s --check-prefix=OPT
// RUN: %clang -O2 -fpass-plugin=%tprof_plugin -S -emit-llvm %s -o - | %FileCheck %s --check-prefix=OPT

inline int sq(int x) { return x * x; }
extern inline __attribute__((gnu_inline)) int cube(int x) { return x * x * x; }

int use(int x) { return sq(x) + cube(x); }

// What the test is about: clang's copies are available_externally.
// INPUT-DAG: define available_externally {{.*}}i32 @sq(
// INPUT-DAG: define available_externally {{.*}}i32 @cube(

// CHECK-DAG: @__tprof_func.sq = private global {{.*}} { i32 2, i32 0, i32 15, i32 0, i64 0,
// CHECK-DAG: @__tprof_func.cube = private global {{.*}} { i32 2, i32 0, i32 16, i32 0, i64 0,
// CHECK-DAG: @__tprof_callsite{{(\.[0-9]+)?}} = private global { i32, i32, i64, {{.*}} } { i32 2, i32 18, i64 0, {{.*}}@__tprof_func.use{{[ ,)].*}}@__tprof_func.sq{{[ ,)]}}
// CHECK-DAG: @__tprof_callsite{{(\.[0-9]+)?}} = private global { i32, i32, i64, {{.*}} } { i32 2, i32 18, i64 0, {{.*}}@__tprof_func.use{{[ ,)].*}}@__tprof_func.cube{{[ ,)]}}
// CHECK-DAG: @__tprof_module = private global {{.*}} { i32 2, i32 3, i32 2, i32 0,
// CHECK-LABEL: define {{.*}}i32 @use(
// CHECK: atomicrmw add {{.*}}@__tprof_callsite{{.*}}.calls, i64 1 monotonic
// CHECK: call {{.*}}i32 @sq(
// CHECK: atomicrmw add {{.*}}@__tprof_callsite{{.*}}.calls, i64 1 monotonic
// CHECK: call {{.*}}i32 @cube(
// CHECK-LABEL: define available_externally {{.*}}i32 @sq(
// CHECK: atomicrmw add {{.*}}@__tprof_func.sq.calls, i64 1 monotonic
// CHECK-NOT: __tprof_func_enter
// CHECK: ret i32
// CHECK-LABEL: define available_externally {{.*}}i32 @cube(
// CHECK: atomicrmw add {{.*}}@__tprof_func.cube.calls, i64 1 monotonic
// CHECK-NOT: __tprof_func_enter
// CHECK: ret i32

// OPT-NOT: define {{.*}}@sq(
// OPT-NOT: define {{.*}}@cube(
// OPT-LABEL: define {{.*}}i32 @use(
// OPT-DAG: elementtype(i64) @__tprof_func.sq.calls
// OPT-DAG: elementtype(i64) @__tprof_func.cube.calls
// OPT-NOT: call {{.*}}@sq(
// OPT-NOT: call {{.*}}@cube(
// OPT-NOT: define {{.*}}@sq(
// OPT-NOT: define {{.*}}@cube(
