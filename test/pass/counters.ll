; Which functions are timed. Every instrumented function counts its calls
; (the record's i64 field 4); only timed ones (flag TIMED = 2) read the
; guard byte and call the hooks: operations, main, functions with a loop
; or a real call, and functions of more than 48 instructions (timing.ll
; has the finer rules). A tiny leaf is counted only, and TPROF_TIMING=all
; times it too.
; RUN: %opt -passes=tprof,verify -S %s | %FileCheck %s
; RUN: env TPROF_TIMING=auto %opt -passes=tprof,verify -S %s | %FileCheck %s
; RUN: env TPROF_TIMING=all %opt -passes=tprof,verify -S %s | %FileCheck %s --check-prefix=ALL
; An unknown value warns once and means the default.
; RUN: env TPROF_TIMING=everything %opt -passes=tprof,verify -S %s -o %t.ll 2>&1 | %FileCheck %s --check-prefix=WARN
; RUN: %FileCheck %s < %t.ll
; WARN: tprof: TPROF_TIMING='everything' is not 'all' or 'auto'; using 'auto'
; WARN-NOT: tprof:

; Flags: 0 counted only, 2 timed, 3 timed operation.
; CHECK-DAG: @__tprof_func.leaf = private global {{.*}} { i32 2, i32 0, i32 0, i32 0, i64 0,
; CHECK-DAG: @__tprof_func.leaf_intrinsics = private global {{.*}} { i32 2, i32 0, i32 0, i32 0, i64 0,
; CHECK-DAG: @__tprof_func.just48 = private global {{.*}} { i32 2, i32 0, i32 0, i32 0, i64 0,
; CHECK-DAG: @__tprof_func.just49 = private global {{.*}} { i32 2, i32 2, i32 0, i32 0, i64 0,
; CHECK-DAG: @__tprof_func.caller = private global {{.*}} { i32 2, i32 2, i32 0, i32 0, i64 0,
; CHECK-DAG: @__tprof_func.looper = private global {{.*}} { i32 2, i32 2, i32 0, i32 0, i64 0,
; CHECK-DAG: @__tprof_func.main = private global {{.*}} { i32 2, i32 2, i32 0, i32 0, i64 0,
; CHECK-DAG: @__tprof_func.op_tiny = private global {{.*}} { i32 2, i32 3, i32 0, i32 0, i64 0,
; ALL-DAG: @__tprof_func.leaf = private global {{.*}} { i32 2, i32 2, i32 0, i32 0, i64 0,
; ALL-DAG: @__tprof_func.leaf_intrinsics = private global {{.*}} { i32 2, i32 2, i32 0, i32 0, i64 0,
; ALL-DAG: @__tprof_func.just48 = private global {{.*}} { i32 2, i32 2, i32 0, i32 0, i64 0,
; ALL-DAG: @__tprof_func.op_tiny = private global {{.*}} { i32 2, i32 3, i32 0, i32 0, i64 0,
; The counters are addressed through a private alias of the record's calls
; field (byte 16), which InstCombine does not fold again at every run as it
; does a constant expression.
; CHECK-DAG: @__tprof_func.leaf.calls = private alias i64, {{.*}}@__tprof_func.leaf, {{(i32 0, i32 4|i64 16)}})
; CHECK-DAG: @__tprof_func.looper.calls = private alias i64, {{.*}}@__tprof_func.looper, {{(i32 0, i32 4|i64 16)}})

; The tiny leaf: the counter (one relaxed atomic add until the end of the
; pipeline lowers it, see lower_counters.ll), then its own code; no guard,
; no hook.
; CHECK-LABEL: define i32 @leaf(
; CHECK-NEXT: entry:
; CHECK-NEXT: atomicrmw add {{.*}}@__tprof_func.leaf.calls, i64 1 monotonic
; CHECK-NEXT: %r = add i32 %x, 1
; CHECK-NEXT: ret i32 %r
; CHECK-NEXT: }
; ALL-LABEL: define i32 @leaf(
; ALL: atomicrmw add {{.*}}@__tprof_func.leaf.calls,
; ALL: load atomic i8, {{.*}}@__tprof_hooks_on monotonic
; ALL: call void @__tprof_func_enter({{.*}}@__tprof_func.leaf{{[ ,)]}}
; ALL: call void @__tprof_func_exit({{.*}}@__tprof_func.leaf{{[ ,)]}}
; ALL-NEXT: br label
; ALL: ret i32 %r
define i32 @leaf(i32 %x) {
entry:
  %r = add i32 %x, 1
  ret i32 %r
}

; Intrinsics and inline assembly are not calls: still a tiny leaf.
; CHECK-LABEL: define i32 @leaf_intrinsics(
; CHECK: atomicrmw add {{.*}}@__tprof_func.leaf_intrinsics.calls,
; CHECK-NOT: __tprof_
; CHECK: ret i32
; CHECK-NEXT: }
define i32 @leaf_intrinsics(i32 %x) {
entry:
  %m = call i32 @llvm.smax.i32(i32 %x, i32 0)
  %a = call i32 asm "mov $1, $0", "=r,r"(i32 %m)
  ret i32 %a
}
declare i32 @llvm.smax.i32(i32, i32)

; 48 instructions (47 adds and the ret): tiny.
; CHECK-LABEL: define i32 @just48(
; CHECK: atomicrmw add {{.*}}@__tprof_func.just48.calls,
; CHECK-NOT: __tprof_
; CHECK: ret i32 %a47
; CHECK-NEXT: }
define i32 @just48(i32 %a0) {
entry:
  %a1 = add i32 %a0, 1
  %a2 = add i32 %a1, 1
  %a3 = add i32 %a2, 1
  %a4 = add i32 %a3, 1
  %a5 = add i32 %a4, 1
  %a6 = add i32 %a5, 1
  %a7 = add i32 %a6, 1
  %a8 = add i32 %a7, 1
  %a9 = add i32 %a8, 1
  %a10 = add i32 %a9, 1
  %a11 = add i32 %a10, 1
  %a12 = add i32 %a11, 1
  %a13 = add i32 %a12, 1
  %a14 = add i32 %a13, 1
  %a15 = add i32 %a14, 1
  %a16 = add i32 %a15, 1
  %a17 = add i32 %a16, 1
  %a18 = add i32 %a17, 1
  %a19 = add i32 %a18, 1
  %a20 = add i32 %a19, 1
  %a21 = add i32 %a20, 1
  %a22 = add i32 %a21, 1
  %a23 = add i32 %a22, 1
  %a24 = add i32 %a23, 1
  %a25 = add i32 %a24, 1
  %a26 = add i32 %a25, 1
  %a27 = add i32 %a26, 1
  %a28 = add i32 %a27, 1
  %a29 = add i32 %a28, 1
  %a30 = add i32 %a29, 1
  %a31 = add i32 %a30, 1
  %a32 = add i32 %a31, 1
  %a33 = add i32 %a32, 1
  %a34 = add i32 %a33, 1
  %a35 = add i32 %a34, 1
  %a36 = add i32 %a35, 1
  %a37 = add i32 %a36, 1
  %a38 = add i32 %a37, 1
  %a39 = add i32 %a38, 1
  %a40 = add i32 %a39, 1
  %a41 = add i32 %a40, 1
  %a42 = add i32 %a41, 1
  %a43 = add i32 %a42, 1
  %a44 = add i32 %a43, 1
  %a45 = add i32 %a44, 1
  %a46 = add i32 %a45, 1
  %a47 = add i32 %a46, 1
  ret i32 %a47
}

; 49 instructions: timed.
; It calls its hooks unconditionally: the entry hook reads the guard and
; returns it, every exit gets it back (so does any
; timed function with a loop or a call the pass cannot see into; a smaller
; one tests the guard itself: main, op_tiny below).
; CHECK-LABEL: define i32 @just49(
; CHECK: atomicrmw add {{.*}}@__tprof_func.just49.calls,
; CHECK-NOT: __tprof_hooks_on
; CHECK: [[ON_JUST49:%[a-z0-9.]+]] = call i32 @__tprof_func_enter_checked({{.*}}@__tprof_func.just49{{[ ,)]}}
; CHECK: call void @__tprof_func_exit_checked({{.*}}@__tprof_func.just49{{.*}}, i32 [[ON_JUST49]])
; CHECK: ret i32 %b48
define i32 @just49(i32 %b0) {
entry:
  %b1 = add i32 %b0, 1
  %b2 = add i32 %b1, 1
  %b3 = add i32 %b2, 1
  %b4 = add i32 %b3, 1
  %b5 = add i32 %b4, 1
  %b6 = add i32 %b5, 1
  %b7 = add i32 %b6, 1
  %b8 = add i32 %b7, 1
  %b9 = add i32 %b8, 1
  %b10 = add i32 %b9, 1
  %b11 = add i32 %b10, 1
  %b12 = add i32 %b11, 1
  %b13 = add i32 %b12, 1
  %b14 = add i32 %b13, 1
  %b15 = add i32 %b14, 1
  %b16 = add i32 %b15, 1
  %b17 = add i32 %b16, 1
  %b18 = add i32 %b17, 1
  %b19 = add i32 %b18, 1
  %b20 = add i32 %b19, 1
  %b21 = add i32 %b20, 1
  %b22 = add i32 %b21, 1
  %b23 = add i32 %b22, 1
  %b24 = add i32 %b23, 1
  %b25 = add i32 %b24, 1
  %b26 = add i32 %b25, 1
  %b27 = add i32 %b26, 1
  %b28 = add i32 %b27, 1
  %b29 = add i32 %b28, 1
  %b30 = add i32 %b29, 1
  %b31 = add i32 %b30, 1
  %b32 = add i32 %b31, 1
  %b33 = add i32 %b32, 1
  %b34 = add i32 %b33, 1
  %b35 = add i32 %b34, 1
  %b36 = add i32 %b35, 1
  %b37 = add i32 %b36, 1
  %b38 = add i32 %b37, 1
  %b39 = add i32 %b38, 1
  %b40 = add i32 %b39, 1
  %b41 = add i32 %b40, 1
  %b42 = add i32 %b41, 1
  %b43 = add i32 %b42, 1
  %b44 = add i32 %b43, 1
  %b45 = add i32 %b44, 1
  %b46 = add i32 %b45, 1
  %b47 = add i32 %b46, 1
  %b48 = add i32 %b47, 1
  ret i32 %b48
}

; A call makes a function timed.
; CHECK-LABEL: define i32 @caller(
; CHECK: atomicrmw add {{.*}}@__tprof_func.caller.calls,
; CHECK: [[ON_CALLER:%[a-z0-9.]+]] = call i32 @__tprof_func_enter_checked({{.*}}@__tprof_func.caller{{[ ,)]}}
; CHECK: call i32 @external(i32 %x)
; CHECK: call void @__tprof_func_exit_checked({{.*}}@__tprof_func.caller{{.*}}, i32 [[ON_CALLER]])
define i32 @caller(i32 %x) {
entry:
  %r = call i32 @external(i32 %x)
  ret i32 %r
}
declare i32 @external(i32)

; So does a loop, even without a call.
; CHECK-LABEL: define i32 @looper(
; CHECK: atomicrmw add {{.*}}@__tprof_func.looper.calls,
; CHECK: [[ON_LOOPER:%[a-z0-9.]+]] = call i32 @__tprof_func_enter_checked({{.*}}@__tprof_func.looper{{[ ,)]}}
; CHECK: call void @__tprof_func_exit_checked({{.*}}@__tprof_func.looper{{.*}}, i32 [[ON_LOOPER]])
define i32 @looper(i32 %n) {
entry:
  br label %body
body:
  %i = phi i32 [ 0, %entry ], [ %next, %body ]
  %next = add i32 %i, 1
  %done = icmp eq i32 %next, %n
  br i1 %done, label %out, label %body
out:
  ret i32 %next
}

; main is always timed.
; CHECK-LABEL: define i32 @main(
; CHECK: atomicrmw add {{.*}}@__tprof_func.main.calls,
; CHECK: call void @__tprof_func_enter({{.*}}@__tprof_func.main{{[ ,)]}}
; CHECK: call void @__tprof_func_exit({{.*}}@__tprof_func.main{{[ ,)]}}
define i32 @main() {
entry:
  ret i32 0
}

; An operation is always timed, and its guard is any bit of the byte (an
; operation is timed at the light level too), not only TPROF_HOOKS_ALL.
; CHECK-LABEL: define i32 @op_tiny(
; CHECK: atomicrmw add {{.*}}@__tprof_func.op_tiny.calls,
; CHECK: [[ON:%[0-9]+]] = load atomic i8, {{.*}}@__tprof_hooks_on monotonic
; CHECK-NEXT: [[ANY:%[0-9]+]] = icmp ne i8 [[ON]], 0
; CHECK-NEXT: br i1 [[ANY]], label %[[ENTER:[0-9]+]],
; CHECK: {{^}}[[ENTER]]:
; CHECK-NEXT: call void @__tprof_func_enter({{.*}}@__tprof_func.op_tiny{{[ ,)]}}
; CHECK: br i1 [[ANY]], label %[[EXIT:[0-9]+]],
; CHECK: {{^}}[[EXIT]]:
; CHECK-NEXT: call void @__tprof_func_exit({{.*}}@__tprof_func.op_tiny{{[ ,)]}}
; ALL-LABEL: define i32 @op_tiny(
; ALL: [[ON:%[0-9]+]] = load atomic i8, {{.*}}@__tprof_hooks_on monotonic
; ALL-NEXT: icmp ne i8 [[ON]], 0
define i32 @op_tiny(i32 %x) {
entry:
  ret i32 %x
}
