; A timed function gets the entry hook after its call counter, and the exit
; hook before each of its returns, both behind the one read of the guard
; byte made at entry; a function that never returns gets no exit hook.
; (No pointer types here, so the same file parses with opt 14 and opt 22.)
; TPROF_TIMING=all times classify, a tiny leaf that would otherwise be
; counted only (see counters.ll).
; RUN: env TPROF_TIMING=all %opt -passes=tprof,verify -S %s | %FileCheck %s

; The record: ABI version 2, flags TIMED (2), line 0 without debug info,
; id 0, calls 0.
; CHECK-DAG: @__tprof_func.classify = private global { i32, i32, i32, i32, i64, {{.*}} } { i32 2, i32 2, i32 0, i32 0, i64 0, {{.*}}, section "tprof_funcs", align 8
; CHECK-DAG: @llvm.compiler.used = appending global {{.*}}@__tprof_func.classify

; The counter is one relaxed atomic add (lowered at the end of the
; pipeline, see lower_counters.ll) in tprof's alias scope, with tprof's TBAA
; tag and !nosanitize; the guard byte is read right after it, in the same
; scope.
; CHECK-LABEL: define i32 @classify(
; CHECK-NEXT: entry:
; CHECK-NEXT: atomicrmw add {{.*}}@__tprof_func.classify.calls, i64 1 monotonic, align 8, !tbaa [[TBAA:![0-9]+]], !alias.scope [[SCOPE:![0-9]+]], !nosanitize
; CHECK-NEXT: [[ON:%[0-9]+]] = load atomic i8, {{.*}}@__tprof_hooks_on monotonic, align 1, !alias.scope [[SCOPE]], !nosanitize
; CHECK-NEXT: [[ALL:%[0-9]+]] = and i8 [[ON]], 1
; CHECK-NEXT: [[HOOKS:%[0-9]+]] = icmp ne i8 [[ALL]], 0
; CHECK-NEXT: br i1 [[HOOKS]], label %[[ENTER:[0-9]+]], label %[[BODY:[0-9]+]]
; CHECK: {{^}}[[ENTER]]:
; CHECK-NEXT: call void @__tprof_func_enter({{.*}}@__tprof_func.classify{{[ ,)]}}
; CHECK-NEXT: br label %[[BODY]]
; CHECK: {{^}}[[BODY]]:
; CHECK-NEXT: %neg = icmp slt i32 %x, 0
; CHECK: {{^}}a:
; CHECK-NEXT: br i1 [[HOOKS]], label %[[EXIT_A:[0-9]+]], label %[[RET_A:[0-9]+]]
; CHECK: {{^}}[[EXIT_A]]:
; CHECK-NEXT: call void @__tprof_func_exit({{.*}}@__tprof_func.classify{{[ ,)]}}
; CHECK-NEXT: br label %[[RET_A]]
; CHECK: {{^}}[[RET_A]]:
; CHECK-NEXT: ret i32 -1
; CHECK: {{^}}c:
; CHECK-NEXT: br i1 [[HOOKS]], label %[[EXIT_C:[0-9]+]], label %[[RET_C:[0-9]+]]
; CHECK: {{^}}[[EXIT_C]]:
; CHECK-NEXT: call void @__tprof_func_exit({{.*}}@__tprof_func.classify{{[ ,)]}}
; CHECK-NEXT: br label %[[RET_C]]
; CHECK: {{^}}[[RET_C]]:
; CHECK-NEXT: ret i32 0
; CHECK: {{^}}d:
; CHECK-NEXT: br i1 [[HOOKS]], label %[[EXIT_D:[0-9]+]], label %[[RET_D:[0-9]+]]
; CHECK: {{^}}[[EXIT_D]]:
; CHECK-NEXT: call void @__tprof_func_exit({{.*}}@__tprof_func.classify{{[ ,)]}}
; CHECK-NEXT: br label %[[RET_D]]
; CHECK: {{^}}[[RET_D]]:
; CHECK-NEXT: ret i32 1
; CHECK-NEXT: }
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

; A function that never returns gets the entry hook only (spin has a loop:
; it calls the unconditional _checked hook).
; CHECK-LABEL: define void @spin(
; CHECK: call i32 @__tprof_func_enter_checked({{.*}}@__tprof_func.spin{{[ ,)].*}}
; CHECK-NOT: __tprof_func_exit
; CHECK: {{^}}loop:
; CHECK-NEXT: br label %loop
; CHECK-NEXT: }
; The metadata: a TBAA type of its own under clang's root, and an alias
; scope of tprof's own domain, shared by every function.
; CHECK: [[TBAA]] = !{[[TYPE:![0-9]+]], [[TYPE]], i64 0}
; CHECK: [[TYPE]] = !{!"tprof counter", [[CHAR:![0-9]+]], i64 0}
; CHECK: [[CHAR]] = !{!"omnipotent char", [[ROOT:![0-9]+]], i64 0}
; CHECK: [[ROOT]] = !{!"Simple C/C++ TBAA"}
; CHECK: [[SCOPE]] = !{[[S:![0-9]+]]}
; CHECK: [[S]] = !{!"tprof counters and flags", [[DOMAIN:![0-9]+]]}
; CHECK: [[DOMAIN]] = !{!"tprof"}
define void @spin() {
entry:
  br label %loop
loop:
  br label %loop
}
