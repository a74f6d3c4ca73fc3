; tprof's memory (counters, the guard byte, glibc's flag) is in an alias
; scope of its own: tprof's accesses carry !alias.scope, and every load,
; store, atomic and memory intrinsic of the program in an instrumented
; function gets !noalias listing that scope (added to a !noalias list it
; already has), so the optimiser may keep a counter or the flag in a
; register across the program's stores (TBAA cannot say it: a char store
; may alias anything). Calls stay unmarked: the callee may bump a counter
; (recursion) or change the flags (pthread_create, the runtime).
; Written with opaque pointers: see lit.local.cfg.
; RUN: %opt_ptr -passes=tprof,verify -S %s | %FileCheck %s

declare void @ext()
declare void @llvm.memcpy.p0.p0.i64(ptr, ptr, i64, i1)

; CHECK-LABEL: define void @accesses(
; CHECK-NEXT: entry:
; CHECK-NEXT: atomicrmw add {{.*}}@__tprof_func.accesses.calls, {{.*}} monotonic, align 8, !tbaa !{{[0-9]+}}, !alias.scope [[MINE:![0-9]+]], !nosanitize
; CHECK-NEXT: [[ON:%[0-9a-z.]+]] = call i32 @__tprof_func_enter_checked(ptr @__tprof_func.accesses){{$}}
; CHECK: %v = load i32, ptr %p, align 4, !noalias [[MINE]]{{$}}
; CHECK-NEXT: store i32 %v, ptr %q, align 4, !noalias [[BOTH:![0-9]+]]{{$}}
; CHECK-NEXT: %old = atomicrmw add ptr %p, i32 1 seq_cst, align 4, !noalias [[MINE]]{{$}}
; CHECK-NEXT: %pair = cmpxchg ptr %p, i32 0, i32 1 seq_cst seq_cst, align 4, !noalias [[MINE]]{{$}}
; CHECK-NEXT: call void @llvm.memcpy.p0.p0.i64(ptr %p, ptr %q, i64 8, i1 false), !noalias [[MINE]]{{$}}
; CHECK-NEXT: call void @ext(){{$}}
; CHECK: call void @__tprof_func_exit_checked(ptr @__tprof_func.accesses, i32 [[ON]]){{$}}
define void @accesses(ptr %p, ptr %q) {
entry:
  %v = load i32, ptr %p
  store i32 %v, ptr %q, !noalias !0
  %old = atomicrmw add ptr %p, i32 1 seq_cst
  %pair = cmpxchg ptr %p, i32 0, i32 1 seq_cst seq_cst
  call void @llvm.memcpy.p0.p0.i64(ptr %p, ptr %q, i64 8, i1 false)
  call void @ext()
  ret void
}

; The guard byte, read by a function that tests it itself (main: timed,
; small, calls nothing).
; CHECK-LABEL: define i32 @main(
; CHECK: load atomic i8, ptr @__tprof_hooks_on monotonic, align 1, !alias.scope [[MINE]], !nosanitize
define i32 @main() {
entry:
  ret i32 0
}

; Functions the pass skips keep their accesses as they are.
; CHECK-LABEL: define void @__tprof_own(
; CHECK-NEXT: entry:
; CHECK-NEXT: store i32 0, ptr %p, align 4{{$}}
define void @__tprof_own(ptr %p) {
entry:
  store i32 0, ptr %p
  ret void
}

; The scope, uniqued by its name in the "tprof" domain; the program's own
; scope list keeps its scope and gains tprof's.
; CHECK: [[MINE]] = !{[[SCOPE:![0-9]+]]}
; CHECK: [[SCOPE]] = !{!"tprof counters and flags", [[DOMAIN:![0-9]+]]}
; CHECK: [[DOMAIN]] = !{!"tprof"}
; CHECK: [[BOTH]] = !{[[THEIRS:![0-9]+]], [[SCOPE]]}
; CHECK: [[THEIRS]] = distinct !{[[THEIRS]], !{{[0-9]+}}, !"callee: %x"}
!0 = !{!1}
!1 = distinct !{!1, !2, !"callee: %x"}
!2 = distinct !{!2, !"callee"}
