; Declarations, naked functions and the runtime's own __tprof* functions get
; no counter, no hooks and no record. (available_externally bodies are
; instrumented: see inline_bodies.c.)
; RUN: %opt -passes=tprof,verify -S %s | %FileCheck %s

; CHECK-NOT: @__tprof_func.naked_fn
; CHECK-NOT: @__tprof_func.__tprof_own
; CHECK-NOT: @__tprof_func.declared
; The module record lists the one instrumented function.
; CHECK: @__tprof_module = private global { i32, i32, i32, i32, {{.*}} } { i32 2, i32 1, i32 0, i32 0,

; CHECK-LABEL: define void @naked_fn(
; CHECK-NEXT: unreachable
define void @naked_fn() naked noinline {
  unreachable
}

; CHECK-LABEL: define void @__tprof_own(
; CHECK-NEXT: ret void
define void @__tprof_own() {
  ret void
}

; CHECK-LABEL: define i32 @user(
; CHECK: atomicrmw add {{.*}}@__tprof_func.user.calls,
; CHECK: call {{.*}}@__tprof_func_enter
define i32 @user(i32 %x) {
  %r = call i32 @declared(i32 %x)
  call void @naked_fn()
  ret i32 %r
}
declare i32 @declared(i32)
