; Which functions are timed, the finer rules (counters.ll has the basic
; ones). Flags in the record (second field): 0 counted only, 2 timed.
; Written with opaque pointers: see lit.local.cfg.
; RUN: %opt_ptr -passes=tprof,verify -S %s | %FileCheck %s
; With TPROF_TIMING=all every one of them is timed.
; RUN: env TPROF_TIMING=all %opt_ptr -passes=tprof,verify -S %s | %FileCheck %s --check-prefix=ALL

; CHECK-DAG: @__tprof_func.alloc_leaf = private global {{.*}} { i32 2, i32 0,
; CHECK-DAG: @__tprof_func.asserts = private global {{.*}} { i32 2, i32 0,
; CHECK-DAG: @__tprof_func.leaf20 = private global {{.*}} { i32 2, i32 0,
; CHECK-DAG: @__tprof_func.sum48 = private global {{.*}} { i32 2, i32 0,
; CHECK-DAG: @__tprof_func.sum49 = private global {{.*}} { i32 2, i32 2,
; CHECK-DAG: @__tprof_func.mid = private global {{.*}} { i32 2, i32 0,
; CHECK-DAG: @__tprof_func.top = private global {{.*}} { i32 2, i32 0,
; CHECK-DAG: @__tprof_func.looper = private global {{.*}} { i32 2, i32 2,
; CHECK-DAG: @__tprof_func.calls_looper = private global {{.*}} { i32 2, i32 2,
; CHECK-DAG: @__tprof_func.ping = private global {{.*}} { i32 2, i32 2,
; CHECK-DAG: @__tprof_func.pong = private global {{.*}} { i32 2, i32 2,
; CHECK-DAG: @__tprof_func.self = private global {{.*}} { i32 2, i32 2,
; CHECK-DAG: @__tprof_func.locals48 = private global {{.*}} { i32 2, i32 0,
; CHECK-DAG: @__tprof_func.locals49 = private global {{.*}} { i32 2, i32 2,
; CHECK-DAG: @__tprof_func.grab = private global {{.*}} { i32 2, i32 {{0|4}},
; CHECK-DAG: @__tprof_func.regrow = private global {{.*}} { i32 2, i32 2,
; ALL-COUNT-16: @__tprof_func.{{[a-z0-9_]+}} = private global {{.*}} { i32 2, i32 2,
; ALL-NOT: @__tprof_func.{{[a-z0-9_]+}} = private global {{.*}} { i32 2, i32 0,

; An allocation call is not a real call: a constructor that only mallocs
; and fills a header stays an untimed leaf (its malloc still goes through
; the runtime's hook).
; CHECK-LABEL: define ptr @alloc_leaf(
; CHECK-NOT: __tprof_hooks_on
; CHECK: call ptr @__tprof_malloc(i64 16,
; CHECK-NOT: __tprof_hooks_on
; CHECK: ret ptr
declare ptr @malloc(i64)
define ptr @alloc_leaf(i32 %n) {
  %p = call ptr @malloc(i64 16)
  store i32 %n, ptr %p
  ret ptr %p
}

; Nor is a call of a function that does not return (abort, exit,
; __assert_fail): the path that makes it is not the function's work.
; CHECK-LABEL: define i32 @asserts(
; CHECK-NOT: __tprof_hooks_on
; CHECK: call void @abort()
; CHECK: ret i32
declare void @abort() noreturn nounwind
define i32 @asserts(i32 %x) {
  %bad = icmp slt i32 %x, 0
  br i1 %bad, label %die, label %ok
die:
  call void @abort()
  unreachable
ok:
  ret i32 %x
}

; Nor is a call made on the way to one (perror, then exit): its block ends
; in unreachable. grab is a tiny leaf; regrow, recursive, is timed, and
; tests the guard itself (its own body asks for no timing).
; CHECK-LABEL: define ptr @grab(
; CHECK-NOT: __tprof_hooks_on
; CHECK-NOT: __tprof_func_enter
; CHECK: ret ptr
; CHECK-LABEL: define i32 @regrow(
; CHECK: load atomic i8, {{.*}}@__tprof_hooks_on
; CHECK: call void @__tprof_func_enter(
; CHECK-NOT: _checked
; CHECK: ret i32
declare void @perror(ptr)
declare void @exit(i32) noreturn nounwind
define ptr @grab(i64 %n) {
  %p = call ptr @malloc(i64 %n)
  %null = icmp eq ptr %p, null
  br i1 %null, label %fail, label %ok
fail:
  call void @perror(ptr null)
  call void @exit(i32 1)
  unreachable
ok:
  ret ptr %p
}
define i32 @regrow(i32 %d) {
  %p = call ptr @grab(i64 8)
  %more = icmp sgt i32 %d, 0
  br i1 %more, label %again, label %done
again:
  %d1 = sub i32 %d, 1
  %r = call i32 @regrow(i32 %d1)
  ret i32 %r
done:
  br i1 %more, label %fail, label %out
fail:
  call void @perror(ptr %p)
  call void @exit(i32 2)
  unreachable
out:
  ret i32 0
}

; A function that only calls untimed functions of its module is untimed
; while its size plus its callees' (once per call) is at most 48: leaf20
; is 20 instructions, sum48 is 8 of its own (2 calls, 5 adds, the ret)
; plus 2 x 20, sum49 one add more. The calls of the untimed leaf20 get
; call-site counters in both.
; CHECK-LABEL: define i32 @sum48(
; CHECK-NOT: __tprof_hooks_on
; CHECK: atomicrmw add {{.*}}@__tprof_callsite{{[.0-9]*}}.calls, i64 1 monotonic
; CHECK-NEXT: call i32 @leaf20(
; CHECK-NOT: __tprof_hooks_on
; CHECK: ret i32
; CHECK-LABEL: define i32 @sum49(
; CHECK: load atomic i8, {{.*}}@__tprof_hooks_on
; CHECK: call void @__tprof_func_enter(
; CHECK: atomicrmw add {{.*}}@__tprof_callsite{{[.0-9]*}}.calls, i64 1 monotonic
; CHECK-NEXT: call i32 @leaf20(
; CHECK: call void @__tprof_func_exit(
define i32 @leaf20(i32 %x) {
  %l0 = add i32 %x, 1
  %l1 = add i32 %l0, 1
  %l2 = add i32 %l1, 1
  %l3 = add i32 %l2, 1
  %l4 = add i32 %l3, 1
  %l5 = add i32 %l4, 1
  %l6 = add i32 %l5, 1
  %l7 = add i32 %l6, 1
  %l8 = add i32 %l7, 1
  %l9 = add i32 %l8, 1
  %l10 = add i32 %l9, 1
  %l11 = add i32 %l10, 1
  %l12 = add i32 %l11, 1
  %l13 = add i32 %l12, 1
  %l14 = add i32 %l13, 1
  %l15 = add i32 %l14, 1
  %l16 = add i32 %l15, 1
  %l17 = add i32 %l16, 1
  %l18 = add i32 %l17, 1
  ret i32 %l18
}

define i32 @sum48(i32 %x) {
  %a = call i32 @leaf20(i32 %x)
  %b = call i32 @leaf20(i32 %a)
  %s0 = add i32 %b, 1
  %s1 = add i32 %s0, 1
  %s2 = add i32 %s1, 1
  %s3 = add i32 %s2, 1
  %s4 = add i32 %s3, 1
  ret i32 %s4
}

define i32 @sum49(i32 %x) {
  %a = call i32 @leaf20(i32 %x)
  %b = call i32 @leaf20(i32 %a)
  %s0 = add i32 %b, 1
  %s1 = add i32 %s0, 1
  %s2 = add i32 %s1, 1
  %s3 = add i32 %s2, 1
  %s4 = add i32 %s3, 1
  %s5 = add i32 %s4, 1
  ret i32 %s5
}

; The sizes add up through the call graph: mid is 2 + 20, top is 3 + 2 x 22.
define i32 @mid(i32 %x) {
  %a = call i32 @leaf20(i32 %x)
  ret i32 %a
}
define i32 @top(i32 %x) {
  %a = call i32 @mid(i32 %x)
  %b = call i32 @mid(i32 %a)
  ret i32 %b
}

; A call of a timed function of the module makes the caller timed.
; CHECK-LABEL: define i32 @calls_looper(
; CHECK: call void @__tprof_func_enter(
; CHECK-NOT: __tprof_callsite
; CHECK: call i32 @looper(
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
define i32 @calls_looper(i32 %n) {
  %r = call i32 @looper(i32 %n)
  ret i32 %r
}

; A cycle of calls is a loop: timed, however small, and so is recursion.
; CHECK-LABEL: define i32 @ping(
; CHECK: call void @__tprof_func_enter(
; CHECK-LABEL: define i32 @pong(
; CHECK: call void @__tprof_func_enter(
; CHECK-LABEL: define i32 @self(
; CHECK: call void @__tprof_func_enter(
define i32 @ping(i32 %x) {
  %r = call i32 @pong(i32 %x)
  ret i32 %r
}
define i32 @pong(i32 %x) {
  %r = call i32 @ping(i32 %x)
  ret i32 %r
}
define i32 @self(i32 %x) {
  %r = call i32 @self(i32 %x)
  ret i32 %r
}

; Local variables (allocas, their loads and stores), address arithmetic
; and casts are not counted: -O2 makes registers of them (a load or store
; through an address computed from a local still counts). locals48 is 47
; adds and the ret besides; locals49 has one volatile store to a local
; more, which stays (and counts).
define i32 @locals48(i32 %x) {
  %v = alloca i32
  %arr = alloca [4 x i64]
  store i32 %x, ptr %v
  %y = load i32, ptr %v
  %e = getelementptr [4 x i64], ptr %arr, i64 0, i64 1
  %w = sext i32 %y to i64
  store i64 %w, ptr %arr
  %u = load i64, ptr %arr
  %t = trunc i64 %u to i32
  %l0 = add i32 %t, 1
  %l1 = add i32 %l0, 1
  %l2 = add i32 %l1, 1
  %l3 = add i32 %l2, 1
  %l4 = add i32 %l3, 1
  %l5 = add i32 %l4, 1
  %l6 = add i32 %l5, 1
  %l7 = add i32 %l6, 1
  %l8 = add i32 %l7, 1
  %l9 = add i32 %l8, 1
  %l10 = add i32 %l9, 1
  %l11 = add i32 %l10, 1
  %l12 = add i32 %l11, 1
  %l13 = add i32 %l12, 1
  %l14 = add i32 %l13, 1
  %l15 = add i32 %l14, 1
  %l16 = add i32 %l15, 1
  %l17 = add i32 %l16, 1
  %l18 = add i32 %l17, 1
  %l19 = add i32 %l18, 1
  %l20 = add i32 %l19, 1
  %l21 = add i32 %l20, 1
  %l22 = add i32 %l21, 1
  %l23 = add i32 %l22, 1
  %l24 = add i32 %l23, 1
  %l25 = add i32 %l24, 1
  %l26 = add i32 %l25, 1
  %l27 = add i32 %l26, 1
  %l28 = add i32 %l27, 1
  %l29 = add i32 %l28, 1
  %l30 = add i32 %l29, 1
  %l31 = add i32 %l30, 1
  %l32 = add i32 %l31, 1
  %l33 = add i32 %l32, 1
  %l34 = add i32 %l33, 1
  %l35 = add i32 %l34, 1
  %l36 = add i32 %l35, 1
  %l37 = add i32 %l36, 1
  %l38 = add i32 %l37, 1
  %l39 = add i32 %l38, 1
  %l40 = add i32 %l39, 1
  %l41 = add i32 %l40, 1
  %l42 = add i32 %l41, 1
  %l43 = add i32 %l42, 1
  %l44 = add i32 %l43, 1
  %l45 = add i32 %l44, 1
  %l46 = add i32 %l45, 1
  ret i32 %l46
}
define i32 @locals49(i32 %x) {
  %v = alloca i32
  %arr = alloca [4 x i64]
  store i32 %x, ptr %v
  %y = load i32, ptr %v
  %e = getelementptr [4 x i64], ptr %arr, i64 0, i64 1
  %w = sext i32 %y to i64
  store i64 %w, ptr %arr
  %u = load i64, ptr %arr
  %t = trunc i64 %u to i32
  store volatile i32 %t, ptr %v
  %l0 = add i32 %t, 1
  %l1 = add i32 %l0, 1
  %l2 = add i32 %l1, 1
  %l3 = add i32 %l2, 1
  %l4 = add i32 %l3, 1
  %l5 = add i32 %l4, 1
  %l6 = add i32 %l5, 1
  %l7 = add i32 %l6, 1
  %l8 = add i32 %l7, 1
  %l9 = add i32 %l8, 1
  %l10 = add i32 %l9, 1
  %l11 = add i32 %l10, 1
  %l12 = add i32 %l11, 1
  %l13 = add i32 %l12, 1
  %l14 = add i32 %l13, 1
  %l15 = add i32 %l14, 1
  %l16 = add i32 %l15, 1
  %l17 = add i32 %l16, 1
  %l18 = add i32 %l17, 1
  %l19 = add i32 %l18, 1
  %l20 = add i32 %l19, 1
  %l21 = add i32 %l20, 1
  %l22 = add i32 %l21, 1
  %l23 = add i32 %l22, 1
  %l24 = add i32 %l23, 1
  %l25 = add i32 %l24, 1
  %l26 = add i32 %l25, 1
  %l27 = add i32 %l26, 1
  %l28 = add i32 %l27, 1
  %l29 = add i32 %l28, 1
  %l30 = add i32 %l29, 1
  %l31 = add i32 %l30, 1
  %l32 = add i32 %l31, 1
  %l33 = add i32 %l32, 1
  %l34 = add i32 %l33, 1
  %l35 = add i32 %l34, 1
  %l36 = add i32 %l35, 1
  %l37 = add i32 %l36, 1
  %l38 = add i32 %l37, 1
  %l39 = add i32 %l38, 1
  %l40 = add i32 %l39, 1
  %l41 = add i32 %l40, 1
  %l42 = add i32 %l41, 1
  %l43 = add i32 %l42, 1
  %l44 = add i32 %l43, 1
  %l45 = add i32 %l44, 1
  %l46 = add i32 %l45, 1
  ret i32 %l46
}
