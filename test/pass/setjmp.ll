; A call that is returns_twice only at the call site (its callee is not
; declared so) is bracketed by __tprof_depth/__tprof_unwind too; another
; call of the same function is not.
; RUN: %opt -passes=tprof,verify -S %s | %FileCheck %s

; CHECK-LABEL: define i32 @marked_at_call(
; CHECK: %tprof.depth = call i32 @__tprof_depth()
; CHECK-NEXT: %r = call i32 @plain() #[[RT:[0-9]+]]
; CHECK-NEXT: call void @__tprof_unwind(i32 %tprof.depth)
; CHECK-NOT: __tprof_depth
; CHECK: %s = call i32 @plain()
; CHECK-NOT: __tprof_unwind
; CHECK: ret i32
; CHECK: attributes #[[RT]] = { returns_twice }
define i32 @marked_at_call() {
  %r = call i32 @plain() returns_twice
  %s = call i32 @plain()
  %t = add i32 %r, %s
  ret i32 %t
}
declare i32 @plain()
