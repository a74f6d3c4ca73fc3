; The exit hook goes before a musttail call, never between it and its ret.
; RUN: %opt -passes=tprof,verify -S %s | %FileCheck %s

define i32 @callee(i32 %x) {
  ret i32 %x
}

; CHECK-LABEL: define i32 @caller(
; CHECK: call void @__tprof_func_exit({{.*}}@__tprof_func.caller
; CHECK-NEXT: %r = musttail call i32 @callee(i32 %x)
; CHECK-NEXT: ret i32 %r
define i32 @caller(i32 %x) {
  %r = musttail call i32 @callee(i32 %x)
  ret i32 %r
}
