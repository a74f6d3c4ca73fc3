; Every defined function gets the entry hook as its first instruction and the
; exit hook right before each of its returns. (No pointer types here, so the
; same file parses with opt 14 and opt 22.)
; RUN: %opt -passes=tprof,verify -S %s | %FileCheck %s

; The record: ABI version 1, no flags, line 0 without debug info, id 0.
; CHECK-DAG: @__tprof_func.classify = private global { i32, i32, i32, i32, {{.*}} } { i32 1, i32 0, i32 0, i32 0, {{.*}}, section "tprof_funcs"
; CHECK-DAG: @llvm.compiler.used = appending global {{.*}}@__tprof_func.classify

; CHECK-LABEL: define i32 @classify(
; CHECK-NEXT: entry:
; CHECK-NEXT: call void @__tprof_func_enter({{.*}}@__tprof_func.classify
; CHECK: a:
; CHECK-NEXT: call void @__tprof_func_exit({{.*}}@__tprof_func.classify
; CHECK-NEXT: ret i32 -1
; CHECK: c:
; CHECK-NEXT: call void @__tprof_func_exit({{.*}}@__tprof_func.classify
; CHECK-NEXT: ret i32 0
; CHECK: d:
; CHECK-NEXT: call void @__tprof_func_exit({{.*}}@__tprof_func.classify
; CHECK-NEXT: ret i32 1
define i32 @classify(i32 %x) {
entry:
  %neg = icmp slt i32 %x, 0
  br i1 %neg, label %a, label %b
a:
  ret i32 -1
b:
  %z = icmp eq i32 %x, 0
  br i1 %z, label %c, label %d
c:
  ret i32 0
d:
  ret i32 1
}

; A function that never returns gets the entry hook only.
; CHECK-LABEL: define void @spin(
; CHECK-NEXT: entry:
; CHECK-NEXT: call void @__tprof_func_enter({{.*}}@__tprof_func.spin
; CHECK-NOT: __tprof_func_exit
; CHECK: }
define void @spin() {
entry:
  br label %loop
loop:
  br label %loop
}
