; Running the pass twice adds nothing: the second run leaves the module as
; the first left it.
; RUN: %opt -passes=tprof -S %s -o %t.once.ll
; RUN: %opt -passes=tprof,tprof -S %s -o %t.twice.ll
; RUN: diff %t.once.ll %t.twice.ll
; RUN: %opt -passes=tprof -S %t.once.ll | %FileCheck %s

; CHECK-COUNT-1: call void @__tprof_func_enter
; CHECK-NOT: call void @__tprof_func_enter
; CHECK: attributes {{.*}}"tprof-instrumented"
define i32 @f(i32 %x) {
  %y = add i32 %x, 1
  ret i32 %y
}
