; The counter lowering on x86-64 (pass/Guards.cpp, lowerCounterUpdatesAsm):
; each run of adjacent updates becomes one inline-assembly statement that
; reads glibc's __libc_single_threaded and makes plain adds while it is
; set, the atomic adds (in subsection 1, after the function's code)
; otherwise. lower_counters.ll has the branch form of other targets;
; counter_asm.cpp checks the object code.
;  - two adjacent updates: one statement, the counters as memory outputs
;    ($0, $1), the flag as its input ($2), every operand typed;
;  - a loop that calls nothing: its count stays in a register and the
;    statement at the exit adds that register ($2, an "r" input);
;  - updates apart in a block, with only arithmetic, plain loads and stores
;    between them, make one statement at the last of them; a volatile store
;    or a call between two keeps them apart (a signal handler or another
;    thread could tell the order);
;  - lowering the output again changes nothing.
; RUN: %opt_ptr -passes='function(tprof-lower-counters),verify' -S %s | %FileCheck %s
; RUN: %opt_ptr -passes='function(tprof-lower-counters)' -S %s -o %t.once.ll
; RUN: %opt_ptr -passes='function(tprof-lower-counters)' -S %t.once.ll -o %t.twice.ll
; RUN: %opt_ptr -passes=verify -S %t.once.ll -o %t.roundtrip.ll
; RUN: diff %t.roundtrip.ll %t.twice.ll
target triple = "x86_64-unknown-linux-gnu"

@c = global i64 0
@d = global i64 0
@flag = global i32 0
declare void @work()

; CHECK-LABEL: define void @pair(
; CHECK-NEXT: entry:
; CHECK-NEXT: call void asm sideeffect "cmpb $$0, $2\0A\09je 1f\0A\09addq $$1, $0\0A\09addq $$1, $1\0A\092:\0A\09.subsection 1\0A1:\0A\09lock addq $$1, $0\0A\09lock addq $$1, $1\0A\09jmp 2b\0A\09.subsection 0", "=*m,=*m,*m,~{flags}"(ptr elementtype(i64) @c, ptr elementtype(i64) @d, ptr elementtype(i8) @__libc_single_threaded), {{.*}}!tprof.lowered
; CHECK-NEXT: call void @work()
; CHECK-NOT: atomicrmw
; CHECK: ret void
define void @pair() {
entry:
  %0 = atomicrmw add ptr @c, i64 1 monotonic, align 8, !alias.scope !0
  %1 = atomicrmw add ptr @d, i64 1 monotonic, align 8, !alias.scope !0
  call void @work()
  ret void
}

; CHECK-LABEL: define void @loop(
; CHECK: {{^}}loop:
; CHECK-NEXT: %[[P:tprof.pending[0-9.]*]] = phi i64 [ 0, %entry ], [ %[[SUM:[0-9]+]], %loop ]
; CHECK-NOT: @c
; CHECK: %[[SUM]] = add i64 %[[P]], 1
; CHECK-NOT: @c
; CHECK: {{^}}out:
; CHECK-NEXT: call void asm sideeffect "cmpb $$0, $1\0A\09je 1f\0A\09addq $2, $0\0A\092:\0A\09.subsection 1\0A1:\0A\09lock addq $2, $0\0A\09jmp 2b\0A\09.subsection 0", "=*m,*m,r,~{flags}"(ptr elementtype(i64) @c, ptr elementtype(i8) @__libc_single_threaded, i64 %[[SUM]])
; CHECK-NEXT: ret void
define void @loop(i32 %n, ptr %p) {
entry:
  br label %loop
loop:
  %i = phi i32 [ 0, %entry ], [ %i.next, %loop ]
  %0 = atomicrmw add ptr @c, i64 1 monotonic, align 8, !alias.scope !0
  %step = load i32, ptr %p, align 4 ; a step the loop reads: no trip count known
  %i.next = add i32 %i, %step
  %done = icmp eq i32 %i.next, %n
  br i1 %done, label %out, label %loop
out:
  ret void
}

; CHECK-LABEL: define i64 @apart(
; CHECK-NEXT: entry:
; CHECK-NEXT: %x = add i64 %a, 1
; CHECK-NEXT: store i64 %x, ptr %p
; CHECK-NEXT: call void asm sideeffect "cmpb $$0, $2\0A\09je 1f\0A\09addq $$1, $0\0A\09addq $$1, $1\0A\092:{{.*}}"(ptr elementtype(i64) @c, ptr elementtype(i64) @d, ptr elementtype(i8) @__libc_single_threaded)
; CHECK-NEXT: ret i64 %x
define i64 @apart(i64 %a, ptr %p) {
entry:
  %0 = atomicrmw add ptr @c, i64 1 monotonic, align 8, !alias.scope !0
  %x = add i64 %a, 1
  store i64 %x, ptr %p
  %1 = atomicrmw add ptr @d, i64 1 monotonic, align 8, !alias.scope !0
  ret i64 %x
}

; CHECK-LABEL: define void @kept_apart(
; CHECK-NEXT: entry:
; CHECK-NEXT: call void asm sideeffect "cmpb $$0, $1\0A\09je 1f\0A\09addq $$1, $0\0A\092:{{.*}}"(ptr elementtype(i64) @c, ptr elementtype(i8) @__libc_single_threaded)
; CHECK-NEXT: store volatile i32 1, ptr @flag
; CHECK-NEXT: call void asm sideeffect "cmpb $$0, $1\0A\09je 1f\0A\09addq $$1, $0\0A\092:{{.*}}"(ptr elementtype(i64) @d, ptr elementtype(i8) @__libc_single_threaded)
; CHECK-NEXT: call void @work()
; CHECK-NEXT: call void asm sideeffect "cmpb $$0, $1\0A\09je 1f\0A\09addq $$1, $0\0A\092:{{.*}}"(ptr elementtype(i64) @c, ptr elementtype(i8) @__libc_single_threaded)
; CHECK-NEXT: ret void
define void @kept_apart() {
entry:
  %0 = atomicrmw add ptr @c, i64 1 monotonic, align 8, !alias.scope !0
  store volatile i32 1, ptr @flag
  %1 = atomicrmw add ptr @d, i64 1 monotonic, align 8, !alias.scope !0
  call void @work()
  %2 = atomicrmw add ptr @c, i64 1 monotonic, align 8, !alias.scope !0
  ret void
}

!0 = !{!1}
!1 = !{!"tprof counters and flags", !2}
!2 = !{!"tprof"}
