; The exit hook goes before a musttail call, never between it and its ret.
; caller calls a function of another module, so it is timed (a function
; that only calls tiny functions of its module is not) and calls its hooks
; unconditionally (the exit with the value the entry returned): the exit
; hook's call comes right before the musttail
; call. The call of callee (a tiny leaf, untimed) is counted before it too.
; countdown, a small function that calls itself, tests the guard itself:
; the guarded exit hook's block branches to a block that starts with the
; musttail call.
; RUN: %opt -passes=tprof,verify -S %s | %FileCheck %s

define i32 @callee(i32 %x) {
  ret i32 %x
}

; CHECK-LABEL: define i32 @caller(
; CHECK-NOT: __tprof_hooks_on
; CHECK: [[ARG:%[a-z0-9.]+]] = call i32 @__tprof_func_enter_checked({{.*}}@__tprof_func.caller{{.*}})
; CHECK: call void @external()
; CHECK-NEXT: atomicrmw add {{.*}}@__tprof_callsite.calls, i64 1 monotonic
; CHECK-NEXT: call void @__tprof_func_exit_checked({{.*}}@__tprof_func.caller{{.*}}, i32 [[ARG]])
; CHECK-NEXT: %r = musttail call i32 @callee(i32 %x)
; CHECK-NEXT: ret i32 %r
; CHECK-NEXT: }
declare void @external()

define i32 @caller(i32 %x) {
  call void @external()
  %r = musttail call i32 @callee(i32 %x)
  ret i32 %r
}

; CHECK-LABEL: define i32 @countdown(
; CHECK: [[ON:%[0-9]+]] = load atomic i8, {{.*}}@__tprof_hooks_on monotonic
; CHECK-NEXT: [[ALL:%[0-9]+]] = and i8 [[ON]], 1
; CHECK-NEXT: [[HOOKS:%[0-9]+]] = icmp ne i8 [[ALL]], 0
; CHECK-NEXT: br i1 [[HOOKS]], label %[[ENTER:[0-9]+]],
; CHECK: {{^}}[[ENTER]]:
; CHECK-NEXT: call void @__tprof_func_enter({{.*}}@__tprof_func.countdown{{[ ,)]}}
; CHECK: br i1 [[HOOKS]], label %[[EXIT:[0-9]+]], label %[[TAIL:[0-9]+]]
; CHECK: {{^}}[[EXIT]]:
; CHECK-NEXT: call void @__tprof_func_exit({{.*}}@__tprof_func.countdown{{[ ,)]}}
; CHECK-NEXT: br label %[[TAIL]]
; CHECK: {{^}}[[TAIL]]:
; CHECK-NEXT: %r = musttail call i32 @countdown(i32 %y)
; CHECK-NEXT: ret i32 %r
define i32 @countdown(i32 %x) {
  %done = icmp eq i32 %x, 0
  br i1 %done, label %out, label %again
again:
  %y = sub i32 %x, 1
  %r = musttail call i32 @countdown(i32 %y)
  ret i32 %r
out:
  ret i32 0
}
