; A small timed function split in two (pass/TimedCopy.h): the function
; keeps its counter and its body, and right after the counter
; `if (guard & TPROF_HOOKS_ALL) return F.tprof_timed(args)`, the call
; carrying the parameters' and the return's attributes (zeroext, byval: the
; calling convention); the copy has the hooks and its calls of F go to the
; copy, each counted where it is made. Not split: a variadic function, one
; with a block whose address is taken, one with a musttail call, an
; operation, main, and everything with TPROF_TIMING=all. Running the pass
; twice changes nothing.
; Written with opaque pointers: see lit.local.cfg.
; RUN: %opt_ptr -passes=tprof,verify -S %s -o %t.once.ll
; RUN: %FileCheck %s < %t.once.ll
; RUN: %FileCheck %s --check-prefix=NOSPLIT < %t.once.ll
; RUN: %opt_ptr -passes=tprof,tprof,verify -S %s -o %t.twice.ll
; RUN: diff %t.once.ll %t.twice.ll
; RUN: env TPROF_TIMING=all %opt_ptr -passes=tprof,verify -S %s | %FileCheck %s --check-prefix=ALL

%struct.S = type { i64, i64 }

; CHECK-LABEL: define i32 @rec(i32 zeroext %n, ptr byval(%struct.S) %s)
; CHECK-NEXT: entry:
; CHECK-NEXT: atomicrmw add ptr getelementptr {{.*}}@__tprof_func.rec
; CHECK-NEXT: [[ON:%.*]] = load atomic i8, ptr @__tprof_hooks_on monotonic
; CHECK-NEXT: [[BIT:%.*]] = and i8 [[ON]], 1
; CHECK-NEXT: [[SET:%.*]] = icmp ne i8 [[BIT]], 0
; CHECK-NEXT: br i1 [[SET]], label %[[TIMED:.*]], label %[[BODY:.*]]
; CHECK: [[TIMED]]:
; CHECK-NEXT: [[R:%.*]] = call i32 @rec.tprof_timed(i32 zeroext %n, ptr byval(%struct.S) %s)
; CHECK-NEXT: ret i32 [[R]]
; CHECK: [[BODY]]:
; CHECK-NOT: __tprof_func_e
; CHECK: call i32 @rec(i32 zeroext %m, ptr byval(%struct.S) %s)
; CHECK-NOT: __tprof_func_e
; CHECK: {{^}}}
define i32 @rec(i32 zeroext %n, ptr byval(%struct.S) %s) {
entry:
  %done = icmp eq i32 %n, 0
  br i1 %done, label %out, label %more
more:
  %m = sub i32 %n, 1
  %r = call i32 @rec(i32 zeroext %m, ptr byval(%struct.S) %s)
  ret i32 %r
out:
  ret i32 0
}

; NOSPLIT-LABEL: define i32 @vrec(i32 %n, ...)
; NOSPLIT: call void @__tprof_func_enter(ptr @__tprof_func.vrec)
; NOSPLIT-LABEL: define i32 @labels(
; NOSPLIT: call void @__tprof_func_enter(ptr @__tprof_func.labels)
; NOSPLIT-LABEL: define i32 @mt(
; NOSPLIT: call void @__tprof_func_enter(ptr @__tprof_func.mt)
; NOSPLIT-LABEL: define i32 @op_rec(
; NOSPLIT: call void @__tprof_func_enter(ptr @__tprof_func.op_rec)
; NOSPLIT-LABEL: define i32 @main(
; NOSPLIT: call void @__tprof_func_enter(ptr @__tprof_func.main)
; NOSPLIT-NOT: {{(vrec|labels|mt|op_rec|main)}}.tprof_timed
define i32 @vrec(i32 %n, ...) {
  %done = icmp eq i32 %n, 0
  br i1 %done, label %out, label %more
more:
  %m = sub i32 %n, 1
  %r = call i32 (i32, ...) @vrec(i32 %m)
  ret i32 %r
out:
  ret i32 0
}

@where = global ptr null
define i32 @labels(i32 %n) {
entry:
  store ptr blockaddress(@labels, %more), ptr @where
  %done = icmp eq i32 %n, 0
  br i1 %done, label %out, label %more
more:
  %m = sub i32 %n, 1
  %r = call i32 @labels(i32 %m)
  ret i32 %r
out:
  ret i32 0
}

define i32 @mt(i32 %n) {
  %done = icmp eq i32 %n, 0
  br i1 %done, label %out, label %more
more:
  %m = sub i32 %n, 1
  %r = musttail call i32 @mt(i32 %m)
  ret i32 %r
out:
  ret i32 0
}

define i32 @op_rec(i32 %n) {
  %done = icmp eq i32 %n, 0
  br i1 %done, label %out, label %more
more:
  %m = sub i32 %n, 1
  %r = call i32 @op_rec(i32 %m)
  ret i32 %r
out:
  ret i32 0
}

define i32 @main() {
  %s = alloca %struct.S
  %a = call i32 @rec(i32 zeroext 3, ptr byval(%struct.S) %s)
  %b = call i32 (i32, ...) @vrec(i32 3)
  %c = call i32 @labels(i32 3)
  %d = call i32 @mt(i32 3)
  %e = call i32 @op_rec(i32 3)
  ret i32 %a
}

; The copy, after the module's own functions: the hooks without a guard,
; and its own call of rec counted and sent to the copy.
; CHECK-LABEL: define internal i32 @rec.tprof_timed(i32 zeroext %n, ptr byval(%struct.S) %s)
; CHECK-NEXT: entry:
; CHECK-NEXT: call void @__tprof_func_enter(ptr @__tprof_func.rec)
; CHECK-NOT: __tprof_hooks_on
; CHECK: atomicrmw add ptr getelementptr {{.*}}@__tprof_func.rec
; CHECK-NEXT: call i32 @rec.tprof_timed(i32 zeroext %m, ptr byval(%struct.S) %s)
; CHECK-NEXT: call void @__tprof_func_exit(ptr @__tprof_func.rec)
; CHECK-NEXT: ret i32
; CHECK: call void @__tprof_func_exit(ptr @__tprof_func.rec)
; CHECK-NEXT: ret i32 0
; CHECK: attributes #{{[0-9]+}} = { noinline "tprof-instrumented" }

; ALL-NOT: tprof_timed
; ALL-LABEL: define i32 @rec(
; ALL: call void @__tprof_func_enter(ptr @__tprof_func.rec)
