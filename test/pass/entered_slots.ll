; The late step of EnteredSlots.cpp, run as clang runs it at the end of the
; pipeline (right after the counter lowering, every -O level): the value that
; __tprof_func_enter_checked returned goes through a stack slot, stored
; right after the entry and loaded right before each use, so that it holds
; no register across the body. A phi's load goes at the end of the block
; its value comes from (two inlined callees whose exits were merged).
; hook_calls.c and clang_pipeline.c show the same through clang.
; RUN: %opt_ptr -passes='function(tprof-entered-slots),verify' -S %s | %FileCheck %s
; A second run changes nothing:
; RUN: %opt_ptr -passes='function(tprof-entered-slots),function(tprof-entered-slots),verify' -S %s | %FileCheck %s

@rec = global i8 0
@rec2 = global i8 0
declare i32 @__tprof_func_enter_checked(ptr)
declare void @__tprof_func_exit_checked(ptr, i32)
declare void @work()

; CHECK-LABEL: define void @two_exits(
; CHECK-NEXT: entry:
; CHECK-NEXT: [[SLOT:%[a-z0-9.]+]] = alloca i32
; CHECK-NEXT: [[E:%[a-z0-9.]+]] = call i32 @__tprof_func_enter_checked(ptr @rec)
; CHECK-NEXT: store i32 [[E]], ptr [[SLOT]]
; CHECK-NEXT: call void @work()
; CHECK: a:
; CHECK-NEXT: [[A:%[a-z0-9.]+]] = load i32, ptr [[SLOT]]
; CHECK-NEXT: call void @__tprof_func_exit_checked(ptr @rec, i32 [[A]])
; CHECK: b:
; CHECK-NEXT: [[B:%[a-z0-9.]+]] = load i32, ptr [[SLOT]]
; CHECK-NEXT: call void @__tprof_func_exit_checked(ptr @rec, i32 [[B]])
define void @two_exits(i1 %c) {
entry:
  %e = call i32 @__tprof_func_enter_checked(ptr @rec)
  call void @work()
  br i1 %c, label %a, label %b
a:
  call void @__tprof_func_exit_checked(ptr @rec, i32 %e)
  ret void
b:
  call void @__tprof_func_exit_checked(ptr @rec, i32 %e)
  ret void
}

; CHECK-LABEL: define void @merged(
; CHECK-NEXT: entry:
; CHECK-NEXT: [[S1:%[a-z0-9.]+]] = alloca i32
; CHECK-NEXT: [[S2:%[a-z0-9.]+]] = alloca i32
; CHECK-NEXT: [[E1:%[a-z0-9.]+]] = call i32 @__tprof_func_enter_checked(ptr @rec)
; CHECK-NEXT: store i32 [[E1]], ptr [[S1]]
; CHECK-NEXT: [[E2:%[a-z0-9.]+]] = call i32 @__tprof_func_enter_checked(ptr @rec2)
; CHECK-NEXT: store i32 [[E2]], ptr [[S2]]
; CHECK: a:
; CHECK-NEXT: [[A1:%[a-z0-9.]+]] = load i32, ptr [[S1]]
; CHECK-NEXT: br label %m
; CHECK: b:
; CHECK-NEXT: [[B2:%[a-z0-9.]+]] = load i32, ptr [[S2]]
; CHECK-NEXT: br label %m
; CHECK: m:
; CHECK-NEXT: [[P:%[a-z0-9.]+]] = phi i32 [ [[A1]], %a ], [ [[B2]], %b ]
; CHECK: call void @__tprof_func_exit_checked(ptr %r, i32 [[P]])
define void @merged(i1 %c) {
entry:
  %e1 = call i32 @__tprof_func_enter_checked(ptr @rec)
  %e2 = call i32 @__tprof_func_enter_checked(ptr @rec2)
  br i1 %c, label %a, label %b
a:
  br label %m
b:
  br label %m
m:
  %p = phi i32 [ %e1, %a ], [ %e2, %b ]
  %r = phi ptr [ @rec, %a ], [ @rec2, %b ]
  call void @__tprof_func_exit_checked(ptr %r, i32 %p)
  ret void
}
