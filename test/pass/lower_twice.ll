; Running the counter lowering twice changes nothing: the atomic adds that
; the first run leaves in the multi-threaded branch carry !tprof.lowered and
; are not counter updates to lower again. A second run happens when clang's
; output is optimised again with the plugin loaded (e.g. the ThinLTO
; post-link pipeline with --load-pass-plugin, after the pre-link compile ran
; OptimizerLast).
; Written with opaque pointers: see lit.local.cfg.
; RUN: %opt_ptr -passes='function(tprof-lower-counters)' -S %s -o %t.once.ll
; RUN: %opt_ptr -passes='function(tprof-lower-counters)' -S %t.once.ll -o %t.twice.ll
; RUN: %opt_ptr -passes=verify -S %t.once.ll -o %t.roundtrip.ll
; RUN: diff %t.roundtrip.ll %t.twice.ll

@c = global i64 0

define void @f() {
entry:
  %0 = atomicrmw add ptr @c, i64 1 monotonic, align 8, !alias.scope !0
  ret void
}

!0 = !{!1}
!1 = !{!"tprof counters and flags", !2}
!2 = !{!"tprof"}
