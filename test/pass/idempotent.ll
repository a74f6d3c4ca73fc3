; Running the pass twice adds nothing: the second run leaves the module as
; the first left it, in one opt and through a text file (compared with a
; plain round trip, which reorders use lists by itself).
; RUN: %opt -passes=tprof -S %s -o %t.once.ll
; RUN: %opt -passes=tprof,tprof -S %s -o %t.twice.ll
; RUN: diff %t.once.ll %t.twice.ll
; RUN: %opt -passes=tprof -S %t.once.ll -o %t.again.ll
; RUN: %opt_bin -passes=verify -S %t.once.ll -o %t.roundtrip.ll
; RUN: diff %t.roundtrip.ll %t.again.ll
; RUN: %FileCheck %s < %t.again.ll

; One record per function, one call-site record, one module record and
; one constructor/destructor pair.
; CHECK-COUNT-2: section "tprof_funcs"
; CHECK-NOT: section "tprof_funcs"
; CHECK: section "tprof_callsites"
; CHECK-NOT: section "tprof_callsites"
; CHECK: section "tprof_modules"
; CHECK-NOT: section "tprof_modules"
; CHECK: @llvm.global_ctors = appending global [1 x
; CHECK: @llvm.global_dtors = appending global [1 x

; CHECK-LABEL: define i32 @f(
; CHECK-COUNT-1: atomicrmw add {{.*}}@__tprof_func.f.calls,
; CHECK-NOT: atomicrmw
; CHECK: ret i32
; CHECK-LABEL: define i32 @g(
; g's counter, its entry hook (g calls a function of another module: timed,
; with the unconditional _checked hooks), the counter of its call of f, its exit
; hook
; CHECK-COUNT-1: atomicrmw add {{.*}}@__tprof_func.g.calls,
; CHECK-NOT: atomicrmw
; CHECK-COUNT-1: call i32 @__tprof_func_enter_checked(
; CHECK-NOT: call void @__tprof_func_enter
; CHECK-COUNT-1: atomicrmw add {{.*}}@__tprof_callsite.calls,
; CHECK-NOT: atomicrmw
; CHECK: call i32 @f(
; CHECK-COUNT-1: call void @__tprof_func_exit_checked(
; CHECK-NOT: call void @__tprof_func_
; CHECK: attributes {{.*}}"tprof-instrumented"
define i32 @f(i32 %x) {
  %y = add i32 %x, 1
  ret i32 %y
}

declare void @external()

define i32 @g(i32 %x) {
  call void @external()
  %y = call i32 @f(i32 %x)
  ret i32 %y
}
