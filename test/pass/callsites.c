// A direct call of an untimed function (a tiny leaf) of the same module
// gets a call-site record {abi, line, calls, caller, callee}, section
// tprof_callsites, whose counter is incremented (plain add while
// single-threaded, atomic add otherwise, after lowering) right before the
// call; the module record lists it. Calls of timed functions, of functions
// of other modules and indirect calls get none: the hooks or nothing see
// those. timed calls a function of another module, which makes it timed (a
// function that only calls tiny functions of its module is not).
// RUN: %clang -O0 -g -Xclang -disable-O0-optnone -S -emit-llvm %s -o %t.ll
// RUN: %opt -passes=tprof,verify -S %t.ll | %FileCheck %s
// RUN: %opt -passes='tprof,function(tprof-lower-counters),verify' -S %t.ll | %FileCheck %s --check-prefix=LOWERED

int leaf(int x) { return x + 1; }
int external(int x);
int timed(int x) { return leaf(x) + leaf(x + 1) + external(x); }

int caller(int x, int (*fp)(int)) {
  int s = leaf(x);
  s += timed(s);
  s += external(s);
  return s + fp(s);
}

// CHECK-DAG: @[[CS1:__tprof_callsite[.0-9]*]] = private global { i32, i32, i64, {{.*}} } { i32 2, i32 15, i64 0, {{.*}}@__tprof_func.timed{{[ ,)].*}}@__tprof_func.leaf{{[ ,)].*}} section "tprof_callsites", align 8
// CHECK-DAG: @[[CS2:__tprof_callsite[.0-9]*]] = private global { i32, i32, i64, {{.*}} } { i32 2, i32 15, i64 0, {{.*}}@__tprof_func.timed{{[ ,)].*}}@__tprof_func.leaf{{[ ,)].*}} section "tprof_callsites", align 8
// CHECK-DAG: @[[CS3:__tprof_callsite[.0-9]*]] = private global { i32, i32, i64, {{.*}} } { i32 2, i32 18, i64 0, {{.*}}@__tprof_func.caller{{[ ,)].*}}@__tprof_func.leaf{{[ ,)].*}} section "tprof_callsites", align 8
// CHECK-DAG: @__tprof_module_callsites = private constant [3 x
// CHECK-DAG: @__tprof_module = private global {{.*}} { i32 2, i32 3, i32 3, i32 0,
// CHECK-DAG: @llvm.compiler.used = appending global {{.*}}@[[CS1]]{{[ ,)]}}
// A call site's counter: an alias of its record's calls field (byte 8).
// CHECK-DAG: @[[CS3]].calls = private alias i64, {{.*}}@[[CS3]], {{(i32 0, i32 2|i64 8)}})

// The counter is one relaxed atomic add, right before the call.
// CHECK-LABEL: define {{.*}}i32 @timed(
// CHECK: call i32 @__tprof_func_enter_checked(
// CHECK: atomicrmw add {{.*}}@[[CS1]].calls, i64 1 monotonic
// CHECK-NEXT: call i32 @leaf(
// CHECK: atomicrmw add {{.*}}@[[CS2]].calls, i64 1 monotonic
// CHECK-NEXT: call i32 @leaf(
// CHECK-NOT: __tprof_callsite
// CHECK: call i32 @external(
// CHECK: call void @__tprof_func_exit_checked(

// CHECK-LABEL: define {{.*}}i32 @caller(
// CHECK: atomicrmw add {{.*}}@[[CS3]].calls,
// CHECK-NEXT: call i32 @leaf(
// CHECK-NOT: __tprof_callsite
// CHECK: call i32 @timed(
// CHECK-NOT: __tprof_callsite
// CHECK: call i32 @external(
// CHECK-NOT: __tprof_callsite
// CHECK: call i32 %
// CHECK-NOT: __tprof_callsite
// CHECK: ret i32

// Lowered (clang: at the end of the pipeline; x86-64's form, see
// lower_counters_x86.ll): one inline-assembly statement reads glibc's
// __libc_single_threaded and adds 1 to the counter, plainly while it is
// set, else atomically; then the call.
// LOWERED-LABEL: define {{.*}}i32 @timed(
// LOWERED: call i32 @__tprof_func_enter_checked(
// LOWERED: call void asm sideeffect "cmpb $$0, $1\0A\09je 1f\0A\09addq $$1, $0\0A\092:\0A\09.subsection 1\0A1:\0A\09lock addq $$1, $0\0A\09jmp 2b\0A\09.subsection 0", "=*m,*m,~{flags}"({{.*}}@__tprof_callsite{{[.0-9]*}}.calls, {{.*}}@__libc_single_threaded)
// LOWERED-NEXT: call i32 @leaf(
