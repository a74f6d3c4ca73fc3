; The late half of the counters (pass/CounterLowering.cpp), run as clang
; runs it at the end of the pipeline (OptimizerLast, every -O level), on
; hand-written updates in tprof's form: relaxed atomic adds in tprof's alias
; scope. lower_counters.c has the same through clang.
;  - a loop that calls nothing and touches no volatile or atomic object of
;    the program keeps its counters in registers (phis) and adds them to
;    memory on every edge that leaves it; an update that runs once per
;    iteration of a loop whose trip count ScalarEvolution knows adds that
;    count on the loop's exit instead (the @trips functions; the others
;    read their step, so that their loops keep the registers);
;  - every remaining run of adjacent updates becomes one read of glibc's
;    __libc_single_threaded: plain load/add/store per counter if set, else
;    the atomic adds, single-threaded the likely side (branch weights).
; This is the form of targets other than x86-64 (the module has no target
; triple); lower_counters_x86.ll has x86-64's.
; Written with opaque pointers: see lit.local.cfg.
; RUN: %opt_ptr -passes='function(tprof-lower-counters),verify' -S %s | %FileCheck %s

@c = global i64 0
@d = global i64 0
@e = global i64 0
declare void @work()

; A call-free loop with two exits: nothing of the counter is left in the
; loop (an add to a phi), and both exits add the sum, behind the flag check.
; CHECK-LABEL: define void @two_exits(
; CHECK: {{^}}loop:
; CHECK-NEXT: %[[P:tprof.pending[0-9.]*]] = phi i64 [ 0, %entry ], [ %[[SUM:[0-9]+]], %latch ]
; CHECK-NOT: @c
; CHECK: %[[SUM]] = add i64 %[[P]], 1
; CHECK-NOT: @c
; CHECK: br i1 %done, label %out, label %loop
; CHECK: {{^}}early:
; CHECK-NEXT: [[ST:%[0-9]+]] = load i8, ptr @__libc_single_threaded, align 1, !alias.scope [[SCOPE:![0-9]+]], !nosanitize
; CHECK-NEXT: [[ISST:%[0-9]+]] = icmp ne i8 [[ST]], 0
; CHECK-NEXT: br i1 [[ISST]], label %[[PLAIN:[0-9]+]], label %[[ATOMIC:[0-9]+]], !prof [[LIKELY:![0-9]+]]
; CHECK: {{^}}[[PLAIN]]:
; CHECK-NEXT: [[OLD:%[0-9]+]] = load i64, ptr @c, {{.*}}!tbaa [[TBAA:![0-9]+]], !alias.scope [[SCOPE]], !nosanitize
; CHECK-NEXT: [[NEW:%[0-9]+]] = add i64 [[OLD]], %[[SUM]]
; CHECK-NEXT: store i64 [[NEW]], ptr @c, {{.*}}!tbaa [[TBAA]], !alias.scope [[SCOPE]], !nosanitize
; CHECK: {{^}}[[ATOMIC]]:
; CHECK-NEXT: atomicrmw add ptr @c, i64 %[[SUM]] monotonic, align 8, !tbaa [[TBAA]], !alias.scope [[SCOPE]], {{(!tprof.lowered ![0-9]+, )?}}!nosanitize
; CHECK: ret void
; CHECK: {{^}}out:
; CHECK-NEXT: [[ST2:%[0-9]+]] = load i8, ptr @__libc_single_threaded
; CHECK-NEXT: [[ISST2:%[0-9]+]] = icmp ne i8 [[ST2]], 0
; CHECK-NEXT: br i1 [[ISST2]], label %[[PLAIN2:[0-9]+]], label %[[ATOMIC2:[0-9]+]]
; CHECK: {{^}}[[PLAIN2]]:
; CHECK-NEXT: [[OLD2:%[0-9]+]] = load i64, ptr @c,
; CHECK-NEXT: [[NEW2:%[0-9]+]] = add i64 [[OLD2]], %[[SUM]]
; CHECK-NEXT: store i64 [[NEW2]], ptr @c,
; CHECK: {{^}}[[ATOMIC2]]:
; CHECK-NEXT: atomicrmw add ptr @c, i64 %[[SUM]] monotonic
; CHECK: ret void
; CHECK-NEXT: }
define void @two_exits(i32 %n, ptr %p) {
entry:
  br label %loop
loop:
  %i = phi i32 [ 0, %entry ], [ %i.next, %latch ]
  %0 = atomicrmw add ptr @c, i64 1 monotonic, align 8, !alias.scope !0
  %v = load i32, ptr %p
  %stop = icmp eq i32 %v, %i
  br i1 %stop, label %early, label %latch
latch:
  store i32 %i, ptr %p
  %i.next = add i32 %i, 1
  %done = icmp eq i32 %i.next, %n
  br i1 %done, label %out, label %loop
early:
  ret void
out:
  ret void
}

; A loop with a call keeps the update in memory, lowered in place: the
; callee may read the counter (the runtime, an export) or bump it itself.
; CHECK-LABEL: define void @with_call(
; CHECK: {{^}}loop:
; CHECK-NEXT: %i = phi
; CHECK-NEXT: [[ST:%[0-9]+]] = load i8, ptr @__libc_single_threaded
; CHECK-NEXT: [[ISST:%[0-9]+]] = icmp ne i8 [[ST]], 0
; CHECK-NEXT: br i1 [[ISST]], label %[[PLAIN:[0-9]+]], label %[[ATOMIC:[0-9]+]]
; CHECK: {{^}}[[PLAIN]]:
; CHECK-NEXT: [[OLD:%[0-9]+]] = load i64, ptr @c,
; CHECK-NEXT: [[NEW:%[0-9]+]] = add i64 [[OLD]], 1
; CHECK-NEXT: store i64 [[NEW]], ptr @c,
; CHECK: {{^}}[[ATOMIC]]:
; CHECK-NEXT: atomicrmw add ptr @c, i64 1 monotonic
; CHECK: call void @work()
; CHECK: br i1 %done, label %out, label %loop
; CHECK: {{^}}out:
; CHECK-NEXT: ret void
define void @with_call(i32 %n) {
entry:
  br label %loop
loop:
  %i = phi i32 [ 0, %entry ], [ %i.next, %loop ]
  %0 = atomicrmw add ptr @c, i64 1 monotonic, align 8, !alias.scope !0
  call void @work()
  %i.next = add i32 %i, 1
  %done = icmp eq i32 %i.next, %n
  br i1 %done, label %out, label %loop
out:
  ret void
}

; So does a loop with a volatile access: a signal handler may read that
; object and so tell how far the loop got.
; CHECK-LABEL: define void @with_volatile(
; CHECK: {{^}}loop:
; CHECK-NEXT: %i = phi
; CHECK-NEXT: load i8, ptr @__libc_single_threaded
; CHECK: add i64 %{{[0-9]+}}, 1
; CHECK: atomicrmw add ptr @c, i64 1 monotonic
; CHECK: store volatile i32 %i, ptr %p
; CHECK: br i1 %done, label %out, label %loop
; CHECK: {{^}}out:
; CHECK-NEXT: ret void
define void @with_volatile(i32 %n, ptr %p) {
entry:
  br label %loop
loop:
  %i = phi i32 [ 0, %entry ], [ %i.next, %loop ]
  %0 = atomicrmw add ptr @c, i64 1 monotonic, align 8, !alias.scope !0
  store volatile i32 %i, ptr %p
  %i.next = add i32 %i, 1
  %done = icmp eq i32 %i.next, %n
  br i1 %done, label %out, label %loop
out:
  ret void
}

; ... and one with an atomic access of the program (another thread).
; CHECK-LABEL: define void @with_atomic_load(
; CHECK: {{^}}loop:
; CHECK-NEXT: %i = phi
; CHECK-NEXT: load i8, ptr @__libc_single_threaded
; CHECK: atomicrmw add ptr @c, i64 1 monotonic
; CHECK: load atomic i32, ptr %p monotonic
; CHECK: br i1 %done, label %out, label %loop
; CHECK: {{^}}out:
; CHECK-NEXT: ret void
define void @with_atomic_load(i32 %n, ptr %p) {
entry:
  br label %loop
loop:
  %i = phi i32 [ 0, %entry ], [ %i.next, %loop ]
  %0 = atomicrmw add ptr @c, i64 1 monotonic, align 8, !alias.scope !0
  %v = load atomic i32, ptr %p monotonic, align 4
  %i.next = add i32 %i, %v
  %done = icmp eq i32 %i.next, %n
  br i1 %done, label %out, label %loop
out:
  ret void
}

; A counter chosen before the loop (a select of two records, as
; SimplifyCFG makes of two calls) is promoted like a plain one: the flush
; adds to the selected counter.
; CHECK-LABEL: define void @invariant_select(
; CHECK: %ctr = select i1 %which, ptr @c, ptr @d
; CHECK: {{^}}loop:
; CHECK-NEXT: %[[P:tprof.pending[0-9.]*]] = phi i64 [ 0, %entry ], [ %[[SUM:[0-9]+]], %loop ]
; CHECK-NOT: %ctr
; CHECK: %[[SUM]] = add i64 %[[P]], 1
; CHECK-NOT: %ctr
; CHECK: {{^}}out:
; CHECK-NEXT: load i8, ptr @__libc_single_threaded
; CHECK: [[OLD:%[0-9]+]] = load i64, ptr %ctr,
; CHECK-NEXT: [[NEW:%[0-9]+]] = add i64 [[OLD]], %[[SUM]]
; CHECK-NEXT: store i64 [[NEW]], ptr %ctr,
; CHECK: atomicrmw add ptr %ctr, i64 %[[SUM]] monotonic
define void @invariant_select(i32 %n, i1 %which, ptr %p) {
entry:
  %ctr = select i1 %which, ptr @c, ptr @d
  br label %loop
loop:
  %i = phi i32 [ 0, %entry ], [ %i.next, %loop ]
  %0 = atomicrmw add ptr %ctr, i64 1 monotonic, align 8, !alias.scope !0
  %step = load i32, ptr %p, align 4 ; a step the loop reads: no trip count known
  %i.next = add i32 %i, %step
  %done = icmp eq i32 %i.next, %n
  br i1 %done, label %out, label %loop
out:
  ret void
}

; A counter chosen inside the loop cannot be flushed after it: in memory.
; CHECK-LABEL: define void @variant_select(
; CHECK: {{^}}loop:
; CHECK: %ctr = select i1 %odd, ptr @c, ptr @d
; CHECK-NEXT: load i8, ptr @__libc_single_threaded
; CHECK: atomicrmw add ptr %ctr, i64 1 monotonic
; CHECK: br i1 %done, label %out, label %loop
; CHECK: {{^}}out:
; CHECK-NEXT: ret void
define void @variant_select(i32 %n) {
entry:
  br label %loop
loop:
  %i = phi i32 [ 0, %entry ], [ %i.next, %loop ]
  %odd = trunc i32 %i to i1
  %ctr = select i1 %odd, ptr @c, ptr @d
  %0 = atomicrmw add ptr %ctr, i64 1 monotonic, align 8, !alias.scope !0
  %i.next = add i32 %i, 1
  %done = icmp eq i32 %i.next, %n
  br i1 %done, label %out, label %loop
out:
  ret void
}

; Adjacent updates share one read of the flag; a call ends the run.
; CHECK-LABEL: define void @adjacent(
; CHECK-NEXT: entry:
; CHECK-NEXT: [[ST:%[0-9]+]] = load i8, ptr @__libc_single_threaded
; CHECK-NEXT: [[ISST:%[0-9]+]] = icmp ne i8 [[ST]], 0
; CHECK-NEXT: br i1 [[ISST]], label %[[PLAIN:[0-9]+]], label %[[ATOMIC:[0-9]+]]
; CHECK: {{^}}[[PLAIN]]:
; CHECK-NEXT: load i64, ptr @c,
; CHECK-NEXT: add i64
; CHECK-NEXT: store i64 {{.*}}, ptr @c,
; CHECK-NEXT: load i64, ptr @d,
; CHECK-NEXT: add i64
; CHECK-NEXT: store i64 {{.*}}, ptr @d,
; CHECK-NEXT: load i64, ptr @e,
; CHECK-NEXT: add i64
; CHECK-NEXT: store i64 {{.*}}, ptr @e,
; CHECK-NEXT: br label %[[JOIN:[0-9]+]]
; CHECK: {{^}}[[ATOMIC]]:
; CHECK-NEXT: atomicrmw add ptr @c, i64 1 monotonic
; CHECK-NEXT: atomicrmw add ptr @d, i64 1 monotonic
; CHECK-NEXT: atomicrmw add ptr @e, i64 1 monotonic
; CHECK-NEXT: br label %[[JOIN]]
; CHECK: {{^}}[[JOIN]]:
; CHECK-NEXT: call void @work()
; CHECK-NEXT: load i8, ptr @__libc_single_threaded
; CHECK: store i64 {{.*}}, ptr @c,
; CHECK: atomicrmw add ptr @c, i64 1 monotonic
; CHECK: ret void
define void @adjacent() {
entry:
  %0 = atomicrmw add ptr @c, i64 1 monotonic, align 8, !alias.scope !0
  %1 = atomicrmw add ptr @d, i64 1 monotonic, align 8, !alias.scope !0
  %2 = atomicrmw add ptr @e, i64 1 monotonic, align 8, !alias.scope !0
  call void @work()
  %3 = atomicrmw add ptr @c, i64 1 monotonic, align 8, !alias.scope !0
  ret void
}

; An outer loop that calls something keeps its own counter in memory; its
; call-free inner loop is promoted and flushed on its exit, once per outer
; iteration.
; CHECK-LABEL: define void @nested_inner(
; CHECK: {{^}}outer:
; CHECK-NEXT: %j = phi
; CHECK-NEXT: load i8, ptr @__libc_single_threaded
; CHECK: atomicrmw add ptr @d, i64 1 monotonic
; CHECK: call void @work()
; CHECK: {{^}}inner:
; CHECK-NEXT: %[[P:tprof.pending[0-9.]*]] = phi i64 [ 0, %{{[0-9]+}} ], [ %[[SUM:[0-9]+]], %inner ]
; CHECK-NOT: @c
; CHECK: %[[SUM]] = add i64 %[[P]], 1
; CHECK-NOT: @c
; CHECK: br i1 %idone, label %outer.latch, label %inner
; CHECK: {{^}}outer.latch:
; CHECK-NEXT: load i8, ptr @__libc_single_threaded
; CHECK: add i64 %{{[0-9]+}}, %[[SUM]]
; CHECK: atomicrmw add ptr @c, i64 %[[SUM]] monotonic
; CHECK: br i1 %jdone, label %out, label %outer
define void @nested_inner(i32 %n, ptr %p) {
entry:
  br label %outer
outer:
  %j = phi i32 [ 0, %entry ], [ %j.next, %outer.latch ]
  %0 = atomicrmw add ptr @d, i64 1 monotonic, align 8, !alias.scope !0
  call void @work()
  br label %inner
inner:
  %i = phi i32 [ 0, %outer ], [ %i.next, %inner ]
  %1 = atomicrmw add ptr @c, i64 1 monotonic, align 8, !alias.scope !0
  %step = load i32, ptr %p, align 4 ; a step the loop reads: no trip count known
  %i.next = add i32 %i, %step
  %idone = icmp eq i32 %i.next, %n
  br i1 %idone, label %outer.latch, label %inner
outer.latch:
  %j.next = add i32 %j, 1
  %jdone = icmp eq i32 %j.next, %n
  br i1 %jdone, label %out, label %outer
out:
  ret void
}

; A call-free outer loop is promoted as a whole (its inner loop's counter
; too): one flush, of both counters behind one flag check, when it exits.
; CHECK-LABEL: define void @nested_outer(
; CHECK-NOT: @c
; CHECK-NOT: @d
; CHECK: br i1 %jdone, label %out, label %outer
; CHECK: {{^}}out:
; CHECK-NEXT: load i8, ptr @__libc_single_threaded
; CHECK-NOT: @__libc_single_threaded
; CHECK: store i64 {{.*}}, ptr @d,
; CHECK: store i64 {{.*}}, ptr @c,
; CHECK: atomicrmw add ptr @d, i64 %{{[0-9]+}} monotonic
; CHECK-NEXT: atomicrmw add ptr @c, i64 %{{[0-9]+}} monotonic
; CHECK: ret void
define void @nested_outer(i32 %n, ptr %p) {
entry:
  br label %outer
outer:
  %j = phi i32 [ 0, %entry ], [ %j.next, %outer.latch ]
  %0 = atomicrmw add ptr @d, i64 1 monotonic, align 8, !alias.scope !0
  br label %inner
inner:
  %i = phi i32 [ 0, %outer ], [ %i.next, %inner ]
  %1 = atomicrmw add ptr @c, i64 1 monotonic, align 8, !alias.scope !0
  %step = load i32, ptr %p, align 4 ; a step the loop reads: no trip count known
  %i.next = add i32 %i, %step
  %idone = icmp eq i32 %i.next, %n
  br i1 %idone, label %outer.latch, label %inner
outer.latch:
  %jstep = load i32, ptr %p, align 4
  %j.next = add i32 %j, %jstep
  %jdone = icmp eq i32 %j.next, %n
  br i1 %jdone, label %out, label %outer
out:
  ret void
}

; A loop without a preheader or dedicated exits (as late passes leave
; them) gets them back, then is promoted; the exit shared with another path
; is flushed only on the loop's edge.
; CHECK-LABEL: define void @unsimplified(
; CHECK: {{^}}loop.preheader:
; CHECK: {{^}}loop:
; CHECK-NOT: @c
; CHECK: br i1 %done, label %[[EXIT:[a-z.]+]], label %loop
; CHECK: {{^}}[[EXIT]]:
; CHECK-NEXT: load i8, ptr @__libc_single_threaded
; CHECK: atomicrmw add ptr @c, i64 %{{[0-9]+}} monotonic
; CHECK: {{^}}out:
; CHECK-NEXT: ret void
define void @unsimplified(i32 %n, i1 %skip, ptr %p) {
entry:
  br i1 %skip, label %out, label %pre
pre:
  br i1 %skip, label %loop, label %loop
loop:
  %i = phi i32 [ 0, %pre ], [ 0, %pre ], [ %i.next, %loop ]
  %0 = atomicrmw add ptr @c, i64 1 monotonic, align 8, !alias.scope !0
  %step = load i32, ptr %p, align 4 ; a step the loop reads: no trip count known
  %i.next = add i32 %i, %step
  %done = icmp eq i32 %i.next, %n
  br i1 %done, label %out, label %loop
out:
  ret void
}

; The program's own atomics (not in tprof's scope) are left alone.
; CHECK-LABEL: define void @programs_own(
; CHECK-NEXT: entry:
; CHECK-NEXT: atomicrmw add ptr %p, i64 1 monotonic, align 8{{$}}
; CHECK-NEXT: ret void
define void @programs_own(ptr %p) {
entry:
  %0 = atomicrmw add ptr %p, i64 1 monotonic, align 8
  ret void
}

; A loop whose trip count ScalarEvolution knows adds nothing inside: its
; update, which runs once per iteration, becomes one add of the trip
; count (n - 1 + 1, in 64 bits) on the exit.
; CHECK-LABEL: define void @trips(
; CHECK: {{^}}loop:
; CHECK-NOT: @c
; CHECK-NOT: phi i64
; CHECK: br i1 %done, label %out, label %loop
; CHECK: {{^}}out:
; CHECK-NEXT: [[M:%[0-9]+]] = add i32 %n, -1
; CHECK-NEXT: [[Z:%[0-9]+]] = zext i32 [[M]] to i64
; CHECK-NEXT: [[T:%[0-9]+]] = add nuw nsw i64 [[Z]], 1
; CHECK-NEXT: load i8, ptr @__libc_single_threaded
; CHECK: atomicrmw add ptr @c, i64 [[T]] monotonic
define void @trips(i32 %n, ptr %p) {
entry:
  br label %loop
loop:
  %i = phi i32 [ 0, %entry ], [ %i.next, %loop ]
  %0 = atomicrmw add ptr @c, i64 1 monotonic, align 8, !alias.scope !0
  store i32 %i, ptr %p, align 4 ; work that keeps the loop
  %i.next = add i32 %i, 1
  %done = icmp eq i32 %i.next, %n
  br i1 %done, label %out, label %loop
out:
  ret void
}

; Nested: the inner loop's sum runs once per outer iteration (nothing
; skips the inner loop), so it folds again: rows x cols (and the outer
; loop's own count, rows) once, after both loops.
; CHECK-LABEL: define void @trips_nested(
; CHECK-NOT: @c
; CHECK-NOT: @d
; CHECK-NOT: phi i64
; CHECK: br i1 %jdone, label %out, label %outer
; CHECK: {{^}}out:
; CHECK: mul i64
; CHECK: atomicrmw add ptr @{{c|d}}, i64 %{{[0-9]+}} monotonic
; CHECK-NEXT: atomicrmw add ptr @{{c|d}}, i64 %{{[0-9]+}} monotonic
; CHECK-NEXT: br label
define void @trips_nested(i32 %rows, i32 %cols, ptr %p) {
entry:
  br label %outer
outer:
  %j = phi i32 [ 0, %entry ], [ %j.next, %outer.latch ]
  %0 = atomicrmw add ptr @d, i64 1 monotonic, align 8, !alias.scope !0
  br label %inner
inner:
  %i = phi i32 [ 0, %outer ], [ %i.next, %inner ]
  %1 = atomicrmw add ptr @c, i64 1 monotonic, align 8, !alias.scope !0
  store i32 %i, ptr %p, align 4 ; work that keeps the loops
  %i.next = add i32 %i, 1
  %idone = icmp eq i32 %i.next, %cols
  br i1 %idone, label %outer.latch, label %inner
outer.latch:
  %j.next = add i32 %j, 1
  %jdone = icmp eq i32 %j.next, %rows
  br i1 %jdone, label %out, label %outer
out:
  ret void
}

; An unrolled loop's body holds a copy of the update per copy of the call:
; one update of their sum, then the fold (2 x the trip count).
; CHECK-LABEL: define void @trips_unrolled(
; CHECK: {{^}}loop:
; CHECK-NOT: @c
; CHECK: br i1 %done, label %out, label %loop
; CHECK: {{^}}out:
; CHECK: [[D:%[0-9]+]] = shl nuw nsw i64 %{{[0-9]+}}, 1
; CHECK-NEXT: [[T:%[0-9]+]] = add nuw nsw i64 [[D]], 2
; CHECK: atomicrmw add ptr @c, i64 [[T]] monotonic
; CHECK-NOT: atomicrmw add ptr @c
; CHECK: ret void
define void @trips_unrolled(i32 %n, ptr %p) {
entry:
  br label %loop
loop:
  %i = phi i32 [ 0, %entry ], [ %i.next, %loop ]
  %0 = atomicrmw add ptr @c, i64 1 monotonic, align 8, !alias.scope !0
  %1 = atomicrmw add ptr @c, i64 1 monotonic, align 8, !alias.scope !0
  store i32 %i, ptr %p, align 4 ; work that keeps the loop
  %i.next = add i32 %i, 1
  %done = icmp eq i32 %i.next, %n
  br i1 %done, label %out, label %loop
out:
  ret void
}

; A loop that did nothing but count (a tiny leaf whose result it does not
; keep) is deleted once its count is a trip count, as LLVM deletes it in
; the plain build: the exit adds n and no loop is left.
; CHECK-LABEL: define void @trips_dead(
; CHECK-NOT: {{^}}loop:
; CHECK: atomicrmw add ptr @c, i64 %{{[0-9]+}} monotonic
; CHECK-NOT: {{^}}loop:
; CHECK: ret void
define void @trips_dead(i32 %n) {
entry:
  br label %loop
loop:
  %i = phi i32 [ 0, %entry ], [ %i.next, %loop ]
  %0 = atomicrmw add ptr @c, i64 1 monotonic, align 8, !alias.scope !0
  %i.next = add i32 %i, 1
  %done = icmp eq i32 %i.next, %n
  br i1 %done, label %out, label %loop
out:
  ret void
}

; An update that does not run in every iteration (under a condition) keeps
; its register: the trip count would overcount.
; CHECK-LABEL: define void @trips_conditional(
; CHECK: {{^}}loop:
; CHECK-NEXT: %[[P:tprof.pending[0-9.]*]] = phi i64
; CHECK-NOT: @c
; CHECK: add i64 %{{.*}}, 1
; CHECK: {{^}}out:
; CHECK: atomicrmw add ptr @c, i64 %tprof.pending{{[0-9.]*}} monotonic
define void @trips_conditional(i32 %n) {
entry:
  br label %loop
loop:
  %i = phi i32 [ 0, %entry ], [ %i.next, %latch ]
  %odd = trunc i32 %i to i1
  br i1 %odd, label %count, label %latch
count:
  %0 = atomicrmw add ptr @c, i64 1 monotonic, align 8, !alias.scope !0
  br label %latch
latch:
  %i.next = add i32 %i, 1
  %done = icmp eq i32 %i.next, %n
  br i1 %done, label %out, label %loop
out:
  ret void
}

; A loop that can also leave from its middle (a break): the last iteration
; may not reach the update, so it stays in a register too.
; CHECK-LABEL: define void @trips_break(
; CHECK: {{^}}loop:
; CHECK-NEXT: %[[P:tprof.pending[0-9.]*]] = phi i64
define void @trips_break(i32 %n, ptr %p) {
entry:
  br label %loop
loop:
  %i = phi i32 [ 0, %entry ], [ %i.next, %latch ]
  %v = load i32, ptr %p, align 4
  %stop = icmp eq i32 %v, %i
  br i1 %stop, label %out, label %latch
latch:
  %0 = atomicrmw add ptr @c, i64 1 monotonic, align 8, !alias.scope !0
  %i.next = add i32 %i, 1
  %done = icmp eq i32 %i.next, %n
  br i1 %done, label %out, label %loop
out:
  ret void
}

; CHECK: [[SCOPE]] = !{[[S:![0-9]+]]}
; CHECK: [[S]] = !{!"tprof counters and flags", [[DOMAIN:![0-9]+]]}
; CHECK: [[DOMAIN]] = !{!"tprof"}
; Single-threaded is the likely side: block placement puts the atomic add
; out of line.
; CHECK-DAG: [[LIKELY]] = !{!"branch_weights", i32 2000, i32 1}
; CHECK: [[TBAA]] = !{[[TYPE:![0-9]+]], [[TYPE]], i64 0}
; CHECK: [[TYPE]] = !{!"tprof counter",

!0 = !{!1}
!1 = !{!"tprof counters and flags", !2}
!2 = !{!"tprof"}
