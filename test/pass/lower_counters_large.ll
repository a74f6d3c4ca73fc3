; The counter lowering on x86-64 in the large code model (clang's
; -mcmodel=large: the module's "Code Model" flag):
;  - every address is a register there (movabs), so a run of eight updates
;    becomes two statements, of at most 7 register operands each (six
;    counters and the flag, then two and the flag); one statement for 16
;    failed to compile ("inline assembly requires more registers than
;    available");
;  - in a PIE the flag stays a plain external variable, not dso_local: the
;    large model addresses a dso_local variable relative to the GOT
;    (R_X86_64_GOTOFF64), which the linker refuses for one of libc
;    ("can not be used when making a shared object").
; e2e/code_model_large.test builds and runs such programs.
; RUN: %opt_ptr -passes='function(tprof-lower-counters),verify' -S %s | %FileCheck %s
target triple = "x86_64-unknown-linux-gnu"

@c0 = global i64 0
@c1 = global i64 0
@c2 = global i64 0
@c3 = global i64 0
@c4 = global i64 0
@c5 = global i64 0
@c6 = global i64 0
@c7 = global i64 0

; CHECK: @__libc_single_threaded = external global i8
; CHECK-LABEL: define void @eight(
; CHECK-NEXT: entry:
; CHECK-NEXT: call void asm sideeffect "{{[^"]*}}", "=*m,=*m,=*m,=*m,=*m,=*m,*m,~{flags}"({{.*}}@c0, {{.*}}@c5, {{.*}}@__libc_single_threaded)
; CHECK-NEXT: call void asm sideeffect "{{[^"]*}}", "=*m,=*m,*m,~{flags}"({{.*}}@c6, {{.*}}@c7, {{.*}}@__libc_single_threaded)
; CHECK-NEXT: ret void
define void @eight() {
entry:
  %0 = atomicrmw add ptr @c0, i64 1 monotonic, align 8, !alias.scope !0
  %1 = atomicrmw add ptr @c1, i64 1 monotonic, align 8, !alias.scope !0
  %2 = atomicrmw add ptr @c2, i64 1 monotonic, align 8, !alias.scope !0
  %3 = atomicrmw add ptr @c3, i64 1 monotonic, align 8, !alias.scope !0
  %4 = atomicrmw add ptr @c4, i64 1 monotonic, align 8, !alias.scope !0
  %5 = atomicrmw add ptr @c5, i64 1 monotonic, align 8, !alias.scope !0
  %6 = atomicrmw add ptr @c6, i64 1 monotonic, align 8, !alias.scope !0
  %7 = atomicrmw add ptr @c7, i64 1 monotonic, align 8, !alias.scope !0
  ret void
}

!llvm.module.flags = !{!3, !4}
!0 = !{!1}
!1 = !{!"tprof counters and flags", !2}
!2 = !{!"tprof"}
!3 = !{i32 1, !"Code Model", i32 4}
!4 = !{i32 7, !"PIE Level", i32 2}
