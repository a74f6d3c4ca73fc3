; Declarations, naked functions, available_externally functions and the
; runtime's own __tprof* functions get no hooks and no record.
; RUN: %opt -passes=tprof,verify -S %s | %FileCheck %s

; CHECK-NOT: @__tprof_func.naked_fn
; CHECK-NOT: @__tprof_func.ae_fn
; CHECK-NOT: @__tprof_func.__tprof_own

; CHECK-LABEL: define available_externally i32 @ae_fn(
; CHECK-NOT: __tprof_func_enter
; CHECK: ret i32
define available_externally i32 @ae_fn(i32 %x) {
  ret i32 %x
}

; CHECK-LABEL: define void @naked_fn(
; CHECK-NOT: __tprof_func_enter
; CHECK: unreachable
define void @naked_fn() naked noinline {
  unreachable
}

; CHECK-LABEL: define void @__tprof_own(
; CHECK-NOT: __tprof_func_enter
; CHECK: ret void
define void @__tprof_own() {
  ret void
}

; CHECK-LABEL: define i32 @user(
; CHECK: call void @__tprof_func_enter
define i32 @user(i32 %x) {
  %r = call i32 @ae_fn(i32 %x)
  ret i32 %r
}
declare i32 @declared(i32)
